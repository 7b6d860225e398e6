// Package csv writes the CSV downloads — an assessment's answers and a
// round's comparison — for the API and the pages alike, so a spreadsheet
// gets the same columns and the same formula-injection guard from either.
package csv

import (
	stdcsv "encoding/csv"
	"fmt"
	"strings"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/scoring"
)

// ContentType is the media type of every download.
const ContentType = "text/csv; charset=utf-8"

// Assessment is one row per question of the bank: council, area, question
// id and text, the score ("" when unanswered), "yes" for don't know, and the
// note.
func Assessment(l locale.Lang, b *bank.Bank, a *assessment.Assessment) string {
	var sb strings.Builder
	w := stdcsv.NewWriter(&sb)
	_ = w.Write(header(l, "council", "area", "question_id", "question", "score", "dont_know", "note"))
	for _, q := range b.Questions() {
		ans, ok := a.Answers[q.ID]
		score, unknown := "", ""
		switch {
		case !ok:
		case ans.Score == nil:
			unknown = yesNo(l, true)
		default:
			score = fmt.Sprint(*ans.Score)
		}
		_ = w.Write([]string{safeCell(a.Council), q.Area, q.ID, q.Text, score, unknown, safeCell(ans.Note)})
	}
	w.Flush()
	return sb.String()
}

// AssessmentFilename is the download's file name.
const AssessmentFilename = "rasp-assessment.csv"

// Comparison is one row per question and council of a round.
func Comparison(l locale.Lang, c scoring.Comparison) string {
	var sb strings.Builder
	w := stdcsv.NewWriter(&sb)
	// shared_note is the council's note when it chose to share its notes.
	_ = w.Write(header(l, "round", "area", "question_id", "question", "council", "score", "spread", "status", "shared_note"))
	for _, q := range c.Questions {
		for _, council := range c.Councils {
			score := text(l, "csv.dontKnow")
			if s := q.Scores[council]; s != nil {
				score = fmt.Sprint(*s)
			}
			_ = w.Write([]string{fmt.Sprint(c.Round), q.Area, q.ID, q.Text, safeCell(council), score, fmt.Sprint(q.Spread), q.Status, safeCell(q.Notes[council])})
		}
	}
	w.Flush()
	return sb.String()
}

// header is the header row in l: each column's name from the catalogue
// ("csv.col.<column>"; the English names are the columns' stable ids).
func header(l locale.Lang, columns ...string) []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = text(l, "csv.col."+c)
	}
	return out
}

func text(l locale.Lang, key string) string { return locale.Messages().T(l, key, nil) }

// ComparisonFilename is the download's file name for round n.
func ComparisonFilename(round int) string { return fmt.Sprintf("rasp-comparison-round-%d.csv", round) }

// formulaStart lists the first characters that make Excel, LibreOffice or
// Google Sheets read a cell as a formula (OWASP, "CSV Injection":
// https://owasp.org/www-community/attacks/CSV_Injection), plus tab and
// carriage return, which some of them strip before looking.
const formulaStart = "=+-@\t\r"

// safeCell stops a spreadsheet from running text typed by a user as a
// formula (CSV injection): such cells are prefixed with an apostrophe, which
// the spreadsheet shows as text and does not display.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}
