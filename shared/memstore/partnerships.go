package memstore

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/secret"
)

type partRec struct {
	meta       partnership.Partnership // without rounds, seats, actions, acts, admins
	hasSeats   bool
	adminCount int
	rounds     map[int]*partnership.Round // without members
	members    map[int][]partnership.Member
	seats      map[string]*partnership.Seat
	names      map[string]string // name key → seat id
	slots      map[string]string // round and seat → assessment id
	actions    map[string]action.Action
	acts       []partnership.Act
	admins     []partnership.Admin // not the first, which is on meta
	idemKeys   []string
}

func slotKey(round int, sid string) string { return fmt.Sprintf("%04d#%s", round, sid) }

func appendMember(ms []partnership.Member, m partnership.Member) []partnership.Member {
	return append(ms, m)
}

// CreatePartnership writes the partnership, its seats, its join code and
// round 1; conflict when the join code is taken.
func (s *Store) CreatePartnership(_ context.Context, p *partnership.Partnership, idem *idempotency.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.joins[p.JoinKey]; ok {
		return failure.New(failure.Conflict, "join code taken")
	}
	if s.idemUsed(idem) {
		return idempotency.ErrKeyUsed
	}
	if _, ok := s.partnerships[p.ID]; ok {
		return failure.New(failure.Conflict, "A partnership with this id exists.")
	}
	rec := &partRec{meta: stripPartnership(p), hasSeats: len(p.Seats) > 0, adminCount: 1, rounds: map[int]*partnership.Round{}, members: map[int][]partnership.Member{},
		seats: map[string]*partnership.Seat{}, names: map[string]string{}, slots: map[string]string{}, actions: map[string]action.Action{}}
	for _, st := range p.Seats {
		k := partnership.NameKey(st.Name)
		if _, ok := rec.names[k]; ok {
			return failure.Fields("Check the member councils.", failure.FieldError{Field: "councils", Message: "Each council can have only one seat: two names are the same council"})
		}
		st := clone(st)
		rec.seats[st.ID], rec.names[k] = &st, st.ID
	}
	r := clone(p.Rounds[0])
	r.Members = nil
	rec.rounds[r.Number] = &r
	s.putIdem(idem)
	if idem != nil {
		rec.idemKeys = append(rec.idemKeys, idem.KeyHash)
	}
	s.joins[p.JoinKey] = p.ID
	s.partnerships[p.ID] = rec
	return nil
}

func stripPartnership(p *partnership.Partnership) partnership.Partnership {
	meta := clone(*p)
	meta.Rounds, meta.Seats, meta.Actions, meta.Acts, meta.Admins, meta.Viewers = nil, nil, nil, nil, nil, nil
	meta.JoinCode = "" // shown once, never stored
	return meta
}

// LoadPartnership reads the partnership with every round, member, seat,
// action, act and administrator.
func (s *Store) LoadPartnership(_ context.Context, id string) (*partnership.Partnership, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.partnerships[id]
	if rec == nil {
		return nil, failure.New(failure.NotFound, "There is no partnership with this id and token.")
	}
	p := clone(rec.meta)
	p.Lang = locale.Stored(string(p.Lang))
	for _, st := range rec.seats {
		p.Seats = append(p.Seats, clone(*st))
	}
	sort.SliceStable(p.Seats, func(i, j int) bool { return p.Seats[i].Position < p.Seats[j].Position })
	for _, a := range rec.actions {
		p.Actions = append(p.Actions, clone(a))
	}
	sort.SliceStable(p.Actions, func(i, j int) bool { return p.Actions[i].CreatedAt.Before(p.Actions[j].CreatedAt) })
	p.Acts = clone(rec.acts)
	sort.SliceStable(p.Acts, func(i, j int) bool { return p.Acts[i].At.Before(p.Acts[j].At) })
	if len(p.AdminHash) > 0 {
		p.Admins = append(p.Admins, partnership.Admin{ID: partnership.FirstAdmin, Email: p.ContactEmail, TokenHash: bytes.Clone(p.AdminHash), AddedAt: p.CreatedAt})
	}
	admins := clone(rec.admins)
	sort.SliceStable(admins, func(i, j int) bool { return admins[i].AddedAt.Before(admins[j].AddedAt) })
	p.Admins = append(p.Admins, admins...)
	numbers := make([]int, 0, len(rec.rounds))
	for n := range rec.rounds {
		numbers = append(numbers, n)
	}
	sort.Ints(numbers)
	for _, n := range numbers {
		r := clone(*rec.rounds[n])
		r.Members = clone(rec.members[n])
		sort.SliceStable(r.Members, func(i, j int) bool { return r.Members[i].JoinedAt.Before(r.Members[j].JoinedAt) })
		p.Rounds = append(p.Rounds, r)
	}
	return &p, nil
}

// OpenRound closes round after and opens after+1; conflict when the
// partnership is no longer at round after.
func (s *Store) OpenRound(_ context.Context, p *partnership.Partnership, after int, r partnership.Round, _ time.Time, idem *idempotency.Record, act partnership.Act) error {
	now := r.OpenedAt
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.partnerships[p.ID]
	if s.idemUsed(idem) {
		return idempotency.ErrKeyUsed
	}
	if rec == nil || rec.meta.CurrentRound != after || rec.rounds[r.Number] != nil {
		return failure.New(failure.Conflict, "Another round was opened at the same time. Reload the partnership.")
	}
	rec.meta.CurrentRound = r.Number
	if prev := rec.rounds[after]; prev != nil {
		prev.Status = partnership.Closed
		if prev.ClosedAt == nil {
			t := now
			prev.ClosedAt = &t
		}
	}
	nr := partnership.Round{Number: r.Number, Purpose: r.Purpose, Status: partnership.Open, OpenedAt: now, Expected: slices.Clone(r.Expected), Deadline: r.Deadline}
	rec.rounds[r.Number] = &nr
	rec.acts = append(rec.acts, clone(act))
	s.putIdem(idem)
	if idem != nil {
		rec.idemKeys = append(rec.idemKeys, idem.KeyHash)
	}
	return nil
}

// CloseRound closes round n; conflict when it is not open.
func (s *Store) CloseRound(_ context.Context, id string, n int, act partnership.Act) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.partnerships[id]
	if rec == nil || rec.rounds[n] == nil || rec.rounds[n].Status != partnership.Open {
		return failure.Said(failure.Conflict, "error.partnership.round.closed", "Round", n)
	}
	t := act.At.UTC()
	rec.rounds[n].Status, rec.rounds[n].ClosedAt = partnership.Closed, &t
	rec.acts = append(rec.acts, clone(act))
	return nil
}

// ResolveJoinCode finds the partnership and its current round for a code.
func (s *Store) ResolveJoinCode(ctx context.Context, code string) (*assessment.Join, error) {
	s.mu.Lock()
	pid, ok := s.joins[secret.JoinKey(code)]
	if !ok {
		pid, ok = s.joins["JOIN#"+code]
	}
	s.mu.Unlock()
	if !ok {
		return nil, failure.New(failure.NotFound, "no partnership has this join code")
	}
	return s.CurrentRound(ctx, pid)
}

// CurrentRound returns a partnership's current round and intended form.
func (s *Store) CurrentRound(_ context.Context, pid string) (*assessment.Join, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.currentRound(pid)
}

func (s *Store) currentRound(pid string) (*assessment.Join, error) {
	rec := s.partnerships[pid]
	if rec == nil {
		return nil, failure.New(failure.NotFound, "There is no partnership with this id.")
	}
	return &assessment.Join{PartnershipID: pid, Round: rec.meta.CurrentRound, Form: rec.meta.Form, HasSeats: rec.hasSeats}, nil
}

// ResolveSeat reads a seat and its partnership's current round.
func (s *Store) ResolveSeat(_ context.Context, pid, sid string) (*assessment.SeatJoin, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.partnerships[pid]
	if rec == nil || rec.seats[sid] == nil {
		return nil, failure.New(failure.NotFound, "no such seat")
	}
	j, err := s.currentRound(pid)
	if err != nil {
		return nil, err
	}
	st := rec.seats[sid]
	return &assessment.SeatJoin{Join: *j, Seat: st.ID, Council: st.Name, TokenHash: bytes.Clone(st.TokenHash), MailedHash: bytes.Clone(st.MailedHash), Withdrawn: st.WithdrawnAt != nil}, nil
}

// DeletePartnership erases the partnership, its join code and the records
// sealed for the requests that created it.
func (s *Store) DeletePartnership(_ context.Context, p *partnership.Partnership) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.partnerships[p.ID]; rec != nil {
		for _, k := range rec.idemKeys {
			delete(s.idem, k)
		}
	}
	delete(s.partnerships, p.ID)
	for k, pid := range s.joins {
		if pid == p.ID {
			delete(s.joins, k)
		}
	}
	return nil
}

// SetSeatMailedHash stores the hash of a seat's mailed token; not_found
// for a missing or withdrawn seat.
func (s *Store) SetSeatMailedHash(_ context.Context, pid, sid string, hash []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.seat(pid, sid)
	if st == nil || st.WithdrawnAt != nil {
		return failure.New(failure.NotFound, "The partnership has no such seat.")
	}
	st.MailedHash = bytes.Clone(hash)
	return nil
}

func (s *Store) seat(pid, sid string) *partnership.Seat {
	if rec := s.partnerships[pid]; rec != nil {
		return rec.seats[sid]
	}
	return nil
}

func errRotated() error {
	return failure.New(failure.Conflict, "The link was changed at the same time; ask again.")
}

// RotateSeat replaces a seat's invitation hash on condition it is old
// and the seat not withdrawn, and drops its mailed token.
func (s *Store) RotateSeat(_ context.Context, pid, sid string, old, hash []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.seat(pid, sid)
	if st == nil || st.WithdrawnAt != nil || !bytes.Equal(st.TokenHash, old) {
		return errRotated()
	}
	st.TokenHash, st.MailedHash = bytes.Clone(hash), nil
	return nil
}

// RotateJoinCode replaces p's join code with newKey; conflict when newKey
// is taken, not_found when the partnership is gone.
func (s *Store) RotateJoinCode(_ context.Context, p *partnership.Partnership, newKey string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.joins[newKey]; ok {
		return failure.New(failure.Conflict, "that join code is taken")
	}
	rec := s.partnerships[p.ID]
	if rec == nil {
		return failure.New(failure.NotFound, "There is no partnership with this id and token.")
	}
	if p.JoinKey != "" {
		delete(s.joins, p.JoinKey)
	}
	if c := secret.NormaliseJoinCode(p.JoinCode); c != "" && p.JoinKey == "" {
		delete(s.joins, "JOIN#"+c)
	}
	s.joins[newKey] = p.ID
	rec.meta.JoinKey, rec.meta.JoinCode = newKey, ""
	return nil
}

// CreateAction writes a new joint action; not_found when the partnership
// is gone, idempotency.ErrKeyUsed when rec's key was used.
func (s *Store) CreateAction(_ context.Context, pid string, a action.Action, rec *idempotency.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idemUsed(rec) {
		return idempotency.ErrKeyUsed
	}
	p := s.partnerships[pid]
	if p == nil {
		return failure.New(failure.NotFound, "There is no partnership with this id and token.")
	}
	if _, ok := p.actions[a.ID]; ok {
		return failure.New(failure.Conflict, "An action with this id exists.")
	}
	s.putIdem(rec)
	if rec != nil {
		p.idemKeys = append(p.idemKeys, rec.KeyHash)
	}
	p.actions[a.ID] = clone(a)
	return nil
}

// PutAction writes a change on condition the stored revision is a.Rev-1.
func (s *Store) PutAction(_ context.Context, pid string, a action.Action) error {
	if err := a.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.partnerships[pid]
	var old action.Action
	ok := false
	if p != nil {
		old, ok = p.actions[a.ID]
	}
	if !ok || old.Rev != a.Rev-1 {
		return failure.New(failure.Conflict, "Someone changed this action at the same time. Open it again to see their change, then make yours.")
	}
	p.actions[a.ID] = clone(a)
	return nil
}

// EraseSeatActions removes the owner's name and notes from the joint
// actions seat sid owns.
func (s *Store) EraseSeatActions(_ context.Context, pid, sid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.partnerships[pid]; p != nil {
		eraseSeatActions(p, sid)
	}
	return nil
}

func eraseSeatActions(p *partRec, sid string) {
	for id, a := range p.actions {
		if slices.Contains(a.OwnerSeats, sid) && a.HasPersonalData() {
			a.Owner, a.Notes = "", nil
			a.Rev++
			p.actions[id] = a
		}
	}
}

var errNameTaken = failure.Fields("Check the member council.", failure.FieldError{Field: "name", Message: "Another member council of this partnership already has this name"})

// AddSeat writes a new seat and, when round > 0, adds it to that open
// round's expected seats.
func (s *Store) AddSeat(_ context.Context, pid string, st partnership.Seat, round int, act partnership.Act, idem *idempotency.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.partnerships[pid]
	switch {
	case p == nil:
		return failure.New(failure.NotFound, "There is no partnership with this id and token.")
	case p.names[partnership.NameKey(st.Name)] != "":
		return errNameTaken
	case s.idemUsed(idem):
		return idempotency.ErrKeyUsed
	case round > 0 && (p.rounds[round] == nil || p.rounds[round].Status != partnership.Open):
		return failure.Said(failure.Conflict, "error.store.roundClosedMeanwhile", "Round", round)
	case p.seats[st.ID] != nil:
		return failure.New(failure.Conflict, "A seat with this id exists.")
	}
	c := clone(st)
	p.seats[st.ID], p.names[partnership.NameKey(st.Name)] = &c, st.ID
	p.hasSeats = true
	p.acts = append(p.acts, clone(act))
	if round > 0 {
		p.rounds[round].Expected = append(p.rounds[round].Expected, st.ID)
	}
	s.putIdem(idem)
	if idem != nil {
		p.idemKeys = append(p.idemKeys, idem.KeyHash)
	}
	return nil
}

// RenameSeat renames seat st (as read) to name, moving its name guard.
func (s *Store) RenameSeat(_ context.Context, pid string, st partnership.Seat, name string, act partnership.Act) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.partnerships[pid]
	var cur *partnership.Seat
	if p != nil {
		cur = p.seats[st.ID]
	}
	if cur == nil || cur.Name != st.Name || cur.WithdrawnAt != nil {
		return failure.Said(failure.Conflict, "error.store.seatChanged", "Council", st.Name)
	}
	oldKey, newKey := partnership.NameKey(st.Name), partnership.NameKey(name)
	if oldKey != newKey {
		if p.names[newKey] != "" {
			return errNameTaken
		}
		delete(p.names, oldKey)
		p.names[newKey] = st.ID
	}
	cur.Name = name
	p.acts = append(p.acts, clone(act))
	return nil
}

// WithdrawSeat marks seat sid withdrawn, releases its name and removes its
// shared notes from its memberships; conflict when already withdrawn.
func (s *Store) WithdrawSeat(_ context.Context, pp *partnership.Partnership, sid string, act partnership.Act) error {
	read, ok := pp.Seat(sid)
	if !ok {
		return failure.New(failure.NotFound, "The partnership has no such member council.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.partnerships[pp.ID]
	var st *partnership.Seat
	if p != nil {
		st = p.seats[sid]
	}
	if st == nil || st.WithdrawnAt != nil {
		return failure.Said(failure.Conflict, "error.partnership.seat.alreadyWithdrawn", "Council", read.Name)
	}
	if k := partnership.NameKey(read.Name); p.names[k] != "" && p.names[k] != sid {
		return failure.Said(failure.Conflict, "error.store.seatChanged", "Council", read.Name)
	}
	t := act.At.UTC()
	st.WithdrawnAt, st.MailedHash = &t, nil
	delete(p.names, partnership.NameKey(read.Name))
	p.acts = append(p.acts, clone(act))
	for n := range p.members {
		for i := range p.members[n] {
			if p.members[n][i].Seat == sid {
				p.members[n][i].Notes = nil
			}
		}
	}
	return nil
}

// AddAdmin writes the administrator and act, on condition the
// partnership exists and has fewer than MaxAdmins.
func (s *Store) AddAdmin(_ context.Context, pid string, a partnership.Admin, act partnership.Act, idem *idempotency.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idemUsed(idem) {
		return idempotency.ErrKeyUsed
	}
	p := s.partnerships[pid]
	if p == nil || p.adminCount >= partnership.MaxAdmins {
		return failure.Said(failure.Conflict, "error.partnership.admins.max", "MaxAdmins", partnership.MaxAdmins)
	}
	p.adminCount++
	p.admins = append(p.admins, clone(a))
	p.acts = append(p.acts, clone(act))
	s.putIdem(idem)
	if idem != nil {
		p.idemKeys = append(p.idemKeys, idem.KeyHash)
	}
	return nil
}

// RemoveAdmin deletes administrator a (its hash still a.TokenHash) unless
// it is the last; contact becomes the contact address.
func (s *Store) RemoveAdmin(_ context.Context, pid string, a partnership.Admin, contact string, act partnership.Act) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.partnerships[pid]
	idx := -1
	if p != nil && a.ID != partnership.FirstAdmin {
		for i := range p.admins {
			if p.admins[i].ID == a.ID && bytes.Equal(p.admins[i].TokenHash, a.TokenHash) {
				idx = i
			}
		}
		if idx < 0 {
			return failure.New(failure.NotFound, "The partnership has no such administrator.")
		}
	}
	if p == nil || p.adminCount <= 1 || (a.ID == partnership.FirstAdmin && !bytes.Equal(p.meta.AdminHash, a.TokenHash)) {
		return failure.New(failure.Conflict, "You cannot remove the only administrator: the partnership would have nobody to run it. Add another administrator first, then remove this one.")
	}
	p.adminCount--
	p.meta.ContactEmail = contact
	if a.ID == partnership.FirstAdmin {
		p.meta.AdminHash = nil
	} else {
		p.admins = slices.Delete(p.admins, idx, idx+1)
	}
	p.acts = append(p.acts, clone(act))
	return nil
}

// RotateAdmin replaces administrator id's token hash on condition it is old.
func (s *Store) RotateAdmin(_ context.Context, pid, id string, old, hash []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.partnerships[pid]
	if p == nil {
		return errRotated()
	}
	if id == partnership.FirstAdmin {
		if !bytes.Equal(p.meta.AdminHash, old) {
			return errRotated()
		}
		p.meta.AdminHash = bytes.Clone(hash)
		return nil
	}
	for i := range p.admins {
		if p.admins[i].ID == id && bytes.Equal(p.admins[i].TokenHash, old) {
			p.admins[i].TokenHash = bytes.Clone(hash)
			return nil
		}
	}
	return errRotated()
}
