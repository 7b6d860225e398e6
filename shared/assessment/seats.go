package assessment

import (
	"context"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/secret"
)

// SeatStartInput is what a seat's lead gives to start the council's
// assessment for a round: the council's name and the form come from the
// seat and the partnership.
type SeatStartInput struct {
	Respondent Respondent
	// PreferredForm is the form the council would itself go to (optional).
	PreferredForm string
	// Lang is the lead's language; empty means English.
	Lang locale.Lang
}

// StartForSeat starts the seat's assessment for its partnership's current
// round (j, proved by shared/auth), named after the seat and scored against
// the partnership's form. It returns conflict when the seat already has an
// assessment in that round (one per seat per round) or the round is closed.
func (s *Service) StartForSeat(ctx context.Context, j *SeatJoin, in SeatStartInput, idem idempotency.Request) (Started, error) {
	if j == nil || j.Withdrawn {
		return Started{}, failure.New(failure.NotFound, "There is no seat with this id and invitation.")
	}
	sid := j.Seat
	purpose := Readiness
	if j.Round > 1 {
		purpose = HealthCheck
	}
	start := StartInput{Council: j.Council, Respondent: in.Respondent, Purpose: purpose, Form: j.Form, PreferredForm: strings.TrimSpace(in.PreferredForm), Lang: in.Lang}
	start.Normalise()
	if start.PreferredForm == j.Form {
		start.PreferredForm = ""
	}
	b := s.lib.Current()
	if err := start.Validate(b); err != nil {
		return Started{}, err
	}
	var out Started
	if ok, err := idempotency.Replay(ctx, s.store, idem, start, &out); ok || err != nil {
		return out, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	newToken := secret.NewToken()
	a := &Assessment{
		ID: secret.NewID(), Council: j.Council, Respondent: start.Respondent, Purpose: purpose, Form: j.Form, PreferredForm: start.PreferredForm,
		Version: b.Version, Status: Draft, TokenHash: secret.Hash(newToken), CreatedAt: now, UpdatedAt: now,
		PartnershipID: j.PartnershipID, Round: j.Round, Seat: sid, Lang: LangOr(start.Lang),
	}
	return s.create(ctx, idem, start, a, &Membership{PartnershipID: j.PartnershipID, Round: j.Round, Seat: sid},
		Started{ID: a.ID, Token: newToken, Status: Draft, Version: a.Version, CreatedAt: now, PartnershipID: a.PartnershipID, Round: a.Round})
}

// BringIn brings a council's submitted private assessment into its seat's
// current round: a new assessment for the round is created from it, answers
// copied and marked to confirm, as in a health-check. The private original
// stays private and unchanged. It needs both credentials, proved by
// shared/auth: the private assessment's (prev) and the seat's invitation (j).
func (s *Service) BringIn(ctx context.Context, prev *Assessment, j *SeatJoin, idem idempotency.Request) (Started, error) {
	if j == nil || j.Withdrawn {
		return Started{}, failure.New(failure.NotFound, "There is no seat with this id and invitation.")
	}
	// The body names the seat; its invitation token stays out of the hash.
	body := []string{j.PartnershipID, j.Seat}
	var out Started
	if ok, err := idempotency.Replay(ctx, s.store, idem, body, &out); ok || err != nil {
		return out, err
	}
	switch {
	case prev.Status != Submitted:
		return Started{}, failure.New(failure.Conflict, "Submit this assessment before bringing it into a partnership.")
	case prev.PartnershipID != "":
		return Started{}, failure.New(failure.Conflict, "This assessment is already part of a partnership; start its health-check instead.")
	}
	return s.copyInto(ctx, prev, j, Readiness, idem, body)
}

// BringInFields checks the body of a bring-in before any credential is tried.
func BringInFields(pid, sid, seatToken string) []failure.FieldError {
	var errs []failure.FieldError
	if !secret.ValidID(pid) {
		errs = append(errs, failure.FieldError{Field: "partnership", Message: "Enter the partnership's id from the invitation link"})
	}
	if !secret.ValidID(sid) {
		errs = append(errs, failure.FieldError{Field: "seat", Message: "Enter the seat's id from the invitation link"})
	}
	if seatToken == "" {
		errs = append(errs, failure.FieldError{Field: "invitation", Message: "Enter the invitation token from the invitation link"})
	}
	return errs
}

// copyInto creates the seat's assessment for the current round from prev:
// answers copied forward and marked to confirm, council and form from the
// seat and the partnership.
func (s *Service) copyInto(ctx context.Context, prev *Assessment, j *SeatJoin, purpose string, idem idempotency.Request, body any) (Started, error) {
	if j.Round > 1 {
		purpose = HealthCheck
	}
	b := s.lib.Current()
	now := s.now().UTC().Truncate(time.Millisecond)
	newToken := secret.NewToken()
	preferred := prev.PreferredForm
	if preferred == "" && prev.Form != j.Form {
		preferred = prev.Form
	}
	if preferred == j.Form {
		preferred = ""
	}
	a := &Assessment{
		ID: secret.NewID(), Council: j.Council, Respondent: prev.Respondent, Purpose: purpose, Form: j.Form, PreferredForm: preferred,
		Version: b.Version, Status: Draft, TokenHash: secret.Hash(newToken), CreatedAt: now, UpdatedAt: now,
		PartnershipID: j.PartnershipID, Round: j.Round, Seat: j.Seat, CopiedFrom: prev.ID,
		Answers: CopyForward(b, prev.Version, j.Form, prev.Answers), Actions: CarryOwnActions(b, prev), Lang: LangOr(prev.Lang),
	}
	return s.create(ctx, idem, body, a, &Membership{PartnershipID: j.PartnershipID, Round: j.Round, Seat: j.Seat},
		Started{ID: a.ID, Token: newToken, Status: Draft, Version: a.Version, CreatedAt: now, PartnershipID: a.PartnershipID, Round: a.Round, Copied: len(a.Answers)})
}
