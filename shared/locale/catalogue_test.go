package locale

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestEmbeddedCatalogues is the check a translator runs (make catalogues):
// the English and Welsh catalogues have exactly the same keys, the same
// placeholders and every plural form their language needs.
func TestEmbeddedCatalogues(t *testing.T) {
	if p := Check(catalogueFS, "catalogue"); len(p) > 0 {
		t.Fatalf("the catalogues disagree:\n%s", strings.Join(p, "\n"))
	}
	if len(Messages().Keys()) < 50 {
		t.Fatalf("only %d keys", len(Messages().Keys()))
	}
}

// TestCheckFindsProblems feeds Check broken catalogues from testdata.
func TestCheckFindsProblems(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		want []string
	}{
		{"good", nil},
		{"missing", []string{`cy.json: "c" is not in en.json`, `cy.json: "b" is missing (en.json has it)`}},
		{"placeholder", []string{`cy.json: "a" has placeholders [Enw], en.json has [Name]`, `cy.json: "b" has template syntax other than {{.Name}}`}},
		{"plural", []string{`cy.json: "n" lacks plural form "zero"`, `cy.json: "n" lacks plural form "few"`}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			got := Check(os.DirFS("testdata"), tc.dir)
			if tc.want == nil && len(got) > 0 {
				t.Fatalf("problems in a good catalogue: %v", got)
			}
			for _, w := range tc.want {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, w) }) {
					t.Errorf("no problem %q in %q", w, got)
				}
			}
			if _, err := Load(os.DirFS("testdata"), tc.dir); (err == nil) != (tc.want == nil) {
				t.Errorf("Load error = %v", err)
			}
		})
	}
}

func TestT(t *testing.T) {
	c, err := Load(os.DirFS("testdata"), "good")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		l    Lang
		key  string
		data map[string]any
		want string
	}{
		{English, "a", map[string]any{"Name": "Sam"}, "Hello Sam"},
		{Welsh, "a", map[string]any{"Name": "Sam"}, "Helo Sam"},
		{English, "n", map[string]any{"Count": 1}, "1 question"},
		{English, "n", map[string]any{"Count": 3}, "3 questions"},
		{Welsh, "n", map[string]any{"Count": 1}, "un cwestiwn"},
		{Welsh, "n", map[string]any{"Count": 2}, "2 gwestiwn"},
		{Welsh, "n", map[string]any{"Count": 3}, "3 chwestiwn"},
		{Welsh, "n", map[string]any{"Count": 0}, "0 cwestiwn"},
		{Welsh, "nope", nil, "[nope]"},
	} {
		if got := c.T(tc.l, tc.key, tc.data); got != tc.want {
			t.Errorf("T(%s, %s, %v) = %q, want %q", tc.l, tc.key, tc.data, got, tc.want)
		}
	}
}

// templateKey finds the keys the page templates ask for: {{t "key" …}},
// (t "key"), th likewise.
var templateKey = regexp.MustCompile(`\(?\bth? "([a-zA-Z0-9_.]+)"`)

// goKey finds the keys the web handlers ask for: tr(req, "key" …) and
// T(l, "key" …).
var goKey = regexp.MustCompile(`\b(?:tr|T)\([a-zA-Z.()]+, "([a-zA-Z0-9_.]+)"`)

// TestEveryKeyUsedExists reads the web templates and Go files and fails on a
// key the catalogues do not have, which would show as [key] on a page.
func TestEveryKeyUsedExists(t *testing.T) {
	c := Messages()
	n := 0
	for _, glob := range []string{"../web/templates/*.html", "../web/templates/*/*.html", "../web/*.go", "../mail/*.go", "../assessment/*.go", "../partnership/*.go", "../reminders/*.go", "../reminders/wording/templates/*"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			re := templateKey
			if strings.HasSuffix(f, ".go") {
				re = goKey
			}
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				n++
				if !c.Has(m[1]) {
					t.Errorf("%s asks for %q, which is not in the catalogues", f, m[1])
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("found only %d uses of the catalogue: is the pattern right?", n)
	}
}
