package lambdas

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
)

// Compare is the compare function: read-only views of a partnership.
func Compare(d Deps) *httpapi.Router {
	comparison := func(ctx context.Context, req *httpapi.Request) (api.Comparison, error) {
		n := 0
		if s := req.Query("round"); s != "" {
			var err error
			if n, err = roundParam(s); err != nil {
				return api.Comparison{}, err
			}
		}
		return d.Partnerships.Compare(ctx, req.Param("id"), req.BearerToken(), n)
	}
	return httpapi.MustRouter(routes.FnCompare, map[string]httpapi.Handler{
		"getPartnership": httpapi.Reply(http.StatusOK, func(ctx context.Context, req *httpapi.Request) (api.Partnership, error) {
			return d.Partnerships.Get(ctx, req.Param("id"), req.BearerToken())
		}),
		"getComparison": httpapi.Reply(http.StatusOK, comparison),
		"getComparisonCSV": func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
			out, err := comparison(ctx, req)
			if err != nil {
				return nil, err
			}
			return CSV(fmt.Sprintf("rasp-comparison-round-%d.csv", out.Round), ComparisonCSV(out)), nil
		},
	}, d.Log)
}

// ComparisonCSV is one row per question and council.
func ComparisonCSV(c api.Comparison) string {
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	_ = w.Write([]string{"round", "area", "question_id", "question", "council", "score", "spread", "status"})
	for _, q := range c.Questions {
		for _, council := range c.Councils {
			score := "dont_know"
			if s := q.Scores[council]; s != nil {
				score = fmt.Sprint(*s)
			}
			_ = w.Write([]string{fmt.Sprint(c.Round), q.Area, q.ID, q.Text, safeCell(council), score, fmt.Sprint(q.Spread), q.Status})
		}
	}
	w.Flush()
	return sb.String()
}
