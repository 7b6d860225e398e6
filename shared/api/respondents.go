package api

import (
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
)

// Several respondents per council (issue 19): the lead invites colleagues,
// each answers with their own token, and the lead consolidates. Nothing
// here is ever part of a partner's view.

// InviteRespondent is the body of POST /api/assessments/{id}/respondents.
type InviteRespondent struct {
	Name string `json:"name" limit:"name"`
	Role string `json:"role" enum:"respondent-role"`
	// Email is optional: kept only so the colleague can ask for a new link.
	Email string `json:"email,omitempty" limit:"email"`
}

// RespondentInvited is the reply to an invitation: the colleague's token,
// shown once (only its hash is kept).
type RespondentInvited struct {
	ID         string    `json:"id"`
	Assessment string    `json:"assessment"`
	Token      string    `json:"token"`
	Name       string    `json:"name"`
	Role       string    `json:"role" enum:"respondent-role"`
	InvitedAt  time.Time `json:"invitedAt"`
	// Mailed: the link was also sent to the address given.
	Mailed bool `json:"mailed"`
}

// RespondentSummary is one colleague as the lead sees them.
type RespondentSummary struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Role      string    `json:"role" enum:"respondent-role"`
	RoleLabel string    `json:"roleLabel"`
	InvitedAt time.Time `json:"invitedAt"`
	// Answered counts every answer they gave; Routed the questions the
	// bank routes to their role, and RoutedAnswered those they answered.
	Answered       int `json:"answered"`
	Routed         int `json:"routed"`
	RoutedAnswered int `json:"routedAnswered"`
	// RoutedBy says who chose the questions routed to them: the bank's
	// suggestion for their role, or the lead. RoutedIDs are the areas and
	// questions the lead chose (absent for the suggestion).
	RoutedBy  string   `json:"routedBy" enum:"routed-by"`
	RoutedIDs []string `json:"routedIds,omitempty"`
	// SeesSpread: the lead shared every colleague's answers with them.
	SeesSpread bool `json:"seesSpread"`
}

// MaxRouted bounds the ids of one routing (more than a bank has).
const MaxRouted = 100

// UpdateRespondent is the body of PATCH
// /api/assessments/{id}/respondents/{respondent}: what the lead changes
// about a colleague. A field left out stays as it is.
type UpdateRespondent struct {
	// Routed replaces the bank's suggestion for their role with these areas
	// and questions ([] routes nothing to them); routedDefault: true puts
	// the suggestion back.
	Routed        *[]string `json:"routed,omitempty" limit:"routed"`
	RoutedDefault bool      `json:"routedDefault,omitempty"`
	// SeesSpread shares every colleague's answers and notes with them (read
	// only, never the council's answers), or stops sharing.
	SeesSpread *bool `json:"seesSpread,omitempty"`
}

// HandOverLead is the body of POST /api/assessments/{id}/lead.
type HandOverLead struct {
	Respondent string `json:"respondent" limit:"id"`
}

// LeadHandedOver is the reply to a hand-over: the new lead's token, shown
// once and mailed to them when they have an address. The old lead's token
// no longer works.
type LeadHandedOver struct {
	Assessment string     `json:"assessment"`
	Token      string     `json:"token"`
	Lead       Respondent `json:"lead"`
	Mailed     bool       `json:"mailed"`
}

// Respondents is the body of GET /api/assessments/{id}/respondents.
type Respondents struct {
	Respondents []RespondentSummary `json:"respondents"`
}

// RespondentAnswers is what a colleague sees with their own token: their
// own answers only, never another colleague's or the council's.
type RespondentAnswers struct {
	ID              string            `json:"id"`
	Assessment      string            `json:"assessment"`
	Council         string            `json:"council"`
	Name            string            `json:"name"`
	Role            string            `json:"role" enum:"respondent-role"`
	Status          string            `json:"status" enum:"assessment-status"`
	QuestionVersion string            `json:"questionVersion"`
	Routed          []string          `json:"routed"`
	Answers         map[string]Answer `json:"answers"`
	Answered        int               `json:"answered"`
	Total           int               `json:"total"`
}

// SaveRespondentAnswers is the body of PUT
// /api/assessments/{id}/respondents/{respondent}/answers: a colleague's
// changes to their own answers, read as the council's save reads them.
type SaveRespondentAnswers struct {
	Answers map[string]RespondentAnswerChange `json:"answers" limit:"answers"`
}

// RespondentAnswerChange is one answer in a colleague's save: AnswerChange
// without why, which only the lead gives.
type RespondentAnswerChange struct {
	Score         OptionalScore `json:"score,omitzero" nullable:"true" limit:"score"`
	Note          *string       `json:"note,omitempty" limit:"note"`
	Clear         bool          `json:"clear,omitempty" limit:"clear"`
	NotApplicable bool          `json:"notApplicable,omitempty"`
	Reason        string        `json:"reason,omitempty" limit:"reason"`
}

// Change is the council-shaped change of c (no reason: colleagues give none).
func (c RespondentAnswerChange) Change() AnswerChange {
	return AnswerChange{Score: c.Score, Note: c.Note, Clear: c.Clear, NotApplicable: c.NotApplicable, Reason: c.Reason}
}

// RespondentSaved is the reply to a colleague's save.
type RespondentSaved struct {
	Answered int `json:"answered"`
	Total    int `json:"total"`
}

// RespondentResponse is one colleague's answer to a question.
type RespondentResponse struct {
	Respondent    string `json:"respondent"`
	Name          string `json:"name"`
	Role          string `json:"role" enum:"respondent-role"`
	Score         *int   `json:"score" nullable:"true" limit:"score"`
	Note          string `json:"note,omitempty"`
	NotApplicable bool   `json:"notApplicable,omitempty"`
	Reason        string `json:"reason,omitempty"`
}

// ConsolidationQuestion is one question of the consolidation.
type ConsolidationQuestion struct {
	Question  string               `json:"question"`
	Area      string               `json:"area"`
	RoutedTo  string               `json:"routedTo,omitempty" enum:"respondent-role"`
	Responses []RespondentResponse `json:"responses"`
	// Spread is the highest level given minus the lowest; Levels how many
	// levels were given (don't know and not applicable are not levels).
	Spread int `json:"spread"`
	Levels int `json:"levels"`
	// Divergent: the council disagrees with itself (spread at least the
	// bank's divergence spread).
	Divergent bool `json:"divergent"`
	// Suggested is the council answer the rule gives (absent when nobody answered).
	Suggested *Answer `json:"suggested,omitempty"`
	// Council is the council's answer so far (absent until the lead sets it).
	Council *Answer `json:"council,omitempty"`
}

// AreaAgreement is the council's agreement with itself in one area.
type AreaAgreement struct {
	Area string `json:"area"`
	// AllAnswered counts the questions every colleague answered with a
	// level (with two colleagues or more); Agreed those within the spread.
	AllAnswered int      `json:"allAnswered"`
	Agreed      int      `json:"agreed"`
	Disagreed   []string `json:"disagreed"`
}

// Consolidation is the body of GET /api/assessments/{id}/consolidation.
type Consolidation struct {
	// Rule names how the suggested answer is made: median-rounded-down.
	Rule             string                  `json:"rule"`
	DivergenceSpread int                     `json:"divergenceSpread"`
	Respondents      []RespondentSummary     `json:"respondents"`
	Questions        []ConsolidationQuestion `json:"questions"`
	Areas            []AreaAgreement         `json:"areas"`
}

// RespondentInvitedOf is the reply to an invitation.
func RespondentInvitedOf(assessmentID string, in assessment.Invited) RespondentInvited {
	return RespondentInvited{ID: in.ID, Assessment: assessmentID, Token: in.Token, Name: in.Name, Role: in.Role, InvitedAt: in.InvitedAt, Mailed: in.Mailed}
}

// RespondentSummaryOf is one colleague as the lead sees them.
func RespondentSummaryOf(b *bank.Bank, c *assessment.Colleague) RespondentSummary {
	out := RespondentSummary{ID: c.ID, Name: c.Name, Role: c.Role, InvitedAt: c.InvitedAt, Answered: len(c.Answers),
		RoutedBy: assessment.RoutedBySuggestion, SeesSpread: c.SeesSpread}
	if c.RoutingSet {
		out.RoutedBy, out.RoutedIDs = assessment.RoutedByLead, append([]string{}, c.Routing...)
	}
	if r, ok := b.Role(c.Role); ok {
		out.RoleLabel = r.Label
	}
	for _, q := range assessment.Routed(b, c) {
		out.Routed++
		if _, ok := c.Answers[q]; ok {
			out.RoutedAnswered++
		}
	}
	return out
}

// RespondentsOf is the body of GET /api/assessments/{id}/respondents.
func RespondentsOf(b *bank.Bank, a *assessment.Assessment) Respondents {
	out := Respondents{Respondents: []RespondentSummary{}}
	for i := range a.Colleagues {
		out.Respondents = append(out.Respondents, RespondentSummaryOf(b, &a.Colleagues[i]))
	}
	return out
}

func answerOf(ans assessment.Answer) Answer {
	return Answer{Score: ans.Score, Note: ans.Note, Stale: ans.Stale, NotApplicable: ans.NotApplicable, Reason: ans.Reason, Why: ans.Why}
}

// RespondentAnswersOf is what colleague c sees of assessment a.
func RespondentAnswersOf(b *bank.Bank, a *assessment.Assessment, c *assessment.Colleague) RespondentAnswers {
	out := RespondentAnswers{ID: c.ID, Assessment: a.ID, Council: a.Council, Name: c.Name, Role: c.Role, Status: a.Status,
		QuestionVersion: a.Version, Routed: assessment.Routed(b, c), Answers: make(map[string]Answer, len(c.Answers)),
		Answered: len(c.Answers), Total: len(b.Questions())}
	if out.Routed == nil {
		out.Routed = []string{}
	}
	for q, ans := range c.Answers {
		out.Answers[q] = answerOf(ans)
	}
	return out
}

// ConsolidationOf is the body of GET /api/assessments/{id}/consolidation.
func ConsolidationOf(b *bank.Bank, a *assessment.Assessment) Consolidation {
	return consolidationOf(b, a, assessment.Consolidate(b, a))
}

// SpreadOf is the body of GET
// /api/assessments/{id}/respondents/{respondent}/spread: the consolidation
// as a colleague may see it (c from assessment.Service.Spread, without the
// council's answers or the suggestion).
func SpreadOf(b *bank.Bank, a *assessment.Assessment, c assessment.Consolidation) Consolidation {
	return consolidationOf(b, a, c)
}

func consolidationOf(b *bank.Bank, a *assessment.Assessment, c assessment.Consolidation) Consolidation {
	out := Consolidation{Rule: c.Rule, DivergenceSpread: b.Scoring.DivergenceSpread, Respondents: RespondentsOf(b, a).Respondents,
		Questions: make([]ConsolidationQuestion, 0, len(c.Questions)), Areas: make([]AreaAgreement, 0, len(c.Areas))}
	for _, v := range c.Questions {
		q := ConsolidationQuestion{Question: v.Question.ID, Area: v.Question.Area, RoutedTo: v.RoutedTo, Responses: make([]RespondentResponse, 0, len(v.Responses)),
			Spread: v.Spread, Levels: v.Levels, Divergent: v.Divergent}
		for _, r := range v.Responses {
			q.Responses = append(q.Responses, RespondentResponse{Respondent: r.Colleague.ID, Name: r.Colleague.Name, Role: r.Colleague.Role,
				Score: r.Answer.Score, Note: r.Answer.Note, NotApplicable: r.Answer.NotApplicable, Reason: r.Answer.Reason})
		}
		if v.Prefill != nil {
			s := answerOf(*v.Prefill)
			q.Suggested = &s
		}
		if v.Council != nil {
			s := answerOf(*v.Council)
			q.Council = &s
		}
		out.Questions = append(out.Questions, q)
	}
	for _, ag := range c.Areas {
		d := ag.DisagreedQuestion
		if d == nil {
			d = []string{}
		}
		out.Areas = append(out.Areas, AreaAgreement{Area: ag.Area, AllAnswered: ag.AllAnswered, Agreed: ag.Agreed, Disagreed: d})
	}
	return out
}

// CouncilAgreement is the council's agreement with itself on its report.
type CouncilAgreement struct {
	// Respondents counts the colleagues whose answers were compared.
	Respondents int `json:"respondents"`
	// DivergenceSpread is the bank's threshold: levels this far apart or
	// more are a disagreement.
	DivergenceSpread int             `json:"divergenceSpread"`
	Areas            []AgreementArea `json:"areas"`
}

// AgreementArea is the council's agreement with itself in one area: of the
// AllAnswered questions every colleague answered with a level, Agreed were
// within the divergence spread; Disagreed lists the others.
type AgreementArea struct {
	Area        string         `json:"area"`
	Title       string         `json:"title"`
	AllAnswered int            `json:"allAnswered"`
	Agreed      int            `json:"agreed"`
	Disagreed   []Disagreement `json:"disagreed"`
}

// Disagreement is a question the council disagreed with itself on.
type Disagreement struct {
	Question string `json:"question"`
	Text     string `json:"text"`
	Lowest   int    `json:"lowest" limit:"score"`
	Highest  int    `json:"highest" limit:"score"`
}

// CouncilAgreementOf is the agreement on the council's report, nil when
// there is none.
func CouncilAgreementOf(ag *assessment.Agreement) *CouncilAgreement {
	if ag == nil {
		return nil
	}
	out := &CouncilAgreement{Respondents: ag.Respondents, DivergenceSpread: ag.DivergenceSpread, Areas: make([]AgreementArea, 0, len(ag.Areas))}
	for _, a := range ag.Areas {
		area := AgreementArea{Area: a.Area, Title: a.Title, AllAnswered: a.AllAnswered, Agreed: a.Agreed, Disagreed: make([]Disagreement, 0, len(a.Disagreements))}
		for _, d := range a.Disagreements {
			area.Disagreed = append(area.Disagreed, Disagreement{Question: d.Question.ID, Text: d.Question.Text, Lowest: d.Lowest, Highest: d.Highest})
		}
		out.Areas = append(out.Areas, area)
	}
	return out
}
