package scoring

import (
	"cmp"
	"slices"

	"github.com/openrasp/rasp/shared/bank"
)

// AgendaItem is one question for a partners' workshop: how each council
// answered it (in the level's words, with the notes councils share), the
// bank's discussion prompts and what reaching the required level takes.
type AgendaItem struct {
	Question, Area, Text string
	// MustHave is set when the question is a must-have for the form and at
	// least one council falls short of it: it decides readiness.
	MustHave bool
	// Shortfall is the sum over councils of (required - score) x weight,
	// "don't know" counting as 0: how far the partnership is from the form.
	Shortfall float64
	Spread    int
	Status    string // Divergent, SharedWeakness, Aligned or Unknown across councils
	Answers   []CouncilAnswer
	Prompts   []string
	// Required is the level the form needs (-1 when the question has no
	// required level, as on v1), RequiredWording its descriptor.
	Required        int
	RequiredWording string
	// Short are the councils below the required level; Next is what the
	// weakest of them does next, by its band, with the evidence.
	Short []string
	Next  bank.LevelAction
}

// Workshop lists the agenda of a partners' workshop from a comparison: every
// question on which a council falls short of the form's level or the
// councils diverge, ordered by must-haves first, then shortfall x weight,
// then divergence (bank order breaks ties). Questions everyone has met
// and agrees on need no workshop time and are left out.
func Workshop(b *bank.Bank, c Comparison) []AgendaItem {
	purpose := bank.PurposeReadiness
	if c.V2 != nil {
		purpose = c.V2.Purpose
	}
	out := []AgendaItem{}
	for _, cq := range c.Questions {
		q, ok := b.Question(cq.ID)
		if !ok {
			continue
		}
		it := AgendaItem{Question: q.ID, Area: q.Area, Text: q.Text, Spread: cq.Spread, Status: cq.Status, Prompts: q.Prompts, Required: -1}
		lowest := -1
		required, hasLevel := q.RequiredLevel(purpose, c.IntendedForm)
		if hasLevel && c.V2 != nil {
			it.Required, it.RequiredWording = required, q.Levels[min(max(required, 0), len(q.Levels)-1)]
		}
		for _, k := range c.Councils {
			a := answerOf(&q, c.V2 != nil && c.V2.Statuses[cq.ID][k] == NotApplicable, &cq, k)
			it.Answers = append(it.Answers, a)
			if it.Required < 0 || a.NotApplicable || c.V2.Statuses[q.ID][k] == Met || c.V2.Statuses[q.ID][k] == NotRequired {
				continue
			}
			score := value(a.Score)
			if score >= it.Required {
				continue
			}
			it.Short = append(it.Short, k)
			it.Shortfall += float64(it.Required-score) * q.Weight
			if lowest < 0 || score < lowest {
				lowest = score
			}
		}
		it.MustHave = len(it.Short) > 0 && q.IsMustHave(c.IntendedForm)
		if lowest >= 0 {
			it.Next, _ = q.ActionFor(lowest)
		}
		if len(it.Short) == 0 && cq.Status != Divergent && cq.Status != SharedWeakness {
			continue
		}
		if len(it.Short) == 0 && lowest < 0 {
			// Divergent or weak everywhere, yet no council is short of the
			// form's level: the weakest council's next step still helps.
			weakest := -1
			for _, a := range it.Answers {
				if a.Score != nil && (weakest < 0 || *a.Score < weakest) {
					weakest = *a.Score
				}
			}
			it.Next, _ = q.ActionFor(max(weakest, 0))
		}
		out = append(out, it)
	}
	slices.SortStableFunc(out, func(x, y AgendaItem) int {
		if x.MustHave != y.MustHave {
			if x.MustHave {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(y.Shortfall, x.Shortfall); c != 0 {
			return c
		}
		return cmp.Compare(y.Spread, x.Spread)
	})
	return out
}
