// Package action is the joint action register of a partnership (and a
// council's private action list): what the councils agreed to do about a
// finding, who owns it, by when, how far it has got, and — carried across
// health-check rounds — whether it moved the scores of the questions it is
// about. It knows nothing of HTTP or DynamoDB; the partnership service
// decides who may change an action, the store keeps it in the partnership's
// partition so the comparison and its actions stay one Query.
package action

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/names"
)

// Status is where an action has got to (docs/design.md D4: one
// declaration per closed set).
type Status string

// The statuses, in the order they are shown.
const (
	Planned    Status = "planned"
	InProgress Status = "in-progress"
	Done       Status = "done"
	Dropped    Status = "dropped"
)

// Values lists every status.
func Values() []Status { return []Status{Planned, InProgress, Done, Dropped} }

// Valid reports whether s is one of Values.
func (s Status) Valid() bool {
	for _, v := range Values() {
		if s == v {
			return true
		}
	}
	return false
}

// Open reports whether the action is still to be done: planned or in
// progress. Only open actions get reminders or can be overdue.
func (s Status) Open() bool { return s == Planned || s == InProgress }

// Limits keep one action's item well inside DynamoDB's 400 KB.
const (
	MaxTitle     = 300
	MaxRole      = 120
	MaxNote      = 2000
	MaxNotes     = 100
	MaxQuestions = 20
	// DateLayout is how a due date travels: a calendar date, no time.
	DateLayout = "2006-01-02"
)

// Action is one entry of the register.
type Action struct {
	ID    string
	Title string
	// Questions are the bank question ids the action is about: their
	// scores, then and now, say whether it moved anything.
	Questions []string
	// OwnerSeats are the partnership seats that own it (they and the
	// admin may change it); empty for a council's private action.
	OwnerSeats []string
	// OwnerRole is the post that owns it, like "Head of ICT".
	OwnerRole string
	// Owner is the person's name (optional; personal data, erased with
	// the seat, the assessment or the partnership).
	Owner  string
	Due    time.Time // a date, at midnight UTC
	Status Status
	// Round is the round it was created in (for a private action: the
	// assessment it was created on): "then" in "then and now".
	Round     int
	CreatedAt time.Time
	UpdatedAt time.Time
	Notes     []Note
	// Rev counts the action's writes; an update is conditioned on it.
	Rev int
	// SoonSent and OverdueSent record the due date each reminder was
	// mailed for, so each is sent once per due date.
	SoonSent, OverdueSent string
	// StopKeys name the stop links mailed about the action and StoppedFor
	// the recipients who used theirs (shared/reminders keeps them; an edit
	// carries them over).
	StopKeys, StoppedFor []string
}

// SoonBefore is how long before its due date an open action's owners and
// the administrator are reminded; the overdue reminder follows the day
// after the due date.
const SoonBefore = 7 * 24 * time.Hour

// NextReminder is when the reminders job next has something to do for a:
// SoonBefore its due date until that reminder was sent for this due date,
// then the day after it until the overdue one was; none after both, or
// once the action is done or dropped. A new due date starts again: what
// was sent was for the old one.
func (a Action) NextReminder() (time.Time, bool) {
	if !a.Status.Open() || a.Due.IsZero() {
		return time.Time{}, false
	}
	due := a.Due.Format(DateLayout)
	switch {
	case a.OverdueSent == due:
		return time.Time{}, false
	case a.SoonSent == due:
		return a.Due.AddDate(0, 0, 1), true
	}
	return a.Due.Add(-SoonBefore), true
}

// Note is a dated progress note.
type Note struct {
	At   time.Time
	Text string
	// By is who wrote it, as a role or seat name (never an address).
	By string
}

// Overdue reports whether the action is open and its due date has passed
// on the day of now.
func (a Action) Overdue(now time.Time) bool {
	return a.Status.Open() && !a.Due.IsZero() && a.Due.Before(Day(now))
}

// Day is the calendar day of t, at midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Input is what an action is created or changed with. A nil field of a
// change keeps the stored value; on create, Title, Due and Status are
// required (Status defaults to planned).
type Input struct {
	Title      *string
	Questions  *[]string
	OwnerSeats *[]string
	OwnerRole  *string
	Owner      *string
	Due        *string // YYYY-MM-DD
	Status     *string
}

// Rules are what an input is checked against: the question bank's ids and
// the partnership's seats that can own an action (nil: a private action,
// which has no owner seats).
type Rules struct {
	Question func(id string) bool
	Seat     func(id string) bool
	// Private is a council's own action: no owner seats.
	Private bool
}

// Apply checks in against rules and writes it onto a (a new action when
// create). It returns invalid listing every broken field, and leaves a
// unchanged then.
func (in Input) Apply(a *Action, create bool, r Rules) error {
	next := *a
	var errs []failure.FieldError
	bad := func(field, msg string) { errs = append(errs, failure.FieldError{Field: field, Message: msg}) }
	if in.Title != nil || create {
		t, reason := "", ""
		if in.Title != nil {
			t, reason = names.Clean(*in.Title)
		}
		switch {
		case t == "":
			bad("title", "Enter what the action is")
		case reason != "":
			bad("title", "The action "+reason)
		case utf8.RuneCountInString(t) > MaxTitle:
			bad("title", fmt.Sprintf("The action must be %d characters or fewer", MaxTitle))
		}
		next.Title = t
	}
	if in.Questions != nil {
		qs, seen := []string{}, map[string]bool{}
		for _, q := range *in.Questions {
			q = strings.TrimSpace(q)
			if q == "" || seen[q] {
				continue
			}
			if r.Question == nil || !r.Question(q) {
				bad("questions", "Choose questions from the question bank")
				break
			}
			seen[q] = true
			qs = append(qs, q)
		}
		if len(*in.Questions) > MaxQuestions {
			bad("questions", fmt.Sprintf("Link up to %d questions", MaxQuestions))
		}
		next.Questions = qs
	}
	if in.OwnerSeats != nil {
		ss, seen := []string{}, map[string]bool{}
		for _, s := range *in.OwnerSeats {
			if s == "" || seen[s] {
				continue
			}
			if r.Private || r.Seat == nil || !r.Seat(s) {
				bad("ownerSeats", "Choose the owning councils from the partnership's member councils")
				break
			}
			seen[s] = true
			ss = append(ss, s)
		}
		next.OwnerSeats = ss
	}
	for _, f := range []struct {
		field, what string
		in          *string
		out         *string
	}{{"ownerRole", "owner's role", in.OwnerRole, &next.OwnerRole}, {"owner", "owner's name", in.Owner, &next.Owner}} {
		if f.in == nil {
			continue
		}
		v, reason := names.Clean(*f.in)
		switch {
		case reason != "":
			bad(f.field, "The "+f.what+" "+reason)
		case utf8.RuneCountInString(v) > MaxRole:
			bad(f.field, fmt.Sprintf("The %s must be %d characters or fewer", f.what, MaxRole))
		}
		*f.out = v
	}
	if in.Due != nil || create {
		d := ""
		if in.Due != nil {
			d = strings.TrimSpace(*in.Due)
		}
		t, err := time.Parse(DateLayout, d)
		switch {
		case d == "":
			bad("due", "Enter the date the action is due")
		case err != nil:
			bad("due", "The due date must be a real date, like 2027-03-31")
		case t.Year() < 2000 || t.Year() > 2100:
			bad("due", "The due date must be between the years 2000 and 2100")
		}
		next.Due = t
	}
	switch {
	case in.Status != nil:
		st := Status(*in.Status)
		if !st.Valid() {
			bad("status", "Status must be planned, in-progress, done or dropped")
		}
		next.Status = st
	case create:
		next.Status = Planned
	}
	if len(errs) > 0 {
		return failure.Fields("Check the action.", errs...)
	}
	*a = next
	return nil
}

// NewNote checks a progress note: one to MaxNote characters of text (it may
// span lines), on an action that has room for it.
func NewNote(a Action, text, by string, at time.Time) (Note, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch {
	case text == "":
		return Note{}, failure.Fields("Check the progress note.", failure.FieldError{Field: "text", Message: "Enter the progress note"})
	case !utf8.ValidString(text):
		return Note{}, failure.Fields("Check the progress note.", failure.FieldError{Field: "text", Message: "The note must be text"})
	case utf8.RuneCountInString(text) > MaxNote:
		return Note{}, failure.Fields("Check the progress note.", failure.FieldError{Field: "text", Message: fmt.Sprintf("The note must be %d characters or fewer", MaxNote)})
	case len(a.Notes) >= MaxNotes:
		return Note{}, failure.Said(failure.Conflict, "error.action.note.full", "MaxActionNotes", MaxNotes)
	}
	return Note{At: at.UTC().Truncate(time.Millisecond), Text: text, By: by}, nil
}

// Validate checks a stored action's invariants (what Apply guarantees):
// storage calls it before every write, so a bug elsewhere cannot store a
// malformed action.
func (a Action) Validate() error {
	switch {
	case a.ID == "":
		return failure.New(failure.Internal, "action without an id")
	case a.Title == "" || utf8.RuneCountInString(a.Title) > MaxTitle:
		return failure.New(failure.Internal, "action %s has no valid title", a.ID)
	case !a.Status.Valid():
		return failure.New(failure.Internal, "action %s has status %q", a.ID, a.Status)
	case a.Due.IsZero():
		return failure.New(failure.Internal, "action %s has no due date", a.ID)
	case len(a.Notes) > MaxNotes || len(a.Questions) > MaxQuestions:
		return failure.New(failure.Internal, "action %s is over its limits", a.ID)
	}
	return nil
}

// Erased is the action without its personal data: the owner's name and
// the progress notes (which name people and say what they did). The title,
// questions, role, date and status stay: they are the partnership's.
func (a Action) Erased() Action {
	a.Owner, a.Notes = "", nil
	return a
}

// HasPersonalData reports whether Erased would change anything.
func (a Action) HasPersonalData() bool { return a.Owner != "" || len(a.Notes) > 0 }
