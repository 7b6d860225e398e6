package lambdas

import (
	"context"
	"net/http"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/csv"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
)

// Score is the score function: read-only reports.
func Score(d Deps) *httpapi.Router {
	return httpapi.MustRouter(routes.FnScore, map[string]httpapi.Handler{
		"scoreAssessment": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Score, error) {
			out, _, err := d.Assessments.Score(ctx, req.Param("id"), req.BearerToken())
			return api.ScoreOf(out), err
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
			return CSV(csv.AssessmentFilename, csv.Assessment(b, a)), nil
		},
	}, d.Log)
}

// CSV returns a downloadable CSV response.
func CSV(filename, body string) *httpapi.Response {
	r := httpapi.Text(http.StatusOK, csv.ContentType, body)
	r.Headers["content-disposition"] = `attachment; filename="` + filename + `"`
	return r
}
