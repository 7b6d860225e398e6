package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
)

// The admin opens a health-check round with a deadline from the
// partnership page: a bad date is shown on the date input, with what was
// typed kept and nothing opened; a good one is shown on the admin's and
// the member's partnership pages and on the sealed comparison.
func TestOpenRoundWithDeadlinePage(t *testing.T) {
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
	if r := e.request("GET", base, nil, "Cookie", admin); !strings.Contains(r.body, `id="deadline-day"`) || !strings.Contains(r.body, `name="deadline-year"`) {
		t.Fatalf("the admin's page has no deadline on the open-round form\n%.3000s", r.body)
	}
	today := time.Now().UTC()
	past, soon, far := today.AddDate(0, 0, -1), today.AddDate(0, 0, 3), today.AddDate(0, 7, 0)
	date := func(d time.Time) url.Values {
		return url.Values{"after": {"1"}, "deadline-day": {d.Format("2")}, "deadline-month": {d.Format("1")}, "deadline-year": {d.Format("2006")}}
	}
	before := e.itemCount()
	for _, c := range []struct {
		name string
		form url.Values
		want string
	}{
		{"past", date(past), "The deadline must be in the future"},
		{"too soon", date(soon), "The deadline must be at least 8 days ahead"},
		{"too far", date(far), "The deadline must be within 6 months"},
		{"malformed", url.Values{"after": {"1"}, "deadline-day": {"31"}, "deadline-month": {"two"}, "deadline-year": {"2027"}}, "The deadline must be written in numbers"},
		{"incomplete", url.Values{"after": {"1"}, "deadline-day": {"31"}}, "The deadline must include a day, month and year"},
	} {
		r := e.request("POST", base+"/rounds", c.form, "Cookie", admin)
		body := html.UnescapeString(r.body)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `href="#deadline-day"`) || !strings.Contains(body, c.want) ||
			!strings.Contains(r.body, `id="deadline-error"`) || !strings.Contains(r.body, `value="`+c.form.Get("deadline-day")+`"`) ||
			!strings.Contains(r.body, `value="`+c.form.Get("deadline-month")+`"`) {
			t.Errorf("%s: status %d, want 422 with %q on the date, input kept\n%s", c.name, r.status, c.want, r.body[strings.Index(r.body, "<main"):])
		}
	}
	if got := e.itemCount(); got != before {
		t.Fatalf("refused deadlines wrote %d items", got-before)
	}
	deadline := today.AddDate(0, 0, 30)
	if r := e.request("POST", base+"/rounds", date(deadline), "Cookie", admin); r.status != http.StatusSeeOther && r.status != http.StatusFound {
		t.Fatalf("open with a deadline: %d\n%.600s", r.status, r.body)
	}
	closes := "The round closes at the end of " + deadline.Format("2 January 2006")
	r := e.request("GET", base, nil, "Cookie", admin)
	if !strings.Contains(html.UnescapeString(r.body), closes) || !strings.Contains(r.body, `id="deadline-2"`) {
		t.Errorf("the admin's page does not say %q\n%.4000s", closes, r.body)
	}
	seat, err := e.deps.Auth.Seat(ctx, p.ID, p.Seats[0].Seat, p.Seats[0].Token)
	if err != nil {
		t.Fatal(err)
	}
	brent, err := e.deps.Assessments.StartForSeat(ctx, seat.SeatJoin(), assessment.SeatStartInput{Respondent: assessment.Respondent{Name: "Sam", Role: "Lead"}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	member := "rasp_a_" + brent.ID + "=" + brent.Token
	if r := e.request("GET", "/assessments/"+brent.ID+"/partnership", nil, "Cookie", member); !strings.Contains(html.UnescapeString(r.body), closes) {
		t.Errorf("the member's page does not say %q\n%.4000s", closes, r.body)
	}
	r = e.request("GET", base+"/comparison?round=2", nil, "Cookie", admin)
	if !strings.Contains(html.UnescapeString(r.body), "Round 2 closes at the end of "+deadline.Format("2 January 2006")) || !strings.Contains(r.body, `id="sealed-deadline"`) {
		t.Errorf("the sealed comparison does not give the deadline: %d\n%.3000s", r.status, r.body)
	}
}
