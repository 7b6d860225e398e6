package api

import (
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/partnership"
)

// The joint action register's JSON shapes and their mapping from the
// domain (kept beside each other: one file per concept, as from.go is for
// the rest).

// NewJointAction creates an action in a partnership's register.
type NewJointAction struct {
	Title string `json:"title"`
	// Questions are question ids of the bank the action is about.
	Questions []string `json:"questions,omitempty"`
	// OwnerSeats are seat ids of the councils that own it.
	OwnerSeats []string `json:"ownerSeats,omitempty"`
	OwnerRole  string   `json:"ownerRole,omitempty"`
	// Owner is the owning person's name (optional; erased with the seat).
	Owner string `json:"owner,omitempty"`
	// Due is a date, YYYY-MM-DD.
	Due string `json:"due"`
	// Status is planned (the default), in-progress, done or dropped.
	Status string `json:"status,omitempty"`
}

// JointActionChange changes an action: a field left out keeps its value.
type JointActionChange struct {
	Title      *string   `json:"title,omitempty"`
	Questions  *[]string `json:"questions,omitempty"`
	OwnerSeats *[]string `json:"ownerSeats,omitempty"`
	OwnerRole  *string   `json:"ownerRole,omitempty"`
	Owner      *string   `json:"owner,omitempty"`
	Due        *string   `json:"due,omitempty"`
	Status     *string   `json:"status,omitempty"`
}

// NewProgressNote adds a dated progress note to an action.
type NewProgressNote struct {
	Text string `json:"text"`
}

// JointAction is one action of the register.
type JointAction struct {
	ID         string         `json:"id"`
	Title      string         `json:"title"`
	Questions  []string       `json:"questions"`
	OwnerSeats []ActionOwner  `json:"ownerSeats"`
	OwnerRole  string         `json:"ownerRole,omitempty"`
	Owner      string         `json:"owner,omitempty"`
	Due        string         `json:"due"`
	Status     string         `json:"status"`
	Overdue    bool           `json:"overdue"`
	Round      int            `json:"round"`
	CreatedAt  time.Time      `json:"createdAt"`
	UpdatedAt  time.Time      `json:"updatedAt"`
	Notes      []ProgressNote `json:"notes"`
	// Editable says whether the reader may change it (the admin, an owner seat).
	Editable bool `json:"editable"`
}

// ActionOwner is an owning seat with its council's name.
type ActionOwner struct {
	Seat    string `json:"seat"`
	Council string `json:"council"`
}

// ProgressNote is a dated progress note.
type ProgressNote struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
	By   string    `json:"by,omitempty"`
}

// JointActions is a partnership's register.
type JointActions struct {
	Partnership string        `json:"partnership"`
	Actions     []JointAction `json:"actions"`
}

// ActionInput is the domain input of a new action.
func ActionInput(in NewJointAction) action.Input {
	out := action.Input{Title: &in.Title, Due: &in.Due, OwnerRole: &in.OwnerRole, Owner: &in.Owner, Questions: &in.Questions, OwnerSeats: &in.OwnerSeats}
	if in.Status != "" {
		out.Status = &in.Status
	}
	return out
}

// ActionChangeInput is the domain input of a change.
func ActionChangeInput(in JointActionChange) action.Input {
	return action.Input{Title: in.Title, Questions: in.Questions, OwnerSeats: in.OwnerSeats, OwnerRole: in.OwnerRole,
		Owner: in.Owner, Due: in.Due, Status: in.Status}
}

// JointActionOf maps an action of p for a reader (actor) on day now.
func JointActionOf(p *partnership.Partnership, a action.Action, actor partnership.Actor, now time.Time) JointAction {
	out := JointAction{ID: a.ID, Title: a.Title, Questions: append([]string{}, a.Questions...), OwnerSeats: []ActionOwner{},
		OwnerRole: a.OwnerRole, Owner: a.Owner, Due: a.Due.Format(action.DateLayout), Status: string(a.Status),
		Overdue: a.Overdue(now), Round: a.Round, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Notes: []ProgressNote{},
		Editable: partnership.CanEdit(a, actor)}
	for _, sid := range a.OwnerSeats {
		o := ActionOwner{Seat: sid}
		if st, ok := p.Seat(sid); ok {
			o.Council = st.Label()
		}
		out.OwnerSeats = append(out.OwnerSeats, o)
	}
	for _, n := range a.Notes {
		out.Notes = append(out.Notes, ProgressNote{At: n.At, Text: n.Text, By: n.By})
	}
	return out
}

// JointActionsOf maps the register.
func JointActionsOf(p *partnership.Partnership, as []action.Action, actor partnership.Actor, now time.Time) JointActions {
	out := JointActions{Partnership: p.ID, Actions: []JointAction{}}
	for _, a := range as {
		out.Actions = append(out.Actions, JointActionOf(p, a, actor, now))
	}
	return out
}
