package scoring_test

import (
	"fmt"
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
