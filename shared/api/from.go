package api

import (
	"errors"

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
	}
	for id, ans := range a.Answers {
		out.Answers[id] = Answer{Score: ans.Score, Note: ans.Note, Stale: ans.Stale}
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
	return out
}

// QuestionBankOf is the published shape of a bank version.
func QuestionBankOf(b *bank.Bank) QuestionBank {
	out := QuestionBank{Version: b.Version}
	for _, a := range b.Areas {
		area := Area{ID: a.ID, Title: a.Title, Description: a.Description}
		for _, q := range a.Questions {
			area.Questions = append(area.Questions, Question{ID: q.ID, Text: q.Text, Guidance: q.Guidance, Levels: q.Levels, Weight: q.Weight})
		}
		out.Areas = append(out.Areas, area)
	}
	for _, f := range b.Forms {
		out.Forms = append(out.Forms, Form{ID: f.ID, Title: f.Title, Description: f.Description, Compromise: f.Compromise, Benefit: f.Benefit, Targets: f.Targets})
	}
	return out
}

// PartnershipCreatedOf is the reply to creating a partnership.
func PartnershipCreatedOf(c partnership.Created) PartnershipCreated {
	return PartnershipCreated{ID: c.ID, JoinCode: c.JoinCode, AdminToken: c.AdminToken}
}

// RoundOpenedOf is the reply to opening or closing a round.
func RoundOpenedOf(r partnership.RoundChange) RoundOpened {
	return RoundOpened{Number: r.Number, Status: r.Status}
}

// PartnershipOf is the body of GET /api/partnerships/{id}: no token hashes,
// no join code, no contact address.
func PartnershipOf(p *partnership.Partnership) Partnership {
	out := Partnership{ID: p.ID, Name: p.Name, IntendedForm: p.Form, CadenceMonths: p.CadenceMonths, CurrentRound: p.CurrentRound, Rounds: []Round{}}
	for _, r := range p.Rounds {
		ar := Round{Number: r.Number, Purpose: r.Purpose, Status: r.Status, OpenedAt: r.OpenedAt, ClosedAt: r.ClosedAt, Members: []Member{}}
		for _, m := range r.Members {
			ar.Members = append(ar.Members, Member{Council: m.Council, Status: m.Status, Prospective: m.Prospective, SubmittedAt: m.SubmittedAt})
		}
		out.Rounds = append(out.Rounds, ar)
	}
	return out
}

// ComparisonOf is the body of GET /api/partnerships/{id}/comparison.
func ComparisonOf(c scoring.Comparison) Comparison {
	out := Comparison{
		Partnership: c.Partnership, Round: c.Round, IntendedForm: c.IntendedForm, Councils: append([]string{}, c.Councils...),
		Areas: []ComparedArea{}, Questions: []ComparedQuestion{}, Similarities: findings(c.Similarities),
		Differences: findings(c.Differences), SharedWeaknesses: findings(c.SharedWeaknesses),
		Actions: []Action{}, Prospective: []Prospective{},
	}
	for _, a := range c.Areas {
		out.Areas = append(out.Areas, ComparedArea{ID: a.ID, Title: a.Title, Target: a.Target, Min: a.Min, Mean: a.Mean, Max: a.Max,
			Spread: a.Spread, Band: a.Band, Scores: a.Scores, WeakestCouncil: a.WeakestCouncil})
	}
	for _, q := range c.Questions {
		out.Questions = append(out.Questions, ComparedQuestion{ID: q.ID, Text: q.Text, Area: q.Area, Scores: q.Scores, Spread: q.Spread, Status: q.Status})
	}
	for _, a := range c.Actions {
		out.Actions = append(out.Actions, Action{Question: a.Question, Area: a.Area, Action: a.Action, Councils: a.Councils})
	}
	if c.Trend != nil {
		t := &Trend{PreviousRound: c.Trend.PreviousRound, Areas: []TrendArea{}}
		for _, a := range c.Trend.Areas {
			t.Areas = append(t.Areas, TrendArea{Area: a.Area, Previous: a.Previous, Change: a.Change, MinDelta: a.MinDelta})
		}
		out.Trend = t
	}
	for _, p := range c.Prospective {
		ap := Prospective{Council: p.Council, Status: p.Status, Areas: []ProspectiveArea{}, Divergent: append([]string{}, p.Divergent...)}
		for _, a := range p.Areas {
			ap.Areas = append(ap.Areas, ProspectiveArea{ID: a.ID, Score: a.Score, PartnershipMean: a.PartnershipMean, Target: a.Target, Gap: a.Gap})
		}
		out.Prospective = append(out.Prospective, ap)
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
	sealed, submitted, members := true, s.Submitted, s.Expected
	p.Sealed, p.Submitted, p.Members = &sealed, &submitted, &members
	return true
}
