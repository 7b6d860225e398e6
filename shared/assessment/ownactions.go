package assessment

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/secret"
)

// A council's own action list (issue 18): the report's "what to work on
// first" items kept as the council's private actions, with an owner, a due
// date, a status and dated progress notes. They are the assessment's, in its
// own partition, read with it in its one Query and erased with it; only the
// assessment's holder (the lead's token) reads or changes them — a
// colleague answering through their own link does not see them. A
// health-check or a re-assessment copies them forward, and the next report
// shows each one's linked questions then and now.

// MaxOwnActions bounds the own actions of one assessment: they are copied
// forward in the new assessment's creating transaction (at most 100 items
// with META, its areas and its membership).
const MaxOwnActions = 30

// OwnAction is one of the council's own actions.
type OwnAction struct {
	action.Action
	// Then are the linked questions' scores in the assessment the action
	// was kept on, recorded when it was first carried forward (nil until
	// then): "then" of "then and now". A question with no entry was not
	// answered then (or did not apply); a nil score is don't know.
	Then map[string]*int
	// ThenOn is when that assessment was submitted.
	ThenOn time.Time
}

// Carried reports whether the action came from an earlier assessment.
func (o OwnAction) Carried() bool { return o.Then != nil }

// QuestionThenNow is one linked question of a carried action.
type QuestionThenNow struct {
	Question string
	// Then and Now are the scores (nil: don't know); ThenAnswered and
	// NowAnswered say whether there was a score to show.
	Then, Now                 *int
	ThenAnswered, NowAnswered bool
}

// Moved reports whether the score rose (both answered, don't know as 0).
func (q QuestionThenNow) Moved() int {
	v := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	return v(q.Now) - v(q.Then)
}

// ThenAndNow lists the action's linked questions with their scores then and
// in a (now); empty for an action kept on a itself.
func (o OwnAction) ThenAndNow(a *Assessment) []QuestionThenNow {
	if !o.Carried() {
		return nil
	}
	out := make([]QuestionThenNow, 0, len(o.Questions))
	for _, q := range o.Questions {
		m := QuestionThenNow{Question: q}
		m.Then, m.ThenAnswered = o.Then[q]
		if ans, ok := a.Answers[q]; ok && !ans.NotApplicable {
			m.Now, m.NowAnswered = ans.Score, true
		}
		out = append(out, m)
	}
	return out
}

// OwnAction returns the action with id.
func (a *Assessment) OwnAction(id string) (OwnAction, bool) {
	for _, o := range a.Actions {
		if o.ID == id {
			return o, true
		}
	}
	return OwnAction{}, false
}

// OwnActionStore is what the own action list needs from storage.
type OwnActionStore interface {
	// CreateOwnAction writes a new own action into assessment id's
	// partition, on condition the assessment exists, with the
	// Idempotency-Key's record when there is one (ErrKeyUsed when it
	// exists).
	CreateOwnAction(ctx context.Context, id string, o OwnAction, rec *idempotency.Record) error
	// PutOwnAction writes a change, conditioned on the revision read
	// (conflict otherwise).
	PutOwnAction(ctx context.Context, id string, o OwnAction) error
}

func (s *Service) ownRules(a *Assessment) (action.Rules, error) {
	b, err := s.Bank(a.Version)
	if err != nil {
		return action.Rules{}, err
	}
	return action.Rules{Private: true, Question: func(id string) bool { _, ok := b.Question(id); return ok }}, nil
}

// CreateOwnAction adds an action to a's own list. Owner seats are not
// asked for (the owner is a role or a name). It returns invalid for a bad
// input, writing nothing, and conflict when the list is full. A retry with
// the request's Idempotency-Key replays the first result.
func (s *Service) CreateOwnAction(ctx context.Context, a *Assessment, in action.Input, idem idempotency.Request) (OwnAction, error) {
	var out OwnAction
	if ok, err := idempotency.Replay(ctx, s.store, idem, in, &out); ok || err != nil {
		return out, err
	}
	r, err := s.ownRules(a)
	if err != nil {
		return OwnAction{}, err
	}
	o := OwnAction{Action: action.Action{ID: secret.NewID()}}
	in.OwnerSeats = nil
	if err := in.Apply(&o.Action, true, r); err != nil {
		return OwnAction{}, err
	}
	if len(a.Actions) >= MaxOwnActions {
		return OwnAction{}, failure.Said(failure.Conflict, "error.action.own.full", "MaxOwnActions", MaxOwnActions)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	o.CreatedAt, o.UpdatedAt, o.Rev = now, now, 1
	rec, err := idem.Seal(in, o, now)
	if err != nil {
		return OwnAction{}, err
	}
	if err := s.store.CreateOwnAction(ctx, a.ID, o, rec); err != nil {
		if errors.Is(err, idempotency.ErrKeyUsed) {
			var won OwnAction
			return won, idempotency.Raced(ctx, s.store, idem, in, &won)
		}
		return OwnAction{}, err
	}
	a.Actions = append(a.Actions, o)
	return o, nil
}

// UpdateOwnAction changes action id of a: not_found for an unknown one,
// invalid (nothing written) for a bad input, conflict when it changed
// since a was read.
func (s *Service) UpdateOwnAction(ctx context.Context, a *Assessment, id string, in action.Input) (OwnAction, error) {
	o, ok := a.OwnAction(id)
	if !ok {
		return OwnAction{}, failure.New(failure.NotFound, "This assessment has no such action.")
	}
	r, err := s.ownRules(a)
	if err != nil {
		return OwnAction{}, err
	}
	in.OwnerSeats = nil
	if err := in.Apply(&o.Action, false, r); err != nil {
		return OwnAction{}, err
	}
	return o, s.writeOwn(ctx, a, &o)
}

// AddOwnActionNote adds a dated progress note to action id of a, with the
// same errors as UpdateOwnAction.
func (s *Service) AddOwnActionNote(ctx context.Context, a *Assessment, id, text string) (OwnAction, error) {
	o, ok := a.OwnAction(id)
	if !ok {
		return OwnAction{}, failure.New(failure.NotFound, "This assessment has no such action.")
	}
	n, err := action.NewNote(o.Action, text, "", s.now())
	if err != nil {
		return OwnAction{}, err
	}
	o.Notes = append(o.Notes, n)
	return o, s.writeOwn(ctx, a, &o)
}

func (s *Service) writeOwn(ctx context.Context, a *Assessment, o *OwnAction) error {
	o.UpdatedAt = s.now().UTC().Truncate(time.Millisecond)
	o.Rev++
	if err := s.store.PutOwnAction(ctx, a.ID, *o); err != nil {
		return err
	}
	for i := range a.Actions {
		if a.Actions[i].ID == o.ID {
			a.Actions[i] = *o
		}
	}
	return nil
}

// CarryOwnActions copies prev's own actions into a new assessment on bank
// b: the same actions under new ids (the old assessment keeps its own
// copies, erased with it), their questions mapped as answers are (retired
// ones dropped), and, the first time one is carried, its linked questions'
// scores in prev as "then". Dropped actions stay behind.
func CarryOwnActions(b *bank.Bank, prev *Assessment) []OwnAction {
	var out []OwnAction
	for _, o := range prev.Actions {
		if o.Status == action.Dropped {
			continue
		}
		c := o
		c.ID = secret.NewID()
		c.Rev = 1
		c.Questions = nil
		c.Notes = slices.Clone(o.Notes)
		// then: the scores in prev the first time; afterwards the first
		// record, its questions mapped along.
		then := map[string]*int{}
		if o.Then == nil && prev.SubmittedAt != nil {
			c.ThenOn = *prev.SubmittedAt
		}
		for _, q := range o.Questions {
			target, ok := b.Carried(prev.Version, q)
			if !ok || slices.Contains(c.Questions, target) {
				continue
			}
			c.Questions = append(c.Questions, target)
			if o.Then != nil {
				if v, ok := o.Then[q]; ok {
					then[target] = v
				}
			} else if ans, ok := prev.Answers[q]; ok && !ans.NotApplicable {
				then[target] = ans.Score
			}
		}
		c.Then = then
		out = append(out, c)
	}
	return out
}
