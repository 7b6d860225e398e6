package partnership

import (
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/failure"
)

// A deadline is a date at least 8 days and at most 6 months ahead (UTC);
// the round closes at the start of the day after it. Day, month and year
// from the page fold into the same date.
func TestDeadlineCloses(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 2, 17, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		in   DeadlineInput
		want time.Time
		err  string
	}{
		{"none", DeadlineInput{}, time.Time{}, ""},
		{"8 days ahead", DeadlineInput{Date: "2026-12-10"}, time.Date(2026, 12, 11, 0, 0, 0, 0, time.UTC), ""},
		{"6 months ahead", DeadlineInput{Date: "2027-06-02"}, time.Date(2027, 6, 3, 0, 0, 0, 0, time.UTC), ""},
		{"day, month and year", DeadlineInput{Day: "14", Month: "1", Year: "2027"}, time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC), ""},
		{"yesterday", DeadlineInput{Date: "2026-12-01"}, time.Time{}, "must be in the future"},
		{"today", DeadlineInput{Date: "2026-12-02"}, time.Time{}, "at least 8 days ahead, so councils are reminded a week before: 10 December 2026 or later"},
		{"7 days ahead", DeadlineInput{Date: "2026-12-09"}, time.Time{}, "at least 8 days ahead"},
		{"over 6 months", DeadlineInput{Date: "2027-06-03"}, time.Time{}, "within 6 months: 2 June 2027 or earlier"},
		{"not a real date", DeadlineInput{Day: "30", Month: "2", Year: "2027"}, time.Time{}, "must be a real date"},
		{"words", DeadlineInput{Date: "soon"}, time.Time{}, "written in numbers"},
		{"no year", DeadlineInput{Day: "14", Month: "1"}, time.Time{}, "must include a day, month and year"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.in.Normalise()
			got, err := c.in.Closes(now)
			if c.err == "" && (err != nil || !got.Equal(c.want)) {
				t.Fatalf("got %v, %v; want %v", got, err, c.want)
			}
			if c.err != "" && (err == nil || !strings.Contains(err.Error()+fieldMessages(err), c.err)) {
				t.Fatalf("got %v, %v; want an error saying %q", got, err, c.err)
			}
		})
	}
}

func fieldMessages(err error) string {
	var b strings.Builder
	if fe, ok := failure.As(err); ok {
		for _, f := range fe.Fields {
			if f.Field != DeadlineField {
				return "wrong field " + f.Field
			}
			b.WriteString(f.Message)
		}
	}
	return b.String()
}

// The job looks at an open round at its next event: the nudge 14 days
// after opening, the reminder a week before the deadline, the deadline.
func TestRoundNextEvent(t *testing.T) {
	t.Parallel()
	opened := time.Date(2036, 12, 1, 9, 0, 0, 0, time.UTC)
	closes := time.Date(2036, 12, 13, 0, 0, 0, 0, time.UTC)
	with := Round{OpenedAt: opened, Deadline: closes}
	without := Round{OpenedAt: opened}
	cases := []struct {
		r     Round
		after time.Time
		want  time.Time
	}{
		{with, opened, closes.Add(-DeadlineNotice)},
		{with, closes.Add(-DeadlineNotice), closes},
		{with, closes, opened.Add(NudgeAfter)},
		{with, opened.Add(NudgeAfter), time.Time{}},
		{without, opened, opened.Add(NudgeAfter)},
		{without, opened.Add(NudgeAfter), time.Time{}},
	}
	for _, c := range cases {
		got, ok := c.r.NextEvent(c.after)
		if !got.Equal(c.want) || ok == c.want.IsZero() {
			t.Errorf("after %s (deadline %v): got %s %v, want %s", c.after, c.r.Deadline, got, ok, c.want)
		}
	}
}
