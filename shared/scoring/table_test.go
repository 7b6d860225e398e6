package scoring_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/scoring"
)

// tableCase is one constructed answer set of testdata/v2-verdicts.yaml.
type tableCase struct {
	Name    string               `yaml:"name"`
	Why     string               `yaml:"why"`
	Purpose string               `yaml:"purpose"`
	Default int                  `yaml:"default"`
	Areas   map[string]int       `yaml:"areas"`
	Answers map[string]yaml.Node `yaml:"answers"`
	Forms   map[string]struct {
		Verdict  string   `yaml:"verdict"`
		Blockers []string `yaml:"blockers"`
		Gaps     []string `yaml:"gaps"`
	} `yaml:"forms"`
	Deepest string `yaml:"deepest"`
}

// TestV2VerdictTable scores each hand-derived answer set against the real
// v2 bank and checks every form's verdict, its blocking must-haves and the
// deepest form ready now.
func TestV2VerdictTable(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/v2-verdicts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	var cases []tableCase
	if err := dec.Decode(&cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 8 {
		t.Fatalf("%d cases in the table, want at least 8", len(cases))
	}
	b := bankyaml.MustEmbedded().Current()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			rs := tableResponses(t, b, tc)
			r := scoring.Evaluate(b, tc.Purpose, "combine", rs, scoring.Options{})
			if len(tc.Forms) != 6 || len(r.Forms) != 6 {
				t.Fatalf("%d forms in the case, %d in the report; want 6 each", len(tc.Forms), len(r.Forms))
			}
			for _, f := range r.Forms {
				want, ok := tc.Forms[f.Form]
				if !ok {
					t.Errorf("case has no row for %s", f.Form)
					continue
				}
				if f.Verdict != want.Verdict {
					t.Errorf("%s: verdict %s, want %s", f.Form, f.Verdict, want.Verdict)
				}
				if got := sorted(ids(f.Blockers)); !slices.Equal(got, sorted(want.Blockers)) {
					t.Errorf("%s: blockers %v, want %v", f.Form, got, sorted(want.Blockers))
				}
				if want.Gaps != nil {
					if got := sorted(ids(f.Gaps)); !slices.Equal(got, sorted(want.Gaps)) {
						t.Errorf("%s: gaps %v, want %v", f.Form, got, sorted(want.Gaps))
					}
				}
			}
			if r.DeepestReady != tc.Deepest {
				t.Errorf("deepest ready form %s, want %s", r.DeepestReady, tc.Deepest)
			}
			if tc.Deepest != "combine" && (r.Next == nil || r.Next.Form != bank.FormIDs()[bank.FormIndex(tc.Deepest)+1]) {
				t.Errorf("next form %+v, want the one after %s", r.Next, tc.Deepest)
			}
		})
	}
}

func tableResponses(t *testing.T, b *bank.Bank, tc tableCase) scoring.Responses {
	t.Helper()
	rs := scoring.Responses{}
	for _, q := range b.Questions() {
		level := tc.Default
		if l, ok := tc.Areas[q.Area]; ok {
			level = l
		}
		rs[q.ID] = scoring.Response{Score: intp(level)}
	}
	for id, node := range tc.Answers {
		if _, ok := b.Question(id); !ok {
			t.Fatalf("answer for %s, which is not a v2 question", id)
		}
		var level int
		switch v := node.Value; {
		case v == "?":
			rs[id] = scoring.Response{}
		case strings.HasPrefix(v, "n/a:"):
			rs[id] = scoring.Response{NotApplicable: true, Reason: strings.TrimSpace(strings.TrimPrefix(v, "n/a:"))}
		case node.Decode(&level) == nil:
			rs[id] = scoring.Response{Score: intp(level)}
		default:
			t.Fatalf("answer %q for %s: want a level, ? or n/a: reason", v, id)
		}
	}
	return rs
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	if out == nil {
		out = []string{}
	}
	return out
}
