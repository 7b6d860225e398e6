package assessment_test

import (
	"fmt"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
)

func levels(vs ...int) []assessment.Answer {
	out := make([]assessment.Answer, len(vs))
	for i, v := range vs {
		if v < 0 {
			continue // don't know
		}
		out[i] = assessment.Answer{Score: &v}
	}
	return out
}

// The council's suggested answer follows the stated rule, median rounded
// down, over a table of spreads.
func TestPrefillIsTheMedianRoundedDown(t *testing.T) {
	t.Parallel()
	const dontKnow = -1
	cases := []struct {
		name    string
		answers []assessment.Answer
		want    int // dontKnow for don't know
	}{
		{"one colleague", levels(3), 3},
		{"agree", levels(2, 2, 2, 2), 2},
		{"odd count", levels(0, 4, 1), 1},
		{"even count, whole mean", levels(1, 3), 2},
		{"even count, half rounds down", levels(1, 2), 1},
		{"even count of four", levels(0, 1, 4, 4), 2},
		{"even count of four, half", levels(0, 2, 3, 4), 2},
		{"wide spread", levels(0, 4), 2},
		{"don't know is not a level", levels(dontKnow, 3, 4), 3},
		{"only don't know", levels(dontKnow, dontKnow), dontKnow},
		{"unsorted", levels(4, 0, 3, 1, 2), 2},
	}
	for _, c := range cases {
		got, ok := assessment.Prefill(c.answers)
		if !ok {
			t.Errorf("%s: got no suggestion, want one", c.name)
			continue
		}
		switch {
		case c.want == dontKnow && got.Score != nil:
			t.Errorf("%s: got level %d, want don't know", c.name, *got.Score)
		case c.want != dontKnow && (got.Score == nil || *got.Score != c.want):
			t.Errorf("%s: got %v, want level %d", c.name, got.Score, c.want)
		}
	}
	if _, ok := assessment.Prefill(nil); ok {
		t.Error("no answers: got a suggestion, want none")
	}
	na, ok := assessment.Prefill([]assessment.Answer{{NotApplicable: true, Reason: "no staff transfer"}, {NotApplicable: true, Reason: "x"}})
	if !ok || !na.NotApplicable || na.Reason != "no staff transfer" {
		t.Errorf("all not applicable: got %+v, want not applicable with the first reason", na)
	}
}

// The report's agreement counts, per area, the questions every colleague
// answered with a level and how many stayed within the bank's divergence
// spread, and names the others with the levels given.
func TestAgreementPerArea(t *testing.T) {
	t.Parallel()
	lib, err := bankyaml.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	b := lib.Current()
	vision, _ := b.Area("vision")
	a := &assessment.Assessment{Version: b.Version}
	if got := assessment.AgreementOf(b, a); got != nil {
		t.Errorf("no colleagues: got %+v, want none", got)
	}
	// Three colleagues answer vision only: they agree (2, 2, 3) on every
	// question but the first (0, 2, 4) and the second, which the third
	// does not answer (so not every colleague answered it).
	levelsOf := [][3]int{{0, 2, 4}, {1, 1, -9}}
	for i := 0; i < 3; i++ {
		c := assessment.Colleague{ID: fmt.Sprint(i), TokenHash: []byte{1}, Answers: map[string]assessment.Answer{}}
		for n, q := range vision.Questions {
			l := []int{2, 2, 3}[i]
			if n < len(levelsOf) {
				l = levelsOf[n][i]
			}
			if l < 0 {
				continue
			}
			c.Answers[q.ID] = assessment.Answer{Score: &l}
		}
		a.Colleagues = append(a.Colleagues, c)
	}
	ag := assessment.AgreementOf(b, a)
	if ag == nil || ag.Respondents != 3 || ag.DivergenceSpread != b.Scoring.DivergenceSpread {
		t.Fatalf("agreement: got %+v, want 3 respondents and the bank's spread", ag)
	}
	for _, ar := range ag.Areas {
		if ar.Area != "vision" {
			if ar.AllAnswered != 0 || ar.Agreed != 0 || len(ar.Disagreements) != 0 {
				t.Errorf("area %s nobody answered: got %+v", ar.Area, ar)
			}
			continue
		}
		if want := len(vision.Questions) - 1; ar.AllAnswered != want || ar.Agreed != want-1 {
			t.Errorf("vision: got %d of %d agreed, want %d of %d", ar.Agreed, ar.AllAnswered, want-1, want)
		}
		if len(ar.Disagreements) != 1 || ar.Disagreements[0].Question.ID != vision.Questions[0].ID ||
			ar.Disagreements[0].Lowest != 0 || ar.Disagreements[0].Highest != 4 {
			t.Errorf("vision disagreements: got %+v, want the first question, levels 0 to 4", ar.Disagreements)
		}
	}
	if r := assessment.Report(b, a); r.Agreement == nil || r.Agreement.Respondents != 3 {
		t.Errorf("the council's report: agreement %+v, want it", r.Agreement)
	}
}
