package partnership

import (
	"strconv"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/failure"
)

// A round may have a deadline (issue 15). The administrator picks a date
// when opening the round; councils may submit until the end of that day
// (UTC). The daily job (shared/reminders) then acts on the round at the
// times below, found through the due index and never by a scan: the
// partnership's entry is set to the earliest of them still ahead.

// When the daily job acts on an open round.
const (
	// NudgeAfter a round opened, members who have not submitted are nudged.
	NudgeAfter = 14 * 24 * time.Hour
	// DeadlineNotice before its deadline, every expected seat that has not
	// submitted is reminded, once per round.
	DeadlineNotice = 7 * 24 * time.Hour
	// MinDeadlineDays and MaxDeadlineMonths bound the date picked: far
	// enough ahead for the reminder a week before to have a place, near
	// enough to be a deadline.
	MinDeadlineDays   = 8
	MaxDeadlineMonths = 6
)

// DeadlineField is the field a deadline error names.
const DeadlineField = "deadline"

// DateLayout is how a deadline is written in the API.
const DateLayout = "2006-01-02"

// DeadlineInput is the deadline the administrator picks, either as one
// "YYYY-MM-DD" (API) or as day, month and year (the GOV.UK date input).
// Nothing given is no deadline.
type DeadlineInput struct {
	Date             string
	Day, Month, Year string
}

// Normalise folds day, month and year into Date.
func (in *DeadlineInput) Normalise() {
	d, m, y := strings.TrimSpace(in.Day), strings.TrimSpace(in.Month), strings.TrimSpace(in.Year)
	if d != "" || m != "" || y != "" {
		in.Date = y + "-" + pad2(m) + "-" + pad2(d)
		if d == "" || m == "" || y == "" {
			in.Date = "incomplete"
		}
	}
	in.Day, in.Month, in.Year = "", "", ""
	in.Date = strings.TrimSpace(in.Date)
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// Closes is when a round with this deadline closes, judged on today (UTC):
// the start of the day after the date picked, so councils have the whole
// day. It is zero when no date is given. The date must be at least
// MinDeadlineDays and at most MaxDeadlineMonths ahead; otherwise invalid,
// naming the deadline field.
func (in DeadlineInput) Closes(now time.Time) (time.Time, error) {
	if in.Date == "" {
		return time.Time{}, nil
	}
	bad := func(msg string) (time.Time, error) {
		return time.Time{}, deadlineError(failure.FieldError{Field: DeadlineField, Message: msg})
	}
	if in.Date == "incomplete" {
		return bad("The deadline must include a day, month and year")
	}
	d, err := time.Parse(DateLayout, in.Date)
	if err != nil {
		if _, perr := strconv.Atoi(strings.ReplaceAll(in.Date, "-", "")); perr != nil {
			return bad("The deadline must be written in numbers, for example 14 1 2027")
		}
		return bad("The deadline must be a real date")
	}
	today := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC)
	earliest, latest := today.AddDate(0, 0, MinDeadlineDays), today.AddDate(0, MaxDeadlineMonths, 0)
	switch {
	case d.Before(today):
		return bad("The deadline must be in the future")
	case d.Before(earliest):
		return time.Time{}, deadlineError(failure.Quoting(DeadlineField, "error.partnership.deadline.soon", "Days", MinDeadlineDays, "Date", earliest))
	case d.After(latest):
		return time.Time{}, deadlineError(failure.Quoting(DeadlineField, "error.partnership.deadline.far", "Months", MaxDeadlineMonths, "Date", latest))
	}
	return d.AddDate(0, 0, 1), nil
}

func deadlineError(f failure.FieldError) error {
	return failure.Fields("Check the deadline.", f)
}

// HasDeadline reports whether the round closes at a deadline.
func (r *Round) HasDeadline() bool { return !r.Deadline.IsZero() }

// LastDay is the date the administrator picked: the last day councils may
// submit. Zero without a deadline.
func (r *Round) LastDay() time.Time {
	if !r.HasDeadline() {
		return time.Time{}
	}
	return r.Deadline.Add(-time.Nanosecond)
}

// DeadlineReminderAt is when the seats that have not submitted are
// reminded; zero without a deadline.
func (r *Round) DeadlineReminderAt() time.Time {
	if !r.HasDeadline() {
		return time.Time{}
	}
	return r.Deadline.Add(-DeadlineNotice)
}

// NextEvent is the earliest time after t at which the daily job has
// something to do for the open round r: nudge its members, remind its
// seats of the deadline, or close it. ok is false when none is left.
func (r *Round) NextEvent(t time.Time) (next time.Time, ok bool) {
	for _, e := range []time.Time{r.OpenedAt.Add(NudgeAfter), r.DeadlineReminderAt(), r.Deadline} {
		if !e.IsZero() && e.After(t) && (!ok || e.Before(next)) {
			next, ok = e, true
		}
	}
	return next, ok
}
