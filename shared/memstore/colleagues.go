package memstore

import (
	"bytes"
	"context"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
)

// Invite writes the colleague with an empty answers item per area, on
// condition the assessment is a draft (ErrConditionFailed) and the key
// unused (idempotency.ErrKeyUsed).
func (s *Store) Invite(_ context.Context, a *assessment.Assessment, c *assessment.Colleague, areas []string, idem *idempotency.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idemUsed(idem) {
		return idempotency.ErrKeyUsed
	}
	rec := s.assessments[a.ID]
	if rec == nil || rec.meta.Status != assessment.Draft || rec.colleagues[c.ID] != nil {
		return assessment.ErrConditionFailed
	}
	stored := clone(*c)
	stored.Answers, stored.Revisions = nil, nil
	if idem != nil {
		stored.IdemKeyHash = idem.KeyHash
	}
	cr := &colleagueRec{c: stored, areas: map[string]*area{}}
	for _, name := range areas {
		cr.areas[name] = &area{answers: map[string]assessment.Answer{}, updatedAt: c.InvitedAt}
	}
	rec.colleagues[c.ID] = cr
	rec.meta.ColleagueSeq++
	rec.meta.UpdatedAt = c.InvitedAt
	s.putIdem(idem)
	return nil
}

// SaveColleague writes whole answers into the colleague's area items, on
// condition each exists (ErrConditionFailed once erased).
func (s *Store) SaveColleague(_ context.Context, id, cid string, answers map[string]map[string]assessment.Answer, cleared map[string][]string, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var cr *colleagueRec
	if rec := s.assessments[id]; rec != nil {
		cr = rec.colleagues[cid]
	}
	touched := map[string]bool{}
	for name := range answers {
		touched[name] = true
	}
	for name := range cleared {
		touched[name] = true
	}
	for name := range touched {
		if cr == nil || cr.areas[name] == nil {
			return assessment.ErrConditionFailed
		}
	}
	for name := range touched {
		ar := cr.areas[name]
		for q, ans := range answers[name] {
			ar.answers[q] = clone(ans)
		}
		for _, q := range cleared[name] {
			delete(ar.answers, q)
		}
		ar.rev++
		ar.updatedAt = now
	}
	return nil
}

// RemoveColleague deletes the colleague and its area items.
func (s *Store) RemoveColleague(_ context.Context, id, cid string, _ []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.assessments[id]
	if rec == nil || rec.colleagues[cid] == nil {
		return failure.New(failure.NotFound, "There is no colleague with this id. They may have been removed already.")
	}
	delete(s.idem, rec.colleagues[cid].c.IdemKeyHash)
	delete(rec.colleagues, cid)
	return nil
}

// UpdateColleague writes c's routing and spread sharing, on condition the
// colleague exists.
func (s *Store) UpdateColleague(_ context.Context, id string, c *assessment.Colleague) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cr := s.colleague(id, c.ID)
	if cr == nil {
		return assessment.ErrConditionFailed
	}
	cr.c.RoutingSet, cr.c.SeesSpread = c.RoutingSet, c.SeesSpread
	cr.c.Routing, cr.c.Asked = nilIfEmpty(c.Routing), nilIfEmpty(c.Asked)
	return nil
}

func nilIfEmpty(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	return clone(ids)
}

func (s *Store) colleague(id, cid string) *colleagueRec {
	if rec := s.assessments[id]; rec != nil {
		return rec.colleagues[cid]
	}
	return nil
}

// RotateColleagueToken replaces colleague cid's token hash on condition
// it is still old.
func (s *Store) RotateColleagueToken(_ context.Context, id, cid string, old, hash []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cr := s.colleague(id, cid)
	if cr == nil || !bytes.Equal(cr.c.TokenHash, old) {
		return assessment.ErrConditionFailed
	}
	cr.c.TokenHash, cr.c.MailedTokenHash = bytes.Clone(hash), nil
	return nil
}

// CreateOwnAction writes a new own action, on condition the assessment
// exists (not_found) and the key is unused (idempotency.ErrKeyUsed).
func (s *Store) CreateOwnAction(_ context.Context, id string, o assessment.OwnAction, rec *idempotency.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idemUsed(rec) {
		return idempotency.ErrKeyUsed
	}
	a := s.assessments[id]
	if a == nil {
		return failure.New(failure.NotFound, "There is no assessment with this id and token.")
	}
	if _, ok := a.actions[o.ID]; ok {
		return failure.New(failure.Conflict, "An action with this id exists.")
	}
	s.putIdem(rec)
	a.actions[o.ID] = clone(o)
	return nil
}

// PutOwnAction writes a change on condition the stored revision is o.Rev-1.
func (s *Store) PutOwnAction(_ context.Context, id string, o assessment.OwnAction) error {
	if err := o.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var old assessment.OwnAction
	ok := false
	if a := s.assessments[id]; a != nil {
		old, ok = a.actions[o.ID]
	}
	if !ok || old.Rev != o.Rev-1 {
		return failure.New(failure.Conflict, "This action changed at the same time in another window. Open it again to see that change, then make yours.")
	}
	s.assessments[id].actions[o.ID] = clone(o)
	return nil
}
