package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
)

// The administrators' page: add one (the error summary with the input kept
// on bad input, the link shown once), the last one cannot be removed (the
// error on its button), and removing yourself ends your link.
func TestAdminPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: "West London", Form: "collaborate", CadenceMonths: 12,
		Councils: []partnership.SeatInput{{Name: "Brent"}}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	admin := "rasp_p_" + p.ID + "=" + p.AdminToken
	base := "/partnerships/" + p.ID
	if r := e.request("GET", base, nil, "Cookie", admin); !strings.Contains(r.body, base+"/admins") {
		t.Errorf("partnership page has no link to the administrators\n%.1500s", r.body)
	}
	if r := e.request("GET", base+"/admins", nil, "Cookie", admin); r.status != http.StatusOK || !strings.Contains(r.body, "Remove yourself") {
		t.Fatalf("administrators page: %d\n%.1200s", r.status, r.body)
	}
	// The only administrator cannot remove themself.
	r := e.request("POST", base+"/admins/first/remove", url.Values{}, "Cookie", admin)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#remove-first"`) || !strings.Contains(html.UnescapeString(r.body), "only administrator") {
		t.Errorf("remove the only admin: %d\n%.1500s", r.status, r.body)
	}
	before := e.itemCount()
	r = e.request("POST", base+"/admins", url.Values{"name": {"Priya Shah"}, "email": {"priya at ealing"}}, "Cookie", admin)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#email"`) || !strings.Contains(r.body, `value="Priya Shah"`) {
		t.Errorf("bad address: %d\n%.1500s", r.status, r.body)
	}
	if got := e.itemCount(); got != before {
		t.Errorf("a refused admin wrote %d items", got-before)
	}
	r = e.request("POST", base+"/admins", url.Values{"name": {"Priya Shah"}, "role": {"Head of ICT"}}, "Cookie", admin)
	link := regexp.MustCompile(`/partnerships/[a-z2-7]{26}/admin\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(r.body)
	if r.status != http.StatusOK || link == nil {
		t.Fatalf("add an admin: %d\n%.1200s", r.status, r.body)
	}
	successor := "rasp_p_" + p.ID + "=" + link[1]
	if r := e.request("GET", base+"/admins", nil, "Cookie", successor); r.status != http.StatusOK || !strings.Contains(r.body, "Priya Shah, Head of ICT") {
		t.Fatalf("the successor's page: %d\n%.1200s", r.status, r.body)
	}
	// Hand-over: the first admin removes themself.
	r = e.request("POST", base+"/admins/first/remove", url.Values{}, "Cookie", admin)
	if r.status != http.StatusOK || !strings.Contains(r.body, "You are no longer an administrator") {
		t.Fatalf("remove yourself: %d\n%.1200s", r.status, r.body)
	}
	if r := e.request("GET", base, nil, "Cookie", admin); r.status != http.StatusNotFound {
		t.Errorf("the removed admin's cookie: got %d, want 404", r.status)
	}
	if r := e.request("GET", base, nil, "Cookie", successor); r.status != http.StatusOK || !strings.Contains(r.body, "Removed an administrator") {
		t.Errorf("the successor's partnership page: %d, or no act logged", r.status)
	}
}
