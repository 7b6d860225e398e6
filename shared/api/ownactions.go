package api

import (
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/assessment"
)

// A council's own action list: its JSON shapes and their mapping from the
// domain. Only the assessment's holder (the lead's token) reads or changes
// it; a colleague's token is refused.

// NewOwnAction keeps an action on the council's own list, typically one of
// the report's "what to work on first" items.
type NewOwnAction struct {
	Title string `json:"title" limit:"action-title"`
	// Questions are question ids of the assessment's bank.
	Questions []string `json:"questions,omitempty" limit:"action-questions"`
	// Owner is who owns it: a role or a name, as the council writes it.
	Owner string `json:"owner,omitempty" limit:"action-role"`
	// Due is a date, YYYY-MM-DD.
	Due string `json:"due" limit:"action-date"`
	// Status is planned (the default), in-progress, done or dropped.
	Status string `json:"status,omitempty" enum:"action-status"`
}

// OwnActionChange changes an own action: a field left out keeps its value.
type OwnActionChange struct {
	Title     *string   `json:"title,omitempty" limit:"action-title"`
	Questions *[]string `json:"questions,omitempty" limit:"action-questions"`
	Owner     *string   `json:"owner,omitempty" limit:"action-role"`
	Due       *string   `json:"due,omitempty" limit:"action-date"`
	Status    *string   `json:"status,omitempty" enum:"action-status"`
}

// OwnAction is one of the council's own actions.
type OwnAction struct {
	ID string `json:"id"`
	// Assessment is the assessment whose list holds it.
	Assessment string         `json:"assessment"`
	Title      string         `json:"title"`
	Questions  []string       `json:"questions"`
	Owner      string         `json:"owner,omitempty"`
	Due        string         `json:"due"`
	Status     string         `json:"status" enum:"action-status"`
	Overdue    bool           `json:"overdue"`
	CreatedAt  time.Time      `json:"createdAt"`
	UpdatedAt  time.Time      `json:"updatedAt"`
	Notes      []ProgressNote `json:"notes"`
	// Carried is true for an action kept on an earlier assessment and
	// copied into this one (a health-check or a re-assessment).
	Carried bool `json:"carried"`
	// ThenOn is the date (YYYY-MM-DD) the assessment it was kept on was
	// submitted; absent unless carried.
	ThenOn string `json:"thenOn,omitempty"`
	// ThenAndNow are its linked questions' scores then and in this
	// assessment ("did it move the score?"); empty unless carried.
	ThenAndNow []OwnQuestionMove `json:"thenAndNow"`
}

// OwnQuestionMove is one linked question's score then and now (null:
// don't know; answered false: no answer, or not applicable).
type OwnQuestionMove struct {
	Question     string `json:"question"`
	Then         *int   `json:"then" nullable:"true"`
	ThenAnswered bool   `json:"thenAnswered"`
	Now          *int   `json:"now" nullable:"true"`
	NowAnswered  bool   `json:"nowAnswered"`
}

// OwnActions is the council's own action list, in the order kept.
type OwnActions struct {
	Assessment string      `json:"assessment"`
	Actions    []OwnAction `json:"actions"`
}

// OwnActionInput is the domain input of a new own action.
func OwnActionInput(in NewOwnAction) action.Input {
	out := action.Input{Title: &in.Title, Due: &in.Due, OwnerRole: &in.Owner, Questions: &in.Questions}
	if in.Status != "" {
		out.Status = &in.Status
	}
	return out
}

// OwnActionChangeInput is the domain input of a change.
func OwnActionChangeInput(in OwnActionChange) action.Input {
	return action.Input{Title: in.Title, Questions: in.Questions, OwnerRole: in.Owner, Due: in.Due, Status: in.Status}
}

// OwnActionOf maps own action o of assessment a on the day of now.
func OwnActionOf(a *assessment.Assessment, o assessment.OwnAction, now time.Time) OwnAction {
	out := OwnAction{ID: o.ID, Assessment: a.ID, Title: o.Title, Questions: append([]string{}, o.Questions...), Owner: o.OwnerRole,
		Due: o.Due.Format(action.DateLayout), Status: string(o.Status), Overdue: o.Overdue(now), CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
		Notes: []ProgressNote{}, Carried: o.Carried(), ThenAndNow: []OwnQuestionMove{}}
	if o.Carried() && !o.ThenOn.IsZero() {
		out.ThenOn = o.ThenOn.Format(action.DateLayout)
	}
	for _, n := range o.Notes {
		out.Notes = append(out.Notes, ProgressNote{At: n.At, Text: n.Text, By: n.By})
	}
	for _, m := range o.ThenAndNow(a) {
		out.ThenAndNow = append(out.ThenAndNow, OwnQuestionMove{Question: m.Question, Then: m.Then, ThenAnswered: m.ThenAnswered, Now: m.Now, NowAnswered: m.NowAnswered})
	}
	return out
}

// OwnActionsOf is a's own action list on the day of now.
func OwnActionsOf(a *assessment.Assessment, now time.Time) OwnActions {
	out := OwnActions{Assessment: a.ID, Actions: []OwnAction{}}
	for _, o := range a.Actions {
		out.Actions = append(out.Actions, OwnActionOf(a, o, now))
	}
	return out
}
