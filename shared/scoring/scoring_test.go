package scoring_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/scoring"
)

func intp(i int) *int { return &i }

// testBank is a small bank: two areas of two questions, one weighted 3.
func testBank() *bank.Bank {
	return &bank.Bank{
		Version: "t1",
		Areas: []bank.Area{
			{ID: "vision", Title: "Shared vision", Questions: []bank.Question{
				{ID: "vision.a", Area: "vision", Weight: 1, Action: "act a"},
				{ID: "vision.b", Area: "vision", Weight: 3, Action: "act b"},
			}},
			{ID: "risk", Title: "Risk management", Questions: []bank.Question{
				{ID: "risk.c", Area: "risk", Weight: 1, Action: "act c"},
				{ID: "risk.d", Area: "risk", Weight: 1, Action: "act d"},
			}},
		},
		Scoring: bank.Scoring{MaxScore: 4, DevelopingMaxGap: 15, DivergenceSpread: 2, SharedWeaknessMax: 1, WeakestCount: 3, ReadyMaxDeveloping: 1},
	}
}

func all(b *bank.Bank, s *int) scoring.Answers {
	out := scoring.Answers{}
	for _, a := range b.Areas {
		for _, q := range a.Questions {
			out[q.ID] = s
		}
	}
	return out
}

func TestScore(t *testing.T) {
	b := testBank()
	form := bank.Form{ID: "collaborate", Targets: map[string]int{"vision": 60, "risk": 50}}
	cases := []struct {
		name          string
		answers       scoring.Answers
		wantAreas     []int
		wantBands     []string
		wantReadiness string
		wantUnknown   int
		wantMissing   int
		wantWeakest   []string
	}{
		{"all 4s", all(b, intp(4)), []int{100, 100}, []string{"strength", "strength"}, "ready", 0, 0, nil},
		{"all 0s", all(b, intp(0)), []int{0, 0}, []string{"weakness", "weakness"}, "not-ready", 0, 0, []string{"vision.b", "vision.a", "risk.c"}},
		{"don't know counts 0", all(b, nil), []int{0, 0}, []string{"weakness", "weakness"}, "not-ready", 4, 0, []string{"vision.b", "vision.a", "risk.c"}},
		{"unanswered counts 0", scoring.Answers{}, []int{0, 0}, []string{"weakness", "weakness"}, "not-ready", 0, 4, []string{"vision.b", "vision.a", "risk.c"}},
		// vision: (1×4 + 3×0)/(4×4) = 25; weight respected.
		{"weights", scoring.Answers{"vision.a": intp(4), "vision.b": intp(0), "risk.c": intp(4), "risk.d": intp(4)},
			[]int{25, 100}, []string{"weakness", "strength"}, "ready-with-gaps", 0, 0, []string{"vision.b"}},
		// vision: (1×0 + 3×4)/16 = 75.
		{"heavy question dominates", scoring.Answers{"vision.a": intp(0), "vision.b": intp(4), "risk.c": intp(2), "risk.d": intp(2)},
			[]int{75, 50}, []string{"strength", "strength"}, "ready", 0, 0, []string{"vision.a", "risk.c", "risk.d"}},
		// vision 50 vs 60: gap 10 developing; risk 38 vs 50: gap 12 developing → two developing.
		{"two developing", scoring.Answers{"vision.a": intp(2), "vision.b": intp(2), "risk.c": intp(1), "risk.d": intp(2)},
			[]int{50, 38}, []string{"developing", "developing"}, "ready-with-gaps", 0, 0, []string{"risk.c", "vision.b", "vision.a"}},
		// vision 50 vs 60 developing, risk a strength: one developing is ready.
		{"one developing", scoring.Answers{"vision.a": intp(2), "vision.b": intp(2), "risk.c": intp(4), "risk.d": intp(4)},
			[]int{50, 100}, []string{"developing", "strength"}, "ready", 0, 0, []string{"vision.b", "vision.a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := scoring.Score(b, form, c.answers)
			for i, a := range r.Areas {
				if a.Score != c.wantAreas[i] || a.Band != c.wantBands[i] || a.Gap != a.Target-a.Score {
					t.Errorf("area %s: got score %d band %s gap %d, want %d %s", a.ID, a.Score, a.Band, a.Gap, c.wantAreas[i], c.wantBands[i])
				}
			}
			if r.Readiness != c.wantReadiness {
				t.Errorf("readiness: got %s, want %s", r.Readiness, c.wantReadiness)
			}
			if len(r.Unknown) != c.wantUnknown || len(r.Missing) != c.wantMissing {
				t.Errorf("unknown/missing: got %d/%d, want %d/%d", len(r.Unknown), len(r.Missing), c.wantUnknown, c.wantMissing)
			}
			var weakest []string
			for _, w := range r.Weakest {
				weakest = append(weakest, w.Question.ID)
			}
			if fmt.Sprint(weakest) != fmt.Sprint(c.wantWeakest) {
				t.Errorf("weakest: got %v, want %v", weakest, c.wantWeakest)
			}
			if want := (c.wantAreas[0] + c.wantAreas[1] + 1) / 2; r.Overall != want {
				t.Errorf("overall: got %d, want %d", r.Overall, want)
			}
		})
	}
}

func TestBand(t *testing.T) {
	p := testBank().Scoring
	for _, c := range []struct {
		gap  int
		want string
	}{{-20, "strength"}, {0, "strength"}, {1, "developing"}, {15, "developing"}, {16, "weakness"}} {
		if got := scoring.Band(p, c.gap); got != c.want {
			t.Errorf("Band(%d): got %s, want %s", c.gap, got, c.want)
		}
	}
}

func TestCompare(t *testing.T) {
	b := testBank()
	form := bank.Form{ID: "collaborate", Targets: map[string]int{"vision": 60, "risk": 50}}
	c := scoring.Compare(b, form, []scoring.Council{
		{Name: "Southwark", Answers: scoring.Answers{"vision.a": intp(4), "vision.b": intp(3), "risk.c": intp(1), "risk.d": intp(3)}},
		{Name: "Brent", Answers: scoring.Answers{"vision.a": intp(1), "vision.b": intp(3), "risk.c": intp(0), "risk.d": intp(4)}},
		{Name: "Lewisham", Answers: scoring.Answers{"vision.a": intp(4), "vision.b": intp(4), "risk.c": nil, "risk.d": intp(3)}},
	})
	want := map[string]string{"vision.a": "divergent", "vision.b": "aligned", "risk.c": "shared-weakness", "risk.d": "aligned"}
	for _, q := range c.Questions {
		if q.Status != want[q.ID] {
			t.Errorf("%s: got %s, want %s", q.ID, q.Status, want[q.ID])
		}
	}
	if len(c.SharedWeaknesses) != 1 || len(c.Differences) != 1 || len(c.Similarities) != 2 {
		t.Errorf("findings: got %d shared, %d differences, %d similarities", len(c.SharedWeaknesses), len(c.Differences), len(c.Similarities))
	}
	// A finding holds what its summary says, for a page in another language.
	if len(c.Differences) == 1 {
		d := c.Differences[0]
		if d.Kind != scoring.FindingDivergent || d.Low != 1 || d.High != 4 || !slices.Equal(d.Lowest, []string{"Brent"}) ||
			!slices.Equal(d.Highest, []string{"Southwark", "Lewisham"}) || d.Summary != d.Text+" Scores range from 1 (Brent) to 4 (Southwark, Lewisham)." {
			t.Errorf("difference: got %+v", d)
		}
	}
	if len(c.SharedWeaknesses) == 1 {
		if w := c.SharedWeaknesses[0]; w.Kind != scoring.FindingShared || w.High != b.Scoring.SharedWeaknessMax {
			t.Errorf("shared weakness: got %+v", w)
		}
	}
	for _, s := range c.Similarities {
		if s.Kind != scoring.FindingSimilar || s.Low < b.Scoring.MaxScore-1 {
			t.Errorf("similarity: got %+v", s)
		}
	}
	// The shared weakness (all three councils) comes before the divergence (one).
	if len(c.Actions) != 2 || c.Actions[0].Question != "risk.c" || len(c.Actions[1].Councils) != 1 || c.Actions[1].Councils[0] != "Brent" {
		t.Errorf("actions: got %+v", c.Actions)
	}
	v := c.Areas[0]
	if v.WeakestCouncil != "Brent" || v.Min != v.Scores["Brent"] || v.Max != 100 {
		t.Errorf("vision: got %+v", v)
	}
}

// benchCouncils builds n councils answering q questions per area × 5 areas.
func benchBank(perArea int) *bank.Bank {
	b := &bank.Bank{Version: "bench", Scoring: testBank().Scoring}
	b.Scoring.WeakestCount = 10
	for _, area := range []string{"vision", "ethos", "resources", "risk", "governance"} {
		a := bank.Area{ID: area, Title: area}
		for i := 0; i < perArea; i++ {
			a.Questions = append(a.Questions, bank.Question{ID: fmt.Sprintf("%s.q%d", area, i), Area: area, Weight: 1})
		}
		b.Areas = append(b.Areas, a)
	}
	return b
}

func benchCouncils(b *bank.Bank, n int) []scoring.Council {
	out := make([]scoring.Council, n)
	for i := range out {
		ans := scoring.Answers{}
		j := i
		for _, a := range b.Areas {
			for _, q := range a.Questions {
				j = (j*31 + 7) % 97
				if j%11 == 0 {
					ans[q.ID] = nil
				} else {
					ans[q.ID] = intp(j % 5)
				}
			}
		}
		out[i] = scoring.Council{Name: fmt.Sprintf("Council %03d", i), Answers: ans}
	}
	return out
}

func BenchmarkScore60(b *testing.B) {
	bk := benchBank(12)
	form := bank.Form{Targets: map[string]int{"vision": 70, "ethos": 70, "resources": 70, "risk": 70, "governance": 70}}
	c := benchCouncils(bk, 1)[0]
	b.ReportAllocs()
	for b.Loop() {
		scoring.Score(bk, form, c.Answers)
	}
}

// The scale goal: 400 councils × 60 questions well under 5 ms.
func BenchmarkCompare400x60(b *testing.B) {
	bk := benchBank(12)
	form := bank.Form{Targets: map[string]int{"vision": 70, "ethos": 70, "resources": 70, "risk": 70, "governance": 70}}
	councils := benchCouncils(bk, 400)
	b.ReportAllocs()
	for b.Loop() {
		scoring.Compare(bk, form, councils)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	b := testBank()
	in := scoring.Answers{"vision.a": intp(4), "vision.b": nil, "risk.d": intp(0)}
	s := scoring.EncodeSnapshot(b, in)
	if s != "4?.0" {
		t.Fatalf("encode: got %q, want %q", s, "4?.0")
	}
	out, ok := scoring.DecodeSnapshot(b, s)
	if !ok || len(out) != 3 || *out["vision.a"] != 4 || out["vision.b"] != nil || *out["risk.d"] != 0 {
		t.Fatalf("decode: got %v %v", out, ok)
	}
	if _, has := out["risk.c"]; has {
		t.Error("unanswered question decoded as answered")
	}
	for _, bad := range []string{"4?.", "4?.05", "4?.5", "4x.0"} {
		if _, ok := scoring.DecodeSnapshot(b, bad); ok {
			t.Errorf("DecodeSnapshot(%q) accepted", bad)
		}
	}
}

// A question where councils differ only because some answered "don't know"
// is unknown, not divergent (issue 15).
func TestQuestionStatusUnknown(t *testing.T) {
	b := testBank()
	form := bank.Form{ID: "collaborate", Targets: map[string]int{"vision": 60, "risk": 50}}
	for _, tc := range []struct {
		name   string
		scores []*int
		want   string
	}{
		{"agree, one don't know", []*int{intp(3), intp(3), nil}, scoring.Unknown},
		{"close, one don't know", []*int{intp(4), intp(3), nil}, scoring.Unknown},
		{"everyone don't know", []*int{nil, nil, nil}, scoring.Unknown},
		{"apart and a don't know", []*int{intp(4), intp(1), nil}, scoring.Divergent},
		{"the divergence spread apart and a don't know", []*int{intp(3), intp(1), nil}, scoring.Divergent},
		{"agree, the don't know the divergence spread below", []*int{intp(2), intp(2), nil}, scoring.Unknown},
		{"all 0 and a don't know", []*int{intp(0), intp(0), nil}, scoring.SharedWeakness},
		{"low and a don't know", []*int{intp(1), intp(0), nil}, scoring.SharedWeakness},
		{"apart", []*int{intp(4), intp(1), intp(3)}, scoring.Divergent},
		{"agree", []*int{intp(3), intp(3), intp(4)}, scoring.Aligned},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var councils []scoring.Council
			for i, s := range tc.scores {
				councils = append(councils, scoring.Council{Name: string(rune('A' + i)), Answers: scoring.Answers{"vision.a": s, "vision.b": intp(3), "risk.c": intp(3), "risk.d": intp(3)}})
			}
			c := scoring.Compare(b, form, councils)
			if got := c.Questions[0].Status; got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if got, want := len(c.Unknowns), map[bool]int{true: 1}[tc.want == scoring.Unknown]; got != want {
				t.Errorf("unknowns: got %d, want %d", got, want)
			}
			for _, d := range c.Differences {
				if tc.want == scoring.Unknown && d.Question == "vision.a" {
					t.Errorf("an unknown question is listed as a difference")
				}
			}
		})
	}
}

// The trend compares the same councils: one that joined or left moves
// neither the headline change nor anyone's change (issue 15: Southwark's 65
// in round 1 against Brent's 77 in round 2 read as +12).
func TestTrendSameCouncils(t *testing.T) {
	b := testBank()
	form := bank.Form{ID: "collaborate", Targets: map[string]int{"vision": 60, "risk": 50}}
	prev := []scoring.Council{{Name: "Southwark", Answers: all(b, intp(1))}, {Name: "Brent", Answers: all(b, intp(3))}}
	cur := []scoring.Council{{Name: "Brent", Answers: all(b, intp(3))}, {Name: "Croydon", Answers: all(b, intp(4))}}
	tr := scoring.SeatTrend(b, form, 1, prev, cur)
	if len(tr.Councils) != 1 || tr.Councils[0] != "Brent" {
		t.Fatalf("councils: got %v, want [Brent]", tr.Councils)
	}
	for _, a := range tr.Areas {
		if a.MinDelta != 0 || a.Change["Brent"] != 0 {
			t.Errorf("%s: got minChange %+d, Brent %+d; want 0 and 0", a.Area, a.MinDelta, a.Change["Brent"])
		}
	}
	if len(tr.Questions) != 0 {
		t.Errorf("changed questions: got %d, want 0", len(tr.Questions))
	}
}

// The area figures of a comparison: the lowest score names the weakest
// council (the first in the given order on a tie), the mean is rounded to
// one decimal place and the band is the weakest council's.
func TestCompareAreaFigures(t *testing.T) {
	b := testBank()
	form := bank.Form{ID: "collaborate", Targets: map[string]int{"vision": 60, "risk": 50}}
	type figures struct {
		min, max, spread int
		mean             float64
		band, weakest    string
	}
	for _, tc := range []struct {
		name     string
		councils []scoring.Council
		want     []figures // vision, risk
	}{
		// vision: Southwark (4+9)/16 = 81, Brent (1+9)/16 = 63, Lewisham 100;
		// risk: 50, 50 and Lewisham (0+3)/8 = 38, 12 short of its target.
		{"three councils", []scoring.Council{
			{Name: "Southwark", Answers: scoring.Answers{"vision.a": intp(4), "vision.b": intp(3), "risk.c": intp(1), "risk.d": intp(3)}},
			{Name: "Brent", Answers: scoring.Answers{"vision.a": intp(1), "vision.b": intp(3), "risk.c": intp(0), "risk.d": intp(4)}},
			{Name: "Lewisham", Answers: scoring.Answers{"vision.a": intp(4), "vision.b": intp(4), "risk.c": nil, "risk.d": intp(3)}},
		}, []figures{{63, 100, 37, 81.3, "strength", "Brent"}, {38, 50, 12, 46, "developing", "Lewisham"}}},
		{"a tie at the lowest names the first council", []scoring.Council{
			{Name: "Brent", Answers: all(b, intp(1))},
			{Name: "Croydon", Answers: all(b, intp(1))},
			{Name: "Lewisham", Answers: all(b, intp(3))},
		}, []figures{{25, 75, 50, 41.7, "weakness", "Brent"}, {25, 75, 50, 41.7, "weakness", "Brent"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := scoring.Compare(b, form, tc.councils)
			for i, a := range c.Areas {
				got := figures{a.Min, a.Max, a.Spread, a.Mean, a.Band, a.WeakestCouncil}
				if got != tc.want[i] {
					t.Errorf("%s: got %+v, want %+v", a.ID, got, tc.want[i])
				}
			}
		})
	}
}

// The actions of a comparison: every council low on a shared weakness,
// only the low ones on a divergence, none where nobody is low; equal
// numbers of councils keep bank order.
func TestCompareActions(t *testing.T) {
	b := testBank()
	form := bank.Form{ID: "collaborate", Targets: map[string]int{"vision": 60, "risk": 50}}
	answers := func(a, c int) scoring.Answers {
		return scoring.Answers{"vision.a": intp(a), "vision.b": intp(3), "risk.c": intp(c), "risk.d": intp(3)}
	}
	for _, tc := range []struct {
		name     string
		councils []scoring.Council
		want     []string // question: councils
	}{
		{"two shared weaknesses keep bank order", []scoring.Council{{Name: "A", Answers: answers(0, 1)}, {Name: "B", Answers: answers(1, 0)}},
			[]string{"vision.a: [A B]", "risk.c: [A B]"}},
		{"a divergence names the low councils", []scoring.Council{{Name: "A", Answers: answers(4, 3)}, {Name: "B", Answers: answers(1, 3)}},
			[]string{"vision.a: [B]"}},
		{"a divergence with nobody low needs no action", []scoring.Council{{Name: "A", Answers: answers(4, 3)}, {Name: "B", Answers: answers(2, 3)}},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, a := range scoring.Compare(b, form, tc.councils).Actions {
				got = append(got, fmt.Sprintf("%s: %v", a.Question, a.Councils))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("actions: got %q, want %q", got, tc.want)
			}
		})
	}
}

// A divergence's summary names at most three councils at each end.
func TestCompareNamesAtMostThree(t *testing.T) {
	b := testBank()
	form := bank.Form{ID: "collaborate", Targets: map[string]int{"vision": 60, "risk": 50}}
	for _, tc := range []struct {
		high []string
		want string
	}{
		{[]string{"B", "C", "D"}, " Scores range from 0 (A) to 4 (B, C, D)."},
		{[]string{"B", "C", "D", "E", "F"}, " Scores range from 0 (A) to 4 (B, C, D and 2 more)."},
	} {
		councils := []scoring.Council{{Name: "A", Answers: all(b, intp(0))}}
		for _, n := range tc.high {
			councils = append(councils, scoring.Council{Name: n, Answers: scoring.Answers{"vision.a": intp(4), "vision.b": intp(0), "risk.c": intp(0), "risk.d": intp(0)}})
		}
		c := scoring.Compare(b, form, councils)
		if len(c.Differences) != 1 || c.Differences[0].Summary != tc.want {
			t.Errorf("%d at the top: got %+v, want one difference saying %q", len(tc.high), c.Differences, tc.want)
		}
	}
}

// Each question carries the notes of the councils that share one, and no
// entry for those that do not.
func TestCompareNotes(t *testing.T) {
	b := testBank()
	form := bank.Form{ID: "collaborate", Targets: map[string]int{"vision": 60, "risk": 50}}
	c := scoring.Compare(b, form, []scoring.Council{
		{Name: "Brent", Answers: all(b, intp(2)), Notes: map[string]string{"vision.a": "Agreed in March", "risk.c": ""}},
		{Name: "Croydon", Answers: all(b, intp(2)), Notes: map[string]string{"vision.a": "Draft only", "risk.d": "See the register"}},
		{Name: "Lewisham", Answers: all(b, intp(2))},
	})
	want := map[string]map[string]string{
		"vision.a": {"Brent": "Agreed in March", "Croydon": "Draft only"},
		"risk.d":   {"Croydon": "See the register"},
	}
	for _, q := range c.Questions {
		if !reflect.DeepEqual(q.Notes, want[q.ID]) {
			t.Errorf("%s: got notes %v, want %v", q.ID, q.Notes, want[q.ID])
		}
	}
}

// The trend per area and question between two rounds, on the councils in
// both: each council's change, and the change of the lowest score.
func TestSeatTrend(t *testing.T) {
	b := testBank()
	form := bank.Form{ID: "collaborate", Targets: map[string]int{"vision": 60, "risk": 50}}
	type area struct {
		previous, change map[string]int
		minDelta         int
	}
	for _, tc := range []struct {
		name          string
		prev, cur     []scoring.Council
		wantCouncils  []string
		wantAreas     []area // vision, risk
		wantQuestions []string
	}{
		{"no council in both rounds", []scoring.Council{{Name: "Brent", Answers: all(b, intp(1))}}, []scoring.Council{{Name: "Croydon", Answers: all(b, intp(3))}},
			[]string{}, []area{}, []string{}},
		// vision was Southwark (1+3)/16 = 25, Brent (3+9)/16 = 75; is 31 and
		// (4+9)/16 = 81. risk was 25 and 75; is 25 and 3/8 = 38.
		{"two councils move", []scoring.Council{{Name: "Southwark", Answers: all(b, intp(1))}, {Name: "Brent", Answers: all(b, intp(3))}},
			[]scoring.Council{
				{Name: "Southwark", Answers: scoring.Answers{"vision.a": intp(2), "vision.b": intp(1), "risk.c": intp(1), "risk.d": intp(1)}},
				{Name: "Brent", Answers: scoring.Answers{"vision.a": intp(4), "vision.b": intp(3), "risk.c": intp(3), "risk.d": nil}},
			},
			[]string{"Southwark", "Brent"},
			[]area{
				{map[string]int{"Southwark": 25, "Brent": 75}, map[string]int{"Southwark": 6, "Brent": 6}, 6},
				{map[string]int{"Southwark": 25, "Brent": 75}, map[string]int{"Southwark": 0, "Brent": -37}, 0},
			},
			[]string{"vision.a", "risk.d"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := scoring.SeatTrend(b, form, 1, tc.prev, tc.cur)
			if !slices.Equal(tr.Councils, tc.wantCouncils) {
				t.Errorf("councils: got %v, want %v", tr.Councils, tc.wantCouncils)
			}
			var areas []area
			for _, a := range tr.Areas {
				areas = append(areas, area{a.Previous, a.Change, a.MinDelta})
			}
			if len(areas) != len(tc.wantAreas) || len(areas) > 0 && !reflect.DeepEqual(areas, tc.wantAreas) {
				t.Errorf("areas: got %+v, want %+v", areas, tc.wantAreas)
			}
			var questions []string
			for _, q := range tr.Questions {
				questions = append(questions, q.ID)
			}
			if len(questions) != len(tc.wantQuestions) || len(questions) > 0 && !slices.Equal(questions, tc.wantQuestions) {
				t.Errorf("changed questions: got %v, want %v", questions, tc.wantQuestions)
			}
		})
	}
}

// Among the weakest questions, equal scores and weights keep bank order.
// Fifteen questions scored 0, 1, 2 in turn: past the twelve up to which the
// sort is an insertion sort, so a tie-break that is wrong shows.
func TestScoreWeakestTiesKeepBankOrder(t *testing.T) {
	b := benchBank(3)
	answers := scoring.Answers{}
	for i, q := range b.All() {
		answers[q.ID] = intp(i % 3)
	}
	r := scoring.Score(b, bank.Form{Targets: map[string]int{}}, answers)
	var got []string
	for _, w := range r.Weakest {
		got = append(got, fmt.Sprintf("%s %d", w.Question.ID, w.Score))
	}
	want := []string{"vision.q0 0", "ethos.q0 0", "resources.q0 0", "risk.q0 0", "governance.q0 0",
		"vision.q1 1", "ethos.q1 1", "resources.q1 1", "risk.q1 1", "governance.q1 1"}
	if !slices.Equal(got, want) {
		t.Errorf("weakest: got %v, want %v", got, want)
	}
}

// Prospect sets a council thinking of joining against the members: its
// score per area beside the members' mean, and the questions where it is
// at least the divergence spread from the members' mean ("don't know"
// counting as 0).
func TestProspect(t *testing.T) {
	b := testBank()
	form := bank.Form{ID: "collaborate", Targets: map[string]int{"vision": 60, "risk": 50}}
	members := scoring.Compare(b, form, []scoring.Council{
		{Name: "Brent", Answers: scoring.Answers{"vision.a": intp(4), "vision.b": intp(2), "risk.c": nil, "risk.d": intp(1)}},
		{Name: "Croydon", Answers: scoring.Answers{"vision.a": intp(2), "vision.b": intp(2), "risk.c": intp(2), "risk.d": intp(1)}},
	})
	// Members' means: vision.a 3, vision.b 2, risk.c 1, risk.d 1.
	for _, tc := range []struct {
		name          string
		answers       scoring.Answers
		wantDivergent []string
	}{
		{"close to the mean everywhere", scoring.Answers{"vision.a": intp(4), "vision.b": intp(1), "risk.c": intp(2), "risk.d": intp(0)}, []string{}},
		{"the spread away, either way", scoring.Answers{"vision.a": intp(1), "vision.b": intp(4), "risk.c": intp(2), "risk.d": intp(3)}, []string{"vision.a", "vision.b", "risk.d"}},
		{"don't know and unanswered count as 0", scoring.Answers{"vision.a": nil, "vision.b": intp(2)}, []string{"vision.a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := scoring.Prospect(b, form, members, scoring.Council{Name: "Lewisham", Answers: tc.answers})
			if !slices.Equal(p.Divergent, tc.wantDivergent) {
				t.Errorf("divergent: got %v, want %v", p.Divergent, tc.wantDivergent)
			}
			r := scoring.Score(b, form, tc.answers)
			for i, a := range p.Areas {
				if a.Score != r.Areas[i].Score || a.PartnershipMean != members.Areas[i].Mean || a.Gap != r.Areas[i].Gap {
					t.Errorf("%s: got %+v, want score %d, members' mean %v", a.ID, a, r.Areas[i].Score, members.Areas[i].Mean)
				}
			}
		})
	}
}

func TestResponsesSnapshotRoundTrip(t *testing.T) {
	b := testBank()
	in := scoring.Responses{"vision.a": {Score: intp(4)}, "vision.b": {}, "risk.c": {Score: intp(0)}, "risk.d": {NotApplicable: true, Reason: "No such service"}}
	s := scoring.EncodeResponses(b, in)
	if s != "4?0n" {
		t.Fatalf("encode: got %q, want %q", s, "4?0n")
	}
	out, ok := scoring.DecodeResponses(b, s)
	// The reason stays with the assessment: the snapshot keeps the status only.
	want := scoring.Responses{"vision.a": {Score: intp(4)}, "vision.b": {}, "risk.c": {Score: intp(0)}, "risk.d": {NotApplicable: true}}
	if !ok || !reflect.DeepEqual(out, want) {
		t.Fatalf("decode: got %+v %v, want %+v", out, ok, want)
	}
	for _, bad := range []string{"4?0", "4?0n0", "4?5n", "4x0n", "4?/n"} {
		if _, ok := scoring.DecodeResponses(b, bad); ok {
			t.Errorf("DecodeResponses(%q) accepted", bad)
		}
	}
}
