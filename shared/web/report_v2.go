package web

import (
	"fmt"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/scoring"
)

// v2View is the part of a report that only the v2 model has: the verdict
// from must-haves, what blocks it, and every form of sharing at once.
type v2View struct {
	Profile       string // "readiness" or "health-check" profile, in words
	Verdict       verdict
	FormTitle     string
	Blockers      []shortfallView
	MustHaves     []mustHaveView
	WorkOnFirst   []shortfallView
	NotApplicable []naView
	Evidenced     int
	Applicable    int
	Met           int
	Areas         []scoring.AreaResult
	Forms         []formRow
	DeepestReady  string
	Next          *formRow
	ReadyMaxShort int
	AreaDevMax    int
}

type shortfallView struct {
	Text, Area, Answer, Action, Evidence string
	// Keep keeps the item as one of the council's own actions.
	Keep              *keepLink
	Required          int
	MustHave, FindOut bool
}

type mustHaveView struct {
	Text, Answer string
	Required     int
	Met          bool
}

type naView struct{ Text, Reason string }

// formRow is one form of sharing and how the council stands against it.
type formRow struct {
	Title, Verdict, Class string
	Intended              bool
	Blockers, Gaps        []string // question texts
}

func verdictV2(lg locale.Lang, r *scoring.Report, form string) verdict {
	switch r.Verdict {
	case scoring.Ready:
		return verdict{tl(lg, "report.verdict.ready"), tl(lg, "report.verdict.v2.ready", "Form", form), scoring.Strength}
	case scoring.NotReady:
		return verdict{tl(lg, "report.verdict.notReady"), tl(lg, "report.verdict.v2.notReady", "Count", len(r.Blockers), "Form", form), scoring.Weakness}
	}
	return verdict{tl(lg, "report.verdict.gaps"), tl(lg, "report.verdict.v2.gaps", "Count", len(r.Gaps), "Form", form), scoring.Developing}
}

// verdictTitleIn is a form's verdict in lg, with its band's class.
func verdictTitleIn(lg locale.Lang, v string) (string, string) {
	switch v {
	case scoring.Ready:
		return tl(lg, "report.formVerdict.ready"), scoring.Strength
	case scoring.NotReady:
		return tl(lg, "report.formVerdict.notReady"), scoring.Weakness
	}
	return tl(lg, "report.formVerdict.gaps"), scoring.Developing
}

func newV2View(lg locale.Lang, b *bank.Bank, a *assessment.Assessment, r *scoring.Report) *v2View {
	form := formTitle(b, r.Form)
	v := &v2View{
		Profile: tl(lg, "report.profile.readiness"), Verdict: verdictV2(lg, r, form), FormTitle: form, Evidenced: r.Evidenced, Applicable: r.Applicable, Met: r.Met,
		Areas: r.Areas, DeepestReady: formTitle(b, r.DeepestReady), ReadyMaxShort: b.Scoring.ReadyMaxShort, AreaDevMax: b.Scoring.AreaDevelopingMax,
	}
	if r.Purpose == bank.PurposeHealthCheck {
		v.Profile = tl(lg, "report.profile.healthCheck")
	}
	v.Blockers = shortfallViews(lg, b, a, r.Blockers)
	v.WorkOnFirst = shortfallViews(lg, b, a, r.WorkOnFirst)
	blocked := map[string]bool{}
	for _, s := range r.Blockers {
		blocked[s.Question] = true
	}
	for _, id := range r.MustHaves {
		q, _ := b.Question(id)
		level, _ := q.RequiredLevel(r.Purpose, r.Form)
		ans, ok := a.Answers[id]
		v.MustHaves = append(v.MustHaves, mustHaveView{Text: q.Text, Answer: answerLevel(lg, q, ans, ok), Required: level, Met: !blocked[id]})
	}
	for _, n := range r.NotApplicable {
		q, _ := b.Question(n.Question)
		v.NotApplicable = append(v.NotApplicable, naView{Text: q.Text, Reason: n.Reason})
	}
	for _, f := range r.Forms {
		v.Forms = append(v.Forms, newFormRow(lg, b, f, r.Form))
	}
	if r.Next != nil {
		next := newFormRow(lg, b, *r.Next, r.Form)
		v.Next = &next
	}
	return v
}

func newFormRow(lg locale.Lang, b *bank.Bank, f scoring.FormVerdict, intended string) formRow {
	row := formRow{Title: formTitle(b, f.Form), Intended: f.Form == intended}
	row.Verdict, row.Class = verdictTitleIn(lg, f.Verdict)
	for _, s := range f.Blockers {
		q, _ := b.Question(s.Question)
		row.Blockers = append(row.Blockers, q.Text)
	}
	for _, s := range f.Gaps {
		q, _ := b.Question(s.Question)
		row.Gaps = append(row.Gaps, q.Text)
	}
	return row
}

func shortfallViews(lg locale.Lang, b *bank.Bank, a *assessment.Assessment, in []scoring.Shortfall) []shortfallView {
	var out []shortfallView
	for _, s := range in {
		q, _ := b.Question(s.Question)
		ans, ok := a.Answers[s.Question]
		sv := shortfallView{Text: q.Text, Area: areaTitle(b, q.Area), Answer: answerLevel(lg, q, ans, ok), Required: s.Required, MustHave: s.MustHave, FindOut: s.FindOut(),
			Keep: keepFor(a, q.ID)}
		if act, ok := s.Action(q); ok {
			sv.Action, sv.Evidence = act.Do, act.Evidence
		}
		out = append(out, sv)
	}
	return out
}

// answerLevel is an answer with its level number, so it can be read
// against the level a form needs.
func answerLevel(lg locale.Lang, q bank.Question, a assessment.Answer, ok bool) string {
	text := answerTextIn(lg, q, a, ok)
	if ok && a.Score != nil && !a.NotApplicable {
		return fmt.Sprintf("%d: %s", *a.Score, text)
	}
	return text
}
