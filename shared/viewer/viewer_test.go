package viewer

import (
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/failure"
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
