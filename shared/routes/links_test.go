package routes_test

import (
	"net/url"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/viewer"
)

// The domain builds the links its mails carry without the route table
// (which carries the API's shapes, and the domain must not import them).
// Each must still land, through the router, on the route named for it,
// with the token in the query of a route that exchanges it.
func TestDomainLinksLandOnTheirRoutes(t *testing.T) {
	t.Parallel()
	const base = "https://rasp.example"
	for _, tc := range []struct {
		link string
		want string
	}{
		{assessment.ResumeLink(base, "a1", "tok"), "webResume"},
		{assessment.ColleagueLink(base, "a1", "c1", "tok"), "webRespondentResume"},
		{partnership.AdminLink(base, "p1", "tok"), "webPartnershipAdmin"},
		{partnership.InvitationLink(base, "p1", "s1", "tok"), "webSeatInvitation"},
		{viewer.LinkFor(base, viewer.Owner{Subject: viewer.Report, ID: "a1"}, viewer.Shared{ID: "v1", Token: "tok"}), "webReportViewerResume"},
		{viewer.LinkFor(base, viewer.Owner{Subject: viewer.Comparison, ID: "p1"}, viewer.Shared{ID: "v1", Token: "tok"}), "webComparisonViewerResume"},
	} {
		u, err := url.Parse(tc.link)
		if err != nil || u.Scheme+"://"+u.Host != base {
			t.Errorf("%s: not a link on %s (%v)", tc.link, base, err)
			continue
		}
		r, _, ok := routes.Match(routes.Table(), "GET", u.EscapedPath())
		if !ok || r.Name != tc.want {
			t.Errorf("%s: lands on %q, want %q", tc.link, r.Name, tc.want)
			continue
		}
		if !r.TokenInQuery || u.Query().Get("token") != "tok" {
			t.Errorf("%s: the route %s must take the token from the query, and the link must carry it", tc.link, r.Name)
		}
	}
}
