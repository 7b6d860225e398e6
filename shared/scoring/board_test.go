package scoring_test

import (
	"fmt"
	"reflect"
	"slices"
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
	return comparisonFor(b, bank.PurposeReadiness, "collaborate", councils...)
}

// comparisonFor compares councils (name, responses) under purpose's
// profile on form.
func comparisonFor(b *bank.Bank, purpose, form string, councils ...any) scoring.Comparison {
	var cs []scoring.Council
	var seats []scoring.Seated
	for i := 0; i < len(councils); i += 2 {
		rs := councils[i+1].(scoring.Responses)
		cs = append(cs, scoring.Council{Name: councils[i].(string), Answers: scoring.ScoresOf(rs), Responses: rs})
		seats = append(seats, scoring.Seated{Name: councils[i].(string), Responses: rs})
	}
	c := scoring.Compare(b, bank.Form{ID: form, Targets: map[string]int{}}, cs)
	scoring.WithV2(&c, b, purpose, form, seats, scoring.Options{})
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

// The board's lists and wording: a must-have divergence comes first
// whatever its place in the bank, a not-applicable answer reads as such,
// and a single council aligns with nobody.
func TestSummariseOrderAndWording(t *testing.T) {
	t.Parallel()
	b := worded()
	for _, tc := range []struct {
		name          string
		councils      []any
		wantDivergent []string
		wantShared    []string
		wantAligned   []string
		wantAnswers   map[string][]string // question: each council's wording
	}{
		// vision.b comes before governance.c in the bank; governance.c is a
		// must-have for collaborate.
		{"a must-have first", []any{
			"Bath", scores("vision.a", 3, "vision.b", 0, "governance.c", 0, "governance.d", 3),
			"Bristol", scores("vision.a", 3, "vision.b", 4, "governance.c", 4, "governance.d", 3)},
			[]string{"governance.c", "vision.b"}, nil, []string{}, nil},
		// Bristol's not applicable reads as unanswered (0) in the v1 table,
		// so vision.b is weak everywhere.
		{"not applicable in words", []any{
			"Bath", scores("vision.a", 3, "vision.b", 1, "governance.c", 3, "governance.d", 3),
			"Bristol", scores("vision.a", 3, "vision.b", "No such service", "governance.c", 3, "governance.d", 3)},
			nil, []string{"vision.b"}, []string{"vision", "governance"},
			map[string][]string{"vision.b": {"vision.b level 1", "Not applicable"}}},
		{"one council aligns with nobody", []any{
			"Bath", scores("vision.a", 3, "vision.b", 3, "governance.c", 3, "governance.d", 3)},
			nil, nil, []string{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := scoring.Summarise(b, comparison(b, tc.councils...))
			words := map[string][]string{}
			var divergent, shared []string
			for _, q := range got.Divergent {
				divergent = append(divergent, q.Question)
			}
			for _, q := range got.SharedWeaknesses {
				shared = append(shared, q.Question)
				for _, a := range q.Answers {
					words[q.Question] = append(words[q.Question], a.Wording)
					if a.NotApplicable != (a.Wording == "Not applicable") || a.NotApplicable && a.Score != nil {
						t.Errorf("%s, %s: got %+v, want not applicable with no score, or a score", q.Question, a.Council, a)
					}
				}
			}
			if !slices.Equal(divergent, tc.wantDivergent) || !slices.Equal(shared, tc.wantShared) || !slices.Equal(got.Aligned, tc.wantAligned) {
				t.Errorf("got divergent %v, shared %v, aligned %v; want %v, %v, %v", divergent, shared, got.Aligned, tc.wantDivergent, tc.wantShared, tc.wantAligned)
			}
			for q, want := range tc.wantAnswers {
				if !slices.Equal(words[q], want) {
					t.Errorf("%s: got %q, want %q", q, words[q], want)
				}
			}
		})
	}
}

// The agenda item of one question: who is short of the form's level, by
// how much (weighted), and the next step of the weakest council, or of the
// weakest answer when nobody is short yet the councils diverge.
func TestWorkshopItem(t *testing.T) {
	t.Parallel()
	b := worded()
	type item struct {
		required  int
		short     []string
		shortfall float64
		mustHave  bool
		next      string
		wording   []string
	}
	for _, tc := range []struct {
		name, purpose, form, question string
		councils                      []any
		want                          item
	}{
		// vision.a needs 3 for collaborate and weighs 2.
		{"the shortfall weighs by the question's weight", bank.PurposeReadiness, "collaborate", "vision.a",
			[]any{"Bath", scores("vision.a", 1), "Bristol", scores("vision.a", 3)},
			item{3, []string{"Bath"}, 4, true, "Start vision.a", []string{"vision.a level 1", "vision.a level 3"}}},
		{"the lowest short council sets the next step", bank.PurposeReadiness, "collaborate", "vision.a",
			[]any{"Bath", scores("vision.a", 2), "Bristol", scores("vision.a", 0), "Cardiff", scores("vision.a", 2)},
			item{3, []string{"Bath", "Bristol", "Cardiff"}, 10, true, "Start vision.a", []string{"vision.a level 2", "vision.a level 0", "vision.a level 2"}}},
		// The health-check profile asks 4 of vision.a for collaborate.
		{"a health-check asks the health-check level", bank.PurposeHealthCheck, "collaborate", "vision.a",
			[]any{"Bath", scores("vision.a", 3), "Bristol", scores("vision.a", 1)},
			item{4, []string{"Bath", "Bristol"}, 8, true, "Start vision.a", []string{"vision.a level 3", "vision.a level 1"}}},
		{"not applicable is not short", bank.PurposeReadiness, "collaborate", "vision.b",
			[]any{"Bath", scores("vision.b", "No such service"), "Bristol", scores("vision.b", 0)},
			item{3, []string{"Bristol"}, 3, false, "Start vision.b", []string{"Not applicable", "vision.b level 0"}}},
		// vision.a is a must-have for cooperate at level 2, which both meet.
		{"a must-have nobody is short of", bank.PurposeReadiness, "cooperate", "vision.a",
			[]any{"Bath", scores("vision.a", 2), "Bristol", scores("vision.a", 4)},
			item{2, nil, 0, false, "Finish vision.a", []string{"vision.a level 2", "vision.a level 4"}}},
		{"the weakest answer, highest first", bank.PurposeReadiness, "cooperate", "vision.a",
			[]any{"Bath", scores("vision.a", 4), "Bristol", scores("vision.a", 2)},
			item{2, nil, 0, false, "Finish vision.a", []string{"vision.a level 4", "vision.a level 2"}}},
		// governance.c does not apply to cooperate: nobody can be short.
		{"the weakest answer of a question that does not apply", bank.PurposeReadiness, "cooperate", "governance.c",
			[]any{"Bath", scores("governance.c", 0), "Bristol", scores("governance.c", 4)},
			item{-1, nil, 0, false, "Start governance.c", []string{"governance.c level 0", "governance.c level 4"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			agenda := scoring.Workshop(b, comparisonFor(b, tc.purpose, tc.form, tc.councils...))
			i := slices.IndexFunc(agenda, func(it scoring.AgendaItem) bool { return it.Question == tc.question })
			if i < 0 {
				t.Fatalf("%s is not on the agenda %+v", tc.question, agenda)
			}
			it := agenda[i]
			got := item{it.Required, it.Short, it.Shortfall, it.MustHave, it.Next.Do, nil}
			for _, a := range it.Answers {
				got.wording = append(got.wording, a.Wording)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// On a v1 comparison (no v2 report) a question has no required level: the
// agenda is the divergences and shared weaknesses, with the bank's action.
func TestWorkshopOnV1(t *testing.T) {
	t.Parallel()
	b := testBank()
	c := scoring.Compare(b, bank.Form{ID: "collaborate", Targets: map[string]int{}}, []scoring.Council{
		{Name: "Bath", Answers: scoring.Answers{"vision.a": intp(0), "vision.b": intp(3), "risk.c": intp(1), "risk.d": intp(3)}},
		{Name: "Bristol", Answers: scoring.Answers{"vision.a": intp(4), "vision.b": intp(3), "risk.c": intp(0), "risk.d": intp(3)}},
	})
	var got []string
	for _, it := range scoring.Workshop(b, c) {
		got = append(got, fmt.Sprintf("%s %s %d %q", it.Question, it.Status, it.Required, it.Next.Do))
	}
	want := []string{`vision.a divergent -1 "act a"`, `risk.c shared-weakness -1 "act c"`}
	if !slices.Equal(got, want) {
		t.Errorf("agenda: got %q, want %q", got, want)
	}
}
