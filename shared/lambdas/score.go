package lambdas

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
)

// Score is the score function: read-only reports.
func Score(d Deps) *httpapi.Router {
	return httpapi.MustRouter(routes.FnScore, map[string]httpapi.Handler{
		"scoreAssessment": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Score, error) {
			out, _, err := d.Assessments.Score(ctx, req.Param("id"), req.BearerToken())
			return out, err
		}),
		"scoreAssessmentCSV": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			_, a, err := d.Assessments.Score(ctx, req.Param("id"), req.BearerToken())
			if err != nil {
				return nil, err
			}
			b, err := d.Assessments.Bank(a.Version)
			if err != nil {
				return nil, err
			}
			return CSV("rasp-assessment.csv", AssessmentCSV(b, a)), nil
		},
	}, d.Log)
}

// AssessmentCSV is one row per question: area, id, question, score, note.
func AssessmentCSV(b *bank.Bank, a *assessment.Assessment) string {
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	_ = w.Write([]string{"council", "area", "question_id", "question", "score", "dont_know", "note"})
	for _, q := range b.Questions() {
		ans, ok := a.Answers[q.ID]
		score, unknown := "", ""
		switch {
		case !ok:
		case ans.Score == nil:
			unknown = "yes"
		default:
			score = fmt.Sprint(*ans.Score)
		}
		_ = w.Write([]string{safeCell(a.Council), q.Area, q.ID, q.Text, score, unknown, safeCell(ans.Note)})
	}
	w.Flush()
	return sb.String()
}

// CSV returns a downloadable CSV response.
func CSV(filename, body string) *httpapi.Response {
	r := httpapi.Text(http.StatusOK, "text/csv; charset=utf-8", body)
	r.Headers["content-disposition"] = `attachment; filename="` + filename + `"`
	return r
}

// safeCell stops a spreadsheet from running text typed by a user as a
// formula (CSV injection): such cells are prefixed with an apostrophe.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
