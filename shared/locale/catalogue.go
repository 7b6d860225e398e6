package locale

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The message catalogues are plain JSON files, one per language, in
// catalogue/<lang>.json: a translator edits them in any text editor and runs
// `make catalogues` to check them. Each entry is a key and its text, or for a
// text that depends on a number, the CLDR plural forms of that language
// ({"one": "…", "other": "…"} in English; Welsh has zero, one, two, few, many
// and other). Placeholders are written {{.Name}} and must be the same in
// every language.
//
//go:embed catalogue/*.json
var catalogueFS embed.FS

// pluralForms are the CLDR plural categories each language's plural messages
// must give (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html).
var pluralForms = map[Lang][]string{
	English: {"one", "other"},
	Welsh:   {"zero", "one", "two", "few", "many", "other"},
}

// placeholder finds {{.Name}} in a message.
var placeholder = regexp.MustCompile(`\{\{\s*\.([A-Za-z][A-Za-z0-9]*)\s*\}\}`)

// Catalogue holds the messages of every supported language.
type Catalogue struct {
	localizers map[Lang]*i18n.Localizer
	keys       map[string]bool
	plural     map[string]bool
}

// Messages is the catalogue embedded in the binary, loaded on first use. It
// panics if the catalogues disagree, which TestEmbeddedCatalogues (make
// catalogues) reports first, problem by problem.
func Messages() *Catalogue {
	embeddedOnce.Do(func() { embedded = mustLoad(catalogueFS, "catalogue") })
	return embedded
}

var (
	embeddedOnce sync.Once
	embedded     *Catalogue
)

func mustLoad(fsys fs.FS, dir string) *Catalogue {
	c, err := Load(fsys, dir)
	if err != nil {
		panic(err)
	}
	return c
}

// entry is one key of a catalogue file: a text, or plural forms.
type entry struct {
	text  string
	forms map[string]string
}

func (e entry) texts() []string {
	if e.forms == nil {
		return []string{e.text}
	}
	return slices.Collect(maps.Values(e.forms))
}

func readFile(fsys fs.FS, path string) (map[string]entry, error) {
	b, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[string]entry, len(raw))
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = entry{text: s}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			return nil, fmt.Errorf("%s: %q is neither a text nor plural forms", path, k)
		}
		out[k] = entry{forms: forms}
	}
	return out, nil
}

func placeholders(s string) []string {
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	sort.Strings(names)
	return names
}

// Check reads dir/<lang>.json for every supported language and returns every
// problem it finds: a key one language has and another lacks, a placeholder
// that differs between languages, plural forms missing or unknown, and text
// with template syntax other than {{.Name}}. English is the reference.
func Check(fsys fs.FS, dir string) []string {
	files := map[Lang]map[string]entry{}
	var problems []string
	for _, l := range Supported {
		f, err := readFile(fsys, dir+"/"+string(l)+".json")
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		files[l] = f
	}
	if len(problems) > 0 {
		return problems
	}
	ref := files[English]
	for _, l := range Supported {
		f := files[l]
		for _, k := range slices.Sorted(maps.Keys(f)) {
			e := f[k]
			if e.forms != nil {
				for form := range e.forms {
					if !slices.Contains(pluralForms[l], form) {
						problems = append(problems, fmt.Sprintf("%s.json: %q has plural form %q, which %s does not use (it uses %s)", l, k, form, l, strings.Join(pluralForms[l], ", ")))
					}
				}
				for _, form := range pluralForms[l] {
					if _, ok := e.forms[form]; !ok {
						problems = append(problems, fmt.Sprintf("%s.json: %q lacks plural form %q", l, k, form))
					}
				}
			}
			for _, text := range e.texts() {
				rest := placeholder.ReplaceAllString(text, "")
				if strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
					problems = append(problems, fmt.Sprintf("%s.json: %q has template syntax other than {{.Name}}: %q", l, k, text))
				}
			}
			if l == English {
				continue
			}
			r, ok := ref[k]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s.json: %q is not in en.json", l, k))
				continue
			}
			if (r.forms == nil) != (e.forms == nil) {
				problems = append(problems, fmt.Sprintf("%s.json: %q must be plural forms in both languages or a text in both", l, k))
				continue
			}
			want := placeholders(strings.Join(r.texts(), " "))
			for _, text := range e.texts() {
				got := placeholders(text)
				if e.forms != nil {
					// A plural form may leave out the count ("un cwestiwn").
					got = placeholders(strings.Join(e.texts(), " "))
				}
				if !slices.Equal(got, want) {
					problems = append(problems, fmt.Sprintf("%s.json: %q has placeholders %v, en.json has %v", l, k, got, want))
					break
				}
			}
		}
		for _, k := range slices.Sorted(maps.Keys(ref)) {
			if _, ok := f[k]; !ok {
				problems = append(problems, fmt.Sprintf("%s.json: %q is missing (en.json has it)", l, k))
			}
		}
	}
	return problems
}

// Load checks the catalogues in dir and loads them.
func Load(fsys fs.FS, dir string) (*Catalogue, error) {
	if p := Check(fsys, dir); len(p) > 0 {
		return nil, fmt.Errorf("locale: the catalogues disagree:\n%s", strings.Join(p, "\n"))
	}
	b := i18n.NewBundle(language.BritishEnglish)
	c := &Catalogue{localizers: map[Lang]*i18n.Localizer{}, keys: map[string]bool{}, plural: map[string]bool{}}
	for _, l := range Supported {
		f, _ := readFile(fsys, dir+"/"+string(l)+".json")
		tag := language.MustParse(string(l))
		for k, e := range f {
			m := &i18n.Message{ID: k, Other: e.text}
			if e.forms != nil {
				m.Zero, m.One, m.Two, m.Few, m.Many, m.Other = e.forms["zero"], e.forms["one"], e.forms["two"], e.forms["few"], e.forms["many"], e.forms["other"]
				c.plural[k] = true
			}
			if err := b.AddMessages(tag, m); err != nil {
				return nil, fmt.Errorf("locale: %s %q: %w", l, k, err)
			}
			c.keys[k] = true
		}
		c.localizers[l] = i18n.NewLocalizer(b, string(l))
	}
	return c, nil
}

// Has reports whether key is in the catalogues.
func (c *Catalogue) Has(key string) bool { return c.keys[key] }

// Keys are every key, sorted.
func (c *Catalogue) Keys() []string { return slices.Sorted(maps.Keys(c.keys)) }

// Plural reports whether key's text depends on a count.
func (c *Catalogue) Plural(key string) bool { return c.plural[key] }

// T is the text of key in l with its placeholders filled from data. A plural
// message takes its count from data["Count"]. An unknown key comes back as
// "[key]" so that a mistake shows on the page rather than breaking it; the
// template test finds every such key before it ships.
func (c *Catalogue) T(l Lang, key string, data map[string]any) string {
	loc, ok := c.localizers[l]
	if !ok {
		loc = c.localizers[English]
	}
	lc := &i18n.LocalizeConfig{MessageID: key, TemplateData: data}
	if c.plural[key] {
		lc.PluralCount = data["Count"]
	}
	s, err := loc.Localize(lc)
	if err != nil {
		return "[" + key + "]"
	}
	return s
}

// Entries are every text of l by key (each plural form as key#form), for
// tests that look for text left untranslated.
func (c *Catalogue) Entries(l Lang) map[string]string {
	f, err := readFile(catalogueFS, "catalogue/"+string(l)+".json")
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for k, e := range f {
		if e.forms == nil {
			out[k] = e.text
			continue
		}
		for form, s := range e.forms {
			out[k+"#"+form] = s
		}
	}
	return out
}

// Pairs turns "Name", value, … into the data T fills placeholders from.
func Pairs(kv ...any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			m[k] = kv[i+1]
		}
	}
	return m
}
