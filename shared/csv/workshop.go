package csv

import (
	stdcsv "encoding/csv"
	"fmt"
	"strings"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/scoring"
)

// Workshop is a round's workshop pack as CSV, one row per agenda item in
// agenda order (scoring.Workshop), with each council's answer in its
// level's words, the notes councils chose to share, the bank's discussion
// prompts, what reaching the required level takes, and empty decision and
// owner columns to fill in at the workshop. Cells with several lines keep
// one council or prompt per line.
func Workshop(l locale.Lang, b *bank.Bank, c scoring.Comparison) string {
	var sb strings.Builder
	w := stdcsv.NewWriter(&sb)
	_ = w.Write(header(l, "round", "item", "area", "question_id", "question", "must_have", "shortfall_x_weight", "spread", "status",
		"answers", "shared_notes", "prompts", "required_level", "councils_short", "next_step", "evidence", "decision", "owner"))
	for i, it := range scoring.Workshop(b, c) {
		var answers, notes []string
		for _, a := range it.Answers {
			// The level's words are the bank's, in l; the others the catalogue's.
			level, wording := "?", text(l, "answer.dontKnow")
			switch {
			case a.NotApplicable:
				level, wording = text(l, "answer.notApplicableShort"), text(l, "answer.notApplicable")
			case a.Score != nil:
				level, wording = fmt.Sprint(*a.Score), a.Wording
			}
			answers = append(answers, a.Council+": "+level+". "+wording)
			if a.Note != "" {
				notes = append(notes, a.Council+": "+a.Note)
			}
		}
		required := ""
		if it.Required >= 0 {
			required = fmt.Sprintf("%d. %s", it.Required, it.RequiredWording)
		}
		area := it.Area
		if a, ok := b.Area(it.Area); ok {
			area = a.Title
		}
		_ = w.Write([]string{fmt.Sprint(c.Round), fmt.Sprint(i + 1), area, it.Question, it.Text, yesNo(l, it.MustHave),
			fmt.Sprintf("%.1f", it.Shortfall), fmt.Sprint(it.Spread), it.Status, safeCell(strings.Join(answers, "\n")),
			safeCell(strings.Join(notes, "\n")), strings.Join(it.Prompts, "\n"), required, safeCell(strings.Join(it.Short, ", ")),
			it.Next.Do, it.Next.Evidence, "", ""})
	}
	w.Flush()
	return sb.String()
}

// WorkshopFilename is the download's file name for round n.
func WorkshopFilename(round int) string { return fmt.Sprintf("rasp-workshop-round-%d.csv", round) }

func yesNo(l locale.Lang, b bool) string {
	if b {
		return text(l, "csv.yes")
	}
	return text(l, "csv.no")
}
