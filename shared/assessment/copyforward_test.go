package assessment_test

import (
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
)

func score(n int) *int { return &n }

// A health-check started from a v1 assessment carries its answers into v2
// through the bank's mapping: each flagged to confirm, two merged questions
// carrying the weaker answer whichever comes first, the lead's reasons
// (about colleagues who do not come along) dropped.
func TestCopyForwardAcrossVersions(t *testing.T) {
	t.Parallel()
	lib, err := bank.Compiled()
	if err != nil {
		t.Fatal(err)
	}
	v2, _ := lib.Get("v2")
	into := map[string][]string{}
	for old, id := range v2.Mapping {
		into[id] = append(into[id], old)
	}
	var merged []string
	var target string
	for id, olds := range into {
		if len(olds) >= 2 {
			merged, target = olds[:2], id
			break
		}
	}
	if merged == nil {
		t.Fatal("v2 merges no two v1 questions; pick another case")
	}
	for _, order := range [][2]int{{3, 1}, {1, 3}} {
		answers := map[string]assessment.Answer{
			merged[0]: {Score: score(order[0]), Why: "differs from the finance lead"},
			merged[1]: {Score: score(order[1]), Note: "kept"},
		}
		got := assessment.CopyForward(v2, "v1", "collaborate", answers)
		a, ok := got[target]
		if !ok {
			t.Fatalf("%v: nothing carried into %s", order, target)
		}
		if a.Score == nil || *a.Score != 1 || !a.Stale || a.Why != "" {
			t.Errorf("%v: carried %+v, want score 1, stale, no reason", order, a)
		}
		for _, old := range merged {
			if _, kept := got[old]; kept && old != target {
				t.Errorf("%v: v1 id %s kept as it was", order, old)
			}
		}
	}
	if got := assessment.CopyForward(v2, "v1", "collaborate", map[string]assessment.Answer{"vision.no-such-question": {Score: score(2)}}); len(got) != 0 {
		t.Errorf("a retired question was carried: %v", got)
	}
}
