package web

import (
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/openrasp/rasp/questions"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/locale"
)

// fixtureBank loads a copy of a bank folder through the real loader, with
// edit applied to one of its files: a changed weight or requirement is a
// changed fixture, as a bank maintainer would change the YAML.
func fixtureBank(t *testing.T, fsys fs.FS, dir, file string, edit func(string) string) *bank.Bank {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if p == dir+"/"+file {
			edited := edit(string(b))
			if edited == string(b) {
				t.Fatalf("fixture: the edit changed nothing in %s", p)
			}
			b = []byte(edited)
		}
		m[p] = &fstest.MapFile{Data: b}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := bankyaml.Load(m, dir)
	if err != nil {
		t.Fatalf("fixture bank: %v", err)
	}
	return b
}

func explainText(e explanation) string {
	var b strings.Builder
	for _, s := range e.Steps {
		b.WriteString(s + "\n")
	}
	for _, w := range e.Weighted {
		b.WriteString(w.Area + ": " + w.Text + " counts " + w.Times + "\n")
	}
	for _, m := range e.MustHaves {
		b.WriteString("must-have: " + m + "\n")
	}
	for _, tg := range e.Targets {
		b.WriteString(tg.Area + " target " + strconv.Itoa(tg.Target) + "\n")
	}
	for _, x := range append(e.Bands, e.Verdicts...) {
		b.WriteString(x.Label + ": " + x.Meaning + "\n")
	}
	return b.String()
}

// TestExplainV1FollowsTheBank: the v1 explanation names the weighted
// questions and the targets from the bank, so changing a weight or a target
// in the YAML changes the words.
func TestExplainV1FollowsTheBank(t *testing.T) {
	t.Parallel()
	a := &assessment.Assessment{Form: "collaborate", Purpose: "readiness"}
	same := func(s string) string { return s + "\n" }
	b := fixtureBank(t, questions.FS, "v1", "bank.yaml", same)
	base := explainText(explainV1(locale.English, b, a))
	gap := fmt.Sprintf("more than %d points below", b.Scoring.DevelopingMaxGap)
	for _, want := range []string{"counts twice as much as", "counts 1.5 times as much as", "Ethos and cultures target 70", "score 0", gap} {
		if !strings.Contains(base, want) {
			t.Errorf("v1 explanation has no %q:\n%s", want, base)
		}
	}
	for _, tc := range []struct {
		name, file   string
		edit         func(string) string
		gone, appear string
	}{
		{"a weight of 2 becomes 3", "ethos.yaml", func(s string) string { return strings.Replace(s, "    weight: 2\n", "    weight: 3\n", 1) },
			"counts twice as much as", "counts three times as much as"},
		{"a weight of 1.5 becomes 1.25", "ethos.yaml", func(s string) string { return strings.Replace(s, "    weight: 1.5\n", "    weight: 1.25\n", 1) },
			"", "counts 1.25 times as much as"},
		{"a target changes", "forms.yaml", func(s string) string {
			i := strings.Index(s, "id: collaborate")
			return s[:i] + strings.Replace(s[i:], "ethos: 70", "ethos: 65", 1)
		}, "Ethos and cultures target 70", "Ethos and cultures target 65"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := explainText(explainV1(locale.English, fixtureBank(t, questions.FS, "v1", tc.file, tc.edit), a))
			if got == base {
				t.Fatalf("the explanation did not change")
			}
			if !strings.Contains(got, tc.appear) {
				t.Errorf("explanation has no %q:\n%s", tc.appear, got)
			}
			if tc.gone != "" && strings.Count(got, tc.gone) >= strings.Count(base, tc.gone) {
				t.Errorf("explanation still says %q as often", tc.gone)
			}
		})
	}
}

// TestExplainV2FollowsTheBank: the v2 explanation counts the required
// levels and lists the must-haves of the form from the bank, so changing a
// requirement in the YAML changes the words.
func TestExplainV2FollowsTheBank(t *testing.T) {
	t.Parallel()
	fsys := os.DirFS("../bank/testdata")
	a := &assessment.Assessment{Form: "collaborate", Purpose: "readiness"}
	same := func(s string) string { return s + "\n" }
	base := explainText(explainV2(locale.English, fixtureBank(t, fsys, "valid-v2", "bank.yaml", same), a))
	if !strings.Contains(base, "must-have: Question 1 about vision?") || !strings.Contains(base, "need level 3") {
		t.Errorf("v2 explanation does not list the must-haves and levels:\n%s", base)
	}
	for _, tc := range []struct {
		name, appear, gone string
		edit               func(string) string
	}{
		{"a question becomes a must-have for the form", "must-have: Question 3 about vision?", "", func(s string) string {
			r := `require: {readiness: "- 1 1 2 3 3", health-check: "- 1 2 3 3 4"}`
			return strings.Replace(s, r, r+"\n    must_have: [collaborate, combine]", 1)
		}},
		{"a required level is raised", "", "", func(s string) string {
			return strings.Replace(s, `require: {readiness: "- 1 1 2 3 3"`, `require: {readiness: "- 1 1 2 2 3"`, 1)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := explainText(explainV2(locale.English, fixtureBank(t, fsys, "valid-v2", "vision.yaml", tc.edit), a))
			if got == base {
				t.Fatalf("the explanation did not change:\n%s", got)
			}
			if tc.gone != "" && strings.Contains(got, tc.gone) {
				t.Errorf("explanation still says %q", tc.gone)
			}
			if !strings.Contains(got, tc.appear) {
				t.Errorf("explanation has no %q:\n%s", tc.appear, got)
			}
		})
	}
}

// TestExplainInWelsh: the explanation and the report's dates read in
// Welsh, with the bank's numbers in them.
func TestExplainInWelsh(t *testing.T) {
	t.Parallel()
	fsys := os.DirFS("../bank/testdata")
	a := &assessment.Assessment{Form: "collaborate", Purpose: "readiness"}
	same := func(s string) string { return s + "\n" }
	b := fixtureBank(t, fsys, "valid-v2", "bank.yaml", same)
	cy := explainText(explainV2(locale.Welsh, b, a))
	for _, want := range []string{fmt.Sprintf("o 0 (nid yw ar waith) i %d", b.Scoring.MaxScore), "mae angen lefel 3 ar", "Cryfder", "Gwendid"} {
		if !strings.Contains(cy, want) {
			t.Errorf("Welsh v2 explanation has no %q:\n%s", want, cy)
		}
	}
	for _, english := range []string{"Each answer", "falls short", "Strength"} {
		if strings.Contains(cy, english) {
			t.Errorf("Welsh v2 explanation has English %q:\n%s", english, cy)
		}
	}
	day := time.Date(2026, time.March, 2, 10, 0, 0, 0, time.UTC)
	if got := locale.Date(locale.Welsh, day); got != "2 Mawrth 2026" {
		t.Errorf("locale.Date(cy) = %q, want 2 Mawrth 2026", got)
	}
	if got := locale.Date(locale.English, day); got != "2 March 2026" {
		t.Errorf("locale.Date(en) = %q, want 2 March 2026", got)
	}
}
