package lambdas

import (
	"context"
	"net/http"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/csv"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/scoring"
)

// Compare is the compare function: read-only views of a partnership.
func Compare(d Deps) *httpapi.Router {
	comparison := func(ctx context.Context, req *httpapi.Request) (scoring.Comparison, error) {
		n := 0
		if s := req.Query("round"); s != "" {
			var err error
			if n, err = roundParam(s); err != nil {
				return scoring.Comparison{}, err
			}
		}
		return d.Partnerships.Compare(ctx, req.Param("id"), req.BearerToken(), n)
	}
	return httpapi.MustRouter(routes.FnCompare, map[string]httpapi.Handler{
		"getPartnership": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Partnership, error) {
			p, err := d.Partnerships.Get(ctx, req.Param("id"), req.BearerToken())
			if err != nil {
				return api.Partnership{}, err
			}
			return api.PartnershipOf(p), nil
		}),
		"getComparison": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Comparison, error) {
			c, err := comparison(ctx, req)
			return api.ComparisonOf(c), err
		}),
		"getComparisonCSV": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			out, err := comparison(ctx, req)
			if err != nil {
				return nil, err
			}
			return CSV(csv.ComparisonFilename(out.Round), csv.Comparison(out)), nil
		},
	}, d.Log)
}
