package partnership

import (
	"context"
	"errors"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/secret"
)

// ActionStore is what the joint action register needs from storage. The
// actions live in the partnership's partition (LoadPartnership reads them
// with everything else), so reading a comparison with its actions stays one
// Query.
type ActionStore interface {
	// CreateAction writes a new action on condition the partnership still
	// exists (not_found otherwise), with rec, the Idempotency-Key's record,
	// in the same transaction when not nil (idempotency.ErrKeyUsed when the
	// key was used meanwhile).
	CreateAction(ctx context.Context, pid string, a action.Action, rec *idempotency.Record) error
	// PutAction writes a change on condition its revision is still a.Rev-1
	// (conflict otherwise).
	PutAction(ctx context.Context, pid string, a action.Action) error
}

// AdminName signs the administrator's progress notes (Actor.Name); the
// pages show it in the reader's language.
const AdminName = "Administrator"

// Actor is who is changing the register: the admin, or a member council
// (its seat, from its seat invitation or its round assessment).
type Actor struct {
	Access Access
	Seat   string
	// Name is how a note records the writer: "Administrator" or the seat's
	// council name. Never an address.
	Name string
}

// ActorOf is the actor of a principal's access and seat in p.
func ActorOf(p *Partnership, access Access, seat string) Actor {
	a := Actor{Access: access, Seat: seat}
	switch {
	case access == AdminAccess:
		a.Name = AdminName
	default:
		if st, ok := p.Seat(seat); ok {
			a.Name = st.Name
		}
	}
	return a
}

// Action returns action id of p; not_found when it has none.
func (p *Partnership) Action(id string) (action.Action, bool) {
	for _, a := range p.Actions {
		if a.ID == id {
			return a, true
		}
	}
	return action.Action{}, false
}

// ReadActions returns the register for a principal: every member and the
// admin may read it; a prospective partner may not (forbidden).
func ReadActions(p *Partnership, access Access) ([]action.Action, error) {
	if access != MemberAccess && access != AdminAccess {
		return nil, failure.New(failure.Forbidden, "The action register is for the partnership's members.")
	}
	return p.Actions, nil
}

// CanEdit reports whether actor may change a: the admin, or a seat that
// owns it.
func CanEdit(a action.Action, actor Actor) bool {
	if actor.Access == AdminAccess {
		return true
	}
	if actor.Access != MemberAccess || actor.Seat == "" {
		return false
	}
	for _, s := range a.OwnerSeats {
		if s == actor.Seat {
			return true
		}
	}
	return false
}

func (p *Partnership) actionRules(b *bank.Bank) action.Rules {
	return action.Rules{
		Question: func(id string) bool { _, ok := b.Question(id); return ok },
		Seat: func(id string) bool {
			st, ok := p.Seat(id)
			return ok && !st.Withdrawn()
		},
	}
}

// CreateAction adds an action to p's register, in p's current round. The
// admin may create any action; a member council may create one only if its
// own seat is among the owners (so nobody hands work to a partner without
// the partner or the admin agreeing). It returns invalid for a bad input,
// forbidden for anyone else.
// A retry with the request's Idempotency-Key replays the first result
// (docs/design.md D2), so a lost reply never adds the action twice.
func (s *Service) CreateAction(ctx context.Context, p *Partnership, actor Actor, in action.Input, idem idempotency.Request) (action.Action, error) {
	if actor.Access != AdminAccess && actor.Access != MemberAccess {
		return action.Action{}, failure.New(failure.Forbidden, "Only the partnership's members and administrator can add actions.")
	}
	var out action.Action
	if ok, err := idempotency.Replay(ctx, s.store, idem, in, &out); ok || err != nil {
		return out, err
	}
	a := action.Action{ID: secret.NewID(), Round: p.CurrentRound}
	if err := in.Apply(&a, true, p.actionRules(s.lib.Current())); err != nil {
		return action.Action{}, err
	}
	if actor.Access != AdminAccess && !CanEdit(a, actor) {
		return action.Action{}, failure.Fields("Check the action.", failure.FieldError{Field: "ownerSeats", Message: "Include your own council among the owners, or ask the administrator to add the action"})
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	a.CreatedAt, a.UpdatedAt, a.Rev = now, now, 1
	rec, err := idem.Seal(in, a, now)
	if err != nil {
		return action.Action{}, err
	}
	if err := s.actions.CreateAction(ctx, p.ID, a, rec); err != nil {
		if errors.Is(err, idempotency.ErrKeyUsed) {
			var won action.Action
			return won, idempotency.Raced(ctx, s.store, idem, in, &won)
		}
		return action.Action{}, err
	}
	return a, nil
}

// UpdateAction changes action id of p (the admin or an owner seat). It
// returns not_found for an unknown action, forbidden for anyone else,
// invalid for a bad input, conflict when it changed since p was read.
func (s *Service) UpdateAction(ctx context.Context, p *Partnership, actor Actor, id string, in action.Input) (action.Action, error) {
	a, err := s.editable(p, actor, id)
	if err != nil {
		return action.Action{}, err
	}
	if err := in.Apply(&a, false, p.actionRules(s.lib.Current())); err != nil {
		return action.Action{}, err
	}
	if actor.Access != AdminAccess && !CanEdit(a, actor) {
		return action.Action{}, failure.Fields("Check the action.", failure.FieldError{Field: "ownerSeats", Message: "Keep your own council among the owners; the administrator can hand the action over"})
	}
	return a, s.write(ctx, p.ID, &a)
}

// AddNote adds a dated progress note to action id (the admin or an owner
// seat), with the same errors as UpdateAction.
func (s *Service) AddNote(ctx context.Context, p *Partnership, actor Actor, id, text string) (action.Action, error) {
	a, err := s.editable(p, actor, id)
	if err != nil {
		return action.Action{}, err
	}
	n, err := action.NewNote(a, text, actor.Name, s.now())
	if err != nil {
		return action.Action{}, err
	}
	a.Notes = append(a.Notes, n)
	return a, s.write(ctx, p.ID, &a)
}

func (s *Service) editable(p *Partnership, actor Actor, id string) (action.Action, error) {
	if actor.Access != AdminAccess && actor.Access != MemberAccess {
		return action.Action{}, failure.New(failure.Forbidden, "Only the partnership's members and administrator can change actions.")
	}
	a, ok := p.Action(id)
	if !ok {
		return action.Action{}, failure.New(failure.NotFound, "The partnership has no such action.")
	}
	if !CanEdit(a, actor) {
		return action.Action{}, failure.New(failure.Forbidden, "Only the councils that own this action and the administrator can change it.")
	}
	return a, nil
}

func (s *Service) write(ctx context.Context, pid string, a *action.Action) error {
	a.UpdatedAt = s.now().UTC().Truncate(time.Millisecond)
	a.Rev++
	return s.actions.PutAction(ctx, pid, *a)
}
