package partnership

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/secret"
)

// Kinds of administrator's act, recorded in the partnership's acts log and
// shown to its members (docs/design.md D9).
const (
	ActOpenRound    = "open-round"
	ActCloseRound   = "close-round"
	ActAddSeat      = "add-seat"
	ActRenameSeat   = "rename-seat"
	ActWithdrawSeat = "withdraw-seat"
	ActAddAdmin     = "add-admin"
	ActRemoveAdmin  = "remove-admin"
)

// ActKind is what an administrator did (decision D4: one declaration).
type ActKind string

// Values lists the kinds of act.
func (ActKind) Values() []string {
	return []string{ActOpenRound, ActCloseRound, ActAddSeat, ActRenameSeat, ActWithdrawSeat, ActAddAdmin, ActRemoveAdmin}
}

// Valid reports whether k is one of Values.
func (k ActKind) Valid() bool { return slices.Contains(k.Values(), string(k)) }

// Act is one administrator's act, dated. Members see the log so that a
// round closed early, a council withdrawn or renamed, or an administrator
// added is never a silent change to what they compare.
type Act struct {
	At   time.Time
	Kind string
	// Round is the round opened or closed.
	Round int
	// Seat and Council are the seat acted on and its name at the time;
	// Previous is a renamed seat's old name.
	Seat, Council, Previous string
	// Erased says a withdrawal erased the seat's names and notes on the
	// joint actions it owns.
	Erased bool
	// Automatic marks an act of the daily job (a round closed at its
	// deadline), not of a person.
	Automatic bool
}

// Text is the act in words, as the pages show it, in English.
func (a Act) Text() string { return a.TextIn(locale.English) }

// TextIn is the act in words in l.
func (a Act) TextIn(l locale.Lang) string {
	switch a.Kind {
	case ActOpenRound:
		return tr(l, "partnership.act.openRound", "Round", a.Round)
	case ActCloseRound:
		if a.Automatic {
			return tr(l, "partnership.act.closedAtDeadline", "Round", a.Round)
		}
		return tr(l, "partnership.act.closeRound", "Round", a.Round)
	case ActAddSeat:
		return tr(l, "partnership.act.addSeat", "Council", a.Council)
	case ActRenameSeat:
		return tr(l, "partnership.act.renameSeat", "Previous", a.Previous, "Council", a.Council)
	case ActWithdrawSeat:
		if a.Erased {
			return tr(l, "partnership.act.withdrawErased", "Council", a.Council)
		}
		return tr(l, "partnership.act.withdraw", "Council", a.Council)
	case ActAddAdmin:
		return tr(l, "partnership.act.addAdmin")
	case ActRemoveAdmin:
		return tr(l, "partnership.act.removeAdmin")
	}
	return a.Kind
}

// SeatStore is what managing seats needs from storage.
type SeatStore interface {
	// AddSeat writes a new seat with its name guard and the act, and when
	// round > 0 adds the seat to that round's expected seats (on condition
	// it is still open). It returns invalid naming name when another seat
	// has the same name key, and idempotency.ErrKeyUsed when idem's record
	// exists.
	AddSeat(ctx context.Context, pid string, st Seat, round int, act Act, idem *idempotency.Record) error
	// RenameSeat renames seat st (as read) to name, moving its name guard,
	// and logs act; invalid when the name is taken, conflict when the seat
	// changed meanwhile.
	RenameSeat(ctx context.Context, pid string, st Seat, name string, act Act) error
	// WithdrawSeat marks seat sid of p withdrawn at act.At, releases its
	// name, removes its shared notes from its memberships and logs act;
	// conflict when it is already withdrawn.
	WithdrawSeat(ctx context.Context, p *Partnership, sid string, act Act) error
	// EraseSeatActions removes the owner's name and progress notes from the
	// joint actions the seat owns.
	EraseSeatActions(ctx context.Context, pid, sid string) error
}

func seatNameTaken(p *Partnership, except string) map[string]bool {
	taken := map[string]bool{}
	for _, st := range p.Seats {
		// A withdrawn council's name is free again: it may be added back
		// as a new seat (its past rounds stay under the withdrawn one).
		if st.ID != except && !st.Withdrawn() {
			taken[NameKey(st.Name)] = true
		}
	}
	return taken
}

// AddSeat adds a member council to the partnership (admin only) and returns
// its invitation, mailed when an address is given. A seat added while the
// current round is open and its comparison still sealed is expected in that
// round too; a round already readable (or closed) is not sealed again, and
// the seat is expected from the next round on. It returns invalid (the
// name, GSS code or address; a name that is another seat's), forbidden for
// anyone but the admin.
func (s *Service) AddSeat(ctx context.Context, p *Partnership, access Access, in SeatInput, idem idempotency.Request) (Invitation, error) {
	if access != AdminAccess {
		return Invitation{}, forbidden("error.partnership.forbidden.addSeat")
	}
	// The seat's name is cleaned as at creation (invisible characters
	// dropped, spaces collapsed), then validateSeats runs it through
	// names.Clean and compares its NameKey with the other seats'.
	in.Normalise()
	check := func(taken map[string]bool) error {
		if errs := validateSeats([]SeatInput{in}, taken, "councils"); len(errs) > 0 {
			for i := range errs {
				errs[i].Field = strings.TrimPrefix(errs[i].Field, "councils[0].")
			}
			return failure.Fields("Check the member council.", errs...)
		}
		return nil
	}
	if err := check(nil); err != nil {
		// Refused anyway: say everything that is wrong at once.
		return Invitation{}, check(seatNameTaken(p, ""))
	}
	// A replay comes before the checks against the state: the first
	// request took the name (docs/design.md D2).
	var out Invitation
	if ok, err := idempotency.Replay(ctx, s.store, idem, in, &out); ok || err != nil {
		return out, err
	}
	if err := check(seatNameTaken(p, "")); err != nil {
		return Invitation{}, err
	}
	if len(p.Seats) >= MaxSeats {
		return Invitation{}, failure.Fields("Check the member council.", failure.FieldError{Field: "name", Message: fmt.Sprintf("A partnership can have up to %d member councils", MaxSeats)})
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	token := secret.NewToken()
	st := Seat{ID: secret.NewID(), Name: in.Name, GSSCode: in.GSSCode, Email: in.Email, TokenHash: secret.Hash(token), AddedAt: now, Position: nextPosition(p)}
	round := 0
	if r, ok := p.Round(p.CurrentRound); ok && r.Status == Open && len(r.Expected) > 0 && p.Sealed(r.Number) != nil {
		round = r.Number
	}
	out = Invitation{Seat: st.ID, Council: st.Name, Token: token}
	mailed := out
	mailed.Mailed = s.mail != nil && st.Email != ""
	rec, err := idem.Seal(in, mailed, now)
	if err != nil {
		return Invitation{}, err
	}
	act := Act{At: now, Kind: ActAddSeat, Seat: st.ID, Council: st.Name}
	if err := s.store.AddSeat(ctx, p.ID, st, round, act, rec); err != nil {
		if errors.Is(err, idempotency.ErrKeyUsed) {
			var won Invitation
			return won, idempotency.Raced(ctx, s.store, idem, in, &won)
		}
		return Invitation{}, err
	}
	if st.Email != "" && s.mail != nil {
		out.Mailed = s.send(ctx, invitationMail(p, &st, s.links.Invitation(p.ID, st.ID, token)), p.ID)
	}
	return out, nil
}

func nextPosition(p *Partnership) int {
	n := 0
	for _, st := range p.Seats {
		n = max(n, st.Position+1)
	}
	return n
}

// RenameSeat renames a member council (admin only). The new name applies to
// every round, past ones too, since comparisons name councils by their seat.
// It returns invalid (the name, or another seat's), not_found for an
// unknown seat, conflict for a withdrawn one, forbidden for anyone but the
// admin.
func (s *Service) RenameSeat(ctx context.Context, p *Partnership, access Access, sid, name string) (Seat, error) {
	if access != AdminAccess {
		return Seat{}, forbidden("error.partnership.forbidden.renameSeat")
	}
	st, ok := p.Seat(sid)
	if !ok {
		return Seat{}, failure.New(failure.NotFound, "The partnership has no such member council.")
	}
	if st.Withdrawn() {
		return Seat{}, failure.Said(failure.Conflict, "error.partnership.seat.withdrawnRename", "Council", st.Name)
	}
	in := SeatInput{Name: name}
	in.Normalise()
	if errs := validateSeats([]SeatInput{in}, seatNameTaken(p, sid), "councils"); len(errs) > 0 {
		for i := range errs {
			errs[i].Field = strings.TrimPrefix(errs[i].Field, "councils[0].")
		}
		return Seat{}, failure.Fields("Check the council's name.", errs...)
	}
	if in.Name == st.Name {
		return *st, nil // nothing to change: a resent form
	}
	act := Act{At: s.now().UTC().Truncate(time.Millisecond), Kind: ActRenameSeat, Seat: sid, Council: in.Name, Previous: st.Name}
	if err := s.store.RenameSeat(ctx, p.ID, *st, in.Name, act); err != nil {
		return Seat{}, err
	}
	out := *st
	out.Name = in.Name
	return out, nil
}

// WithdrawSeat withdraws a member council (admin only): it is no longer
// expected in the open round (which unseals if it waited only on it) nor in
// later ones, its invitation and its members' links stop opening the
// partnership, and its shared notes leave the partnership. Its past rounds
// stay in past comparisons, named "<council> (withdrawn)". With erase, the
// owner's names and progress notes on the joint actions it owns are erased
// too (the council's own assessments are its own to delete). It returns
// not_found for an unknown seat, conflict when already withdrawn, forbidden
// for anyone but the admin.
func (s *Service) WithdrawSeat(ctx context.Context, p *Partnership, access Access, sid string, erase bool) (Seat, error) {
	if access != AdminAccess {
		return Seat{}, forbidden("error.partnership.forbidden.withdrawSeat")
	}
	st, ok := p.Seat(sid)
	if !ok {
		return Seat{}, failure.New(failure.NotFound, "The partnership has no such member council.")
	}
	if st.Withdrawn() {
		return Seat{}, failure.Said(failure.Conflict, "error.partnership.seat.alreadyWithdrawn", "Council", st.Name)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	act := Act{At: now, Kind: ActWithdrawSeat, Seat: sid, Council: st.Name, Erased: erase}
	if err := s.store.WithdrawSeat(ctx, p, sid, act); err != nil {
		return Seat{}, err
	}
	if erase {
		if err := s.store.EraseSeatActions(ctx, p.ID, sid); err != nil {
			return Seat{}, err
		}
	}
	out := *st
	out.WithdrawnAt = &now
	return out, nil
}
