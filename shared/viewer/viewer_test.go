package viewer

import (
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
)

// The sharer's date: blank is 30 days, today and a year ahead are the
// bounds, and the link stops at the start of the day after (UTC).
func TestExpiry(t *testing.T) {
	now := time.Date(2026, 12, 2, 15, 4, 5, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name string
		in   Input
		want time.Time // zero: refused
	}{
		{"blank: 30 days", Input{}, day(2027, 1, 2)},
		{"today: to its end", Input{Expires: "2026-12-02"}, day(2026, 12, 3)},
		{"a year ahead", Input{Expires: "2027-12-02"}, day(2027, 12, 3)},
		{"day, month and year", Input{Day: "31", Month: "3", Year: "2027"}, day(2027, 4, 1)},
		{"padded", Input{Day: " 5 ", Month: "01", Year: "2027"}, day(2027, 1, 6)},
		{"yesterday", Input{Expires: "2026-12-01"}, time.Time{}},
		{"a year and a day", Input{Expires: "2027-12-03"}, time.Time{}},
		{"not a date", Input{Day: "30", Month: "2", Year: "2027"}, time.Time{}},
		{"words", Input{Day: "first", Month: "March", Year: "2027"}, time.Time{}},
		{"month missing", Input{Day: "1", Year: "2027"}, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Normalise()
			got, err := in.Expiry(now)
			if tc.want.IsZero() {
				if fe, ok := failure.As(err); !ok || fe.Code != failure.Invalid || len(fe.Fields) != 1 || fe.Fields[0].Field != ExpiryField {
					t.Errorf("got %v, %v; want invalid naming %s", got, err, ExpiryField)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
			l := Link{Expires: got}
			if !l.Live(got.Add(-time.Nanosecond)) || l.Live(got) {
				t.Errorf("live: want true up to %v and false from it", got)
			}
		})
	}
}

// A refused date and a long label are said in English as before and in
// Welsh from the catalogue, the latest date written the Welsh way.
func TestRefusalsSayThemselvesInWelsh(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 2, 15, 4, 5, 0, time.UTC)
	long := make([]byte, MaxLabel+1)
	for i := range long {
		long[i] = 'a'
	}
	for _, tc := range []struct {
		name   string
		err    error
		en, cy string
	}{
		{"a year and a day", func() error { _, err := Input{Expires: "2027-12-03"}.Expiry(now); return err }(),
			"The date the link stops working must be within a year: 2 December 2027 or earlier",
			"Rhaid i’r dyddiad y mae’r ddolen yn stopio gweithio fod o fewn blwyddyn: 2 Rhagfyr 2027 neu’n gynt"},
		{"yesterday", func() error { _, err := Input{Expires: "2026-12-01"}.Expiry(now); return err }(),
			"The date the link stops working must be today or in the future",
			"Rhaid i’r dyddiad y mae’r ddolen yn stopio gweithio fod heddiw neu yn y dyfodol"},
		{"long label", Input{Label: string(long)}.Validate(now),
			"Who the link is for must be 100 characters or fewer",
			"Rhaid i’r maes ‘Ar gyfer pwy mae’r ddolen’ fod yn 100 nod neu lai"},
	} {
		fe, ok := failure.As(tc.err)
		if !ok || len(fe.Fields) != 1 || fe.Fields[0].Text == nil {
			t.Fatalf("%s: got %v, want one field said from the catalogue", tc.name, tc.err)
		}
		f := fe.Fields[0]
		if f.Message != tc.en {
			t.Errorf("%s: English:\n got %q\nwant %q", tc.name, f.Message, tc.en)
		}
		if got := f.Text.In(locale.Welsh); got != tc.cy {
			t.Errorf("%s: Welsh:\n got %q\nwant %q", tc.name, got, tc.cy)
		}
	}
}
