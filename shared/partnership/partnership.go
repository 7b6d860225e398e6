// Package partnership lets councils compare: a partnership has rounds
// (readiness, then health-checks); each council's assessment joins a round
// with the join code; the comparison of a round stays sealed until every
// member has submitted or the round is closed.
package partnership

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/names"
	"github.com/openrasp/rasp/shared/secret"
	"github.com/openrasp/rasp/shared/viewer"
)

// Round statuses.
const (
	Open   = "open"
	Closed = "closed"
)

// Round purposes: the first readiness check, then periodic health-checks.
const (
	Readiness   = "readiness"
	HealthCheck = "health-check"
)

// Member statuses: the status of the member's assessment.
const (
	Draft     = "draft"
	Submitted = "submitted"
)

// Partnership is a group of councils sharing (or planning to share) a service.
type Partnership struct {
	ID   string
	Name string
	Form string
	// ContactEmail is where the partnership's notices to its
	// administrators go: the first administrator's address while they
	// stay, then the next administrator's with one.
	ContactEmail string
	// AdminHash is the first administrator's token hash, written at
	// creation; Admins lists every administrator, that one included.
	AdminHash []byte
	Admins    []Admin
	// JoinCode is the join code in clear only when it has just been made
	// (creation, rotation) to be shown once, or for a partnership from
	// before codes were stored hashed, until its code is rotated. JoinKey is
	// its stored hash (secret.JoinKey).
	JoinCode      string
	JoinKey       string
	CadenceMonths int
	CurrentRound  int
	CreatedAt     time.Time
	Rounds        []Round // in number order
	StopReminders bool
	// Due is when the daily job first looks at a new partnership (its
	// round 1's earliest event): set by Create, written by the store.
	Due time.Time
	// Seats are the member councils, in the order the admin listed them.
	Seats []Seat
	// Actions are the joint action register, oldest first (read in the
	// same Query as everything else).
	Actions []action.Action
	// Acts are the administrators' acts, oldest first: shown to members.
	Acts []Act
	// Viewers are the read-only links to a round's comparison (issue 20),
	// as stored: expired ones too, until the table's TTL deletes them.
	Viewers []viewer.Link
	// Lang is the language of the page or request that created the
	// partnership, its contact's: the mails the partnership sends are
	// written in it. English for one stored before languages were kept.
	Lang locale.Lang
}

// Round is one assessment round.
type Round struct {
	Number   int
	Purpose  string
	Status   string
	OpenedAt time.Time
	ClosedAt *time.Time
	Members  []Member
	// Expected are the seats the round waits for: every seat not withdrawn
	// when it opened. Rounds written before seats existed have none; their
	// members are matched by council name as they were then.
	Expected []string
	// Deadline is when the round closes by itself (the daily job): the
	// start of the day after the date the administrator picked. Zero for
	// none.
	Deadline time.Time
}

// Member is one council's assessment in a round.
type Member struct {
	Assessment  string
	Council     string
	Status      string
	Prospective bool
	TokenHash   []byte
	Version     string
	JoinedAt    time.Time
	SubmittedAt *time.Time
	// Snapshot is the scores at submit (scoring.EncodeSnapshot, in the
	// order of bank Version).
	Snapshot string
	// Seat is the member council's seat; empty on rounds from before seats.
	Seat string
	// PreferredForm is the form of sharing the council would itself go to,
	// when it differs from the partnership's (optional).
	PreferredForm string
	// Notes are the notes the council chose to share with its partners
	// (question id → note), copied here at submit or when it changes its
	// choice; nil when it does not share.
	Notes map[string]string
}

// Round returns round n.
func (p *Partnership) Round(n int) (*Round, bool) {
	for i := range p.Rounds {
		if p.Rounds[i].Number == n {
			return &p.Rounds[i], true
		}
	}
	return nil, false
}

// Store is what the service needs from storage.
type Store interface {
	// CreatePartnership writes the partnership, its seats, its join code and
	// round 1; conflict when the join code is taken (the caller draws another).
	CreatePartnership(ctx context.Context, p *Partnership, idem *idempotency.Record) error
	// LoadPartnership reads the partnership with every round and member in one Query.
	LoadPartnership(ctx context.Context, id string) (*Partnership, error)
	// OpenRound closes round after and opens r (round after+1, with its
	// expected seats and deadline), putting the partnership on the due index
	// at due; conflict when the partnership is no longer at round after.
	// act is logged in the same transaction.
	OpenRound(ctx context.Context, p *Partnership, after int, r Round, due time.Time, idem *idempotency.Record, act Act) error
	// CloseRound closes round n and logs act; conflict when it is already
	// closed.
	CloseRound(ctx context.Context, id string, n int, act Act) error
	// Idempotency reads a record; nil when there is none. Reseal
	// replaces an existing record's sealed result.
	Idempotency(ctx context.Context, keyHash string) (*idempotency.Record, error)
	Reseal(ctx context.Context, rec *idempotency.Record) error
	// RotateJoinCode replaces p's join code (its stored key, and a code
	// from before keys, if any) with newKey; conflict when newKey is taken.
	RotateJoinCode(ctx context.Context, p *Partnership, newKey string) error
	// DeletePartnership erases every item of the partnership and its join code.
	DeletePartnership(ctx context.Context, p *Partnership) error
	// SetSeatMailedHash stores the hash of a seat's mailed token (a second
	// credential for the seat, replacing the previous mailed one).
	SetSeatMailedHash(ctx context.Context, pid, sid string, hash []byte) error
	// RotateSeat replaces a seat's invitation hash, on condition it is old,
	// and drops its mailed token.
	RotateSeat(ctx context.Context, pid, sid string, old, hash []byte) error
	ActionStore
	SeatStore
	AdminStore
}

// DefaultCadenceMonths is the health-check cadence of a partnership created
// without one.
const DefaultCadenceMonths = 12

// CreateInput is what a partnership is created with.
type CreateInput struct {
	Name          string
	Form          string
	ContactEmail  string
	CadenceMonths int
	// Councils are the member councils: each gets a seat and an invitation.
	Councils []SeatInput
	// Lang is the contact's language (the page's, or the API request's
	// Accept-Language); empty means English.
	Lang locale.Lang
}

// Validate checks the input against the bank.
func (in CreateInput) Validate(b *bank.Bank) error {
	var errs []failure.FieldError
	_, reason := names.Clean(in.Name)
	switch {
	case in.Name == "":
		errs = append(errs, failure.FieldError{Field: "name", Message: "Enter the name of the partnership"})
	case reason != "":
		errs = append(errs, failure.FieldError{Field: "name", Message: "The name of the partnership " + reason})
	case utf8.RuneCountInString(in.Name) > 200:
		errs = append(errs, failure.FieldError{Field: "name", Message: "Name must be one line of 200 characters or fewer"})
	}
	if _, ok := b.Form(in.Form); !ok {
		errs = append(errs, failure.FieldError{Field: "intendedForm", Message: "Select the intended form of sharing: co-exist, communicate, cooperate, coordinate, collaborate or combine"})
	}
	if e := in.ContactEmail; e != "" {
		if !mail.ValidAddress(e) {
			errs = append(errs, failure.FieldError{Field: "contactEmail", Message: "Enter an email address in the correct format, like name@council.gov.uk"})
		}
	}
	// Zero is refused, not read as "the default": a client that sends 0
	// means something, and 12 is what it gets only by leaving it out.
	switch in.CadenceMonths {
	case 3, 6, 12:
	default:
		errs = append(errs, failure.FieldError{Field: "cadenceMonths", Message: "Health-check cadence must be 3, 6 or 12 months"})
	}
	// Councils are optional in the API (docs/design.md D6: additive
	// changes only); a partnership without seats works as before seats, its
	// members joining by the join code, until it gets seats (make migrate).
	switch n := len(in.Councils); {
	case n > MaxSeats:
		errs = append(errs, failure.FieldError{Field: "councils", Message: fmt.Sprintf("A partnership can have up to %d member councils", MaxSeats)})
	default:
		errs = append(errs, validateSeats(in.Councils, nil, "councils")...)
	}
	if in.Lang != "" && !in.Lang.Valid() {
		errs = append(errs, failure.FieldError{Field: "lang", Message: "Language must be en or cy"})
	}
	if len(errs) > 0 {
		return failure.Fields("Check the details of the partnership.", errs...)
	}
	return nil
}

// Service runs partnerships.
type Service struct {
	store   Store
	actions ActionStore
	lib     *bank.Library
	now     func() time.Time
	mail    mail.Mailer
	links   Links
	log     *slog.Logger
}

// NewService returns a partnership service.
func NewService(store Store, lib *bank.Library, now func() time.Time) *Service {
	return &Service{store: store, actions: store, lib: lib, now: now, log: slog.New(slog.DiscardHandler)}
}

// WithMail makes the service mail links and notices (admin link and seat
// invitations at creation, round openings, submits and unsealing) through
// m, with the links that links builds. Without it nothing is mailed and
// links are only shown once.
func (s *Service) WithMail(m mail.Mailer, links Links, log *slog.Logger) *Service {
	s.mail, s.links, s.log = m, links, log
	return s
}

// Links are the links the service mails; routes.Links builds them from the
// route table, so the domain never spells a path.
type Links interface {
	// Admin is an administrator's link to partnership pid.
	Admin(pid, token string) string
	// Invitation is the link carrying seat sid's invitation to partnership pid.
	Invitation(pid, sid, token string) string
}

// Create creates a partnership with its seats and an open readiness round
// that expects every seat. The admin link goes to the contact address and
// each invitation to its seat's address, when given.
func (s *Service) Create(ctx context.Context, in CreateInput, idem idempotency.Request) (Created, error) {
	in.Name, _ = names.Clean(in.Name)
	in.ContactEmail = strings.TrimSpace(in.ContactEmail)
	for i := range in.Councils {
		in.Councils[i].Normalise()
	}
	if err := in.Validate(s.lib.Current()); err != nil {
		return Created{}, err
	}
	var out Created
	if ok, err := idempotency.Replay(ctx, s.store, idem, in, &out); ok || err != nil {
		return out, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	for attempt := 0; ; attempt++ {
		token := secret.NewToken()
		p := &Partnership{
			ID: secret.NewID(), Name: in.Name, Form: in.Form, ContactEmail: in.ContactEmail, AdminHash: secret.Hash(token),
			JoinCode: secret.NewJoinCode(), CadenceMonths: in.CadenceMonths, CurrentRound: 1, CreatedAt: now, Lang: locale.Stored(string(in.Lang)),
			Rounds: []Round{{Number: 1, Purpose: Readiness, Status: Open, OpenedAt: now}},
		}
		p.JoinKey = secret.JoinKey(secret.NormaliseJoinCode(p.JoinCode))
		p.Admins = []Admin{{ID: FirstAdmin, Email: p.ContactEmail, TokenHash: p.AdminHash, AddedAt: now}}
		out := Created{ID: p.ID, JoinCode: p.JoinCode, AdminToken: token}
		for i, c := range in.Councils {
			st := secret.NewToken()
			seat := Seat{ID: secret.NewID(), Name: c.Name, GSSCode: c.GSSCode, Email: c.Email, TokenHash: secret.Hash(st), AddedAt: now, Position: i}
			p.Seats = append(p.Seats, seat)
			p.Rounds[0].Expected = append(p.Rounds[0].Expected, seat.ID)
			out.Seats = append(out.Seats, Invitation{Seat: seat.ID, Council: seat.Name, Token: st})
		}
		p.Due, _ = p.Rounds[0].NextEvent(now)
		// The record is sealed as if every address given will be mailed;
		// mails go only once the partnership exists.
		mailed := s.expectMailed(p, out)
		rec, err := idem.Seal(in, mailed, now)
		if err != nil {
			return Created{}, err
		}
		err = s.store.CreatePartnership(ctx, p, rec)
		if errors.Is(err, idempotency.ErrKeyUsed) {
			var won Created
			return won, idempotency.Raced(ctx, s.store, idem, in, &won)
		}
		if failure.CodeOf(err) == failure.Conflict && attempt < 3 {
			continue // join code collision: astronomically rare, draw again
		}
		if err != nil {
			return Created{}, err
		}
		s.mailCreated(ctx, p, &out)
		if rec != nil && !reflect.DeepEqual(out, mailed) {
			// A send failed: a replay must say so too. Should this write
			// fail, the replay says mailed where it was not; the reply now
			// is right and carries the links either way.
			if again, err := idem.Seal(in, out, now); err == nil {
				if err := s.store.Reseal(ctx, again); err != nil {
					s.log.WarnContext(ctx, "idempotency record not corrected", slog.String("partnership", p.ID), slog.String("error", err.Error()))
				}
			}
		}
		return out, nil
	}
}

// expectMailed is out as it will be once every address given is mailed.
func (s *Service) expectMailed(p *Partnership, out Created) Created {
	out.Seats = slices.Clone(out.Seats)
	if s.mail == nil {
		return out
	}
	out.AdminMailed = p.ContactEmail != ""
	for i, inv := range out.Seats {
		seat, ok := p.Seat(inv.Seat)
		out.Seats[i].Mailed = ok && seat.Email != ""
	}
	return out
}

// mailCreated sends the admin link and the invitations. A failed send is
// logged (without the address) and reported as not mailed: the links are
// shown once in the reply either way.
func (s *Service) mailCreated(ctx context.Context, p *Partnership, out *Created) {
	if s.mail == nil {
		return
	}
	if p.ContactEmail != "" {
		out.AdminMailed = s.send(ctx, adminLinkMail(p, s.links.Admin(p.ID, out.AdminToken)), p.ID)
	}
	for i, inv := range out.Seats {
		if seat, ok := p.Seat(inv.Seat); ok && seat.Email != "" {
			out.Seats[i].Mailed = s.send(ctx, invitationMail(p, seat, s.links.Invitation(p.ID, seat.ID, inv.Token)), p.ID)
		}
	}
}

func (s *Service) send(ctx context.Context, m mail.Message, pid string) bool {
	if s.mail == nil || m.To == "" {
		return false
	}
	if err := s.mail.Send(ctx, m); err != nil {
		s.log.WarnContext(ctx, "partnership mail not sent", slog.String("partnership", pid), slog.String("subject", m.Subject), slog.String("error", err.Error()))
		return false
	}
	return true
}

// Access is what a principal may do in a partnership (shared/auth proves
// it; the service decides from it).
type Access int

const (
	NoAccess Access = iota
	ProspectiveAccess
	MemberAccess
	AdminAccess
)

// forbidden is the error for a caller who is not an administrator, its
// message the catalogue's key saying what only an administrator can do.
func forbidden(key string) error {
	return failure.Said(failure.Forbidden, key)
}

// OnlyMember is the partnership as a prospective partner may see it: its
// own membership, no seats, no other members' names or dates.
func (p *Partnership) OnlyMember(member string) *Partnership {
	q := *p
	q.Seats, q.Acts, q.Rounds = nil, nil, make([]Round, len(p.Rounds))
	for i, r := range p.Rounds {
		r.Expected, r.Members = nil, nil
		for _, m := range p.Rounds[i].Members {
			if m.Assessment == member {
				r.Members = append(r.Members, m)
			}
		}
		q.Rounds[i] = r
	}
	return &q
}

// MemberName is a member's council as shown in English (MemberNameIn).
func (p *Partnership) MemberName(m Member) string { return p.MemberNameIn(locale.English, m) }

// MemberNameIn is a member's council as shown in l: its seat's label when
// it has one (renames apply to past rounds too), else the name it was
// started with.
func (p *Partnership) MemberNameIn(l locale.Lang, m Member) string {
	if st, ok := p.Seat(m.Seat); ok {
		return st.LabelIn(l)
	}
	return m.Council
}

// RoundInput is what a round is opened with.
type RoundInput struct {
	Purpose string
	// After is the round the new one follows (0: the current round, for
	// callers that do not say).
	After int
	// Deadline is optional.
	Deadline DeadlineInput
}

// OpenRound opens the next round (health-check) after round in.After; the
// current one closes. The new round expects every seat not withdrawn and,
// with a deadline, closes by itself at the end of that day. It returns
// invalid (purpose, after, deadline), forbidden for anyone but an admin,
// and conflict (stale) when after is no longer the current round: a
// retried request must not open a second round.
func (s *Service) OpenRound(ctx context.Context, p *Partnership, access Access, in RoundInput, idem idempotency.Request) (RoundChange, error) {
	purpose, after := in.Purpose, in.After
	in.Deadline.Normalise()
	var errs []failure.FieldError
	if purpose != HealthCheck && purpose != Readiness {
		errs = append(errs, failure.FieldError{Field: "purpose", Message: "Purpose must be health-check or readiness"})
	}
	if after < 0 || after > MaxRound {
		errs = append(errs, failure.FieldError{Field: "after", Message: "must be the number of the partnership's current round"})
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	deadline, err := in.Deadline.Closes(now)
	if fe, ok := failure.As(err); ok {
		errs = append(errs, fe.Fields...)
	}
	if len(errs) > 0 {
		return RoundChange{}, failure.Fields("Check the round.", errs...)
	}
	if access != AdminAccess {
		return RoundChange{}, forbidden("error.partnership.forbidden.openRound")
	}
	// A replay comes before the stale check: the first request moved the
	// partnership on (docs/design.md D2).
	body := struct {
		Purpose  string
		After    int
		Deadline string `json:",omitempty"`
	}{purpose, after, in.Deadline.Date}
	var out RoundChange
	if ok, err := idempotency.Replay(ctx, s.store, idem, body, &out); ok || err != nil {
		return out, err
	}
	if after == 0 {
		after = p.CurrentRound
	}
	if after != p.CurrentRound {
		return RoundChange{}, staleRound(after, p.CurrentRound)
	}
	r := Round{Number: after + 1, Purpose: purpose, Status: Open, OpenedAt: now, Expected: p.activeSeats(), Deadline: deadline}
	out = RoundChange{Number: r.Number, Status: Open, LastDay: r.LastDay()}
	rec, err := idem.Seal(body, out, now)
	if err != nil {
		return RoundChange{}, err
	}
	// The daily job first looks at the round at its earliest event (the
	// nudge, or the deadline's reminder if sooner).
	due, _ := r.NextEvent(now)
	act := Act{At: now, Kind: ActOpenRound, Round: r.Number}
	if err := s.store.OpenRound(ctx, p, after, r, due, rec, act); err != nil {
		if errors.Is(err, idempotency.ErrKeyUsed) {
			var won RoundChange
			return won, idempotency.Raced(ctx, s.store, idem, body, &won)
		}
		if failure.CodeOf(err) == failure.Conflict {
			return RoundChange{}, staleRound(after, after+1)
		}
		return RoundChange{}, err
	}
	s.mailRoundOpened(ctx, p, r)
	return out, nil
}

func staleRound(after, current int) error {
	return failure.Said(failure.Conflict, "error.partnership.round.stale", "After", after, "Current", current).Of(failure.KindStale)
}

// Delete erases the partnership (admin only): rounds, memberships with their
// score snapshots, the join code and the contact e-mail. Member assessments
// are the councils' own and stay; they simply no longer belong to it.
func (s *Service) Delete(ctx context.Context, p *Partnership, access Access) error {
	if access != AdminAccess {
		return forbidden("error.partnership.forbidden.delete")
	}
	return s.store.DeletePartnership(ctx, p)
}

// CloseRound closes round n, revealing its comparison even if not everyone
// submitted. Closing a closed round is a conflict.
func (s *Service) CloseRound(ctx context.Context, p *Partnership, access Access, n int) (RoundChange, error) {
	if access != AdminAccess {
		return RoundChange{}, forbidden("error.partnership.forbidden.closeRound")
	}
	r, ok := p.Round(n)
	if !ok {
		return RoundChange{}, failure.Said(failure.NotFound, "error.partnership.round.none", "Round", n)
	}
	if r.Status == Closed {
		return RoundChange{}, failure.Said(failure.Conflict, "error.partnership.round.closed", "Round", n)
	}
	if err := s.store.CloseRound(ctx, p.ID, n, Act{At: s.now().UTC().Truncate(time.Millisecond), Kind: ActCloseRound, Round: n}); err != nil {
		return RoundChange{}, err
	}
	return RoundChange{Number: n, Status: Closed}, nil
}

// RotateJoinCode gives the partnership a new join code (admin only) and
// returns it, shown this once: the old code stops working at once. Codes
// are stored only as keys (secret.JoinKey), so a lost code cannot be shown
// again, only replaced.
func (s *Service) RotateJoinCode(ctx context.Context, p *Partnership, access Access) (string, error) {
	if access != AdminAccess {
		return "", forbidden("error.partnership.forbidden.joinCode")
	}
	for attempt := 0; ; attempt++ {
		code := secret.NewJoinCode()
		// One key per try: it costs 50,000 rounds of PBKDF2.
		joinKey := secret.JoinKey(secret.NormaliseJoinCode(code))
		err := s.store.RotateJoinCode(ctx, p, joinKey)
		if failure.CodeOf(err) == failure.Conflict && attempt < 3 {
			continue // that code is another partnership's: draw again
		}
		if err != nil {
			return "", err
		}
		p.JoinCode, p.JoinKey = code, joinKey
		return code, nil
	}
}

// ViewerRound is the round a read-only link to the comparison shows: round
// n, or the current round when n is 0. A round the partnership does not
// have is invalid, naming the round field.
func (p *Partnership) ViewerRound(n int) (int, error) {
	if n == 0 {
		n = p.CurrentRound
	}
	if _, ok := p.Round(n); !ok || n < 1 {
		return 0, failure.Fields("Check the round.", failure.FieldError{Field: "round", Message: fmt.Sprintf("must be one of the partnership's rounds, 1 to %d", p.CurrentRound)})
	}
	return n, nil
}
