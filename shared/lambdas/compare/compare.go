// Package compare is the compare function: a partnership's rounds and the
// comparison of a round, as JSON and as CSV. It reads only: its store is the
// auth package's loader, and the comparison is computed from the one Query
// that proved the credential.
package compare

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/csv"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/listpage"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/scoring"
)

// Deps are what the compare function needs.
type Deps struct {
	Auth *auth.Resolver // Partnerships only
	Bank *bank.Library
	Log  *slog.Logger
	// CORS is who may call from another origin (config.Config.CORSOrigins).
	CORS httpapi.CORS
	// Edge is what CloudFront adds in front of the API (config.Config.Edge).
	Edge config.Edge
	// Deadline bounds each request (config.Config.RequestTimeout).
	Deadline time.Duration
}

// New returns the function's router.
func New(d Deps) *httpapi.Router {
	comparison := func(req *httpapi.Request) (scoring.Comparison, error) {
		n, err := partnership.ParseRound(req.Query("round"))
		if err != nil {
			return scoring.Comparison{}, err
		}
		return partnership.CompareFor(d.Bank, req.Principal.Partnership, req.Principal.Access(), req.Principal.Member, n, d.Auth.Now())
	}
	return httpapi.MustRouter(routes.FnCompare, map[string]httpapi.Handler{
		"listComparisonViewers": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Viewers, error) {
			return api.ViewersOf(req.Principal.Partnership.Viewers, d.Auth.Now()), nil
		}),
		"viewComparison": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Comparison, error) {
			// What a member council sees of the link's one round: sealed
			// until it unseals, shared notes only.
			c, err := partnership.ViewerComparison(d.Bank, req.Principal.Partnership, req.Principal.Viewer.Round, d.Auth.Now())
			return api.ComparisonOf(c), err
		}),
		"getPartnership": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Partnership, error) {
			out := api.PartnershipOf(req.Principal.Visible())
			if req.Principal.Access() == partnership.AdminAccess {
				out.Admins = api.AdminsOf(req.Principal.Partnership, req.Principal.AdminID)
			}
			return out, nil
		}),
		"getComparison": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Comparison, error) {
			c, err := comparison(req)
			return api.ComparisonOf(c), err
		}),
		"getComparisonCSV": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			c, err := comparison(req)
			if err != nil {
				return nil, err
			}
			return httpapi.InLanguage(httpapi.Attachment(csv.ContentType, csv.ComparisonFilename(c.Round), csv.Comparison(req.Language(), c)), req.Language()), nil
		},
		"listActions": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.JointActions, error) {
			p := req.Principal.Partnership
			if _, err := partnership.ReadActions(p, req.Principal.Access()); err != nil {
				return api.JointActions{}, err
			}
			n, err := partnership.ParseRound(req.Query("round"))
			if err != nil {
				return api.JointActions{}, err
			}
			page, err := listpage.Parse(req.Query("limit"), req.Query("cursor"))
			if err != nil {
				return api.JointActions{}, err
			}
			if _, ok := p.Round(n); n != 0 && !ok {
				return api.JointActions{}, failure.Said(failure.NotFound, "error.partnership.round.none", "Round", n)
			}
			out := api.RegisterOf(d.Bank, p, req.Principal.Actor(), n, d.Auth.Now())
			actions, next, err := listpage.Of(out.Actions, func(a api.JointAction) string { return a.ID }, page)
			if err != nil {
				return api.JointActions{}, err
			}
			out.Actions = actions
			if next != "" {
				out.Next = &next
			}
			return out, nil
		}),
		"getActionsCSV": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			p := req.Principal.Partnership
			as, err := partnership.ReadActions(p, req.Principal.Access())
			if err != nil {
				return nil, err
			}
			return httpapi.InLanguage(httpapi.Attachment(csv.ContentType, csv.ActionsFilename, csv.Actions(req.Language(), p, as, d.Auth.Now())), req.Language()), nil
		},
		"getAction": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.JointAction, error) {
			p := req.Principal.Partnership
			if _, err := partnership.ReadActions(p, req.Principal.Access()); err != nil {
				return api.JointAction{}, err
			}
			a, ok := p.Action(req.Param("action"))
			if !ok {
				return api.JointAction{}, failure.New(failure.NotFound, "The partnership has no such action.")
			}
			return api.JointActionOf(p, a, req.Principal.Actor(), d.Auth.Now()), nil
		}),
		"getWorkshopCSV": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			c, err := comparison(req)
			if err != nil {
				return nil, err
			}
			if c.Board == nil { // a prospective partner's own view: no partners' workshop
				return nil, failure.New(failure.Forbidden, "The workshop pack is for the partnership's members.")
			}
			l := req.Language()
			return httpapi.InLanguage(httpapi.Attachment(csv.ContentType, csv.WorkshopFilename(c.Round), csv.Workshop(l, d.Bank.Current().In(l), c)), l), nil
		},
	}, httpapi.Options{Log: d.Log, Auth: d.Auth, Deadline: d.Deadline, CORS: d.CORS, Edge: d.Edge})
}
