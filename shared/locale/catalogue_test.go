package locale

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
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

// saidKey finds the keys of the domain's messages that quote values
// (failure.Quoting and failure.Said).
var saidKey = regexp.MustCompile(`\b(?:Quoting|Said)\([^,()]+(?:\([^()]*\))?, "([a-zA-Z0-9_.]+)"[,)]`)

// TestEveryKeyUsedExists reads the web templates and Go files and fails on a
// key the catalogues do not have, which would show as [key] on a page.
func TestEveryKeyUsedExists(t *testing.T) {
	c := Messages()
	n := 0
	for _, glob := range []string{"../web/templates/*.html", "../web/templates/*/*.html", "../web/*.go", "../mail/*.go", "../assessment/*.go", "../partnership/*.go", "../reminders/*.go", "../reminders/wording/templates/*", "../viewer/*.go", "../memstore/*.go", "../dynamo/*.go"} {
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
			matches := re.FindAllStringSubmatch(string(b), -1)
			if strings.HasSuffix(f, ".go") {
				matches = append(matches, saidKey.FindAllStringSubmatch(string(b), -1)...)
			}
			for _, m := range matches {
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

// TestLanguagesLoadOnFirstUse: a catalogue reads a language only when it is
// first asked for, and a Welsh-only use gives Welsh, plural forms, "[key]"
// for an unknown key and the keys without reading the English.
func TestLanguagesLoadOnFirstUse(t *testing.T) {
	c := open(os.DirFS("testdata"), "good")
	for _, l := range Supported {
		if c.langs[l].ready.Load() {
			t.Fatalf("%s is read before any use", l)
		}
	}
	for _, tc := range []struct {
		key  string
		data map[string]any
		want string
	}{
		{"a", map[string]any{"Name": "Sam"}, "Helo Sam"},
		{"n", map[string]any{"Count": 2}, "2 gwestiwn"},
		{"n", map[string]any{"Count": 3}, "3 chwestiwn"},
		{"nope", nil, "[nope]"},
	} {
		if got := c.T(Welsh, tc.key, tc.data); got != tc.want {
			t.Errorf("T(cy, %s, %v) = %q, want %q", tc.key, tc.data, got, tc.want)
		}
	}
	if !c.Has("a") || c.Has("nope") || !c.Plural("n") || c.Plural("a") {
		t.Errorf("Has(a), Has(nope), Plural(n), Plural(a) = %v, %v, %v, %v, want true, false, true, false", c.Has("a"), c.Has("nope"), c.Plural("n"), c.Plural("a"))
	}
	if got, want := c.Keys(), []string{"a", "n"}; !slices.Equal(got, want) {
		t.Errorf("Keys() = %v, want %v", got, want)
	}
	if c.langs[English].ready.Load() {
		t.Error("English was read for a Welsh-only use")
	}
	if got := c.T(English, "a", map[string]any{"Name": "Sam"}); got != "Hello Sam" {
		t.Errorf("T(en, a) = %q after Welsh, want %q", got, "Hello Sam")
	}
	if got := c.T(Lang("fr"), "a", map[string]any{"Name": "Sam"}); got != "Hello Sam" {
		t.Errorf("T(fr, a) = %q, want the English %q", got, "Hello Sam")
	}
}

// TestMessagesMatchChecked: the embedded catalogue, read without checking,
// gives exactly the texts of the checked load, key by key, in every
// language.
func TestMessagesMatchChecked(t *testing.T) {
	checked, err := Load(catalogueFS, "catalogue")
	if err != nil {
		t.Fatal(err)
	}
	c := Messages()
	if got, want := c.Keys(), checked.Keys(); !slices.Equal(got, want) {
		t.Fatalf("Messages has %d keys, the checked load %d", len(got), len(want))
	}
	data := map[string]any{"Count": 2, "Name": "X", "Max": 3}
	for _, l := range Supported {
		for _, k := range checked.Keys() {
			if got, want := c.T(l, k, data), checked.T(l, k, data); got != want {
				t.Errorf("%s %s: Messages gives %q, the checked load %q", l, k, got, want)
			}
		}
	}
}

// TestReadFileRefusesOtherValues: a value that is neither a text nor an
// object of texts is an error naming the key.
func TestReadFileRefusesOtherValues(t *testing.T) {
	for _, body := range []string{`{"k": 3}`, `{"k": {"one": 1}}`, `{"k": ["a"]}`, `{"k": {"one": {"x": "y"}}}`} {
		fsys := fstest.MapFS{"c/en.json": {Data: []byte(body)}}
		if _, err := readFile(fsys, "c/en.json"); err == nil || !strings.Contains(err.Error(), `"k"`) {
			t.Errorf("readFile(%s) error = %v, want one naming \"k\"", body, err)
		}
	}
}

// BenchmarkMessagesWelsh is what a function pays for the catalogue on its
// first Welsh page: the embedded Welsh file read and built, nothing else.
func BenchmarkMessagesWelsh(b *testing.B) {
	for b.Loop() {
		open(catalogueFS, "catalogue").T(Welsh, "language.name", nil)
	}
}

// BenchmarkLoadChecked is the checked load of both languages that
// `make catalogues` and the fixtures use.
func BenchmarkLoadChecked(b *testing.B) {
	for b.Loop() {
		if _, err := Load(catalogueFS, "catalogue"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentFirstUse: goroutines asking for the same and different keys
// at once, as the local gateway's requests do, all get their text (run with
// -race to see the bundle is guarded).
func TestConcurrentFirstUse(t *testing.T) {
	c := open(os.DirFS("testdata"), "good")
	var wg sync.WaitGroup
	errs := make(chan string, 40)
	for i := range 40 {
		wg.Go(func() {
			l, key, data, want := Welsh, "a", map[string]any{"Name": "Sam"}, "Helo Sam"
			if i%2 == 1 {
				l, key, data, want = English, "n", map[string]any{"Count": 3}, "3 questions"
			}
			if got := c.T(l, key, data); got != want {
				errs <- fmt.Sprintf("T(%s, %s) = %q, want %q", l, key, got, want)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
