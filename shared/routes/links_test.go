package routes_test

import (
	"maps"
	"net/url"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/viewer"
)

// The links mails and replies carry land, through the router, on the
// route named for each, with the token in the query of a route that
// exchanges it. The domain is handed them through its own interfaces.
func TestLinksLandOnTheirRoutes(t *testing.T) {
	t.Parallel()
	const base = "https://rasp.example"
	links := routes.Links{Origin: base}
	var (
		_ assessment.Links  = links
		_ partnership.Links = links
	)
	for _, tc := range []struct {
		link   string
		want   string
		params routes.P
	}{
		{links.Resume("a1", "tok"), "webResume", routes.P{"id": "a1"}},
		{links.Colleague("a1", "c1", "tok"), "webRespondentResume", routes.P{"id": "a1", "respondent": "c1"}},
		{links.Admin("p1", "tok"), "webPartnershipAdmin", routes.P{"id": "p1"}},
		{links.Invitation("p1", "s1", "tok"), "webSeatInvitation", routes.P{"id": "p1", "seat": "s1"}},
		{links.Viewer(viewer.Owner{Subject: viewer.Report, ID: "a1"}, viewer.Shared{ID: "v1", Token: "tok"}), "webReportViewerResume", routes.P{"id": "a1", "viewer": "v1"}},
		{links.Viewer(viewer.Owner{Subject: viewer.Comparison, ID: "p1"}, viewer.Shared{ID: "v1", Token: "tok"}), "webComparisonViewerResume", routes.P{"id": "p1", "viewer": "v1"}},
	} {
		u, err := url.Parse(tc.link)
		if err != nil || u.Scheme+"://"+u.Host != base {
			t.Errorf("%s: not a link on %s (%v)", tc.link, base, err)
			continue
		}
		r, params, ok := routes.Match(routes.Table(), "GET", u.EscapedPath())
		if !ok || r.Name != tc.want {
			t.Errorf("%s: lands on %q, want %q", tc.link, r.Name, tc.want)
			continue
		}
		if !maps.Equal(params, map[string]string(tc.params)) {
			t.Errorf("%s: parameters %v, want %v", tc.link, params, tc.params)
		}
		if !r.TokenInQuery || u.Query().Get("token") != "tok" {
			t.Errorf("%s: the route %s must take the token from the query, and the link must carry it", tc.link, r.Name)
		}
	}
}
