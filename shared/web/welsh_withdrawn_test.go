package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
)

// TestWithdrawnCouncilInTheReadersLanguage: a council withdrawn after
// round 1 stays in round 1's comparison labelled as withdrawn, in Welsh on
// the Welsh pages and CSVs (comparison, board, workshop, the partnership
// page, the register and an action it owns) and in English on the English
// comparison, as the API's is (shared/lambdas' TestManageSeats).
func TestWithdrawnCouncilInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sp := e.seatedPartnership(map[string]int{"Cyngor Gwynedd": 4, "Cyngor Sir Ynys Môn": 0, "Cyngor Conwy": 2}, "Cyngor Gwynedd", "Cyngor Sir Ynys Môn", "Cyngor Conwy")
	p, err := e.deps.Store.LoadPartnership(ctx, sp.id)
	if err != nil {
		t.Fatal(err)
	}
	title, due := "Cytuno ar un cynllun cyfathrebu", "2027-03-31"
	owners := []string{sp.seats["Cyngor Conwy"]}
	a, err := e.deps.Partnerships.CreateAction(ctx, p, partnership.Actor{Access: partnership.AdminAccess, Name: partnership.AdminName},
		action.Input{Title: &title, Due: &due, OwnerSeats: &owners}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.deps.Partnerships.WithdrawSeat(ctx, p, partnership.AdminAccess, sp.seats["Cyngor Conwy"], false); err != nil {
		t.Fatal(err)
	}
	fragments := englishFragments(t)
	const welsh, english = "Cyngor Conwy (wedi tynnu’n ôl)", "Cyngor Conwy (withdrawn)"
	base := "/partnerships/" + sp.id
	cy := []string{"Cookie", sp.admin, "Accept-Language", "cy"}
	for _, tc := range []struct{ name, path string }{
		{"comparison", base + "/comparison?round=1"},
		{"board", base + "/board?round=1"},
		{"workshop", base + "/workshop?round=1"},
		{"partnership", base},
		{"register", base + "/actions"},
		{"action", base + "/actions/" + a.ID},
	} {
		welshPage(t, tc.name, e.request("GET", tc.path, nil, cy...), http.StatusOK, fragments, welsh)
	}
	for _, path := range []string{base + "/workshop.csv?round=1", base + "/actions.csv"} {
		r := e.request("GET", path, nil, cy...)
		if r.status != http.StatusOK || !strings.Contains(r.body, welsh) || strings.Contains(r.body, "withdrawn") {
			t.Errorf("%s in Welsh: status %d, want %q and no English label\n%.1500s", path, r.status, welsh, r.body)
		}
	}
	r := e.request("GET", base+"/comparison?round=1", nil, "Cookie", sp.admin)
	if r.status != http.StatusOK || !strings.Contains(r.body, english) || strings.Contains(r.body, "tynnu’n ôl") {
		t.Errorf("comparison in English: status %d, want %q", r.status, english)
	}
}
