package lambdas

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/reminders"
)

// The stop link of an action reminder, through the web function's pages:
// GET shows the confirm form and changes nothing; POST stops that
// recipient's reminders about that action, and a one-click POST the
// administrator's; neither stops the other.
func TestActionStopPages(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	d, clock := remindersDeps(t, now.Add(-30*24*time.Hour))
	ctx := context.Background()
	p, err := d.Partnerships.Create(ctx, partnership.CreateInput{Name: "West London shared legal", Form: "collaborate", CadenceMonths: 12,
		ContactEmail: "admin@partnership.gov.uk", Councils: []partnership.SeatInput{{Name: "Ealing", Email: "ealing@council.gov.uk"}, {Name: "Hounslow"}}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	pr, err := d.Auth.Partnership(ctx, p.ID, p.AdminToken)
	if err != nil {
		t.Fatal(err)
	}
	title, due, seats := "Agree one case management system", now.AddDate(0, 0, 7).Format(action.DateLayout), []string{p.Seats[0].Seat}
	a, err := d.Partnerships.CreateAction(ctx, pr.Partnership, partnership.ActorOf(pr.Partnership, partnership.AdminAccess, ""),
		action.Input{Title: &title, Due: &due, OwnerSeats: &seats}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	*clock = now
	if _, err := d.Reminders.Run(ctx, now); err != nil {
		t.Fatal(err)
	}
	links := outbox(t, d)
	seatLink, adminLink := links["ealing@council.gov.uk"], links["admin@partnership.gov.uk"]
	if !strings.HasPrefix(seatLink, baseURL+"/partnerships/"+p.ID+"/actions/"+a.ID+"/stop-reminders?") || adminLink == "" {
		t.Fatalf("stop links: %v", links)
	}
	stopped := func(link string) bool {
		u, _ := url.Parse(link)
		s, err := d.Reminders.CheckStopAction(ctx, p.ID, a.ID, u.Query().Get("for"), u.Query().Get("token"))
		if err != nil {
			t.Fatalf("check stop: %v", err)
		}
		return s
	}
	rt := webRouter(t, d)
	u, _ := url.Parse(seatLink)
	checkPage(t, "GET", page(t, rt, "GET", seatLink, nil, ""), http.StatusOK, `<form method="post" action="stop-reminders"`,
		`<input type="hidden" name="for" value="`+u.Query().Get("for")+`">`, `>Stop reminders</button>`)
	if stopped(seatLink) {
		t.Fatal("GET stopped the reminders")
	}
	checkPage(t, "GET, another recipient", page(t, rt, "GET", strings.Replace(seatLink, "for="+u.Query().Get("for"), "for="+reminders.AdminRecipient, 1), nil, ""), http.StatusNotFound, "This link is not valid")
	form := url.Values{"token": {u.Query().Get("token")}, "for": {u.Query().Get("for")}}.Encode()
	resp := page(t, rt, "POST", baseURL+"/partnerships/"+p.ID+"/actions/"+a.ID+"/stop-reminders", map[string]string{"origin": baseURL, "sec-fetch-site": "same-origin",
		"content-type": "application/x-www-form-urlencoded"}, form)
	checkPage(t, "POST", resp, http.StatusOK, "You will not get more reminders")
	if !stopped(seatLink) || stopped(adminLink) {
		t.Errorf("after the seat's POST: seat stopped %v, admin stopped %v; want true, false", stopped(seatLink), stopped(adminLink))
	}
	checkPage(t, "one-click POST", page(t, rt, "POST", adminLink, map[string]string{"content-type": "application/x-www-form-urlencoded"}, "List-Unsubscribe=One-Click"), http.StatusOK)
	if !stopped(adminLink) {
		t.Error("one-click POST did not stop the admin's reminders")
	}
	// Nobody left to tell: the overdue reminder is recorded, not mailed.
	later := now.AddDate(0, 0, 9)
	*clock = later
	if rep, err := d.Reminders.Run(ctx, later); err != nil || rep.Sent != 0 {
		t.Errorf("overdue run: %+v, %v; want nothing sent", rep, err)
	}
}
