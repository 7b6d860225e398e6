package reminders

import (
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/partnership"
)

var day = 24 * time.Hour

func TestDraftPlan(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		untouched time.Duration
		sent      int
		email     string
		stopped   bool
		wantKind  Kind
		wantSent  int
		wantNext  time.Duration // from last touched
	}{
		{"6 days: not yet", 6 * day, 0, "a@b.uk", false, "", 0, 7 * day},
		{"7 days: first", 7 * day, 0, "a@b.uk", false, DraftFirst, 1, 30 * day},
		{"29 days, first sent: wait", 29 * day, 1, "a@b.uk", false, "", 1, 30 * day},
		{"30 days, first sent: second", 30 * day, 1, "a@b.uk", false, DraftSecond, 2, 180 * day},
		{"30 days, none sent: second only", 30 * day, 0, "a@b.uk", false, DraftSecond, 2, 180 * day},
		{"both sent: only expiry", 90 * day, 2, "a@b.uk", false, "", 2, 180 * day},
		{"no address: only expiry", 10 * day, 0, "", false, "", 0, 180 * day},
		{"stopped: only expiry", 10 * day, 0, "a@b.uk", true, "", 0, 180 * day},
		{"touched since the first: wait for 30 days", 2 * day, 1, "a@b.uk", false, "", 1, 30 * day},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			last := now.Add(-c.untouched)
			d := &Draft{Email: c.email, Stopped: c.stopped, Sent: c.sent, LastTouched: last}
			kind, sent, next := draftPlan(d, now, last.Add(180*day))
			if kind != c.wantKind || sent != c.wantSent || !next.Equal(last.Add(c.wantNext)) {
				t.Errorf("got %q, sent %d, next +%v; want %q, sent %d, next +%v", kind, sent, next.Sub(last), c.wantKind, c.wantSent, c.wantNext)
			}
		})
	}
}

func TestFirstCheck(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name    string
		address bool
		want    time.Duration
	}{
		{"with an address: the first reminder", true, 7 * day},
		{"without: the draft's expiry", false, 180 * day},
	} {
		if got := FirstCheck(created, c.address).Sub(created); got != c.want {
			t.Errorf("%s: got +%v, want +%v", c.name, got, c.want)
		}
	}
}

func TestRoundDone(t *testing.T) {
	t.Parallel()
	opened := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d int) *time.Time { t := opened.Add(time.Duration(d) * day); return &t }
	member := func(council, status string, submitted *time.Time, prospective bool) partnership.Member {
		return partnership.Member{Council: council, Status: status, SubmittedAt: submitted, Prospective: prospective}
	}
	cases := []struct {
		name  string
		round partnership.Round
		want  *time.Time
	}{
		{"closed", partnership.Round{ClosedAt: at(40), Members: []partnership.Member{member("Brent", "draft", nil, false)}}, at(40)},
		{"open, nobody", partnership.Round{}, nil},
		{"open, one to go", partnership.Round{Members: []partnership.Member{member("Brent", "submitted", at(3), false), member("Lewisham", "draft", nil, false)}}, nil},
		{"open, all submitted", partnership.Round{Members: []partnership.Member{member("Brent", "submitted", at(3), false), member("Lewisham", "submitted", at(9), false)}}, at(9)},
		{"an abandoned second draft does not count", partnership.Round{Members: []partnership.Member{
			member("Brent", "submitted", at(3), false), member("brent ", "draft", nil, false), member("Lewisham", "submitted", at(5), false)}}, at(5)},
		{"a prospective partner does not hold it open", partnership.Round{Members: []partnership.Member{
			member("Brent", "submitted", at(3), false), member("Croydon", "draft", nil, true)}}, at(3)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := roundDone(&c.round)
			if (c.want == nil) != got.IsZero() || c.want != nil && !got.Equal(*c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}
