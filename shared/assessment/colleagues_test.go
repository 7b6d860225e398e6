package assessment_test

import (
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
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
