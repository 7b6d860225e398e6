// Package score is the score function: an assessment's score report, as
// JSON and as CSV. It reads only: its store is the auth package's loader,
// and it links no mail, no pages and no other function's handlers.
package score

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/csv"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
)

// Deps are what the score function needs.
type Deps struct {
	Auth *auth.Resolver // Assessments only
	Bank *bank.Library
	Log  *slog.Logger
	// CORS is who may call from another origin (config.Config.CORSOrigins).
	CORS httpapi.CORS
	// Edge is what CloudFront adds in front of the API (config.Config.Edge).
	Edge config.Edge
	// Deadline bounds each request (config.Config.RequestTimeout).
	Deadline time.Duration
}

// New returns the function's router. The auth middleware has loaded the
// assessment (one Query) before a handler runs.
func New(d Deps) *httpapi.Router {
	return httpapi.MustRouter(routes.FnScore, map[string]httpapi.Handler{
		"scoreAssessment": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Score, error) {
			a := req.Principal.Assessment
			b, err := assessment.BankOf(d.Bank, a)
			if err != nil {
				return api.Score{}, err
			}
			r := assessment.Report(b, a)
			// A health-check or re-assessed self-review shows its change
			// since the assessment it was copied from (one more Query).
			if r.Trend, err = assessment.TrendOf(ctx, d.Auth.Assessments, b, a); err != nil {
				return api.Score{}, err
			}
			return api.ScoreOf(r), nil
		}),
		"viewReport": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Score, error) {
			a := req.Principal.Assessment
			b, err := assessment.BankOf(d.Bank, a)
			if err != nil {
				return api.Score{}, err
			}
			r := assessment.ViewerReport(b, a)
			if r.Trend, err = assessment.TrendOf(ctx, d.Auth.Assessments, b, a); err != nil {
				return api.Score{}, err
			}
			return api.ScoreOf(r), nil
		}),
		"scoreAssessmentCSV": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			a := req.Principal.Assessment
			b, err := assessment.BankOf(d.Bank, a)
			if err != nil {
				return nil, err
			}
			l := req.Language()
			return httpapi.InLanguage(httpapi.Attachment(csv.ContentType, csv.AssessmentFilename, csv.Assessment(l, b.In(l), a)), l), nil
		},
	}, httpapi.Options{Log: d.Log, Auth: d.Auth, Deadline: d.Deadline, CORS: d.CORS, Edge: d.Edge})
}
