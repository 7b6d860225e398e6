package api

import (
	"errors"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/scoring"
)

// This file is the one mapping from domain values to their JSON shapes.
// Slices that the document promises as arrays are made non-nil here, so an
// empty list is [] on the wire, never null.

// StartedOf is the reply to starting an assessment or a health-check.
func StartedOf(s assessment.Started) Started {
	return Started{ID: s.ID, Token: s.Token, Status: s.Status, QuestionVersion: s.Version, CreatedAt: s.CreatedAt,
		PartnershipID: s.PartnershipID, Round: s.Round, Copied: s.Copied}
}

// ProgressOf is the JSON shape of answer counts.
func ProgressOf(p assessment.Progress) Progress {
	out := Progress{Answered: p.Answered, Total: p.Total, Areas: make(map[string]AreaProgress, len(p.Areas))}
	for id, a := range p.Areas {
		out.Areas[id] = AreaProgress{Answered: a.Answered, Total: a.Total}
	}
	return out
}

// SavedOf is the reply to a save.
func SavedOf(s assessment.Saved) Saved {
	return Saved{Revision: s.Revision, Progress: ProgressOf(s.Progress)}
}

// SubmittedOf is the reply to a submit.
func SubmittedOf(s assessment.Submission) Submitted {
	return Submitted{Status: s.Status, SubmittedAt: s.SubmittedAt}
}

// AssessmentOf is the body of GET /api/assessments/{id}.
func AssessmentOf(b *bank.Bank, a *assessment.Assessment) Assessment {
	out := Assessment{
		ID: a.ID, Council: a.Council, Purpose: a.Purpose, IntendedForm: a.Form, Status: a.Status,
		Respondent:      Respondent{Name: a.Respondent.Name, Role: a.Respondent.Role, Email: a.Respondent.Email},
		QuestionVersion: a.Version, Revision: a.Revision(), Answers: make(map[string]Answer, len(a.Answers)),
		Progress:  ProgressOf(assessment.ProgressOf(b, a)),
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, SubmittedAt: a.SubmittedAt, PartnershipID: a.PartnershipID, Round: a.Round,
		ShareNotes: a.ShareNotes,
	}
	for id, ans := range a.Answers {
		out.Answers[id] = answerOf(ans)
	}
	return out
}

// ScoreOf is the body of GET /api/assessments/{id}/score.
func ScoreOf(r assessment.ScoreReport) Score {
	out := Score{
		Assessment: r.Assessment, Council: r.Council, Provisional: r.Provisional, QuestionVersion: r.Version,
		IntendedForm: r.Form, Overall: r.Overall, Readiness: r.Readiness,
		Areas: []AreaScore{}, Weakest: []WeakQuestion{}, Unknown: append([]string{}, r.Unknown...),
	}
	for _, a := range r.Areas {
		out.Areas = append(out.Areas, AreaScore{ID: a.ID, Title: a.Title, Score: a.Score, Target: a.Target, Gap: a.Gap, Band: a.Band})
	}
	for _, w := range r.Weakest {
		out.Weakest = append(out.Weakest, WeakQuestion{Question: w.Question.ID, Text: w.Question.Text, Area: w.Question.Area, Score: w.Score, Action: w.Question.Action})
	}
	if c := r.Trend; c != nil {
		t := &OwnTrend{Previous: c.Previous, PreviousSubmittedAt: c.SubmittedAt, Areas: []OwnTrendArea{}, Questions: []OwnTrendQuestion{}}
		for _, ar := range c.Areas {
			t.Areas = append(t.Areas, OwnTrendArea{ID: ar.Area, Previous: ar.Previous, Now: ar.Now, Change: ar.Now - ar.Previous})
		}
		for _, q := range c.Questions {
			t.Questions = append(t.Questions, OwnTrendQuestion{ID: q.Question, Area: q.Area, Previous: q.Previous, Now: q.Now})
		}
		out.Trend = t
	}
	out.Model = r.Model
	out.Agreement = CouncilAgreementOf(r.Agreement)
	if r.V2 != nil && r.Bank != nil {
		v := VerdictOf(r.Bank, *r.V2)
		out.Verdict = &v
	}
	return out
}

// VerdictOf is the JSON shape of a v2 report on bank b.
func VerdictOf(b *bank.Bank, r scoring.Report) Verdict {
	out := Verdict{
		Profile: r.Purpose, Verdict: r.Verdict, MustHaves: []MustHave{}, Blockers: shortfallsOf(b, r.Blockers), Gaps: shortfallsOf(b, r.Gaps),
		WorkOnFirst: shortfallsOf(b, r.WorkOnFirst), NotApplicable: []NotApplicableAnswer{}, Applicable: r.Applicable, Met: r.Met,
		Evidenced: r.Evidenced, Areas: []VerdictArea{}, Forms: []FormVerdict{}, DeepestReadyForm: r.DeepestReady,
	}
	blocked := map[string]bool{}
	for _, s := range r.Blockers {
		blocked[s.Question] = true
	}
	for _, id := range r.MustHaves {
		q, _ := b.Question(id)
		level, _ := q.RequiredLevel(r.Purpose, r.Form)
		out.MustHaves = append(out.MustHaves, MustHave{Question: id, Text: q.Text, Required: level, Met: !blocked[id]})
	}
	for _, n := range r.NotApplicable {
		q, _ := b.Question(n.Question)
		out.NotApplicable = append(out.NotApplicable, NotApplicableAnswer{Question: n.Question, Text: q.Text, Reason: n.Reason})
	}
	for _, a := range r.Areas {
		out.Areas = append(out.Areas, VerdictArea{ID: a.ID, Title: a.Title, Score: a.Score, Applicable: a.Applicable, Met: a.Met, Band: a.Band})
	}
	for _, f := range r.Forms {
		out.Forms = append(out.Forms, formVerdictOf(b, f))
	}
	if r.Next != nil {
		next := formVerdictOf(b, *r.Next)
		out.NextForm = &next
	}
	return out
}

func formVerdictOf(b *bank.Bank, f scoring.FormVerdict) FormVerdict {
	out := FormVerdict{Form: f.Form, Verdict: f.Verdict, Blockers: []string{}, Gaps: []string{}}
	if form, ok := b.Form(f.Form); ok {
		out.Title = form.Title
	}
	for _, s := range f.Blockers {
		out.Blockers = append(out.Blockers, s.Question)
	}
	for _, s := range f.Gaps {
		out.Gaps = append(out.Gaps, s.Question)
	}
	return out
}

func shortfallsOf(b *bank.Bank, in []scoring.Shortfall) []Shortfall {
	out := make([]Shortfall, 0, len(in))
	for _, s := range in {
		q, _ := b.Question(s.Question)
		sf := Shortfall{Question: s.Question, Text: q.Text, Area: s.Area, Required: s.Required, Score: s.Score,
			Status: s.Status, MustHave: s.MustHave, FindOut: s.FindOut(), Priority: s.Priority}
		if a, ok := s.Action(q); ok {
			sf.Action, sf.Evidence = a.Do, a.Evidence
		}
		out = append(out, sf)
	}
	return out
}

// QuestionBankOf is the published shape of a bank version.
func QuestionBankOf(b *bank.Bank) QuestionBank {
	out := QuestionBank{Version: b.Version, Languages: []string{}}
	for _, l := range b.Languages() {
		out.Languages = append(out.Languages, string(l))
	}
	for _, a := range b.Areas {
		area := Area{ID: a.ID, Title: a.Title, Description: a.Description}
		for _, q := range a.Questions {
			area.Questions = append(area.Questions, Question{ID: q.ID, Text: q.Text, Guidance: q.Guidance, Levels: q.Levels, Weight: q.Weight})
		}
		out.Areas = append(out.Areas, area)
	}
	for _, f := range b.Forms {
		out.Forms = append(out.Forms, Form{ID: f.ID, Title: f.Title, Description: f.Description, Compromise: f.Compromise, Benefit: f.Benefit, Targets: f.Targets})
		if f.Targets == nil { // v2 has no area targets: {} as the document says, not null
			out.Forms[len(out.Forms)-1].Targets = map[string]int{}
		}
	}
	return out
}

// PartnershipCreatedOf is the reply to creating a partnership: the only
// copies of the admin token and the seats' invitations, with the links
// that links builds.
func PartnershipCreatedOf(links partnership.Links, c partnership.Created) PartnershipCreated {
	out := PartnershipCreated{ID: c.ID, JoinCode: c.JoinCode, AdminToken: c.AdminToken, AdminMailed: c.AdminMailed,
		AdminLink: links.Admin(c.ID, c.AdminToken), Seats: []SeatInvitation{}}
	for _, s := range c.Seats {
		out.Seats = append(out.Seats, SeatInvitation{Seat: s.Seat, Council: s.Council, Token: s.Token, Mailed: s.Mailed,
			Link: links.Invitation(c.ID, s.Seat, s.Token)})
	}
	return out
}

// RoundOpenedOf is the reply to opening or closing a round.
func RoundOpenedOf(r partnership.RoundChange) RoundOpened {
	return RoundOpened{Number: r.Number, Status: r.Status, Deadline: lastDay(r.LastDay)}
}

// lastDay writes a round's deadline as the API does ("" for none).
func lastDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(partnership.DateLayout)
}

// PartnershipOf is the body of GET /api/partnerships/{id}: no token hashes,
// no join code, no contact address.
func PartnershipOf(p *partnership.Partnership) Partnership {
	out := Partnership{ID: p.ID, Name: p.Name, IntendedForm: p.Form, CadenceMonths: p.CadenceMonths, CurrentRound: p.CurrentRound, Rounds: []Round{}, Seats: []Seat{}}
	for _, st := range p.Seats {
		out.Seats = append(out.Seats, Seat{ID: st.ID, Council: st.Name, GSSCode: st.GSSCode, Withdrawn: st.Withdrawn(), WithdrawnAt: st.WithdrawnAt})
	}
	for _, a := range p.Acts {
		out.Acts = append(out.Acts, AdminAct{At: a.At, Act: a.Kind, Text: a.Text(), Round: a.Round, Seat: a.Seat, Council: a.Council,
			Previous: a.Previous, Erased: a.Erased, Automatic: a.Automatic})
	}
	for _, r := range p.Rounds {
		ar := Round{Number: r.Number, Purpose: r.Purpose, Status: r.Status, OpenedAt: r.OpenedAt, ClosedAt: r.ClosedAt, Members: []Member{}, Expected: append([]string{}, r.Expected...),
			Deadline: lastDay(r.LastDay())}
		for _, m := range r.Members {
			ar.Members = append(ar.Members, Member{Council: p.MemberName(m), Seat: m.Seat, Status: m.Status, Prospective: m.Prospective, SubmittedAt: m.SubmittedAt, PreferredForm: m.PreferredForm})
		}
		out.Rounds = append(out.Rounds, ar)
	}
	return out
}

// SeatOf is one member council.
func SeatOf(st partnership.Seat) Seat {
	return Seat{ID: st.ID, Council: st.Name, GSSCode: st.GSSCode, Withdrawn: st.Withdrawn(), WithdrawnAt: st.WithdrawnAt}
}

// BoardOf is the board summary of a comparison.
func BoardOf(b scoring.Board) *Board {
	out := &Board{Round: b.Round, Purpose: b.Purpose, IntendedForm: b.IntendedForm, OpenedAt: b.OpenedAt, ClosedAt: b.ClosedAt,
		LastSubmittedAt: b.LastSubmittedAt, Verdict: b.Verdict, HeldBackBy: []SeatVerdict{}, FormMismatches: []PreferredForm{},
		Divergent: boardQuestions(b.Divergent), DivergentTotal: b.DivergentTotal, SharedWeaknesses: boardQuestions(b.SharedWeaknesses),
		AlignedAreas: append([]string{}, b.Aligned...),
		FollowUp: BoardFollowUp{Overdue: boardActions(b.FollowUp.Overdue), OverdueTotal: b.FollowUp.OverdueTotal,
			DoneNotImproved: boardActions(b.FollowUp.DoneNotImproved), DoneNotImprovedTotal: b.FollowUp.DoneNotImprovedTotal}}
	for _, h := range b.HeldBack {
		out.HeldBackBy = append(out.HeldBackBy, SeatVerdict{Council: h.Council, Verdict: h.Verdict, Blockers: ids(h.Blockers)})
	}
	for _, f := range b.FormMismatches {
		out.FormMismatches = append(out.FormMismatches, PreferredForm{Council: f.Council, Form: f.Form})
	}
	return out
}

func boardActions(as []scoring.BoardAction) []BoardAction {
	out := make([]BoardAction, 0, len(as))
	for _, a := range as {
		ba := BoardAction{ID: a.ID, Title: a.Title, Owners: append([]string{}, a.Owners...), OwnerRole: a.OwnerRole,
			Due: a.Due.Format(action.DateLayout), Status: a.Status, Round: a.Round, Moves: []BoardMove{}}
		for _, m := range a.Moves {
			ba.Moves = append(ba.Moves, BoardMove{Question: m.Question, Text: m.Text, ThenLowest: m.ThenLow, NowLowest: m.NowLow})
		}
		out = append(out, ba)
	}
	return out
}

func boardQuestions(qs []scoring.BoardQuestion) []BoardQuestion {
	out := make([]BoardQuestion, 0, len(qs))
	for _, q := range qs {
		bq := BoardQuestion{Question: q.Question, Area: q.Area, Text: q.Text, Spread: q.Spread, MustHave: q.MustHave, Answers: []CouncilAnswer{}}
		for _, a := range q.Answers {
			bq.Answers = append(bq.Answers, CouncilAnswer{Council: a.Council, Score: a.Score, NotApplicable: a.NotApplicable, Wording: a.Wording, Note: a.Note})
		}
		out = append(out, bq)
	}
	return out
}

// ComparisonOf is the body of GET /api/partnerships/{id}/comparison.
func ComparisonOf(c scoring.Comparison) Comparison {
	out := Comparison{
		Partnership: c.Partnership, Round: c.Round, IntendedForm: c.IntendedForm, Councils: append([]string{}, c.Councils...),
		Areas: []ComparedArea{}, Questions: []ComparedQuestion{}, Similarities: findings(c.Similarities),
		Differences: findings(c.Differences), SharedWeaknesses: findings(c.SharedWeaknesses), Unknowns: findings(c.Unknowns),
		Actions: []Action{}, Prospective: []Prospective{},
	}
	if c.Board != nil {
		out.Board = BoardOf(*c.Board)
	}
	for _, a := range c.Areas {
		out.Areas = append(out.Areas, ComparedArea{ID: a.ID, Title: a.Title, Target: a.Target, Min: a.Min, Mean: a.Mean, Max: a.Max,
			Spread: a.Spread, Band: a.Band, Scores: a.Scores, WeakestCouncil: a.WeakestCouncil})
	}
	for _, q := range c.Questions {
		out.Questions = append(out.Questions, ComparedQuestion{ID: q.ID, Text: q.Text, Area: q.Area, Scores: q.Scores, Spread: q.Spread, Status: q.Status, Notes: q.Notes})
	}
	for _, a := range c.Actions {
		out.Actions = append(out.Actions, Action{Question: a.Question, Area: a.Area, Action: a.Action, Councils: a.Councils})
	}
	for _, f := range c.PreferredForms {
		out.PreferredForms = append(out.PreferredForms, PreferredForm{Council: f.Council, Form: f.Form})
	}
	if c.Trend != nil {
		t := &Trend{PreviousRound: c.Trend.PreviousRound, MappedOnly: c.Trend.MappedOnly, Councils: append([]string{}, c.Trend.Councils...), Areas: []TrendArea{}, Questions: []TrendQuestion{}}
		for _, a := range c.Trend.Areas {
			t.Areas = append(t.Areas, TrendArea{Area: a.Area, Previous: a.Previous, Change: a.Change, MinDelta: a.MinDelta})
		}
		for _, q := range c.Trend.Questions {
			t.Questions = append(t.Questions, TrendQuestion{ID: q.ID, Area: q.Area, Previous: q.Previous, Now: q.Now})
		}
		out.Trend = t
	}
	for _, p := range c.Prospective {
		ap := Prospective{Council: p.Council, Status: p.Status, Areas: []ProspectiveArea{}, Divergent: append([]string{}, p.Divergent...), ComparedWithRound: p.ComparedWithRound}
		for _, a := range p.Areas {
			ap.Areas = append(ap.Areas, ProspectiveArea{ID: a.ID, Score: a.Score, PartnershipMean: a.PartnershipMean, Target: a.Target, Gap: a.Gap})
		}
		out.Prospective = append(out.Prospective, ap)
	}
	if c.V2 != nil {
		v := PartnershipVerdictOf(*c.V2)
		out.Verdict = &v
	}
	return out
}

// ids are the question ids of shortfalls.
func ids(s []scoring.Shortfall) []string {
	out := make([]string, 0, len(s))
	for _, x := range s {
		out = append(out, x.Question)
	}
	return out
}

// PartnershipVerdictOf is the JSON shape of a partnership's v2 verdict.
func PartnershipVerdictOf(r scoring.PartnershipReport) PartnershipVerdict {
	out := PartnershipVerdict{Profile: r.Purpose, Verdict: r.Verdict, HeldBackBy: []SeatVerdict{}, Seats: []SeatVerdict{},
		Statuses: r.Statuses, MappedOnly: r.MappedOnly, Scored: r.Scored}
	for _, h := range r.HeldBackBy {
		out.HeldBackBy = append(out.HeldBackBy, SeatVerdict{Council: h.Council, Verdict: h.Verdict, Blockers: ids(h.Blockers)})
	}
	for _, s := range r.Seats {
		out.Seats = append(out.Seats, SeatVerdict{Council: s.Council, Verdict: s.Report.Verdict, Blockers: ids(s.Report.Blockers), DeepestReadyForm: s.Report.DeepestReady})
	}
	return out
}

func findings(fs []scoring.Finding) []Finding {
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, Finding{Question: f.Question, Area: f.Area, Summary: f.Summary})
	}
	return out
}

// SealedOf fills the sealed members of a problem when err is a sealed
// comparison; it reports whether it was one.
func SealedOf(err error, p *Problem) bool {
	var s *partnership.SealedError
	if !errors.As(err, &s) {
		return false
	}
	sealed, round, submitted, expected := true, s.Round, s.Submitted, s.Expected
	p.Sealed, p.Round, p.Expected, p.Submitted, p.Members = &sealed, &round, &expected, &submitted, &expected
	for _, st := range s.Seats {
		p.Seats = append(p.Seats, SealedSeat{Seat: st.Seat, Council: st.Council, Submitted: st.Submitted})
	}
	p.Deadline = lastDay(s.LastDay)
	return true
}
