package web

import (
	"fmt"
	"strings"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
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

func verdictV2(r *scoring.Report, form string) verdict {
	f := strings.ToLower(form)
	switch r.Verdict {
	case scoring.Ready:
		return verdict{"Ready", fmt.Sprintf("Every must-have for the %s form of sharing is met, and no more than a few other questions fall short of the level it needs.", f), "strength"}
	case scoring.NotReady:
		n := len(r.Blockers)
		return verdict{"Not ready yet", fmt.Sprintf("%d %s for the %s form of sharing %s short of the level it needs. No strength elsewhere makes up for a must-have.",
			n, plural(n, "must-have", "must-haves"), f, plural(n, "falls", "fall")), "weakness"}
	}
	return verdict{"Ready, with gaps to close", fmt.Sprintf("Every must-have for the %s form of sharing is met, but %d other questions fall short of the level it needs.", f, len(r.Gaps)), "developing"}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func verdictTitle(v string) (string, string) {
	switch v {
	case scoring.Ready:
		return "Ready", "strength"
	case scoring.NotReady:
		return "Not ready", "weakness"
	}
	return "Ready with gaps", "developing"
}

func newV2View(b *bank.Bank, a *assessment.Assessment, r *scoring.Report) *v2View {
	form := formTitle(b, r.Form)
	v := &v2View{
		Profile: "readiness", Verdict: verdictV2(r, form), FormTitle: form, Evidenced: r.Evidenced, Applicable: r.Applicable, Met: r.Met,
		Areas: r.Areas, DeepestReady: formTitle(b, r.DeepestReady), ReadyMaxShort: b.Scoring.ReadyMaxShort, AreaDevMax: b.Scoring.AreaDevelopingMax,
	}
	if r.Purpose == bank.PurposeHealthCheck {
		v.Profile = "health-check"
	}
	v.Blockers = shortfallViews(b, a, r.Blockers)
	v.WorkOnFirst = shortfallViews(b, a, r.WorkOnFirst)
	blocked := map[string]bool{}
	for _, s := range r.Blockers {
		blocked[s.Question] = true
	}
	for _, id := range r.MustHaves {
		q, _ := b.Question(id)
		level, _ := q.RequiredLevel(r.Purpose, r.Form)
		ans, ok := a.Answers[id]
		v.MustHaves = append(v.MustHaves, mustHaveView{Text: q.Text, Answer: answerLevel(q, ans, ok), Required: level, Met: !blocked[id]})
	}
	for _, n := range r.NotApplicable {
		q, _ := b.Question(n.Question)
		v.NotApplicable = append(v.NotApplicable, naView{Text: q.Text, Reason: n.Reason})
	}
	for _, f := range r.Forms {
		v.Forms = append(v.Forms, newFormRow(b, f, r.Form))
	}
	if r.Next != nil {
		next := newFormRow(b, *r.Next, r.Form)
		v.Next = &next
	}
	return v
}

func newFormRow(b *bank.Bank, f scoring.FormVerdict, intended string) formRow {
	row := formRow{Title: formTitle(b, f.Form), Intended: f.Form == intended}
	row.Verdict, row.Class = verdictTitle(f.Verdict)
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

func shortfallViews(b *bank.Bank, a *assessment.Assessment, in []scoring.Shortfall) []shortfallView {
	var out []shortfallView
	for _, s := range in {
		q, _ := b.Question(s.Question)
		ans, ok := a.Answers[s.Question]
		sv := shortfallView{Text: q.Text, Area: areaTitle(b, q.Area), Answer: answerLevel(q, ans, ok), Required: s.Required, MustHave: s.MustHave, FindOut: s.FindOut(),
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
func answerLevel(q bank.Question, a assessment.Answer, ok bool) string {
	text := answerText(q, a, ok)
	if ok && a.Score != nil && !a.NotApplicable {
		return fmt.Sprintf("%d: %s", *a.Score, text)
	}
	return text
}
