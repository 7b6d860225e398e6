// Package partnership lets councils compare: a partnership has rounds
// (readiness, then health-checks); each council's assessment joins a round
// with the join code; the comparison of a round stays sealed until every
// member has submitted or the round is closed.
package partnership

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/scoring"
	"github.com/openrasp/rasp/shared/secret"
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
	ID            string
	Name          string
	Form          string
	ContactEmail  string
	AdminHash     []byte
	JoinCode      string
	CadenceMonths int
	CurrentRound  int
	CreatedAt     time.Time
	Rounds        []Round // in number order
	StopReminders bool
}

// Round is one assessment round.
type Round struct {
	Number   int
	Purpose  string
	Status   string
	OpenedAt time.Time
	ClosedAt *time.Time
	Members  []Member
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
	// CreatePartnership writes the partnership, its join code and round 1;
	// conflict when the join code is taken (the caller draws another).
	CreatePartnership(ctx context.Context, p *Partnership) error
	// LoadPartnership reads the partnership with every round and member in one Query.
	LoadPartnership(ctx context.Context, id string) (*Partnership, error)
	// OpenRound closes the current round and opens round current+1; conflict
	// when another request opened one first.
	OpenRound(ctx context.Context, p *Partnership, purpose string, now time.Time) error
	// CloseRound closes round n; conflict when it is already closed.
	CloseRound(ctx context.Context, id string, n int, now time.Time) error
	// DeletePartnership erases every item of the partnership and its join code.
	DeletePartnership(ctx context.Context, p *Partnership) error
}

// CreateInput is what a partnership is created with.
type CreateInput struct {
	Name          string
	Form          string
	ContactEmail  string
	CadenceMonths int
}

// Validate checks the input against the bank.
func (in CreateInput) Validate(b *bank.Bank) error {
	var errs []failure.FieldError
	switch {
	case in.Name == "":
		errs = append(errs, failure.FieldError{Field: "name", Message: "Enter the name of the partnership"})
	case utf8.RuneCountInString(in.Name) > 200 || strings.ContainsAny(in.Name, "\x00\r\n"):
		errs = append(errs, failure.FieldError{Field: "name", Message: "Name must be one line of 200 characters or fewer"})
	}
	if _, ok := b.Form(in.Form); !ok {
		errs = append(errs, failure.FieldError{Field: "intendedForm", Message: "Select the intended form of sharing: co-exist, communicate, cooperate, coordinate, collaborate or combine"})
	}
	if e := in.ContactEmail; e != "" {
		if addr, err := mail.ParseAddress(e); err != nil || addr.Address != e || len(e) > 254 {
			errs = append(errs, failure.FieldError{Field: "contactEmail", Message: "Enter an email address in the correct format, like name@council.gov.uk"})
		}
	}
	switch in.CadenceMonths {
	case 0, 3, 6, 12:
	default:
		errs = append(errs, failure.FieldError{Field: "cadenceMonths", Message: "Health-check cadence must be 3, 6 or 12 months"})
	}
	if len(errs) > 0 {
		return failure.Fields("Check the details of the partnership.", errs...)
	}
	return nil
}

// Service runs partnerships.
type Service struct {
	store Store
	lib   *bank.Library
	now   func() time.Time
}

// NewService returns a partnership service.
func NewService(store Store, lib *bank.Library, now func() time.Time) *Service {
	return &Service{store: store, lib: lib, now: now}
}

// Create creates a partnership with an open readiness round.
func (s *Service) Create(ctx context.Context, in CreateInput) (Created, error) {
	in.Name, in.ContactEmail = strings.TrimSpace(in.Name), strings.TrimSpace(in.ContactEmail)
	if err := in.Validate(s.lib.Current()); err != nil {
		return Created{}, err
	}
	if in.CadenceMonths == 0 {
		in.CadenceMonths = 12
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	for attempt := 0; ; attempt++ {
		token := secret.NewToken()
		p := &Partnership{
			ID: secret.NewID(), Name: in.Name, Form: in.Form, ContactEmail: in.ContactEmail, AdminHash: secret.Hash(token),
			JoinCode: secret.NewJoinCode(), CadenceMonths: in.CadenceMonths, CurrentRound: 1, CreatedAt: now,
			Rounds: []Round{{Number: 1, Purpose: Readiness, Status: Open, OpenedAt: now}},
		}
		err := s.store.CreatePartnership(ctx, p)
		if failure.CodeOf(err) == failure.Conflict && attempt < 3 {
			continue // join code collision: astronomically rare, draw again
		}
		if err != nil {
			return Created{}, err
		}
		return Created{ID: p.ID, JoinCode: p.JoinCode, AdminToken: token}, nil
	}
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

func forbidden(what string) error {
	return failure.New(failure.Forbidden, "Only the partnership's administrator can %s.", what)
}

// OpenRound opens the next round (health-check); the current one closes.
func (s *Service) OpenRound(ctx context.Context, p *Partnership, access Access, purpose string) (RoundChange, error) {
	if purpose != HealthCheck && purpose != Readiness {
		return RoundChange{}, failure.Fields("Check the purpose of the round.", failure.FieldError{Field: "purpose", Message: "Purpose must be health-check or readiness"})
	}
	if access != AdminAccess {
		return RoundChange{}, forbidden("open a round")
	}
	if err := s.store.OpenRound(ctx, p, purpose, s.now().UTC().Truncate(time.Millisecond)); err != nil {
		return RoundChange{}, err
	}
	return RoundChange{Number: p.CurrentRound + 1, Status: Open}, nil
}

// Delete erases the partnership (admin only): rounds, memberships with their
// score snapshots, the join code and the contact e-mail. Member assessments
// are the councils' own and stay; they simply no longer belong to it.
func (s *Service) Delete(ctx context.Context, p *Partnership, access Access) error {
	if access != AdminAccess {
		return forbidden("delete the partnership")
	}
	return s.store.DeletePartnership(ctx, p)
}

// CloseRound closes round n, revealing its comparison even if not everyone
// submitted. Closing a closed round is a conflict.
func (s *Service) CloseRound(ctx context.Context, p *Partnership, access Access, n int) (RoundChange, error) {
	if access != AdminAccess {
		return RoundChange{}, forbidden("close a round")
	}
	r, ok := p.Round(n)
	if !ok {
		return RoundChange{}, failure.New(failure.NotFound, "The partnership has no round %d.", n)
	}
	if r.Status == Closed {
		return RoundChange{}, failure.New(failure.Conflict, "Round %d is already closed.", n)
	}
	if err := s.store.CloseRound(ctx, p.ID, n, s.now().UTC().Truncate(time.Millisecond)); err != nil {
		return RoundChange{}, err
	}
	return RoundChange{Number: n, Status: Closed}, nil
}

// Compare returns the comparison of round n (0: the current round) of p,
// loaded with every round and member (one Query), for a principal with the
// given access. It needs no store, so the compare function links none. It is
// sealed — a *SealedError, a conflict — until every member
// has submitted or the round is closed. Prospective partners may not see
// the members' comparison: it is shared in confidence among members.
func Compare(lib *bank.Library, p *Partnership, access Access, n int) (scoring.Comparison, error) {
	if access != MemberAccess && access != AdminAccess {
		return scoring.Comparison{}, failure.New(failure.Forbidden, "A prospective partner sees its own report; the comparison is for the partnership's members.")
	}
	return compare(lib, p, n)
}

func compare(lib *bank.Library, p *Partnership, n int) (scoring.Comparison, error) {
	if n == 0 {
		n = p.CurrentRound
	}
	r, ok := p.Round(n)
	if !ok {
		return scoring.Comparison{}, failure.New(failure.NotFound, "The partnership has no round %d.", n)
	}
	if err := r.Seal(); err != nil {
		return scoring.Comparison{}, err
	}
	b := lib.Current()
	form, ok := b.Form(p.Form)
	if !ok {
		return scoring.Comparison{}, failure.New(failure.Internal, "unknown form %s", p.Form)
	}
	submittedCouncils, err := councils(lib, b, r, false)
	if err != nil {
		return scoring.Comparison{}, err
	}
	var before []scoring.Council
	prev, hasPrev := p.Round(n - 1)
	if hasPrev && r.Purpose == HealthCheck {
		if before, err = councils(lib, b, prev, false); err != nil {
			return scoring.Comparison{}, err
		}
	}
	// A round that spans question versions (or is trended against one on
	// another version) is scored on the mapped questions only, under the
	// current version's rules, and says so.
	var opt scoring.Options
	if b.UsesV2() && (otherVersion(b, submittedCouncils) || otherVersion(b, before)) {
		opt.Only = scoring.MappedQuestions(b)
	}
	cur := scoring.Compare(b, form, submittedCouncils)
	cur.Partnership, cur.Round = p.ID, n
	if b.UsesV2() {
		scoring.WithV2(&cur, b, r.Purpose, p.Form, seated(submittedCouncils), opt)
	}
	if hasPrev && r.Purpose == HealthCheck {
		was := scoring.Compare(b, form, before)
		if b.UsesV2() {
			scoring.WithV2(&was, b, prev.Purpose, p.Form, seated(before), opt)
		}
		cur.Trend = scoring.TrendOf(prev.Number, was, cur)
		cur.Trend.MappedOnly = opt.Only != nil
	}
	prospects, err := councils(lib, b, r, true)
	if err != nil {
		return scoring.Comparison{}, err
	}
	for _, c := range prospects {
		cur.Prospective = append(cur.Prospective, scoring.Prospect(b, form, cur, c))
	}
	return cur, nil
}

// scores reads a member's snapshot into responses keyed for bank b: a
// snapshot taken on an older bank version is mapped through b's mapping
// (merged questions carry the weaker answer).
func scores(lib *bank.Library, b *bank.Bank, m Member) (scoring.Responses, error) {
	mb, ok := lib.Get(m.Version)
	if !ok {
		return nil, failure.New(failure.Internal, "question bank %s is not available", m.Version)
	}
	rs, ok := scoring.DecodeResponses(mb, m.Snapshot)
	if !ok {
		return nil, failure.New(failure.Internal, "snapshot of assessment %s does not fit bank %s", m.Assessment, m.Version)
	}
	if mb.Version == b.Version {
		return rs, nil
	}
	if b.Previous == mb.Version {
		mapped, _ := scoring.MappedResponses(b, mb.Version, scoring.ScoresOf(rs))
		return mapped, nil
	}
	out := make(scoring.Responses, len(rs))
	for id, v := range rs {
		if _, same := b.Question(id); same {
			out[id] = v
		}
	}
	return out, nil
}

// councils returns the submitted members of a round in the order they
// joined, scores keyed for bank b; of several submissions by one council the
// latest counts.
func councils(lib *bank.Library, b *bank.Bank, r *Round, prospective bool) ([]scoring.Council, error) {
	var out []scoring.Council
	index := map[string]int{}
	latest := map[string]time.Time{}
	for _, m := range r.Members {
		if m.Prospective != prospective || m.Status != Submitted || m.SubmittedAt == nil {
			continue
		}
		rs, err := scores(lib, b, m)
		if err != nil {
			return nil, err
		}
		c := scoring.Council{Name: m.Council, Answers: scoring.ScoresOf(rs), Responses: rs, Version: m.Version}
		k := councilKey(m.Council)
		if i, seen := index[k]; seen {
			if m.SubmittedAt.After(latest[k]) {
				out[i], latest[k] = c, *m.SubmittedAt
			}
			continue
		}
		index[k], latest[k] = len(out), *m.SubmittedAt
		out = append(out, c)
	}
	return out, nil
}

func otherVersion(b *bank.Bank, cs []scoring.Council) bool {
	for _, c := range cs {
		if c.Version != b.Version {
			return true
		}
	}
	return false
}

func seated(cs []scoring.Council) []scoring.Seated {
	out := make([]scoring.Seated, 0, len(cs))
	for _, c := range cs {
		out = append(out, scoring.Seated{Name: c.Name, Responses: c.Responses})
	}
	return out
}

// councilKey matches council names typed differently ("Brent", "brent ").
func councilKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }
