package web

import (
	"sort"
	"strconv"
	"strings"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/scoring"
)

// explanation is the report's "How this score is worked out": generated
// from the bank version the assessment was scored with, so a changed weight,
// target or required level changes the words, and no number in it is typed
// into a template.
type explanation struct {
	Version   string
	Steps     []string    // how a score is made, in order
	Weighted  []weighting // questions that count more (v1)
	Targets   []areaTarget
	Bands     []bandMeaning
	Verdicts  []bandMeaning
	MustHaves []string // v2: the must-haves for the form
}

type weighting struct {
	Area, Text, Times string
}

type areaTarget struct {
	Area   string
	Target int
}

type bandMeaning struct {
	Band, Label, Meaning string
}

// times says a weight in words: 2 → "twice", 1.5 → "1.5 times".
func times(lg locale.Lang, w float64) string {
	switch w {
	case 2:
		return tl(lg, "report.explain.twice")
	case 3:
		return tl(lg, "report.explain.thrice")
	}
	return tl(lg, "report.explain.times", "Weight", strconv.FormatFloat(w, 'f', -1, 64))
}

func explain(lg locale.Lang, b *bank.Bank, a *assessment.Assessment) explanation {
	if b.UsesV2() {
		return explainV2(lg, b, a)
	}
	return explainV1(lg, b, a)
}

// explainV1 explains the v1 model: weighted area scores against the form's
// area targets (scoring.Score).
func explainV1(lg locale.Lang, b *bank.Bank, a *assessment.Assessment) explanation {
	max := b.Scoring.MaxScore
	form, _ := b.Form(a.Form)
	e := explanation{Version: b.Version}
	e.Steps = []string{tl(lg, "report.explain.v1.answer", "Max", max), tl(lg, "report.explain.v1.area", "Max", max)}
	for _, ar := range b.Areas {
		for _, q := range ar.Questions {
			if q.Weight != 1 {
				e.Weighted = append(e.Weighted, weighting{Area: ar.Title, Text: q.Text, Times: times(lg, q.Weight)})
			}
		}
	}
	if len(e.Weighted) > 0 {
		e.Steps = append(e.Steps, tl(lg, "report.explain.v1.weighted", "Count", len(e.Weighted)))
	} else {
		e.Steps = append(e.Steps, tl(lg, "report.explain.v1.same"))
	}
	for _, ar := range b.Areas {
		e.Targets = append(e.Targets, areaTarget{Area: ar.Title, Target: form.Targets[ar.ID]})
	}
	gap := b.Scoring.DevelopingMaxGap
	e.Bands = []bandMeaning{
		{scoring.Strength, tl(lg, "report.band.strength"), tl(lg, "report.explain.v1.strength")},
		{scoring.Developing, tl(lg, "report.band.developing"), tl(lg, "report.explain.v1.developing", "Count", gap)},
		{scoring.Weakness, tl(lg, "report.band.weakness"), tl(lg, "report.explain.v1.weakness", "Count", gap)},
	}
	dev := b.Scoring.ReadyMaxDeveloping
	e.Verdicts = []bandMeaning{
		{scoring.Strength, tl(lg, "report.verdict.ready"), tl(lg, "report.explain.v1.ready", "Count", dev)},
		{scoring.Developing, tl(lg, "report.verdict.gaps"), tl(lg, "report.explain.v1.gaps")},
		{scoring.Weakness, tl(lg, "report.verdict.notReady"), tl(lg, "report.explain.v1.notReady")},
	}
	return e
}

// explainV2 explains the v2 model: a required level per question for the
// form and purpose, must-haves, and questions that do not apply.
func explainV2(lg locale.Lang, b *bank.Bank, a *assessment.Assessment) explanation {
	form, _ := b.Form(a.Form)
	e := explanation{Version: b.Version}
	need := map[int]int{}
	skipped := 0
	for _, q := range b.Questions() {
		level, ok := q.RequiredLevel(a.Purpose, a.Form)
		if !ok {
			skipped++
			continue
		}
		need[level]++
		if q.IsMustHave(a.Form) {
			e.MustHaves = append(e.MustHaves, q.Text)
		}
	}
	levels := make([]int, 0, len(need))
	for l := range need {
		levels = append(levels, l)
	}
	sort.Ints(levels)
	var parts []string
	for _, l := range levels {
		parts = append(parts, tl(lg, "report.explain.v2.need", "Count", need[l], "Level", l))
	}
	e.Steps = []string{
		tl(lg, "report.explain.v2.answer", "Max", b.Scoring.MaxScore, "Form", form.Title, "Parts", strings.Join(parts, ", ")),
		tl(lg, "report.explain.v2.skipped", "Count", skipped),
		tl(lg, "report.explain.v2.short"),
		tl(lg, "report.explain.v2.ready", "Count", b.Scoring.ReadyMaxShort),
	}
	m := b.Scoring.AreaDevelopingMax
	e.Bands = []bandMeaning{
		{scoring.Strength, tl(lg, "report.band.strength"), tl(lg, "report.explain.v2.strength")},
		{scoring.Developing, tl(lg, "report.band.developing"), tl(lg, "report.explain.v2.developing", "Count", m)},
		{scoring.Weakness, tl(lg, "report.band.weakness"), tl(lg, "report.explain.v2.weakness", "Count", m)},
	}
	return e
}

// answerSection is one area of the question-level map: every question with
// the wording of the level chosen and the council's note.
type answerSection struct {
	ID, Title string
	Rows      []answerRow
}

type answerRow struct {
	Number       int
	Text, Answer string
	Score        string // "3 of 4", "Don't know", "Not answered"
	Class        string // heat class for the score
	Note         string
}

func answerMap(lg locale.Lang, b *bank.Bank, a *assessment.Assessment) []answerSection {
	var out []answerSection
	for _, ar := range b.Areas {
		sec := answerSection{ID: ar.ID, Title: ar.Title}
		for i, q := range ar.Questions {
			ans, ok := a.Answers[q.ID]
			row := answerRow{Number: i + 1, Text: q.Text, Answer: answerTextIn(lg, q, ans, ok), Note: ans.Note}
			switch {
			case !ok:
				row.Score, row.Class = tl(lg, "answer.notAnswered"), "rasp-heat--unknown"
			case ans.Score == nil:
				row.Score, row.Class = tl(lg, "answer.dontKnow"), "rasp-heat--unknown"
			default:
				row.Score, row.Class = tl(lg, "report.answers.of", "Score", *ans.Score, "Max", b.Scoring.MaxScore), "rasp-heat--"+strconv.Itoa(min(max(*ans.Score, 0), 4))
			}
			sec.Rows = append(sec.Rows, row)
		}
		out = append(out, sec)
	}
	return out
}
