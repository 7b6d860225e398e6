package web

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
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
func times(w float64) string {
	switch w {
	case 2:
		return "twice as much as"
	case 3:
		return "three times as much as"
	}
	return strconv.FormatFloat(w, 'f', -1, 64) + " times as much as"
}

func explain(b *bank.Bank, a *assessment.Assessment) explanation {
	if b.UsesV2() {
		return explainV2(b, a)
	}
	return explainV1(b, a)
}

// explainV1 explains the v1 model: weighted area scores against the form's
// area targets (scoring.Score).
func explainV1(b *bank.Bank, a *assessment.Assessment) explanation {
	max := b.Scoring.MaxScore
	form, _ := b.Form(a.Form)
	e := explanation{Version: b.Version}
	e.Steps = []string{
		fmt.Sprintf("Each answer scores from 0 (the first statement: not in place) to %d (the last: fully in place). ‘Don't know’ and a question left unanswered score 0: a gap you cannot evidence is a gap.", max),
		fmt.Sprintf("An area's score is what its questions scored as a share of the most they could score (%d each), out of 100.", max),
	}
	for _, ar := range b.Areas {
		for _, q := range ar.Questions {
			if q.Weight != 1 {
				e.Weighted = append(e.Weighted, weighting{Area: ar.Title, Text: q.Text, Times: times(q.Weight)})
			}
		}
	}
	if len(e.Weighted) > 0 {
		e.Steps = append(e.Steps, fmt.Sprintf("Most questions count the same. %d %s more, because %s more to a shared service:", len(e.Weighted),
			plural(len(e.Weighted), "question counts", "questions count"), plural(len(e.Weighted), "it matters", "they matter")))
	} else {
		e.Steps = append(e.Steps, "Every question counts the same.")
	}
	for _, ar := range b.Areas {
		e.Targets = append(e.Targets, areaTarget{Area: ar.Title, Target: form.Targets[ar.ID]})
	}
	gap := b.Scoring.DevelopingMaxGap
	e.Bands = []bandMeaning{
		{"strength", "Strength", "the area meets or beats its target"},
		{"developing", "Developing", fmt.Sprintf("the area is 1 to %d %s below its target", gap, plural(gap, "point", "points"))},
		{"weakness", "Weakness", fmt.Sprintf("the area is more than %d %s below its target", gap, plural(gap, "point", "points"))},
	}
	dev := b.Scoring.ReadyMaxDeveloping
	e.Verdicts = []bandMeaning{
		{"strength", "Ready", fmt.Sprintf("no area is a weakness, and no more than %d %s developing", dev, plural(dev, "is", "are"))},
		{"developing", "Ready, with gaps to close", "one area is a weakness, or more areas are developing than that"},
		{"weakness", "Not ready yet", "two or more areas are weaknesses"},
	}
	return e
}

// explainV2 explains the v2 model: a required level per question for the
// form and purpose, must-haves, and questions that do not apply.
func explainV2(b *bank.Bank, a *assessment.Assessment) explanation {
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
		parts = append(parts, fmt.Sprintf("%d %s level %d", need[l], plural(need[l], "needs", "need"), l))
	}
	e.Steps = []string{
		fmt.Sprintf("Each answer is a level from 0 (not in place) to %d (proven in operation). For the %s form of sharing, each question needs a level: %s.", b.Scoring.MaxScore, strings.ToLower(form.Title), strings.Join(parts, ", ")),
		fmt.Sprintf("%d %s not asked about for this form and %s left out of every score, as is any question you said does not apply to your council.", skipped, plural(skipped, "question is", "questions are"), plural(skipped, "is", "are")),
		"A question falls short when your answer is below the level it needs, or you answered ‘Don't know’.",
		fmt.Sprintf("You are ready when every must-have is met and no more than %d other %s short.", b.Scoring.ReadyMaxShort, plural(b.Scoring.ReadyMaxShort, "question falls", "questions fall")),
	}
	m := b.Scoring.AreaDevelopingMax
	e.Bands = []bandMeaning{
		{"strength", "Strength", "every question in the area that applies is at the level it needs"},
		{"developing", "Developing", fmt.Sprintf("1 to %d %s short", m, plural(m, "question falls", "questions fall"))},
		{"weakness", "Weakness", fmt.Sprintf("more than %d questions fall short, or a must-have does", m)},
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

func answerMap(b *bank.Bank, a *assessment.Assessment) []answerSection {
	var out []answerSection
	for _, ar := range b.Areas {
		sec := answerSection{ID: ar.ID, Title: ar.Title}
		for i, q := range ar.Questions {
			ans, ok := a.Answers[q.ID]
			row := answerRow{Number: i + 1, Text: q.Text, Answer: answerText(q, ans, ok), Note: ans.Note}
			switch {
			case !ok:
				row.Score, row.Class = "Not answered", "rasp-heat--unknown"
			case ans.Score == nil:
				row.Score, row.Class = "Don't know", "rasp-heat--unknown"
			default:
				row.Score, row.Class = fmt.Sprintf("%d of %d", *ans.Score, b.Scoring.MaxScore), "rasp-heat--"+strconv.Itoa(min(max(*ans.Score, 0), 4))
			}
			sec.Rows = append(sec.Rows, row)
		}
		out = append(out, sec)
	}
	return out
}
