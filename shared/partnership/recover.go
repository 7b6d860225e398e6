package partnership

import (
	"context"
	"strings"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/secret"
)

// Recover sends new links for a partnership to an address on file and
// revokes the old ones: to an administrator's address a new admin link for that administrator, to a
// seat's address a new invitation (its mailed token dropped too). It
// returns nil whether or not anything matched, so the reply tells nobody
// which addresses a partnership has.
func (s *Service) Recover(ctx context.Context, id, email string) error {
	var errs []failure.FieldError
	if !secret.ValidID(id) {
		errs = append(errs, failure.FieldError{Field: "partnership", Message: "Enter the partnership's id: the 26 letters and digits after /partnerships/ in your link"})
	}
	if e := strings.TrimSpace(email); e == "" || len(e) > 254 || !strings.Contains(e, "@") {
		errs = append(errs, failure.FieldError{Field: "email", Message: "Enter the email address the partnership has for you, like name@council.gov.uk"})
	}
	if len(errs) > 0 {
		return failure.Fields("Check the details you gave.", errs...)
	}
	if s.mail == nil {
		return failure.New(failure.Unavailable, "Links cannot be sent by email from here.")
	}
	p, err := s.store.LoadPartnership(ctx, id)
	if failure.CodeOf(err) == failure.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	same := func(a string) bool {
		return a != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(email))
	}
	// Each administrator's link is their own: only the hash of the one
	// whose address matched is replaced.
	for _, a := range p.Admins {
		if !same(a.Email) {
			continue
		}
		token := secret.NewToken()
		if err := s.store.RotateAdmin(ctx, p.ID, a.ID, a.TokenHash, secret.Hash(token)); err != nil {
			return err
		}
		s.send(ctx, message(p.Lang, a.Email, tr(p.Lang, "mail.partnership.recoveredAdmin.subject", "Partnership", p.Name),
			tr(p.Lang, "mail.partnership.recoveredAdmin.body", "Partnership", p.Name), s.links.Admin(p.ID, token), tr(p.Lang, "mail.partnership.keepSecret")), p.ID)
	}
	for _, st := range p.Seats {
		if st.Withdrawn() || !same(st.Email) {
			continue
		}
		token := secret.NewToken()
		if err := s.store.RotateSeat(ctx, p.ID, st.ID, st.TokenHash, secret.Hash(token)); err != nil {
			return err
		}
		s.send(ctx, message(p.Lang, st.Email, tr(p.Lang, "mail.partnership.recoveredSeat.subject", "Council", st.Name, "Partnership", p.Name),
			tr(p.Lang, "mail.partnership.recoveredSeat.body", "Council", st.Name, "Partnership", p.Name),
			s.links.Invitation(p.ID, st.ID, token), tr(p.Lang, "mail.partnership.keepSecret")), p.ID)
	}
	return nil
}
