// Package memstore holds assessments and partnerships in memory, behind
// one mutex, with the same conditions and errors as shared/dynamo: each
// method is all or nothing, as a DynamoDB transaction is. It is the store
// of the domain's unit tests (milliseconds, no Java); the contract test in
// shared/memstore/storetest runs the same cases against both stores, so the
// two cannot drift apart unnoticed.
package memstore

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
)

var (
	_ assessment.Store  = (*Store)(nil)
	_ partnership.Store = (*Store)(nil)
)

// Store is an in-memory store. The zero value is not usable: call New.
type Store struct {
	mu           sync.Mutex
	assessments  map[string]*assessRec
	partnerships map[string]*partRec
	idem         map[string]idempotency.Record
	joins        map[string]string // join key (or "JOIN#"+code) → partnership id
	now          func() time.Time
}

// New returns an empty store.
func New() *Store {
	return &Store{assessments: map[string]*assessRec{}, partnerships: map[string]*partRec{},
		idem: map[string]idempotency.Record{}, joins: map[string]string{}, now: time.Now}
}

type area struct {
	rev       int64
	status    string
	answers   map[string]assessment.Answer
	updatedAt time.Time
	heldUntil time.Time
}

type colleagueRec struct {
	c     assessment.Colleague // without Answers and Revisions
	areas map[string]*area
}

type assessRec struct {
	meta           assessment.Assessment // without answers, colleagues, actions
	areas          map[string]*area
	colleagues     map[string]*colleagueRec
	actions        map[string]assessment.OwnAction
	idemKeyHash    string
	successorRound *int
}

func (s *Store) putIdem(rec *idempotency.Record) {
	if rec != nil {
		s.idem[rec.KeyHash] = clone(*rec)
	}
}

func (s *Store) idemUsed(rec *idempotency.Record) bool {
	if rec == nil {
		return false
	}
	_, ok := s.idem[rec.KeyHash]
	return ok
}

// Idempotency reads a record; nil when there is none or it has expired.
func (s *Store) Idempotency(_ context.Context, keyHash string) (*idempotency.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.idem[keyHash]
	if !ok || !time.Now().Before(rec.ExpiresAt) {
		return nil, nil
	}
	out := clone(rec)
	out.ExpiresAt = time.Unix(rec.ExpiresAt.Unix(), 0) // stored in seconds, as the TTL attribute is
	return &out, nil
}

// Reseal replaces the sealed result of an existing record.
func (s *Store) Reseal(_ context.Context, rec *idempotency.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.idem[rec.KeyHash]
	if !ok || old.BodyHash != rec.BodyHash {
		return failure.New(failure.Conflict, "The request changed at the same time; try again.")
	}
	old.Sealed = bytes.Clone(rec.Sealed)
	s.idem[rec.KeyHash] = old
	return nil
}

// Create writes a new assessment with its answers copied forward, its
// membership, its idempotency record and its carried actions, all or nothing.
func (s *Store) Create(_ context.Context, a *assessment.Assessment, m *assessment.Membership, idem *idempotency.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idemUsed(idem) {
		return idempotency.ErrKeyUsed
	}
	if _, ok := s.assessments[a.ID]; ok {
		return failure.New(failure.Conflict, "An assessment with this id exists.")
	}
	broughtIn := a.PartnershipID != "" && a.Purpose != assessment.HealthCheck
	var source *assessRec // the assessment whose successor this is
	if a.CopiedFrom != "" && !broughtIn {
		src := s.assessments[a.CopiedFrom]
		live := src != nil && src.meta.Status == assessment.Submitted
		// With a seat, the round's slot is the one-per-round guard.
		if successor := m == nil || m.Seat == ""; !successor {
			if !live {
				return failure.New(failure.NotFound, "The assessment to start from has been deleted.")
			}
		} else {
			if !live || (src.successorRound != nil && *src.successorRound >= a.Round) {
				if a.Round == 0 {
					return failure.New(failure.Conflict, "This self-review has already been re-assessed. Carry on with the private link you were given then, or re-assess the newer one.")
				}
				return failure.Said(failure.Conflict, "error.store.healthCheckStarted", "Round", a.Round)
			}
			source = src
		}
	}
	var p *partRec
	if m != nil {
		p = s.partnerships[m.PartnershipID]
		if m.Seat != "" {
			if p != nil && p.slots[slotKey(m.Round, m.Seat)] != "" {
				return failure.Said(failure.Conflict, "error.seat.started", "Council", a.Council, "Round", a.Round)
			}
			if p == nil || p.seats[m.Seat] == nil || p.seats[m.Seat].WithdrawnAt != nil {
				return failure.New(failure.Conflict, "This council's seat in the partnership was withdrawn.")
			}
		}
		if p == nil || p.rounds[m.Round] == nil || p.rounds[m.Round].Status != partnership.Open {
			return failure.New(failure.Conflict, "The partnership's current round is closed. Ask the partnership's administrator to open a new round.")
		}
	}
	// Every condition holds: write.
	s.putIdem(idem)
	rec := &assessRec{meta: stripAssessment(a), areas: map[string]*area{}, colleagues: map[string]*colleagueRec{}, actions: map[string]assessment.OwnAction{}}
	if idem != nil {
		rec.idemKeyHash = idem.KeyHash
	}
	for q, ans := range a.Answers {
		ar, _, _ := strings.Cut(q, ".")
		if rec.areas[ar] == nil {
			rec.areas[ar] = &area{rev: 0, status: a.Status, answers: map[string]assessment.Answer{}, updatedAt: a.CreatedAt}
		}
		rec.areas[ar].answers[q] = clone(ans)
	}
	for _, o := range a.Actions {
		rec.actions[o.ID] = clone(o)
	}
	s.assessments[a.ID] = rec
	if source != nil {
		r := a.Round
		source.successorRound = &r
	}
	if m != nil {
		p.members[m.Round] = appendMember(p.members[m.Round], partnership.Member{Assessment: a.ID, Council: a.Council, Status: a.Status,
			Prospective: m.Prospective, TokenHash: bytes.Clone(a.TokenHash), Version: a.Version, JoinedAt: a.CreatedAt, Seat: m.Seat, PreferredForm: a.PreferredForm})
		if m.Seat != "" {
			p.slots[slotKey(m.Round, m.Seat)] = a.ID
		}
	}
	return nil
}

func stripAssessment(a *assessment.Assessment) assessment.Assessment {
	meta := clone(*a)
	meta.Answers, meta.Revisions, meta.Colleagues, meta.Actions, meta.Viewers = nil, nil, nil, nil, nil
	return meta
}

// Load reads the assessment with all its answers; not_found when absent.
func (s *Store) Load(_ context.Context, id string) (*assessment.Assessment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.assessments[id]
	if !ok {
		return nil, failure.New(failure.NotFound, "There is no assessment with this id and token.")
	}
	a := clone(rec.meta)
	// As the DynamoDB store reads an item written without a language.
	a.Lang = locale.Stored(string(a.Lang))
	a.Answers, a.Revisions = map[string]assessment.Answer{}, map[string]int64{}
	for name, ar := range rec.areas {
		a.Revisions[name] = ar.rev
		for q, ans := range ar.answers {
			a.Answers[q] = clone(ans)
		}
		if ar.updatedAt.After(a.UpdatedAt) {
			a.UpdatedAt = ar.updatedAt
		}
	}
	for _, c := range rec.colleagues {
		out := clone(c.c)
		out.Answers, out.Revisions = map[string]assessment.Answer{}, map[string]int64{}
		for name, ar := range c.areas {
			out.Revisions[name] = ar.rev
			for q, ans := range ar.answers {
				out.Answers[q] = clone(ans)
			}
		}
		a.Colleagues = append(a.Colleagues, out)
	}
	sort.SliceStable(a.Colleagues, func(i, j int) bool { return a.Colleagues[i].InvitedAt.Before(a.Colleagues[j].InvitedAt) })
	for _, o := range rec.actions {
		a.Actions = append(a.Actions, clone(o))
	}
	sort.SliceStable(a.Actions, func(i, j int) bool { return a.Actions[i].CreatedAt.Before(a.Actions[j].CreatedAt) })
	return &a, nil
}

func held(t, now time.Time) bool { return !t.IsZero() && !t.Before(now) }

// SaveAnswers writes answers grouped by area, all areas or none: an
// existing area only while it is a draft and not held by a submit (with
// exact, only at its current revision), a missing one only while it is
// still missing and the assessment a draft; with exact, untouched areas
// must still be at their current revisions.
func (s *Store) SaveAnswers(_ context.Context, id string, req assessment.SaveRequest, now time.Time, current map[string]int64, exact bool) (map[string]int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	touched := map[string]bool{}
	for a := range req.Answers {
		touched[a] = true
	}
	for a := range req.Partial {
		touched[a] = true
	}
	for a := range req.Cleared {
		if current[a] != assessment.NoItem {
			touched[a] = true
		}
	}
	if len(touched) == 0 {
		return map[string]int64{}, nil
	}
	rec := s.assessments[id]
	creates := false
	for a := range touched {
		creates = creates || current[a] == assessment.NoItem
	}
	nowms := time.UnixMilli(now.UnixMilli())
	if creates && (rec == nil || rec.meta.Status != assessment.Draft || held(rec.meta.HeldUntil, nowms)) {
		return nil, assessment.ErrConditionFailed
	}
	for name := range touched {
		var ar *area
		if rec != nil {
			ar = rec.areas[name]
		}
		if current[name] == assessment.NoItem {
			if ar != nil {
				return nil, assessment.ErrConditionFailed
			}
			continue
		}
		if ar == nil || ar.status != assessment.Draft || held(ar.heldUntil, nowms) || (exact && ar.rev != current[name]) {
			return nil, assessment.ErrConditionFailed
		}
		for q := range req.Partial[name] {
			if _, ok := ar.answers[q]; !ok {
				return nil, assessment.ErrConditionFailed
			}
		}
	}
	if exact {
		for name, rev := range current {
			if touched[name] {
				continue
			}
			var ar *area
			if rec != nil {
				ar = rec.areas[name]
			}
			if (rev == assessment.NoItem) != (ar == nil) || (ar != nil && ar.rev != rev) {
				return nil, assessment.ErrConditionFailed
			}
		}
	}
	revs := map[string]int64{}
	for name := range touched {
		ar := rec.areas[name]
		if ar == nil {
			ar = &area{status: assessment.Draft, answers: map[string]assessment.Answer{}}
			rec.areas[name] = ar
		}
		for q, ans := range req.Answers[name] {
			ar.answers[q] = clone(ans)
		}
		for q, e := range req.Partial[name] {
			ar.answers[q] = applyEdit(ar.answers[q], e)
		}
		for _, q := range req.Cleared[name] {
			delete(ar.answers, q)
		}
		ar.rev++
		ar.updatedAt = now
		revs[name] = ar.rev
	}
	if creates {
		rec.meta.UpdatedAt = now
	}
	return revs, nil
}

// applyEdit sets the fields a partial change sends, as areaUpdate does.
func applyEdit(a assessment.Answer, e assessment.Edit) assessment.Answer {
	if e.SetScore {
		a.NotApplicable, a.Reason = false, ""
		a.Score = clone(e.Score)
	}
	if e.Note != nil {
		a.Note = *e.Note
	}
	switch {
	case e.Why != nil && strings.TrimSpace(*e.Why) != "":
		a.Why = strings.TrimSpace(*e.Why)
	case e.Why != nil || e.SetScore:
		a.Why = ""
	}
	a.Stale = false
	return a
}

// HoldForSubmit makes saves fail until until; ErrConditionFailed when the
// assessment or one of a's areas is no longer a draft.
func (s *Store) HoldForSubmit(_ context.Context, a *assessment.Assessment, until time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.assessments[a.ID]
	if rec == nil || rec.meta.Status != assessment.Draft {
		return assessment.ErrConditionFailed
	}
	for name := range a.Revisions {
		if ar := rec.areas[name]; ar == nil || ar.status != assessment.Draft {
			return assessment.ErrConditionFailed
		}
	}
	until = time.UnixMilli(until.UnixMilli()).UTC()
	rec.meta.HeldUntil = until
	for name := range a.Revisions {
		rec.areas[name].heldUntil = until
	}
	return nil
}

// Submit marks the assessment submitted iff it is a draft and no area
// changed since a.Revisions were read, and stores the snapshot on its
// membership with the notes it shares.
func (s *Store) Submit(_ context.Context, a *assessment.Assessment, now time.Time, snapshot string, shared map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.assessments[a.ID]
	if rec == nil || rec.meta.Status != assessment.Draft {
		return assessment.ErrConditionFailed
	}
	for name, rev := range a.Revisions {
		ar := rec.areas[name]
		if ar == nil || ar.rev != rev || ar.status != assessment.Draft {
			return assessment.ErrConditionFailed
		}
	}
	var m *partnership.Member
	if a.PartnershipID != "" {
		if m = s.member(a.PartnershipID, a.Round, a.ID); m == nil {
			return assessment.ErrConditionFailed
		}
	}
	t := now
	rec.meta.Status, rec.meta.SubmittedAt, rec.meta.UpdatedAt, rec.meta.ShareNotes = assessment.Submitted, &t, now, shared != nil
	for name := range a.Revisions {
		ar := rec.areas[name]
		ar.status, ar.heldUntil = assessment.Submitted, time.Time{}
	}
	if m != nil {
		st := now
		m.Status, m.SubmittedAt, m.Snapshot = assessment.Submitted, &st, snapshot
		if shared != nil {
			m.Notes = clone(shared)
		}
	}
	return nil
}

func (s *Store) member(pid string, round int, aid string) *partnership.Member {
	p := s.partnerships[pid]
	if p == nil {
		return nil
	}
	for i := range p.members[round] {
		if p.members[round][i].Assessment == aid {
			return &p.members[round][i]
		}
	}
	return nil
}

// ShareNotes records a submitted assessment's choice and copies (or
// removes) the notes on its membership; not_found once either is erased.
func (s *Store) ShareNotes(_ context.Context, a *assessment.Assessment, shared map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.assessments[a.ID]
	m := s.member(a.PartnershipID, a.Round, a.ID)
	if rec == nil || rec.meta.Status != assessment.Submitted || m == nil {
		return failure.New(failure.NotFound, "The assessment or its membership has been erased.")
	}
	rec.meta.ShareNotes = shared != nil
	m.Notes = clone(shared)
	return nil
}

// Delete erases the assessment, its membership, colleagues, records and
// actions; ErrConditionFailed (erasing nothing) when a colleague was
// invited since a was read.
func (s *Store) Delete(_ context.Context, a *assessment.Assessment, _ []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.assessments[a.ID]
	if rec == nil {
		return nil // DynamoDB's deletes of absent items succeed
	}
	if rec.meta.ColleagueSeq != a.ColleagueSeq || rec.meta.ViewSeq != a.ViewSeq {
		return assessment.ErrConditionFailed
	}
	delete(s.assessments, a.ID)
	delete(s.idem, rec.idemKeyHash)
	for _, c := range rec.colleagues {
		delete(s.idem, c.c.IdemKeyHash)
	}
	if p := s.partnerships[a.PartnershipID]; p != nil {
		ms := p.members[a.Round]
		for i := range ms {
			if ms[i].Assessment == a.ID {
				p.members[a.Round] = append(ms[:i:i], ms[i+1:]...)
				break
			}
		}
		if a.Seat != "" {
			if k := slotKey(a.Round, a.Seat); p.slots[k] == a.ID {
				delete(p.slots, k)
			}
			eraseSeatActions(p, a.Seat)
		}
	}
	if src := s.assessments[a.CopiedFrom]; src != nil && src.successorRound != nil && *src.successorRound == a.Round {
		src.successorRound = nil
	}
	return nil
}

// RotateToken replaces the lead's token hash on condition it is a's.
func (s *Store) RotateToken(_ context.Context, a *assessment.Assessment, hash []byte) error {
	return s.replaceLead(a, hash, nil)
}

// HandOver replaces the lead's token hash and respondent.
func (s *Store) HandOver(_ context.Context, a *assessment.Assessment, hash []byte, lead assessment.Respondent) error {
	return s.replaceLead(a, hash, &lead)
}

func (s *Store) replaceLead(a *assessment.Assessment, hash []byte, lead *assessment.Respondent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.assessments[a.ID]
	var m *partnership.Member
	if a.PartnershipID != "" {
		m = s.member(a.PartnershipID, a.Round, a.ID)
	}
	if rec == nil || !bytes.Equal(rec.meta.TokenHash, a.TokenHash) || (a.PartnershipID != "" && m == nil) {
		return failure.New(failure.Conflict, "The link was changed at the same time; ask again.")
	}
	rec.meta.TokenHash, rec.meta.MailedTokenHash = bytes.Clone(hash), nil
	if lead != nil {
		rec.meta.Respondent = *lead
	}
	if m != nil {
		m.TokenHash = bytes.Clone(hash)
	}
	return nil
}
