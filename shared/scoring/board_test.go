package scoring_test

import (
	"fmt"
	"testing"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/scoring"
)

// worded is v2Bank with level descriptors, so answers read as words.
func worded() *bank.Bank {
	b := v2Bank()
	for ai := range b.Areas {
		for qi := range b.Areas[ai].Questions {
			q := &b.Areas[ai].Questions[qi]
			q.Text = "Text of " + q.ID
			for l := range q.Levels {
				q.Levels[l] = fmt.Sprintf("%s level %d", q.ID, l)
			}
			q.Prompts = []string{"Prompt for " + q.ID}
			q.Actions = map[string]bank.LevelAction{bank.BandNotStarted: {Do: "Start " + q.ID}, bank.BandInProgress: {Do: "Finish " + q.ID}}
		}
	}
	return b
}

// comparison compares councils (name, responses) on form collaborate.
func comparison(b *bank.Bank, councils ...any) scoring.Comparison {
	var cs []scoring.Council
	var seats []scoring.Seated
	for i := 0; i < len(councils); i += 2 {
		rs := councils[i+1].(scoring.Responses)
		cs = append(cs, scoring.Council{Name: councils[i].(string), Answers: scoring.ScoresOf(rs), Responses: rs})
		seats = append(seats, scoring.Seated{Name: councils[i].(string), Responses: rs})
	}
	form := bank.Form{ID: "collaborate", Targets: map[string]int{}}
	c := scoring.Compare(b, form, cs)
	scoring.WithV2(&c, b, bank.PurposeReadiness, "collaborate", seats, scoring.Options{})
	return c
}

func TestSummarise(t *testing.T) {
	t.Parallel()
	b := worded()
	// vision.a (a must-have for collaborate) spreads 1..3, governance.d
	// spreads 0..4 (wider, not a must-have), vision.b and governance.c agree.
	c := comparison(b,
		"Bath", scores("vision.a", 1, "vision.b", 3, "governance.c", 1, "governance.d", 0),
		"Bristol", scores("vision.a", 3, "vision.b", 3, "governance.c", 1, "governance.d", 4))
	got := scoring.Summarise(b, c)
	if got.DivergentTotal != 2 || len(got.Divergent) != 2 {
		t.Fatalf("divergent: got %d of %d, want 2 of 2", len(got.Divergent), got.DivergentTotal)
	}
	if got.Divergent[0].Question != "vision.a" || !got.Divergent[0].MustHave || got.Divergent[1].Question != "governance.d" {
		t.Errorf("order: got %s (must-have %v), %s; want the must-have vision.a before the wider governance.d",
			got.Divergent[0].Question, got.Divergent[0].MustHave, got.Divergent[1].Question)
	}
	if a := got.Divergent[1].Answers; len(a) != 2 || a[0].Wording != "governance.d level 0" || a[1].Wording != "governance.d level 4" {
		t.Errorf("wording: got %+v", a)
	}
	if len(got.SharedWeaknesses) != 1 || got.SharedWeaknesses[0].Question != "governance.c" {
		t.Errorf("shared weaknesses: got %+v, want governance.c", got.SharedWeaknesses)
	}
	if len(got.Aligned) != 0 {
		t.Errorf("aligned: got %v, want none (each area has a divergent question)", got.Aligned)
	}
	if got.Verdict != scoring.NotReady || len(got.HeldBack) == 0 {
		t.Errorf("verdict: got %q held back by %d, want not ready with who holds it back", got.Verdict, len(got.HeldBack))
	}

	// Only governance differs: vision is where they align.
	c = comparison(b,
		"Bath", scores("vision.a", 3, "vision.b", 3, "governance.c", 3, "governance.d", 0),
		"Bristol", scores("vision.a", 3, "vision.b", "none here", "governance.c", 3, "governance.d", 4))
	got = scoring.Summarise(b, c)
	if len(got.Aligned) != 1 || got.Aligned[0] != "vision" {
		t.Errorf("aligned: got %v, want [vision]", got.Aligned)
	}
}

func TestSummariseKeepsTheTopTwelve(t *testing.T) {
	t.Parallel()
	b := worded()
	var qs []bank.Question
	for i := range 15 {
		qs = append(qs, bank.Question{ID: fmt.Sprintf("vision.q%02d", i), Area: "vision", Weight: 1,
			Required: map[string][]int{bank.PurposeReadiness: {bank.NotApplicable, 1, 1, 2, 2, 3}}})
	}
	b.Areas[0].Questions = qs
	low, high := scoring.Responses{}, scoring.Responses{}
	for i, q := range qs {
		low[q.ID], high[q.ID] = scoring.Response{Score: intp(0)}, scoring.Response{Score: intp(2 + i%3)}
	}
	got := scoring.Summarise(b, comparison(b, "Bath", low, "Bristol", high))
	if got.DivergentTotal != 15 || len(got.Divergent) != scoring.BoardDivergentMax {
		t.Fatalf("got %d of %d, want %d of 15", len(got.Divergent), got.DivergentTotal, scoring.BoardDivergentMax)
	}
	for i := 1; i < len(got.Divergent); i++ {
		if got.Divergent[i].Spread > got.Divergent[i-1].Spread {
			t.Errorf("item %d spreads %d, more than the one before (%d): want the widest first", i, got.Divergent[i].Spread, got.Divergent[i-1].Spread)
		}
	}
}

func TestWorkshopAgenda(t *testing.T) {
	t.Parallel()
	b := worded()
	// For collaborate (readiness): vision.a needs 3 (must-have), vision.b 3,
	// governance.c 3 (must-have), governance.d 2.
	c := comparison(b,
		"Bath", scores("vision.a", 3, "vision.b", 0, "governance.c", 3, "governance.d", 2),
		"Bristol", scores("vision.a", 3, "vision.b", 1, "governance.c", 2, "governance.d", 4))
	c.Questions[1].Notes = map[string]string{"Bristol": "A shared note"} // vision.b
	got := scoring.Workshop(b, c)
	var order []string
	for _, it := range got {
		order = append(order, it.Question)
	}
	// governance.c: a must-have short by 1 (weight 1); vision.b: short by
	// 3+2 (weight 1); governance.d: met by both but divergent; vision.a:
	// met and agreed, left out.
	want := []string{"governance.c", "vision.b", "governance.d"}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Fatalf("agenda: got %v, want %v", order, want)
	}
	mh := got[0]
	if !mh.MustHave || mh.Shortfall != 1 || mh.Required != 3 || mh.RequiredWording != "governance.c level 3" || fmt.Sprint(mh.Short) != "[Bristol]" {
		t.Errorf("must-have item: got %+v", mh)
	}
	if mh.Next.Do != "Finish governance.c" || len(mh.Prompts) != 1 {
		t.Errorf("must-have item: next %q, prompts %v; want the in-progress action and the bank's prompt", mh.Next.Do, mh.Prompts)
	}
	if got[1].Shortfall != 5 || got[1].Next.Do != "Start vision.b" {
		t.Errorf("vision.b: shortfall %v, next %q; want 5 and the weakest council's action", got[1].Shortfall, got[1].Next.Do)
	}
	if got[2].MustHave || len(got[2].Short) != 0 || got[2].Status != scoring.Divergent {
		t.Errorf("governance.d: got %+v, want divergent with nobody short", got[2])
	}
	notes := map[string]string{}
	for _, it := range got {
		for _, a := range it.Answers {
			if a.Note != "" {
				notes[it.Question+" "+a.Council] = a.Note
			}
		}
	}
	if fmt.Sprint(notes) != "map[vision.b Bristol:A shared note]" {
		t.Errorf("notes on the agenda: got %v, want Bristol's on vision.b only", notes)
	}
}
