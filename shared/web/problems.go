package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
)

// problemPage explains one problem type of the API (docs/design.md D3): a
// problem's type URI is this page's address, so a developer who meets one
// can open it.
type problemPage struct {
	Type, Meaning, Do string
}

// problemPages are the types explained, each with a meaning and what a
// client should do in the catalogues: problem.page.<type>.meaning and .do.
var problemPages = []string{"bad-request", "invalid", "unauthorized", "forbidden", "not-found", "method-not-allowed", "conflict",
	"sealed", "stale", "already-submitted", "precondition-failed", "too-large", "unsupported-media-type", "rate-limited",
	"unavailable", "internal"}

func (s *Site) problemType(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	name := req.Param("kind")
	if !slices.Contains(problemPages, name) {
		return s.notFound(ctx, req), nil
	}
	key := "problem.page." + name // TestEveryProblemTypeHasItsPage checks each has its texts
	p := problemPage{Type: failure.TypePrefix + name, Meaning: tr(req, key+".meaning"), Do: tr(req, key+".do")}
	r := s.render(ctx, req, http.StatusOK, "problem-type", &page{Title: tr(req, "problem.page.title", "Type", name), Data: p})
	r.Headers["cache-control"] = "public, max-age=86400"
	return r, nil
}
