package assessment

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/secret"
)

// What the lead decides about each colleague (issue 19): which questions
// they are asked first (the bank suggests by role; the lead knows who
// actually holds the cost-sharing position or the legal basis), whether they
// may see their colleagues' answers, and who leads when the lead leaves.

// ColleagueSettings is a change the lead makes to one colleague. A nil field
// is left as it is.
type ColleagueSettings struct {
	// Routed lists area ids and question ids routed to the colleague, in
	// place of the bank's suggestion for their role; an empty list routes
	// nothing. Default puts the bank's suggestion back.
	Routed  *[]string
	Default bool
	// SeesSpread shares every colleague's answers and notes with them
	// (read only): the spread, never the council's answers or reasons.
	SeesSpread *bool
}

// Validate checks the ids against bank b, naming the JSON fields.
func (in ColleagueSettings) Validate(b *bank.Bank) error {
	var errs []failure.FieldError
	if in.Default && in.Routed != nil {
		errs = append(errs, failure.FieldError{Field: "routed", Message: "Give the questions routed to your colleague, or ask for the suggestion for their role, not both"})
	}
	if in.Routed != nil {
		if len(*in.Routed) > len(b.Questions())+len(b.Areas) {
			errs = append(errs, failure.Quoting("routed", "error.colleague.routedMax", "Limit", len(b.Questions())+len(b.Areas)))
		}
		for i, id := range *in.Routed {
			if _, ok := b.Area(id); ok {
				continue
			}
			if _, ok := b.Question(id); ok {
				continue
			}
			errs = append(errs, failure.Quoting(fmt.Sprintf("routed[%d]", i), "error.colleague.routedUnknown", "Version", b.Version))
		}
	}
	if in.Routed == nil && !in.Default && in.SeesSpread == nil {
		errs = append(errs, failure.FieldError{Field: "routed", Message: "Say what to change: the questions routed to your colleague, or whether they see the spread"})
	}
	if len(errs) > 0 {
		return failure.Fields("Check what you asked of your colleague.", errs...)
	}
	return nil
}

// UpdateColleague applies the lead's settings to colleague cid of the draft
// a. It returns invalid for unknown ids (nothing written), not_found for an
// unknown colleague and conflict once submitted.
func (s *Service) UpdateColleague(ctx context.Context, a *Assessment, cid string, in ColleagueSettings) (*Colleague, error) {
	b, err := s.Bank(a.Version)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(b); err != nil {
		return nil, err
	}
	c, ok := a.Colleague(cid)
	if !ok {
		return nil, colleagueNotFound()
	}
	if a.Status != Draft {
		return nil, failure.New(failure.Conflict, "This assessment has been submitted; what colleagues answer can no longer change.").Of(failure.KindAlreadySubmitted)
	}
	next := *c
	switch {
	case in.Default:
		next.Routing, next.RoutingSet = nil, false
	case in.Routed != nil:
		next.Routing, next.RoutingSet = dedupe(*in.Routed), true
	}
	if in.SeesSpread != nil {
		next.SeesSpread = *in.SeesSpread
	}
	next.Asked = Routed(b, &next)
	err = s.store.UpdateColleague(ctx, a.ID, &next)
	if errors.Is(err, ErrConditionFailed) {
		return nil, colleagueNotFound()
	}
	if err != nil {
		return nil, err
	}
	*c = next
	return c, nil
}

func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Spread is what a colleague the lead shared it with sees: every
// colleague's answer per question (their own included), the spread and
// where the council disagrees with itself; never the council's answers,
// the suggestion or the lead's reasons, which are the lead's to set. It
// returns forbidden unless the lead shared the spread with colleague cid.
func (s *Service) Spread(a *Assessment, cid string) (Consolidation, error) {
	c, ok := a.Colleague(cid)
	if !ok {
		return Consolidation{}, colleagueNotFound()
	}
	if !c.SeesSpread {
		return Consolidation{}, failure.New(failure.Forbidden, "The council's lead has not shared your colleagues' answers with you.")
	}
	b, err := s.Bank(a.Version)
	if err != nil {
		return Consolidation{}, err
	}
	out := Consolidate(b, a)
	for i := range out.Questions {
		out.Questions[i].Council, out.Questions[i].Prefill = nil, nil
	}
	return out, nil
}

// HandedOver is the result of handing the lead role to a colleague: the new
// lead's link is made once, mailed to them when they gave an address.
type HandedOver struct {
	Token  string
	Lead   Respondent
	Mailed bool
}

// HandOver makes colleague cid the council's lead (the lead's own act, as
// auth loaded a): a new lead token replaces the old one (on the assessment
// and its membership, so the old lead's link, and any reminder link, stops
// working), and the assessment's respondent becomes the colleague. The
// colleague stays a colleague too: their own answers and link are kept. It
// returns invalid for an id that cannot be one and not_found for an unknown
// colleague.
func (s *Service) HandOver(ctx context.Context, a *Assessment, cid string) (HandedOver, error) {
	if !secret.ValidID(cid) {
		return HandedOver{}, failure.Fields("Say which colleague takes the lead.",
			failure.FieldError{Field: "respondent", Message: "Give the id of the colleague who takes the lead: 26 letters and digits, as listRespondents gives it"})
	}
	c, ok := a.Colleague(cid)
	if !ok {
		return HandedOver{}, colleagueNotFound()
	}
	b, err := s.Bank(a.Version)
	if err != nil {
		return HandedOver{}, err
	}
	role := c.Role
	if r, ok := b.Role(c.Role); ok {
		role = r.Label
	}
	lead := Respondent{Name: c.Name, Role: role, Email: c.Email}
	token := secret.NewToken()
	hash := secret.Hash(token)
	if err := s.store.HandOver(ctx, a, hash, lead); err != nil {
		return HandedOver{}, err
	}
	previous := a.Respondent.Name
	a.TokenHash, a.MailedTokenHash, a.Respondent = hash, nil, lead
	out := HandedOver{Token: token, Lead: lead}
	if c.Email != "" && s.recovery != nil {
		out.Mailed = true
		link := s.recovery.links.Resume(a.ID, token)
		s.mailLink(ctx, a, c, tr(a.Lang, "mail.handOver.subject", "Council", a.Council),
			tr(a.Lang, "mail.handOver.intro", "Previous", previous, "Council", a.Council), link, tr(a.Lang, "mail.handOver.rule"), "hand-over mail not sent")
	}
	return out, nil
}

// recoverColleagues mails a fresh link to each colleague of a whose address
// is email, revoking their old one.
func (s *Service) recoverColleagues(ctx context.Context, a *Assessment, email string) error {
	for i := range a.Colleagues {
		c := &a.Colleagues[i]
		if !SameAddress(c.Email, email) {
			continue
		}
		token := secret.NewToken()
		if err := s.store.RotateColleagueToken(ctx, a.ID, c.ID, c.TokenHash, secret.Hash(token)); err != nil {
			if errors.Is(err, ErrConditionFailed) {
				continue // removed, or asked twice at once: the other request mails
			}
			return err
		}
		link := s.recovery.links.Colleague(a.ID, c.ID, token)
		s.mailLink(ctx, a, c, tr(a.Lang, "mail.colleagueRecovered.subject", "Council", a.Council),
			tr(a.Lang, "mail.colleagueRecovered.intro", "Council", a.Council), link, tr(a.Lang, "mail.colleagueRecovered.rule"), "recovery mail not sent")
	}
	return nil
}

// mailLink sends colleague c a mail of one paragraph, a link and the rule
// about the link, in a's language, after the state it speaks of is stored
// (D7). A failed send is logged as what, without the address or the link:
// the link was shown or the old one is already revoked, so the caller goes on.
func (s *Service) mailLink(ctx context.Context, a *Assessment, c *Colleague, subject, intro, link, rule, what string) {
	m := linkMessage(a.Lang, c.Email, subject, intro, link, rule)
	if err := s.recovery.mail.Send(ctx, m); err != nil {
		s.recovery.log.WarnContext(ctx, what, slog.String("assessment", a.ID), slog.String("colleague", c.ID), slog.String("error", err.Error()))
	}
}

// routedBy reports whether question q is routed to c: by the lead's choice
// when they made one, else by the bank's suggestion for c's role.
func routedBy(b *bank.Bank, c *Colleague, q bank.Question) bool {
	if c.RoutingSet {
		return slices.Contains(c.Routing, q.ID) || slices.Contains(c.Routing, q.Area)
	}
	return b.RoutedTo(q) == c.Role
}

// Who chose the questions routed to a colleague.
const (
	RoutedBySuggestion = "suggestion"
	RoutedByLead       = "lead"
)

// RoutedBy is who chose a colleague's questions (decision D4: one declaration).
type RoutedBy string

// Values lists who may choose.
func (RoutedBy) Values() []string { return []string{RoutedBySuggestion, RoutedByLead} }
