package bank_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/locale"
)

// fixtureFSWelsh is the valid v2 fixture with its Welsh (testdata/valid-v2-cy)
// in cy/, each text marked "Cy: ".
func fixtureFSWelsh(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fixtureFSV2(t, "")
	cy := fstest.MapFS{}
	readInto(t, cy, "testdata/valid-v2-cy")
	for name, f := range cy {
		fsys["cy/"+name] = f
	}
	return fsys
}

func TestInWelsh(t *testing.T) {
	t.Parallel()
	b, err := bankyaml.Load(fixtureFSWelsh(t), ".")
	if err != nil {
		t.Fatalf("Load(valid-v2 with cy) error: %v", err)
	}
	if !b.HasLanguage(locale.Welsh) || !b.HasLanguage(locale.English) {
		t.Fatalf("HasLanguage: cy %v, en %v; want both", b.HasLanguage(locale.Welsh), b.HasLanguage(locale.English))
	}
	if got := b.Languages(); !slices.Equal(got, []locale.Lang{locale.English, locale.Welsh}) {
		t.Errorf("Languages() = %v, want [en cy]", got)
	}
	cy := b.In(locale.Welsh)
	if cy == b || cy.Language() != locale.Welsh || b.Language() != locale.English {
		t.Fatalf("In(cy) = %p (language %s) of %p (language %s); want a Welsh copy", cy, cy.Language(), b, b.Language())
	}
	if b.In(locale.English) != b || cy.In(locale.English) != b || cy.In(locale.Welsh) != cy {
		t.Error("In(en) must give the English version, from it and from its Welsh copy; In(cy) of the Welsh copy itself")
	}
	q, _ := cy.Question("vision.q1")
	en, _ := b.Question("vision.q1")
	for _, c := range []struct{ field, got, want string }{
		{"area title", cy.Areas[0].Title, "Cy: Vision area"},
		{"area description", cy.Areas[0].Description, "Cy: One paragraph describing the vision area."},
		{"text", q.Text, "Cy: Question 1 about vision?"},
		{"guidance", q.Guidance, "Cy: Why it matters and what evidence looks like."},
		{"level 4", q.Levels[4], "Cy: Proven"},
		{"action", q.Actions[bank.BandNotStarted].Do, "Cy: The service lead starts it."},
		{"evidence", q.Actions[bank.BandInProgress].Evidence, "Cy: The agreed document."},
		{"form title", cy.Forms[0].Title, "Cy: Co-exist"},
		{"English text unchanged", en.Text, "Question 1 about vision?"},
		{"English area unchanged", b.Areas[0].Title, "Vision area"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	q2, _ := cy.Question("vision.q2")
	if q2.MayNotApply == nil || q2.MayNotApply.When != "Cy: The council has no such thing." || !q2.NotApplicableAllowed("collaborate") {
		t.Errorf("vision.q2 may_not_apply in Welsh = %+v", q2.MayNotApply)
	}
	// Ids and scoring are the English version's.
	if q.ID != en.ID || q.Weight != en.Weight || !slices.Equal(q.Required[bank.PurposeReadiness], en.Required[bank.PurposeReadiness]) || !slices.Equal(q.MustHave, en.MustHave) {
		t.Errorf("Welsh vision.q1 scoring %+v differs from English %+v", q, en)
	}
	if got, want := len(cy.Questions()), len(b.Questions()); got != want {
		t.Errorf("Welsh has %d questions, English %d", got, want)
	}
	if a, ok := cy.Area("ethos"); !ok || !strings.HasPrefix(a.Title, "Cy: ") {
		t.Errorf("Area(ethos) in Welsh = %q, %v", a.Title, ok)
	}
	if f, ok := cy.Form("combine"); !ok || !strings.HasPrefix(f.Benefit, "Cy: ") {
		t.Errorf("Form(combine) in Welsh = %q, %v", f.Benefit, ok)
	}

	// A version with no Welsh (v1) stays in English and says so.
	v1, err := loadFixture(t, "")
	if err != nil {
		t.Fatal(err)
	}
	if v1.HasLanguage(locale.Welsh) || v1.In(locale.Welsh) != v1 || v1.In(locale.Welsh).Language() != locale.English {
		t.Errorf("v1 fixture: HasLanguage(cy) = %v, In(cy) = %p of %p; want false and itself in English", v1.HasLanguage(locale.Welsh), v1.In(locale.Welsh), v1)
	}
}

// TestWelshMustBeComplete breaks the Welsh of the fixture one way at a time:
// the validator names the id and the field of each missing or extra text.
func TestWelshMustBeComplete(t *testing.T) {
	t.Parallel()
	extraQuestion := "\n- id: vision.q99\n  text: 'Cy: ?'\n  guidance: 'Cy: .'\n  levels: [a, b, c, d, e]\n"
	tests := []struct {
		name      string
		file      string // in cy/; "" removes nothing and adds nothing
		old, new  string // replace old by new in file (old "" appends new; new "DELETE" removes the file)
		want      []string
		parseFail bool
	}{
		{name: "missing guidance", file: "vision.yaml", old: "  guidance: 'Cy: Why it matters and what evidence looks like.'\n  levels:\n  - 'Cy: Not started'\n  - 'Cy: Started'\n  - 'Cy: In progress'\n  - 'Cy: Agreed'\n  - 'Cy: Proven'\n  actions:\n    not-started:\n      do: 'Cy: The service lead starts it.'\n      evidence: 'Cy: A note of the decision to start.'\n    in-progress:\n      do: 'Cy: The service lead finishes it.'\n      evidence: 'Cy: The agreed document.'\n- id: vision.q2",
			new:  "  levels:\n  - 'Cy: Not started'\n  - 'Cy: Started'\n  - 'Cy: In progress'\n  - 'Cy: Agreed'\n  - 'Cy: Proven'\n  actions:\n    not-started:\n      do: 'Cy: The service lead starts it.'\n      evidence: 'Cy: A note of the decision to start.'\n    in-progress:\n      do: 'Cy: The service lead finishes it.'\n      evidence: 'Cy: The agreed document.'\n- id: vision.q2",
			want: []string{"cy: question vision.q1: guidance is missing"}},
		{name: "missing question", file: "ethos.yaml", old: "- id: ethos.q3\n", new: "- id: ethos.q3-gone\n",
			want: []string{"cy: question ethos.q3: no translation", "cy: question ethos.q3-gone: translated, but not in the English text of v1"}},
		{name: "extra question", file: "vision.yaml", new: extraQuestion,
			want: []string{"cy: question vision.q99: translated, but not in the English text of v1"}},
		{name: "question in the wrong file", file: "ethos.yaml", new: strings.ReplaceAll(extraQuestion, "q99", "q1"),
			want: []string{"cy: question vision.q1: translated twice", "cy: question vision.q1: in file cy/ethos.yaml, want it in its area's file",
				"cy: question vision.q1: actions.in-progress is missing", "cy: question vision.q1: actions.not-started is missing"}},
		{name: "empty level", file: "risk.yaml", old: "- id: risk.q4\n  text: 'Cy: Question 4 about risk?'\n  guidance: 'Cy: Why it matters and what evidence looks like.'\n  levels:\n  - 'Cy: Not started'\n",
			new:  "- id: risk.q4\n  text: 'Cy: Question 4 about risk?'\n  guidance: 'Cy: Why it matters and what evidence looks like.'\n  levels:\n  - ''\n",
			want: []string{"cy: question risk.q4: level 0 is missing"}},
		{name: "four levels", file: "risk.yaml", old: "- id: risk.q5\n  text: 'Cy: Question 5 about risk?'\n  guidance: 'Cy: Why it matters and what evidence looks like.'\n  levels:\n  - 'Cy: Not started'\n",
			new:  "- id: risk.q5\n  text: 'Cy: Question 5 about risk?'\n  guidance: 'Cy: Why it matters and what evidence looks like.'\n  levels:\n",
			want: []string{"cy: question risk.q5: has 4 levels, want 5", "cy: question risk.q5: level 4 is missing"}},
		{name: "missing evidence", file: "governance.yaml", old: "      evidence: 'Cy: A note of the decision to start.'\n    in-progress:\n      do: 'Cy: The service lead finishes it.'\n      evidence: 'Cy: The agreed document.'\n- id: governance.q2",
			new:  "    in-progress:\n      do: 'Cy: The service lead finishes it.'\n      evidence: 'Cy: The agreed document.'\n- id: governance.q2",
			want: []string{"cy: question governance.q1: actions.not-started.evidence is missing"}},
		{name: "extra action band", file: "governance.yaml", old: "- id: governance.q2\n",
			new:  "    agreed:\n      do: 'Cy: more'\n      evidence: 'Cy: more'\n- id: governance.q2\n",
			want: []string{"cy: question governance.q1: actions.agreed is translated, but the English has no such action"}},
		{name: "extra prompts", file: "resources.yaml", old: "- id: resources.q2\n", new: "  prompts: ['Cy: why?']\n- id: resources.q2\n",
			want: []string{"cy: question resources.q1: prompts has 1 entries, the English has 0"}},
		{name: "missing not applicable", file: "vision.yaml", old: "  may_not_apply:\n    when: 'Cy: The council has no such thing.'\n", new: "",
			want: []string{"cy: question vision.q2: may_not_apply.when is missing"}},
		{name: "extra not applicable", file: "vision.yaml", old: "- id: vision.q4\n", new: "  may_not_apply: {when: 'Cy: never'}\n- id: vision.q4\n",
			want: []string{"cy: question vision.q3: may_not_apply.when is translated, but the English has no may_not_apply"}},
		{name: "area title missing", file: "resources.yaml", old: "title: 'Cy: Resources area'\n", new: "title: ''\n",
			want: []string{"cy: area resources: title is missing"}},
		{name: "form missing", file: "forms.yaml", old: "- id: combine\n", new: "- id: merge\n",
			want: []string{"cy: form combine: no translation", "cy: form merge: translated, but not in the English text of v1"}},
		{name: "area file missing", file: "risk.yaml", new: "DELETE",
			want: append([]string{"cy: file cy/risk.yaml not found", "cy: area risk: no translation"}, noTranslation("risk", 9)...)},
		{name: "stray file", file: "finance.yaml", new: "id: finance\n",
			want: []string{"cy: file cy/finance.yaml: not bank.yaml, forms.yaml or an area listed in bank.yaml"}},
		{name: "role for a bank without roles", file: "bank.yaml", old: "roles: []\n", new: "roles: [{id: other, label: Arall}]\n",
			want: []string{"cy: role other: translated, but not in the English text of v1"}},
		{name: "a scoring key in the Welsh", file: "vision.yaml", old: "- id: vision.q4\n", new: "  weight: 2\n- id: vision.q4\n", parseFail: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fsys := fixtureFSWelsh(t)
			name := "cy/" + tc.file
			switch f, ok := fsys[name]; {
			case tc.new == "DELETE":
				delete(fsys, name)
			case !ok:
				fsys[name] = &fstest.MapFile{Data: []byte(tc.new)}
			case tc.old == "":
				f.Data = append(f.Data, tc.new...)
			default:
				if !strings.Contains(string(f.Data), tc.old) {
					t.Fatalf("fixture %s has no %q", name, tc.old)
				}
				f.Data = []byte(strings.Replace(string(f.Data), tc.old, tc.new, 1))
			}
			_, err := bankyaml.Load(fsys, ".")
			var verr *bank.ValidationError
			if tc.parseFail {
				if err == nil || errors.As(err, &verr) || !strings.Contains(err.Error(), "field weight not found") {
					t.Fatalf("Load error = %v; want a parse error naming the unknown key", err)
				}
				return
			}
			if !errors.As(err, &verr) {
				t.Fatalf("Load error = %v; want a *ValidationError", err)
			}
			if !slices.Equal(verr.Problems, tc.want) {
				t.Errorf("problems:\n got %q\nwant %q", verr.Problems, tc.want)
			}
		})
	}
}

func noTranslation(area string, n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprintf("cy: question %s.q%d: no translation", area, i))
	}
	return out
}

// A folder in a version that is not a language is an error, not ignored.
func TestTranslationFolderMustBeALanguage(t *testing.T) {
	t.Parallel()
	fsys := fixtureFSWelsh(t)
	for name, f := range fsys {
		if rest, ok := strings.CutPrefix(name, "cy/"); ok {
			fsys["en/"+rest] = f
		}
	}
	_, err := bankyaml.Load(fsys, ".")
	var verr *bank.ValidationError
	if !errors.As(err, &verr) || !slices.Equal(verr.Problems, []string{"folder en: not a translation (want a folder named [cy])"}) {
		t.Fatalf("Load error = %v; want folder en refused", err)
	}
}

// The current version is in Welsh too, and its Welsh reads as Welsh: every
// question asks a question, no text is left in English, the levels stay
// distinct, and the compiled form carries it. v1 is English only.
func TestEmbeddedWelsh(t *testing.T) {
	t.Parallel()
	l := bankyaml.MustEmbedded()
	en := l.Current()
	if !en.HasLanguage(locale.Welsh) {
		t.Fatalf("%s has no Welsh", en.Version)
	}
	if v1, _ := l.Get("v1"); v1.HasLanguage(locale.Welsh) {
		t.Error("v1 has Welsh; it was never translated, and its assessments stay in English")
	}
	cy := en.In(locale.Welsh)
	same := func(where, a, b string) {
		if strings.TrimSpace(a) == strings.TrimSpace(b) {
			t.Errorf("%s: the Welsh is the English text %q", where, a)
		}
	}
	for i, a := range cy.Areas {
		same("area "+a.ID+" title", a.Title, en.Areas[i].Title)
		same("area "+a.ID+" description", a.Description, en.Areas[i].Description)
		for j, q := range a.Questions {
			e := en.Areas[i].Questions[j]
			if !strings.HasSuffix(strings.TrimSpace(q.Text), "?") {
				t.Errorf("question %s: Welsh text %q does not end with a question mark", q.ID, q.Text)
			}
			same(q.ID+" text", q.Text, e.Text)
			same(q.ID+" guidance", q.Guidance, e.Guidance)
			seen := map[string]bool{}
			for k, level := range q.Levels {
				same(fmt.Sprintf("%s level %d", q.ID, k), level, e.Levels[k])
				if seen[level] {
					t.Errorf("question %s: Welsh level %d repeats another level", q.ID, k)
				}
				seen[level] = true
			}
			for band, a := range q.Actions {
				same(q.ID+" "+band+" do", a.Do, e.Actions[band].Do)
				same(q.ID+" "+band+" evidence", a.Evidence, e.Actions[band].Evidence)
			}
			for k, p := range q.Prompts {
				same(fmt.Sprintf("%s prompt %d", q.ID, k), p, e.Prompts[k])
			}
			if q.MayNotApply != nil {
				same(q.ID+" may_not_apply", q.MayNotApply.When, e.MayNotApply.When)
			}
		}
	}
	for i, f := range cy.Forms {
		same("form "+f.ID, f.Description, en.Forms[i].Description)
	}
	for i, r := range cy.Roles {
		same("role "+r.ID, r.Label, en.Roles[i].Label)
	}
	compiled := bank.MustCompiled().Current().In(locale.Welsh)
	if compiled.Language() != locale.Welsh || compiled.Areas[0].Title != cy.Areas[0].Title {
		t.Errorf("the compiled bank's Welsh: %s %q, want %q", compiled.Language(), compiled.Areas[0].Title, cy.Areas[0].Title)
	}
}

// Library.In gives every version in the language asked for where it has
// the text (the current one), and in English where it has not (v1), from
// the YAML and from the compiled form alike.
func TestLibraryIn(t *testing.T) {
	t.Parallel()
	for name, l := range map[string]*bank.Library{"embedded": bankyaml.MustEmbedded(), "compiled": bank.MustCompiled()} {
		cy := l.In(locale.Welsh)
		if got, want := cy.Current(), l.Current().In(locale.Welsh); got != want {
			t.Errorf("%s: In(cy).Current() is not Current().In(cy)", name)
		} else if got.Language() != locale.Welsh || got.Areas[0].Title == l.Current().Areas[0].Title {
			t.Errorf("%s: In(cy).Current() is in %s, first area %q", name, got.Language(), got.Areas[0].Title)
		}
		en1, _ := l.Get("v1")
		if cy1, ok := cy.Get("v1"); !ok || cy1 != en1 {
			t.Errorf("%s: In(cy).Get(v1) = %p, %v; want the English v1 %p", name, cy1, ok, en1)
		}
		if !slices.Equal(cy.Versions(), l.Versions()) {
			t.Errorf("%s: In(cy).Versions() = %v, want %v", name, cy.Versions(), l.Versions())
		}
		if l.In(locale.English) != l || cy.In(locale.English) != l || cy.In(locale.Welsh) != cy {
			t.Errorf("%s: In(en) is not the English library, or In(cy) of the Welsh one not itself", name)
		}
	}
}
