// Package scoring turns answers into area scores, bands, a readiness verdict
// and improvement actions. It is a pure function of (bank version, answers,
// intended form): every threshold comes from the question bank data.
package scoring

import (
	"math"
	"sort"

	"github.com/openrasp/rasp/shared/bank"
)

// Answers maps question id to a score 0..4; a nil score is "don't know".
// A question absent from the map is unanswered.
type Answers map[string]*int

// Bands and verdicts.
const (
	Strength   = "strength"
	Developing = "developing"
	Weakness   = "weakness"

	Ready         = "ready"
	ReadyWithGaps = "ready-with-gaps"
	NotReady      = "not-ready"
)

// Area is one area's result.
type Area struct {
	ID, Title string
	Score     int
	Target    int
	Gap       int
	Band      string
}

// Weak is one of the weakest questions.
type Weak struct {
	Question bank.Question
	Score    int
}

// Result is a whole score report.
type Result struct {
	Overall   int
	Readiness string
	Areas     []Area
	Weakest   []Weak
	Unknown   []string // answered "don't know"
	Missing   []string // not answered at all
}

// Score scores answers against the targets of form. Unknown and missing
// answers count as 0: a gap you cannot evidence is a gap.
func Score(b *bank.Bank, form bank.Form, answers Answers) Result {
	var r Result
	type ranked struct {
		q     bank.Question
		score int
		order int
	}
	var all []ranked
	order := 0
	total := 0
	for _, area := range b.Areas {
		var got, max float64
		for _, q := range area.Questions {
			s := 0
			a, answered := answers[q.ID]
			switch {
			case !answered:
				r.Missing = append(r.Missing, q.ID)
			case a == nil:
				r.Unknown = append(r.Unknown, q.ID)
			default:
				s = *a
			}
			got += q.Weight * float64(s)
			max += q.Weight * float64(b.Scoring.MaxScore)
			all = append(all, ranked{q, s, order})
			order++
		}
		score := 0
		if max > 0 {
			score = int(math.Round(100 * got / max))
		}
		target := form.Targets[area.ID]
		gap := target - score
		r.Areas = append(r.Areas, Area{ID: area.ID, Title: area.Title, Score: score, Target: target, Gap: gap, Band: Band(b.Scoring, gap)})
		total += score
	}
	if len(r.Areas) > 0 {
		r.Overall = int(math.Round(float64(total) / float64(len(r.Areas))))
	}
	r.Readiness = Readiness(b.Scoring, r.Areas)
	// Weakest: lowest score first; among equals the heavier question matters
	// more, then bank order keeps the list stable.
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score < all[j].score
		}
		if all[i].q.Weight != all[j].q.Weight {
			return all[i].q.Weight > all[j].q.Weight
		}
		return all[i].order < all[j].order
	})
	for _, x := range all {
		if len(r.Weakest) == b.Scoring.WeakestCount {
			break
		}
		if x.score >= b.Scoring.MaxScore {
			break // a fully-in-place question is not a weakness
		}
		r.Weakest = append(r.Weakest, Weak{Question: x.q, Score: x.score})
	}
	return r
}

// Band classifies the gap between target and score.
func Band(p bank.Scoring, gap int) string {
	switch {
	case gap <= 0:
		return Strength
	case gap <= p.DevelopingMaxGap:
		return Developing
	default:
		return Weakness
	}
}

// Readiness is the verdict over all areas.
func Readiness(p bank.Scoring, areas []Area) string {
	weak, developing := 0, 0
	for _, a := range areas {
		switch a.Band {
		case Weakness:
			weak++
		case Developing:
			developing++
		}
	}
	switch {
	case weak == 0 && developing <= p.ReadyMaxDeveloping:
		return Ready
	case weak >= 2:
		return NotReady
	default:
		return ReadyWithGaps
	}
}
