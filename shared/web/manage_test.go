package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
)

// The admin's seat pages: add a council (invitation shown once; a twin of
// a name refused on the name field with the input kept), rename it,
// withdraw it; the log of acts is on the page members see.
func TestSeatManagementPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: "West London", Form: "collaborate", CadenceMonths: 12,
		Councils: []partnership.SeatInput{{Name: "Brent"}, {Name: "Ealing"}}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	admin := "rasp_p_" + p.ID + "=" + p.AdminToken
	base := "/partnerships/" + p.ID
	if r := e.request("GET", base+"/seats/new", nil, "Cookie", admin); r.status != http.StatusOK || !strings.Contains(r.body, "Add a member council") {
		t.Fatalf("new seat form: %d\n%.600s", r.status, r.body)
	}
	if r := e.request("GET", base+"/seats/new", nil); r.status != http.StatusUnauthorized && r.status != http.StatusNotFound {
		t.Errorf("new seat form without the admin cookie: got %d", r.status)
	}
	before := e.itemCount()
	r := e.request("POST", base+"/seats/new", url.Values{"name": {" bre\u200bnt "}, "email": {"lead at brent"}}, "Cookie", admin)
	body := html.UnescapeString(r.body)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#name"`) || !strings.Contains(body, "already a member council") ||
		!strings.Contains(r.body, `id="name-error"`) || !strings.Contains(r.body, `href="#email"`) {
		t.Errorf("twin of Brent: status %d\n%s", r.status, r.body[strings.Index(r.body, "<main"):])
	}
	if got := e.itemCount(); got != before {
		t.Errorf("a refused seat wrote %d items", got-before)
	}
	r = e.request("POST", base+"/seats/new", url.Values{"name": {"Hounslow"}, "gssCode": {"E09000018"}}, "Cookie", admin)
	if r.status != http.StatusOK || !regexp.MustCompile(`/partnerships/[a-z2-7]{26}/seats/[a-z2-7]{26}/invitation\?token=`).MatchString(r.body) {
		t.Fatalf("add Hounslow: %d\n%.800s", r.status, r.body)
	}
	loaded, err := e.deps.Store.LoadPartnership(ctx, p.ID)
	if err != nil || len(loaded.Seats) != 3 {
		t.Fatalf("seats after adding: %v %+v", err, loaded)
	}
	hounslow := loaded.Seats[2]
	manage := base + "/seats/" + hounslow.ID
	r = e.request("GET", base, nil, "Cookie", admin)
	if !strings.Contains(r.body, manage+"/manage") || !strings.Contains(r.body, base+"/seats/new") {
		t.Errorf("partnership page has no links to manage seats\n%.1500s", r.body)
	}
	if r := e.request("GET", manage+"/manage", nil, "Cookie", admin); r.status != http.StatusOK || !strings.Contains(r.body, `value="Hounslow"`) {
		t.Fatalf("manage page: %d\n%.800s", r.status, r.body)
	}
	// Rename to a taken name: the error on the field, the input kept.
	r = e.request("POST", manage+"/rename", url.Values{"name": {"EALING"}}, "Cookie", admin)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#name"`) || !strings.Contains(r.body, `value="EALING"`) {
		t.Errorf("rename to a taken name: %d\n%.1200s", r.status, r.body)
	}
	if r := e.request("POST", manage+"/rename", url.Values{"name": {"London Borough of Hounslow"}}, "Cookie", admin); r.status != http.StatusSeeOther && r.status != http.StatusFound {
		t.Errorf("rename: %d\n%.600s", r.status, r.body)
	}
	// Withdraw asks first whether to erase; then withdraws.
	if r := e.request("POST", manage+"/withdraw", url.Values{}, "Cookie", admin); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#erase"`) {
		t.Errorf("withdraw without a choice: %d\n%.900s", r.status, r.body)
	}
	if r := e.request("POST", manage+"/withdraw", url.Values{"erase": {"no"}}, "Cookie", admin); r.status != http.StatusSeeOther && r.status != http.StatusFound {
		t.Errorf("withdraw: %d\n%.600s", r.status, r.body)
	}
	// A member council's lead sees the log too, on its own partnership page.
	seat, err := e.deps.Auth.Seat(ctx, p.ID, p.Seats[0].Seat, p.Seats[0].Token)
	if err != nil {
		t.Fatal(err)
	}
	brent, err := e.deps.Assessments.StartForSeat(ctx, seat.SeatJoin(), assessment.SeatStartInput{Respondent: assessment.Respondent{Name: "Sam", Role: "Lead"}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	r = e.request("GET", "/assessments/"+brent.ID+"/partnership", nil, "Cookie", "rasp_a_"+brent.ID+"="+brent.Token)
	body = html.UnescapeString(r.body)
	if strings.Contains(r.body, "/manage") || strings.Contains(r.body, "/seats/new") {
		t.Errorf("a member's page offers the admin's seat links\n%.1500s", r.body)
	}
	for _, want := range []string{"What the administrator has done", "Added Hounslow as a member council", "Renamed Hounslow to London Borough of Hounslow", "Withdrew London Borough of Hounslow"} {
		if !strings.Contains(body, want) {
			t.Errorf("partnership page lacks %q\n%.2500s", want, r.body)
		}
	}
}
