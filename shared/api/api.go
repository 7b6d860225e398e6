// Package api holds the JSON shapes of the public API: what clients send and
// receive, and (from.go) the one mapping from domain values to them. The
// domain packages never import it: they return their own types, and the
// transport layer (handlers, the OpenAPI generator) speaks JSON. The OpenAPI
// document is generated from these types.
package api

import (
	"encoding/json"
	"time"
)

// Health is the body of GET /healthz.
type Health struct {
	Status string `json:"status"`
}

// Respondent is the person completing an assessment.
type Respondent struct {
	Name  string `json:"name" limit:"name"`
	Role  string `json:"role" limit:"name"`
	Email string `json:"email,omitempty" limit:"email"`
}

// StartAssessment is the body of POST /api/assessments.
type StartAssessment struct {
	Council      string     `json:"council" limit:"name"`
	Respondent   Respondent `json:"respondent"`
	Purpose      string     `json:"purpose" enum:"purpose"`
	IntendedForm string     `json:"intendedForm" enum:"form"`
	JoinCode     string     `json:"joinCode,omitempty" limit:"join-code"`
	// PreferredForm is the form the council would itself go to, when joining a partnership that intends another.
	PreferredForm string `json:"preferredForm,omitempty" enum:"form"`
}

// StartSeatAssessment is the body of POST /api/partnerships/{id}/seats/{seat}/assessments.
type StartSeatAssessment struct {
	Respondent Respondent `json:"respondent"`
	// PreferredForm is the form the council would itself go to, if it differs (optional).
	PreferredForm string `json:"preferredForm,omitempty" enum:"form"`
}

// BringIn is the body of POST /api/assessments/{id}/join: the seat's invitation.
type BringIn struct {
	Partnership string `json:"partnership" limit:"id"`
	Seat        string `json:"seat" limit:"id"`
	Invitation  string `json:"invitation" limit:"token"`
}

// Recover is the body of POST /api/recover: "send me a new link". Give an
// assessment's id, or a partnership's, and the address on file.
type Recover struct {
	Assessment  string `json:"assessment,omitempty" limit:"id"`
	Partnership string `json:"partnership,omitempty" limit:"id"`
	Email       string `json:"email" limit:"email"`
}

// RecoverAccepted is the reply to a recovery request, the same whether or
// not the address matched.
type RecoverAccepted struct {
	Status string `json:"status"`
}

// Started is returned once, with the only copy of the token.
type Started struct {
	ID              string    `json:"id"`
	Token           string    `json:"token"`
	Status          string    `json:"status" enum:"assessment-status"`
	QuestionVersion string    `json:"questionVersion"`
	CreatedAt       time.Time `json:"createdAt"`
	PartnershipID   string    `json:"partnershipId,omitempty"`
	Round           int       `json:"round,omitempty"`
	Copied          int       `json:"copied,omitempty"`
}

// Answer is one answer as stored; a nil Score means "don't know".
type Answer struct {
	Score *int   `json:"score" nullable:"true" limit:"score"`
	Note  string `json:"note,omitempty" limit:"note"`
	Stale bool   `json:"stale,omitempty"`
	// NotApplicable, with a short reason, is allowed only for questions
	// whose v2 profile allows it for the form (score must then be null).
	NotApplicable bool   `json:"notApplicable,omitempty"`
	Reason        string `json:"reason,omitempty" limit:"reason"`
	// Why is the lead's reason for a council answer that differs from
	// every colleague's (issue 19); never shown to partners.
	Why string `json:"why,omitempty" limit:"why"`
}

// AreaProgress counts answered questions in one area.
type AreaProgress struct {
	Answered int `json:"answered"`
	Total    int `json:"total"`
}

// Progress counts answered questions overall and per area.
type Progress struct {
	Answered int                     `json:"answered"`
	Total    int                     `json:"total"`
	Areas    map[string]AreaProgress `json:"areas"`
}

// Assessment is the body of GET /api/assessments/{id}.
type Assessment struct {
	ID              string            `json:"id"`
	Council         string            `json:"council"`
	Respondent      Respondent        `json:"respondent"`
	Purpose         string            `json:"purpose" enum:"purpose"`
	IntendedForm    string            `json:"intendedForm" enum:"form"`
	Status          string            `json:"status" enum:"assessment-status"`
	QuestionVersion string            `json:"questionVersion"`
	Revision        int64             `json:"revision"`
	Answers         map[string]Answer `json:"answers"`
	Progress        Progress          `json:"progress"`
	CreatedAt       time.Time         `json:"createdAt"`
	UpdatedAt       time.Time         `json:"updatedAt"`
	SubmittedAt     *time.Time        `json:"submittedAt" nullable:"true"`
	PartnershipID   string            `json:"partnershipId,omitempty"`
	Round           int               `json:"round,omitempty"`
	// ShareNotes is whether the council shares its notes with its partners.
	ShareNotes bool `json:"shareNotes"`
}

// SaveAnswers is the body of PUT /api/assessments/{id}/answers.
type SaveAnswers struct {
	Answers map[string]AnswerChange `json:"answers" limit:"answers"`
}

// AnswerChange is one answer in a save: only the fields sent change. An
// absent score keeps the stored score, "score": null means "don't know",
// an absent note keeps the note, and "clear": true (alone) removes the
// answer. The server-owned "stale" flag is not part of a request.
type AnswerChange struct {
	// Score is omitzero: its zero value is "absent", so a client built on
	// this type sends what it means.
	Score OptionalScore `json:"score,omitzero" nullable:"true" limit:"score"`
	Note  *string       `json:"note,omitempty" limit:"note"`
	Clear bool          `json:"clear,omitempty" limit:"clear"`
	// NotApplicable, with a short reason, is allowed only for questions
	// whose v2 profile allows it for the form (score must then be null or
	// left out).
	NotApplicable bool   `json:"notApplicable,omitempty"`
	Reason        string `json:"reason,omitempty" limit:"reason"`
	// Why is the lead's reason when the council's answer differs from every
	// colleague's answer to the question (required then: 422 without it).
	Why *string `json:"why,omitempty" limit:"why"`
}

// OptionalScore tells an absent score (Set false) from null ("don't know").
type OptionalScore struct {
	Set   bool `json:"-"`
	Value *int `json:"-"`
	// Invalid is set when the value is neither null nor a whole number; the
	// handler names the field rather than the decoder calling it bad JSON.
	Invalid bool `json:"-"`
}

// UnmarshalJSON is called only when "score" is present, null included.
func (o *OptionalScore) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		o.Invalid = true
		return nil
	}
	o.Value = &n
	return nil
}

// MarshalJSON writes the score (null for don't know).
func (o OptionalScore) MarshalJSON() ([]byte, error) {
	if o.Value == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*o.Value)
}

// Given returns a change that sets score to v (nil: don't know).
func Given(v *int) OptionalScore { return OptionalScore{Set: true, Value: v} }

// Saved is the reply to a save.
type Saved struct {
	Revision int64    `json:"revision"`
	Progress Progress `json:"progress"`
}

// Submit is the optional body of POST /api/assessments/{id}/submit.
type Submit struct {
	// ShareNotes shares the council's notes with its partners in the
	// comparison; false (the default) keeps them to the council, so it
	// is optional in the document too.
	ShareNotes bool `json:"shareNotes,omitempty"`
}

// ShareNotes is the body of PUT /api/assessments/{id}/note-sharing.
type ShareNotes struct {
	// Shared is true to share the council's notes, false to stop (required).
	Shared *bool `json:"shared"`
}

// NoteSharing is the reply of PUT /api/assessments/{id}/note-sharing.
type NoteSharing struct {
	Shared bool `json:"shared"`
	// Notes is how many notes are shared (in the reply; 0 when not shared).
	Notes int `json:"notes,omitempty"`
}

// Submitted is the reply to a submit.
type Submitted struct {
	Status      string    `json:"status" enum:"assessment-status"`
	SubmittedAt time.Time `json:"submittedAt"`
}

// AreaScore is one area of a score report.
type AreaScore struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Score  int    `json:"score"`
	Target int    `json:"target"`
	Gap    int    `json:"gap"`
	Band   string `json:"band" enum:"band"`
}

// WeakQuestion is one of the weakest questions with its improvement action.
type WeakQuestion struct {
	Question string `json:"question"`
	Text     string `json:"text"`
	Area     string `json:"area"`
	Score    int    `json:"score" limit:"score"`
	Action   string `json:"action"`
}

// Score is the body of GET /api/assessments/{id}/score.
type Score struct {
	Assessment      string         `json:"assessment"`
	Council         string         `json:"council"`
	Provisional     bool           `json:"provisional"`
	QuestionVersion string         `json:"questionVersion"`
	IntendedForm    string         `json:"intendedForm" enum:"form"`
	Overall         int            `json:"overall"`
	Readiness       string         `json:"readiness" enum:"readiness"`
	Areas           []AreaScore    `json:"areas"`
	Weakest         []WeakQuestion `json:"weakest"`
	Unknown         []string       `json:"unknown"`
	// Model is the scoring model of the question version: v1 (area
	// targets) or v2 (a required level per question, with must-haves).
	Model string `json:"model"`
	// Verdict is the v2 verdict; absent for v1 assessments.
	Verdict *Verdict `json:"verdict,omitempty"`
	// Trend is the change since the council's previous assessment (a
	// health-check or a re-assessed self-review), when there is one.
	Trend *OwnTrend `json:"trend,omitempty"`
	// Agreement is how far the council's colleagues agreed with each
	// other (issue 19), when two or more answered. Private to the council:
	// only the lead's report carries it, never a partner's view.
	Agreement *CouncilAgreement `json:"agreement,omitempty"`
}

// Verdict is a v2 readiness verdict for the intended form, with what blocks
// it and how the council stands against every form of sharing.
type Verdict struct {
	// Profile is the profile used: readiness, or health-check (also for a
	// prospective partner).
	Profile string `json:"profile"`
	// Verdict is not-ready, ready-with-gaps or ready.
	Verdict string `json:"verdict"`
	// MustHaves are the intended form's must-have questions, met or not.
	MustHaves []MustHave `json:"mustHaves"`
	// Blockers are the must-haves short of their level: why it is not ready.
	Blockers []Shortfall `json:"blockers"`
	// Gaps are the other applicable questions short of their level.
	Gaps []Shortfall `json:"gaps"`
	// WorkOnFirst is every shortfall, must-haves first, then by
	// (required - actual) x weight; findOut marks "don't know".
	WorkOnFirst   []Shortfall           `json:"workOnFirst"`
	NotApplicable []NotApplicableAnswer `json:"notApplicable"`
	// Applicable and Met count the questions the intended form asks about.
	Applicable int `json:"applicable"`
	Met        int `json:"met"`
	// Evidenced is the share (0..100) of applicable questions with a known answer.
	Evidenced int           `json:"evidenced"`
	Areas     []VerdictArea `json:"areas"`
	// Forms is the verdict for each of the six forms, in continuum order.
	Forms []FormVerdict `json:"forms"`
	// DeepestReadyForm is the deepest form the council is ready for now.
	DeepestReadyForm string `json:"deepestReadyForm"`
	// NextForm is the form after it, with what blocks it; absent at combine.
	NextForm *FormVerdict `json:"nextForm,omitempty"`
}

// MustHave is one must-have question of a form and whether it is met.
type MustHave struct {
	Question string `json:"question"`
	Text     string `json:"text"`
	Required int    `json:"required"`
	Met      bool   `json:"met"`
}

// Shortfall is a question below the level its form requires.
type Shortfall struct {
	Question string `json:"question"`
	Text     string `json:"text"`
	Area     string `json:"area"`
	Required int    `json:"required"`
	// Score is null when the answer is don't know, missing or not accepted.
	Score *int `json:"score" nullable:"true"`
	// Status is below, unknown, unanswered or not-accepted (not applicable
	// where the form does not allow it).
	Status   string  `json:"status"`
	MustHave bool    `json:"mustHave"`
	FindOut  bool    `json:"findOut"`
	Priority float64 `json:"priority"`
	// Action and Evidence are for the council's level band.
	Action   string `json:"action"`
	Evidence string `json:"evidence"`
}

// NotApplicableAnswer is a question answered not applicable, with the reason.
type NotApplicableAnswer struct {
	Question string `json:"question"`
	Text     string `json:"text"`
	Reason   string `json:"reason"`
}

// VerdictArea is an area under v2: its score over applicable questions only.
type VerdictArea struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Score      int    `json:"score"`
	Applicable int    `json:"applicable"`
	Met        int    `json:"met"`
	Band       string `json:"band"` // strength, developing, weakness or not-applicable
}

// FormVerdict is the verdict for one form of sharing.
type FormVerdict struct {
	Form     string   `json:"form"`
	Title    string   `json:"title"`
	Verdict  string   `json:"verdict"`
	Blockers []string `json:"blockers"` // must-have question ids short of their level
	Gaps     []string `json:"gaps"`     // other question ids short of their level
}

// OwnTrend is a council's change since its previous assessment, scored
// under this assessment's bank and form.
type OwnTrend struct {
	Previous            string             `json:"previous"`
	PreviousSubmittedAt *time.Time         `json:"previousSubmittedAt"`
	Areas               []OwnTrendArea     `json:"areas"`
	Questions           []OwnTrendQuestion `json:"questions"`
}

// OwnTrendArea is one area then and now.
type OwnTrendArea struct {
	ID       string `json:"id"`
	Previous int    `json:"previous"`
	Now      int    `json:"now"`
	Change   int    `json:"change"`
}

// OwnTrendQuestion is a question whose answer changed (null: don't know).
type OwnTrendQuestion struct {
	ID       string `json:"id"`
	Area     string `json:"area"`
	Previous *int   `json:"previous" nullable:"true"`
	Now      *int   `json:"now" nullable:"true"`
}

// Question is one question of the bank as published.
type Question struct {
	ID       string    `json:"id"`
	Text     string    `json:"text"`
	Guidance string    `json:"guidance"`
	Levels   [5]string `json:"levels"`
	Weight   float64   `json:"weight"`
}

// Area is one area of the bank as published.
type Area struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Questions   []Question `json:"questions"`
}

// Form is one form of sharing on the continuum.
type Form struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Compromise  string         `json:"compromise"`
	Benefit     string         `json:"benefit"`
	Targets     map[string]int `json:"targets"`
}

// QuestionBank is the body of GET /api/questions.
type QuestionBank struct {
	Version string `json:"version"`
	// Languages are the languages this version has its text in, English
	// first ("en", "cy"): v1 is English only. Ask for one with
	// Accept-Language; Content-Language says which the reply is in.
	Languages []string `json:"languages"`
	Areas     []Area   `json:"areas"`
	Forms     []Form   `json:"forms"`
}

// CreatePartnership is the body of POST /api/partnerships.
type CreatePartnership struct {
	Name         string `json:"name" limit:"name"`
	IntendedForm string `json:"intendedForm" enum:"form"`
	ContactEmail string `json:"contactEmail,omitempty" limit:"email"`
	// CadenceMonths is how often a health-check is due: 3, 6 or 12; left
	// out, 12. Any other value, 0 included, is refused.
	CadenceMonths *int `json:"cadenceMonths,omitempty" enum:"cadence"`
	// Councils are the member councils; each gets a seat with its own invitation.
	Councils []NewSeat `json:"councils,omitempty" limit:"seats"`
}

// NewSeat names one member council of a new partnership.
type NewSeat struct {
	Name string `json:"name" limit:"council-name"`
	// GSSCode is the council's ONS GSS code, like E09000028 (optional).
	GSSCode string `json:"gssCode,omitempty" limit:"gss-code"`
	// Email is the council lead's address: the invitation and round notices go there.
	Email string `json:"email,omitempty" limit:"email"`
}

// SeatInvitation is a seat's invitation, shown once.
type SeatInvitation struct {
	Seat    string `json:"seat"`
	Council string `json:"council"`
	// Token is the seat's credential: Authorization: Bearer on the seat's routes.
	Token  string `json:"token"`
	Link   string `json:"link"`
	Mailed bool   `json:"mailed"`
}

// Seat is one member council of a partnership.
type Seat struct {
	ID          string     `json:"id"`
	Council     string     `json:"council"`
	GSSCode     string     `json:"gssCode,omitempty"`
	Withdrawn   bool       `json:"withdrawn,omitempty"`
	WithdrawnAt *time.Time `json:"withdrawnAt,omitempty"`
}

// JoinCodeRotated is returned once, with the only copy of the new join code:
// codes are stored as keys, so a lost code can be replaced but never shown.
type JoinCodeRotated struct {
	// JoinCode is the new code, like K7M-Q2P-XWD; the old one no longer works.
	JoinCode string `json:"joinCode"`
}

// PartnershipCreated is returned once, with the only copy of the admin token.
type PartnershipCreated struct {
	ID         string `json:"id"`
	JoinCode   string `json:"joinCode"`
	AdminToken string `json:"adminToken"`
	AdminLink  string `json:"adminLink"`
	// AdminMailed says whether the admin link went to the contact address.
	AdminMailed bool             `json:"adminMailed"`
	Seats       []SeatInvitation `json:"seats"`
}

// SeatChange is the body of PATCH /api/partnerships/{id}/seats/{seat}.
type SeatChange struct {
	// Name is the council's new name: it applies to past rounds too.
	Name string `json:"name" limit:"council-name"`
}

// WithdrawSeat is the body of POST /api/partnerships/{id}/seats/{seat}/withdraw.
type WithdrawSeat struct {
	// Erase also erases the owner's names and progress notes on the joint
	// actions the seat owns. Its scores stay in past comparisons either way.
	Erase bool `json:"erase,omitempty"`
}

// AdminAct is one administrator's act, as every member sees it.
type AdminAct struct {
	At   time.Time `json:"at"`
	Act  string    `json:"act" enum:"act-kind"`
	Text string    `json:"text"`
	// Round is the round opened or closed.
	Round int `json:"round,omitempty"`
	// Seat and Council are the seat acted on and its name at the time;
	// Previous is a renamed seat's old name.
	Seat     string `json:"seat,omitempty"`
	Council  string `json:"council,omitempty"`
	Previous string `json:"previous,omitempty"`
	// Erased: a withdrawal erased the seat's names and notes on joint actions.
	Erased bool `json:"erased,omitempty"`
	// Automatic: done by the daily job (a round closed at its deadline).
	Automatic bool `json:"automatic,omitempty"`
}

// Member is one council in a round.
type Member struct {
	Council     string     `json:"council"`
	Seat        string     `json:"seat,omitempty"`
	Status      string     `json:"status" enum:"member-status"`
	Prospective bool       `json:"prospective,omitempty"`
	SubmittedAt *time.Time `json:"submittedAt" nullable:"true"`
	// PreferredForm is the form the council would itself go to, if it said.
	PreferredForm string `json:"preferredForm,omitempty"`
}

// Round is one assessment round of a partnership.
type Round struct {
	Number   int        `json:"number"`
	Purpose  string     `json:"purpose" enum:"round-purpose"`
	Status   string     `json:"status" enum:"round-status"`
	OpenedAt time.Time  `json:"openedAt"`
	ClosedAt *time.Time `json:"closedAt" nullable:"true"`
	Members  []Member   `json:"members"`
	// Expected are the seats the round waits for.
	Expected []string `json:"expected"`
	// Deadline is the last day councils may submit, if the round has one.
	Deadline string `json:"deadline,omitempty" limit:"round-last-day"`
}

// Partnership is the body of GET /api/partnerships/{id}.
type Partnership struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	IntendedForm  string  `json:"intendedForm" enum:"form"`
	CadenceMonths int     `json:"cadenceMonths" enum:"cadence"`
	CurrentRound  int     `json:"currentRound"`
	Rounds        []Round `json:"rounds"`
	Seats         []Seat  `json:"seats"`
	// Acts are the administrators' acts, oldest first (left out for a
	// prospective partner).
	Acts []AdminAct `json:"acts,omitempty"`
	// Admins are the partnership's administrators: only in an
	// administrator's reply.
	Admins []Admin `json:"admins,omitempty"`
}

// OpenRound is the body of POST /api/partnerships/{id}/rounds.
type OpenRound struct {
	Purpose string `json:"purpose" enum:"round-purpose"`
	// After is the round the new one follows (the current one). A retried
	// request then gets 409 instead of opening another round.
	After int `json:"after,omitempty"`
	// Deadline is the last day councils may submit (optional): the round
	// closes by itself at the end of that day.
	Deadline string `json:"deadline,omitempty" limit:"round-deadline"`
}

// RoundOpened is the reply to opening or closing a round.
type RoundOpened struct {
	Number int    `json:"number"`
	Status string `json:"status" enum:"round-status"`
	// Deadline is the deadline of a round just opened with one.
	Deadline string `json:"deadline,omitempty" limit:"round-last-day"`
}

// ComparedArea is one area across the councils of a round.
type ComparedArea struct {
	ID             string         `json:"id"`
	Title          string         `json:"title"`
	Target         int            `json:"target"`
	Min            int            `json:"min"`
	Mean           float64        `json:"mean"`
	Max            int            `json:"max"`
	Spread         int            `json:"spread"`
	Band           string         `json:"band" enum:"band"` // of the weakest council: a partnership is as ready as its least ready member
	Scores         map[string]int `json:"scores"`
	WeakestCouncil string         `json:"weakestCouncil"`
}

// ComparedQuestion is one question across the councils of a round.
type ComparedQuestion struct {
	ID     string          `json:"id"`
	Text   string          `json:"text"`
	Area   string          `json:"area"`
	Scores map[string]*int `json:"scores" nullable:"true"`
	Spread int             `json:"spread"`
	Status string          `json:"status" enum:"question-status"`
	// Notes are the notes councils chose to share, by council name.
	Notes map[string]string `json:"notes,omitempty"`
}

// Finding is one similarity, difference or shared weakness in words.
type Finding struct {
	Question string `json:"question"`
	Area     string `json:"area"`
	Summary  string `json:"summary"`
}

// Action is an improvement action for the partnership.
type Action struct {
	Question string   `json:"question"`
	Area     string   `json:"area"`
	Action   string   `json:"action"`
	Councils []string `json:"councils"`
}

// TrendArea is the change of one area since the previous round.
type TrendArea struct {
	Area     string         `json:"area"`
	Previous map[string]int `json:"previous"`
	Change   map[string]int `json:"change"`
	// MinDelta compares the lowest score of the same councils in both rounds.
	MinDelta int `json:"minChange"`
}

// TrendQuestion is a question whose answer changed for at least one council.
type TrendQuestion struct {
	ID       string          `json:"id"`
	Area     string          `json:"area"`
	Previous map[string]*int `json:"previous" nullable:"true"`
	Now      map[string]*int `json:"now" nullable:"true"`
}

// Trend compares a round with the one before it, council by council, on the
// councils (seats) that submitted in both.
type Trend struct {
	PreviousRound int         `json:"previousRound"`
	Areas         []TrendArea `json:"areas"`
	// MappedOnly is true when the rounds are on different question
	// versions: both are scored under v2 on the mapped questions only.
	MappedOnly bool            `json:"mappedOnly,omitempty"`
	Councils   []string        `json:"councils"`
	Questions  []TrendQuestion `json:"questions"`
}

// ProspectiveArea compares a prospective partner with the partnership in one area.
type ProspectiveArea struct {
	ID              string  `json:"id"`
	Score           int     `json:"score"`
	PartnershipMean float64 `json:"partnershipMean"`
	Target          int     `json:"target"`
	Gap             int     `json:"gap"`
}

// PreferredForm is a council that would itself go to another form.
type PreferredForm struct {
	Council string `json:"council"`
	Form    string `json:"form"`
}

// Prospective is a council assessing whether to join.
type Prospective struct {
	Council   string            `json:"council"`
	Status    string            `json:"status" enum:"assessment-status"`
	Areas     []ProspectiveArea `json:"areas"`
	Divergent []string          `json:"divergentQuestions"`
	// ComparedWithRound is the latest round in which every member submitted.
	ComparedWithRound int `json:"comparedWithRound"`
}

// Comparison is the body of GET /api/partnerships/{id}/comparison.
type Comparison struct {
	Partnership      string             `json:"partnership"`
	Round            int                `json:"round"`
	IntendedForm     string             `json:"intendedForm" enum:"form"`
	Councils         []string           `json:"councils"`
	Areas            []ComparedArea     `json:"areas"`
	Questions        []ComparedQuestion `json:"questions"`
	Similarities     []Finding          `json:"similarities"`
	Differences      []Finding          `json:"differences"`
	SharedWeaknesses []Finding          `json:"sharedWeaknesses"`
	// Unknowns are questions where councils differ only because some answered don't know.
	Unknowns       []Finding       `json:"unknowns"`
	PreferredForms []PreferredForm `json:"preferredForms,omitempty"`
	Actions        []Action        `json:"actions"`
	Trend          *Trend          `json:"trend,omitempty"`
	Prospective    []Prospective   `json:"prospective"`
	// Verdict is the partnership's v2 verdict; absent when scored on v1.
	Verdict *PartnershipVerdict `json:"verdict,omitempty"`
	// Board is the summary for a partnership board or committee paper;
	// left out of a prospective partner's own view.
	Board *Board `json:"board,omitempty"`
}

// Board is the board summary of a comparison: the verdict and what blocks
// it, a form mismatch, the top divergent questions with each council's
// answer in words, the shared weaknesses and the areas where councils align.
type Board struct {
	Round           int             `json:"round"`
	Purpose         string          `json:"purpose"`
	IntendedForm    string          `json:"intendedForm"`
	OpenedAt        time.Time       `json:"openedAt"`
	ClosedAt        *time.Time      `json:"closedAt,omitempty"`
	LastSubmittedAt *time.Time      `json:"lastSubmittedAt" nullable:"true"` // null when nobody submitted (a round closed early)
	Verdict         string          `json:"verdict,omitempty"`               // ready, ready-with-gaps, not-ready; absent on v1
	HeldBackBy      []SeatVerdict   `json:"heldBackBy"`
	FormMismatches  []PreferredForm `json:"formMismatches"`
	// Divergent are the top 12 divergent questions (must-haves first, then
	// the widest spread); divergentTotal counts them all.
	Divergent        []BoardQuestion `json:"divergent"`
	DivergentTotal   int             `json:"divergentTotal"`
	SharedWeaknesses []BoardQuestion `json:"sharedWeaknesses"`
	// AlignedAreas are the areas with no divergent question.
	AlignedAreas []string `json:"alignedAreas"`
	// FollowUp is what the joint action register asks of the board.
	FollowUp BoardFollowUp `json:"followUp"`
}

// BoardFollowUp lists the actions of the register a board should chase, at
// most 3 of each (the most overdue first), with the totals; the register
// (GET /api/partnerships/{id}/actions) has them all.
type BoardFollowUp struct {
	// Overdue are open actions past their due date.
	Overdue      []BoardAction `json:"overdue"`
	OverdueTotal int           `json:"overdueTotal"`
	// DoneNotImproved are actions done whose linked questions' lowest
	// score did not rise between their round and this one.
	DoneNotImproved      []BoardAction `json:"doneNotImproved"`
	DoneNotImprovedTotal int           `json:"doneNotImprovedTotal"`
}

// BoardAction is one action on the board summary.
type BoardAction struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Owners are the owning councils' names.
	Owners    []string `json:"owners"`
	OwnerRole string   `json:"ownerRole"`
	// Due is a date, YYYY-MM-DD.
	Due    string `json:"due"`
	Status string `json:"status" enum:"action-status"`
	// Round is the round the action was created in.
	Round int `json:"round"`
	// Moves are the linked questions' lowest scores then and now (only
	// for an action done whose questions did not improve).
	Moves []BoardMove `json:"moves"`
}

// BoardMove is one linked question's lowest score across the councils in
// the action's round (then) and in this round (now).
type BoardMove struct {
	Question   string `json:"question"`
	Text       string `json:"text"`
	ThenLowest int    `json:"thenLowest"`
	NowLowest  int    `json:"nowLowest"`
}

// BoardQuestion is one question of the board summary.
type BoardQuestion struct {
	Question string          `json:"question"`
	Area     string          `json:"area"`
	Text     string          `json:"text"`
	Spread   int             `json:"spread"`
	MustHave bool            `json:"mustHave"`
	Answers  []CouncilAnswer `json:"answers"`
}

// CouncilAnswer is one council's answer in the level's own words.
type CouncilAnswer struct {
	Council string `json:"council"`
	// Score is null for don't know and not applicable.
	Score         *int   `json:"score" nullable:"true"`
	NotApplicable bool   `json:"notApplicable,omitempty"`
	Wording       string `json:"wording"`
	// Note is present when the council shares its notes.
	Note string `json:"note,omitempty"`
}

// PartnershipVerdict is the v2 verdict of a partnership for its form: not
// ready when any council is not ready on a must-have, otherwise the weakest
// council's verdict.
type PartnershipVerdict struct {
	Profile string `json:"profile"`
	Verdict string `json:"verdict"`
	// HeldBackBy names the councils whose verdict is the partnership's,
	// with the must-haves each is short on.
	HeldBackBy []SeatVerdict `json:"heldBackBy"`
	Seats      []SeatVerdict `json:"seats"`
	// Statuses maps question id to council to met, below, unknown,
	// unanswered, not-accepted, not-applicable or not-required.
	Statuses map[string]map[string]string `json:"statuses"`
	// MappedOnly is true when the round spans question versions: only the
	// questions mapped from the older version are scored, under v2's rules.
	MappedOnly bool `json:"mappedOnly"`
	Scored     int  `json:"scored"`
}

// SeatVerdict is one council's verdict in a partnership.
type SeatVerdict struct {
	Council          string   `json:"council"`
	Verdict          string   `json:"verdict"`
	Blockers         []string `json:"blockers"` // must-have question ids short of their level
	DeepestReadyForm string   `json:"deepestReadyForm,omitempty"`
}

// Problem is an RFC 9457 problem document.
type Problem struct {
	// Type is the problem's stable type URI (docs/design.md D3).
	Type      string       `json:"type" enum:"problem-type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail"`
	RequestID string       `json:"requestId"`
	Errors    []FieldError `json:"errors,omitempty"`
	// Sealed comparison extras (docs/design.md D3). Members is the same
	// number as Expected, kept for clients written before seats.
	Sealed    *bool        `json:"sealed,omitempty"`
	Round     *int         `json:"round,omitempty"`
	Expected  *int         `json:"expected,omitempty"`
	Submitted *int         `json:"submitted,omitempty"`
	Members   *int         `json:"members,omitempty"`
	Seats     []SealedSeat `json:"seats,omitempty"`
	// Deadline is a sealed round's deadline, when it has one.
	Deadline string `json:"deadline,omitempty" limit:"round-last-day"`
}

// SealedSeat is one expected council of a sealed round.
type SealedSeat struct {
	Seat      string `json:"seat,omitempty"`
	Council   string `json:"council"`
	Submitted bool   `json:"submitted"`
}

// FieldError names one field and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}
