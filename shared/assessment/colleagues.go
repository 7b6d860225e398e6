package assessment

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/names"
	"github.com/openrasp/rasp/shared/secret"
)

// Several respondents per council (issue 19). The lead (whoever started the
// assessment, the token on META) invites colleagues; each answers through a
// private link of their own into answers of their own. The lead sees every
// colleague's answer per question (the consolidation view) and sets the
// council's answer, which is the assessment's own answer as before: only it
// is submitted, scored and seen by partners.

// MaxColleagues bounds the colleagues of one assessment. Erasing the
// assessment is one transaction of every item it has (at most 100 items):
// META, its areas, its membership and record, and each colleague's item with
// one item per area; twelve colleagues keep that well inside the limit.
const MaxColleagues = 12

// Colleague is a respondent the lead invited.
type Colleague struct {
	ID, Name, Role string
	// Email is given when the link was to be mailed; kept so the colleague
	// may ask for a new link, and erased with the colleague.
	Email     string
	TokenHash []byte
	InvitedAt time.Time
	// Answers by question id, the colleague's own; Revisions by area.
	Answers   map[string]Answer
	Revisions map[string]int64
	// IdemKeyHash names the invitation's idempotency record, erased with
	// the colleague.
	IdemKeyHash string
	// Routing is the lead's choice of the areas and questions the
	// colleague answers first, when RoutingSet; else the bank suggests by
	// role. SeesSpread: the lead shared every colleague's answers with them.
	Routing    []string
	RoutingSet bool
	SeesSpread bool
	// Asked are the questions routed to them (Routed), resolved by the
	// service when they are invited or re-routed: the reminders job tells
	// from them, without the bank, whether they still have some to answer.
	Asked []string
	// MailedTokenHash is the hash of the link in their reminder (a second
	// token: only hashes are kept, so the first cannot be sent again).
	MailedTokenHash []byte
}

// Colleague returns the colleague with id.
func (a *Assessment) Colleague(id string) (*Colleague, bool) {
	for i := range a.Colleagues {
		if a.Colleagues[i].ID == id {
			return &a.Colleagues[i], true
		}
	}
	return nil, false
}

// InviteInput is what the lead gives to invite a colleague.
type InviteInput struct {
	Name, Role, Email string
}

// Normalise trims spaces and puts the name in NFC.
func (in *InviteInput) Normalise() {
	in.Name, _ = names.Clean(in.Name)
	in.Role = strings.TrimSpace(in.Role)
	in.Email = strings.TrimSpace(in.Email)
}

// Validate checks the invitation against the bank's roles, naming the
// JSON fields.
func (in InviteInput) Validate(b *bank.Bank) error {
	var errs []failure.FieldError
	add := func(f, m string) { errs = append(errs, failure.FieldError{Field: f, Message: m}) }
	_, reason := names.Clean(in.Name)
	switch {
	case in.Name == "":
		add("name", "Enter your colleague's name")
	case reason != "":
		add("name", "Your colleague's name "+reason)
	case utf8.RuneCountInString(in.Name) > MaxName:
		add("name", fmt.Sprintf("Your colleague's name must be %d characters or fewer", MaxName))
	}
	if _, ok := b.Role(in.Role); !ok {
		errs = append(errs, failure.Quoting("role", "error.colleague.role", "Roles", strings.Join(bank.RoleID("").Values(), ", ")))
	}
	if e := in.Email; e != "" {
		if !mail.ValidAddress(e) {
			add("email", "Enter an email address in the correct format, like name@council.gov.uk, or leave it out")
		}
	}
	if len(errs) > 0 {
		return failure.Fields("Check the details of your colleague.", errs...)
	}
	return nil
}

// Invited is the result of an invitation. Token is the only copy of the
// colleague's capability. The JSON names are those of the sealed
// idempotency record.
type Invited struct {
	ID        string    `json:"id"`
	Token     string    `json:"token"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	InvitedAt time.Time `json:"invitedAt"`
	// Mailed says the link was sent to the address given (a failed send
	// is logged; the link is shown once either way).
	Mailed bool `json:"mailed,omitempty"`
}

// ColleagueStore is what the colleagues' operations need from storage
// besides Load.
type ColleagueStore interface {
	// Invite writes the colleague's item and an empty answers item for
	// each of areas, in one transaction with an update of META conditioned
	// on the draft (so nothing is invited into an erased or submitted
	// assessment: ErrConditionFailed) and with the idempotency record
	// (idempotency.ErrKeyUsed when it exists).
	Invite(ctx context.Context, a *Assessment, c *Colleague, areas []string, idem *idempotency.Record) error
	// SaveColleague writes whole answers into the colleague's area items,
	// each on condition that the item exists: ErrConditionFailed once the
	// colleague (or the assessment) has been erased. One area is one
	// UpdateItem; several are one transaction.
	SaveColleague(ctx context.Context, id, cid string, answers map[string]map[string]Answer, cleared map[string][]string, now time.Time) error
	// RemoveColleague deletes the colleague's item and its area items (all
	// of areas) in one transaction.
	RemoveColleague(ctx context.Context, id, cid string, areas []string) error
	// UpdateColleague writes c's routing and spread sharing, on condition
	// that the colleague exists (ErrConditionFailed once erased).
	UpdateColleague(ctx context.Context, id string, c *Colleague) error
	// RotateColleagueToken replaces colleague cid's token hash, on
	// condition it is still old (ErrConditionFailed otherwise).
	RotateColleagueToken(ctx context.Context, id, cid string, old, hash []byte) error
	// HandOver replaces the lead's token hash (on the assessment and its
	// membership, on condition it is a's, as RotateToken does) and its
	// respondent with lead.
	HandOver(ctx context.Context, a *Assessment, hash []byte, lead Respondent) error
}

func areaIDs(b *bank.Bank) []string {
	out := make([]string, 0, len(b.Areas))
	for _, area := range b.Areas {
		out = append(out, area.ID)
	}
	return out
}

// Invite adds a colleague to the draft a (the lead's, as auth loaded it).
// It returns invalid for a bad name, role or address (nothing written),
// conflict once submitted, on a bank version without colleagues' roles, or
// past MaxColleagues.
func (s *Service) Invite(ctx context.Context, a *Assessment, in InviteInput, idem idempotency.Request) (Invited, error) {
	in.Normalise()
	b, err := s.Bank(a.Version)
	if err != nil {
		return Invited{}, err
	}
	if len(b.Roles) == 0 {
		return Invited{}, failure.Said(failure.Conflict, "error.colleague.bankVersion", "Version", b.Version)
	}
	if err := in.Validate(b); err != nil {
		return Invited{}, err
	}
	var out Invited
	if ok, err := idempotency.Replay(ctx, s.store, idem, in, &out); ok || err != nil {
		return out, err
	}
	switch {
	case a.Status != Draft:
		return Invited{}, failure.New(failure.Conflict, "This assessment has been submitted; colleagues can no longer be invited.")
	case len(a.Colleagues) >= MaxColleagues:
		return Invited{}, failure.Said(failure.Conflict, "error.colleague.max", "MaxColleagues", MaxColleagues)
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	token := secret.NewToken()
	c := &Colleague{ID: secret.NewID(), Name: in.Name, Role: in.Role, Email: in.Email, TokenHash: secret.Hash(token), InvitedAt: now}
	c.Asked = Routed(b, c)
	out = Invited{ID: c.ID, Token: token, Name: c.Name, Role: c.Role, InvitedAt: now, Mailed: in.Email != "" && s.recovery != nil}
	rec, err := idem.Seal(in, out, now)
	if err != nil {
		return Invited{}, err
	}
	err = s.store.Invite(ctx, a, c, areaIDs(b), rec)
	switch {
	case errors.Is(err, idempotency.ErrKeyUsed):
		var won Invited
		return won, idempotency.Raced(ctx, s.store, idem, in, &won)
	case errors.Is(err, ErrConditionFailed):
		return Invited{}, failure.New(failure.Conflict, "This assessment has been submitted or erased; colleagues can no longer be invited.")
	case err != nil:
		return Invited{}, err
	}
	c.Answers, c.Revisions = map[string]Answer{}, map[string]int64{}
	a.Colleagues = append(a.Colleagues, *c)
	a.ColleagueSeq++
	if out.Mailed {
		s.mailInvitation(ctx, a, b, c, token)
	}
	return out, nil
}

// mailInvitation sends colleague c their link, after the invitation is
// stored (D7: the service mails when the state changes). A failed send is
// logged without the address or the token; the lead was shown the link.
func (s *Service) mailInvitation(ctx context.Context, a *Assessment, b *bank.Bank, c *Colleague, token string) {
	link := s.recovery.links.Colleague(a.ID, c.ID, token)
	role := c.Role
	if r, ok := b.In(LangOr(a.Lang)).Role(c.Role); ok {
		role = r.Label
	}
	s.mailLink(ctx, a, c, tr(a.Lang, "mail.colleagueInvite.subject", "Council", a.Council),
		tr(a.Lang, "mail.colleagueInvite.intro", "Lead", a.Respondent.Name, "Role", role, "Council", a.Council), link, tr(a.Lang, "mail.colleagueInvite.rule"), "invitation mail not sent")
}

// ColleagueSaved is the result of a colleague's save.
type ColleagueSaved struct {
	Answered, Total int
}

// SaveColleague merges changes into colleague cid's own answers (a as auth
// loaded it with that colleague's token). Each answer is written whole, so
// tabs saving other questions never overwrite each other. It returns
// invalid for unknown questions or bad values (nothing written), conflict
// once the assessment is submitted and not_found once the colleague has been
// removed.
func (s *Service) SaveColleague(ctx context.Context, a *Assessment, cid string, changes map[string]Edit) (ColleagueSaved, error) {
	b, err := s.Bank(a.Version)
	if err != nil {
		return ColleagueSaved{}, err
	}
	for q, c := range changes {
		if c.Why != nil {
			return ColleagueSaved{}, failure.Fields("Check your answers.", failure.FieldError{Field: "answers." + q + ".why", Message: "is only for the council's answer, set by its lead"})
		}
	}
	if err := ValidateChanges(b, a.Form, changes); err != nil {
		return ColleagueSaved{}, err
	}
	if a.Status != Draft {
		return ColleagueSaved{}, failure.New(failure.Conflict, "This assessment has been submitted; answers can no longer change.").Of(failure.KindAlreadySubmitted)
	}
	c, ok := a.Colleague(cid)
	if !ok {
		return ColleagueSaved{}, colleagueNotFound()
	}
	w, err := plan(b, &Assessment{Answers: c.Answers}, changes)
	if err != nil {
		return ColleagueSaved{}, err
	}
	byArea := map[string]map[string]Answer{}
	for qid, ans := range w.merged {
		q, _ := b.Question(qid)
		if byArea[q.Area] == nil {
			byArea[q.Area] = map[string]Answer{}
		}
		byArea[q.Area][qid] = ans
	}
	if len(byArea) > 0 || len(w.cleared) > 0 {
		err = s.store.SaveColleague(ctx, a.ID, cid, byArea, w.cleared, s.now().UTC())
		if errors.Is(err, ErrConditionFailed) {
			return ColleagueSaved{}, colleagueNotFound()
		}
		if err != nil {
			return ColleagueSaved{}, err
		}
	}
	for qid, ans := range w.merged {
		c.Answers[qid] = ans
	}
	for _, qids := range w.cleared {
		for _, qid := range qids {
			delete(c.Answers, qid)
		}
	}
	return ColleagueSaved{Answered: len(c.Answers), Total: len(b.Questions())}, nil
}

func colleagueNotFound() error {
	return failure.New(failure.NotFound, "There is no colleague with this link. The council's lead may have removed it.")
}

// RemoveColleague erases colleague cid and every answer and note they gave;
// their link stops working. It returns not_found for an unknown colleague.
func (s *Service) RemoveColleague(ctx context.Context, a *Assessment, cid string) error {
	if _, ok := a.Colleague(cid); !ok {
		return colleagueNotFound()
	}
	b, err := s.Bank(a.Version)
	if err != nil {
		return err
	}
	if err := s.store.RemoveColleague(ctx, a.ID, cid, areaIDs(b)); err != nil {
		return err
	}
	a.Colleagues = slices.DeleteFunc(a.Colleagues, func(c Colleague) bool { return c.ID == cid })
	return nil
}

// Routed lists, in bank order, the questions colleague c answers first:
// those the lead routed to them, or else those the bank suggests for their
// role.
func Routed(b *bank.Bank, c *Colleague) []string {
	var out []string
	for _, q := range b.Questions() {
		if routedBy(b, c, q) {
			out = append(out, q.ID)
		}
	}
	return out
}

// PrefillRule names how the council's answer is suggested from its
// colleagues' answers: the median of the levels given, rounded down (the
// lower of the two middle levels' mean, so a tie leans to caution). "Don't
// know" and "not applicable" are not levels; with no level given, the
// suggestion is don't know (or not applicable when every colleague said so).
const PrefillRule = "median-rounded-down"

// Prefill is the council's answer suggested by PrefillRule from answers;
// false when nobody answered.
func Prefill(answers []Answer) (Answer, bool) {
	if len(answers) == 0 {
		return Answer{}, false
	}
	var levels []int
	na := 0
	reason := ""
	for _, a := range answers {
		switch {
		case a.NotApplicable:
			na++
			if reason == "" {
				reason = a.Reason
			}
		case a.Score != nil:
			levels = append(levels, *a.Score)
		}
	}
	if len(levels) == 0 {
		if na == len(answers) {
			return Answer{NotApplicable: true, Reason: reason}, true
		}
		return Answer{}, true // don't know
	}
	sort.Ints(levels)
	n := len(levels)
	m := levels[n/2]
	if n%2 == 0 {
		m = (levels[n/2-1] + levels[n/2]) / 2 // both ≥ 0: integer division rounds down
	}
	return Answer{Score: &m}, true
}

// sameAnswer reports whether two answers say the same: the same level, both
// don't know, or both not applicable.
func sameAnswer(a, b Answer) bool {
	switch {
	case a.NotApplicable || b.NotApplicable:
		return a.NotApplicable && b.NotApplicable
	case a.Score == nil || b.Score == nil:
		return a.Score == nil && b.Score == nil
	}
	return *a.Score == *b.Score
}

// Response is one colleague's answer to a question.
type Response struct {
	Colleague *Colleague
	Answer    Answer
}

// Responses lists, in invitation order, the colleagues' answers to qid.
func (a *Assessment) Responses(qid string) []Response {
	var out []Response
	for i := range a.Colleagues {
		c := &a.Colleagues[i]
		if ans, ok := c.Answers[qid]; ok {
			out = append(out, Response{Colleague: c, Answer: ans})
		}
	}
	return out
}

// Spread is the highest level given minus the lowest (0 with fewer than two
// levels), and how many levels were given.
func Spread(rs []Response) (spread, levels int) {
	lo, hi := 0, 0
	for _, r := range rs {
		if r.Answer.Score == nil || r.Answer.NotApplicable {
			continue
		}
		s := *r.Answer.Score
		if levels == 0 || s < lo {
			lo = s
		}
		if levels == 0 || s > hi {
			hi = s
		}
		levels++
	}
	return hi - lo, levels
}

// checkWhy refuses a council answer that differs from every colleague's
// answer to the question, and from the suggested one, without a reason (the
// lead's "why"): the consolidation must say why the council overrides
// everyone who answered.
func checkWhy(a *Assessment, merged map[string]Answer) error {
	var errs []failure.FieldError
	for qid, ans := range merged {
		rs := a.Responses(qid)
		if len(rs) == 0 || strings.TrimSpace(ans.Why) != "" {
			continue
		}
		answers := make([]Answer, len(rs))
		for i, r := range rs {
			answers[i] = r.Answer
		}
		if p, ok := Prefill(answers); ok && sameAnswer(ans, p) {
			continue // the stated rule is the reason (the median of 1 and 3 is 2, which nobody gave)
		}
		differs := true
		var given answerList
		for _, r := range rs {
			if sameAnswer(ans, r.Answer) {
				differs = false
				break
			}
			given = append(given, r.Answer)
		}
		if differs {
			errs = append(errs, failure.Quoting("answers."+qid+".why", "error.colleague.whyMissing", "Given", given))
		}
	}
	if len(errs) > 0 {
		sortFields(errs)
		return failure.Fields("Check your answers.", errs...)
	}
	return nil
}

// answerList is the answers colleagues gave, as a message quotes them:
// "level 2, don't know", in the reader's language.
type answerList []Answer

// In is the list in l.
func (as answerList) In(l locale.Lang) string {
	out := make([]string, len(as))
	for i, a := range as {
		switch {
		case a.NotApplicable:
			out[i] = tr(l, "colleagues.given.notApplicable")
		case a.Score == nil:
			out[i] = tr(l, "colleagues.given.dontKnow")
		default:
			out[i] = tr(l, "colleagues.given.level", "Level", *a.Score)
		}
	}
	return strings.Join(out, ", ")
}

// QuestionView is one question of the consolidation: every colleague's
// answer, the spread, whether the council disagrees with itself, the
// suggested council answer and the council's answer so far.
type QuestionView struct {
	Question  bank.Question
	RoutedTo  string
	Responses []Response
	Spread    int
	Levels    int
	Divergent bool
	Prefill   *Answer
	Council   *Answer
}

// AreaAgreement is the council's agreement with itself in one area: of the
// questions every colleague answered with a level, how many were within
// the bank's divergence spread, and which were not.
type AreaAgreement struct {
	Area              string
	AllAnswered       int
	Agreed            int
	DisagreedQuestion []string
}

// Consolidation is what the lead sees before setting the council's answers.
type Consolidation struct {
	Rule       string
	Colleagues []Colleague
	Questions  []QuestionView
	Areas      []AreaAgreement
}

// Consolidate builds the consolidation view of a from what auth loaded
// (the one Query of its partition holds every colleague's answers).
func Consolidate(b *bank.Bank, a *Assessment) Consolidation {
	out := Consolidation{Rule: PrefillRule, Colleagues: a.Colleagues}
	for _, area := range b.Areas {
		ag := AreaAgreement{Area: area.ID}
		for _, q := range area.Questions {
			rs := a.Responses(q.ID)
			v := QuestionView{Question: q, RoutedTo: b.RoutedTo(q), Responses: rs}
			v.Spread, v.Levels = Spread(rs)
			v.Divergent = v.Levels >= 2 && v.Spread >= b.Scoring.DivergenceSpread
			answers := make([]Answer, len(rs))
			for i, r := range rs {
				answers[i] = r.Answer
			}
			if p, ok := Prefill(answers); ok {
				v.Prefill = &p
			}
			if c, ok := a.Answers[q.ID]; ok {
				v.Council = &c
			}
			if len(a.Colleagues) >= 2 && v.Levels == len(a.Colleagues) {
				ag.AllAnswered++
				if v.Divergent {
					ag.DisagreedQuestion = append(ag.DisagreedQuestion, q.ID)
				} else {
					ag.Agreed++
				}
			}
			out.Questions = append(out.Questions, v)
		}
		out.Areas = append(out.Areas, ag)
	}
	return out
}

// Disagreement is one question where the council disagreed with itself:
// the lowest and highest levels its colleagues gave.
type Disagreement struct {
	Question        bank.Question
	Lowest, Highest int
}

// AgreementArea is the council's agreement with itself in one area, as its
// report shows it.
type AgreementArea struct {
	AreaAgreement
	Title         string
	Disagreements []Disagreement
}

// Agreement is how far the council's colleagues agreed with each other, a
// finding of the council's own report (issue 19). It is private to the
// council: it is built only from the colleagues' answers, which never leave
// the assessment's partition, and no partner's view carries it.
type Agreement struct {
	// Respondents counts the colleagues whose answers were compared.
	Respondents      int
	DivergenceSpread int
	Areas            []AgreementArea
}

// AgreementOf is the council's agreement with itself, or nil with fewer
// than two colleagues (nobody to agree with).
func AgreementOf(b *bank.Bank, a *Assessment) *Agreement {
	if len(a.Colleagues) < 2 {
		return nil
	}
	c := Consolidate(b, a)
	out := &Agreement{Respondents: len(a.Colleagues), DivergenceSpread: b.Scoring.DivergenceSpread}
	for _, ag := range c.Areas {
		area, _ := b.Area(ag.Area)
		aa := AgreementArea{AreaAgreement: ag, Title: area.Title}
		for _, qid := range ag.DisagreedQuestion {
			q, _ := b.Question(qid)
			d := Disagreement{Question: q, Lowest: -1}
			for _, r := range a.Responses(qid) {
				if r.Answer.Score == nil || r.Answer.NotApplicable {
					continue
				}
				if s := *r.Answer.Score; d.Lowest < 0 || s < d.Lowest {
					d.Lowest = s
				}
				if s := *r.Answer.Score; s > d.Highest {
					d.Highest = s
				}
			}
			aa.Disagreements = append(aa.Disagreements, d)
		}
		out.Areas = append(out.Areas, aa)
	}
	return out
}
