package api

import (
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/partnership"
)

// The joint action register's JSON shapes and their mapping from the
// domain (kept beside each other: one file per concept, as from.go is for
// the rest).

// NewJointAction creates an action in a partnership's register.
type NewJointAction struct {
	Title string `json:"title" limit:"action-title"`
	// Questions are question ids of the bank the action is about.
	Questions []string `json:"questions,omitempty" limit:"action-questions"`
	// OwnerSeats are seat ids of the councils that own it.
	OwnerSeats []string `json:"ownerSeats,omitempty" limit:"action-seats"`
	OwnerRole  string   `json:"ownerRole,omitempty" limit:"action-role"`
	// Owner is the owning person's name (optional; erased with the seat).
	Owner string `json:"owner,omitempty" limit:"action-role"`
	// Due is a date, YYYY-MM-DD.
	Due string `json:"due" limit:"action-date"`
	// Status is planned (the default), in-progress, done or dropped.
	Status string `json:"status,omitempty" enum:"action-status"`
}

// JointActionChange changes an action: a field left out keeps its value.
type JointActionChange struct {
	Title      *string   `json:"title,omitempty" limit:"action-title"`
	Questions  *[]string `json:"questions,omitempty" limit:"action-questions"`
	OwnerSeats *[]string `json:"ownerSeats,omitempty" limit:"action-seats"`
	OwnerRole  *string   `json:"ownerRole,omitempty" limit:"action-role"`
	Owner      *string   `json:"owner,omitempty" limit:"action-role"`
	Due        *string   `json:"due,omitempty" limit:"action-date"`
	Status     *string   `json:"status,omitempty" enum:"action-status"`
}

// NewProgressNote adds a dated progress note to an action.
type NewProgressNote struct {
	Text string `json:"text" limit:"action-note"`
}

// JointAction is one action of the register.
type JointAction struct {
	ID string `json:"id"`
	// Partnership is the partnership whose register holds it.
	Partnership string         `json:"partnership"`
	Title       string         `json:"title"`
	Questions   []string       `json:"questions"`
	OwnerSeats  []ActionOwner  `json:"ownerSeats"`
	OwnerRole   string         `json:"ownerRole,omitempty"`
	Owner       string         `json:"owner,omitempty"`
	Due         string         `json:"due"`
	Status      string         `json:"status" enum:"action-status"`
	Overdue     bool           `json:"overdue"`
	Round       int            `json:"round"`
	CreatedAt   time.Time      `json:"createdAt"`
	UpdatedAt   time.Time      `json:"updatedAt"`
	Notes       []ProgressNote `json:"notes"`
	// Editable says whether the reader may change it (the admin, an owner seat).
	Editable bool `json:"editable"`
	// Progress answers "did it move the score?" in the round read (the
	// current one, or ?round=): absent in the round it was created in.
	Progress *ActionProgress `json:"progress,omitempty"`
}

// ActionProgress is an action's linked questions then (its round) and now.
type ActionProgress struct {
	ThenRound int `json:"thenRound"`
	NowRound  int `json:"nowRound"`
	// Measured is false while either round is sealed or no question is linked.
	Measured bool `json:"measured"`
	// Improved: the lowest score rose on a linked question and fell on none.
	Improved  bool           `json:"improved"`
	Questions []QuestionMove `json:"questions"`
}

// QuestionMove is one linked question: the lowest score then and now, on
// the councils that submitted in both rounds, and each council's.
type QuestionMove struct {
	Question   string      `json:"question"`
	ThenLowest int         `json:"thenLowest"`
	NowLowest  int         `json:"nowLowest"`
	Councils   []MoveScore `json:"councils"`
}

// MoveScore is one council's score then and now (null: don't know).
type MoveScore struct {
	Council string `json:"council"`
	Then    *int   `json:"then" nullable:"true"`
	Now     *int   `json:"now" nullable:"true"`
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

// JointActions is a partnership's register, read in a round: one page of
// its actions, oldest first.
type JointActions struct {
	Partnership string        `json:"partnership"`
	Round       int           `json:"round"`
	Actions     []JointAction `json:"actions"`
	// Next is the cursor of the next page (listActions' cursor), null on
	// the last page.
	Next *string `json:"next" nullable:"true"`
	// Overdue and DoneNotImproved are action ids for the board, over the
	// whole register, not only this page: open past their date, and done
	// without their questions' lowest score rising.
	Overdue         []string `json:"overdue"`
	DoneNotImproved []string `json:"doneNotImproved"`
}

// ActionProgressOf maps "did it move the score?".
func ActionProgressOf(ap partnership.ActionProgress) *ActionProgress {
	out := &ActionProgress{ThenRound: ap.ThenRound, NowRound: ap.NowRound, Measured: ap.Measured, Improved: ap.Improved(), Questions: []QuestionMove{}}
	for _, m := range ap.Questions {
		qm := QuestionMove{Question: m.Question, ThenLowest: m.ThenLow, NowLowest: m.NowLow, Councils: []MoveScore{}}
		for _, c := range m.Councils {
			qm.Councils = append(qm.Councils, MoveScore{Council: c, Then: m.Then[c], Now: m.Now[c]})
		}
		out.Questions = append(out.Questions, qm)
	}
	return out
}

// RegisterOf is the register of p read in round n on the day of now, with
// each action's progress and the board's follow-up lists.
func RegisterOf(lib *bank.Library, p *partnership.Partnership, actor partnership.Actor, n int, now time.Time) JointActions {
	if n == 0 {
		n = p.CurrentRound
	}
	out := JointActions{Partnership: p.ID, Round: n, Actions: []JointAction{}, Overdue: []string{}, DoneNotImproved: []string{}}
	for _, ap := range partnership.Progress(lib, p, n) {
		ja := JointActionOf(p, ap.Action, actor, now)
		if ap.Action.Round < n {
			ja.Progress = ActionProgressOf(ap)
		}
		out.Actions = append(out.Actions, ja)
	}
	f := partnership.ActionFollowUp(lib, p, n, now)
	for _, a := range f.Overdue {
		out.Overdue = append(out.Overdue, a.ID)
	}
	for _, ap := range f.DoneNotImproved {
		out.DoneNotImproved = append(out.DoneNotImproved, ap.Action.ID)
	}
	return out
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
	out := JointAction{ID: a.ID, Partnership: p.ID, Title: a.Title, Questions: append([]string{}, a.Questions...), OwnerSeats: []ActionOwner{},
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
