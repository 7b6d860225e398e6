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
	"sync/atomic"

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

// Catalogue holds the messages of every supported language. Each
// language is read and built on its first use, so a function that answers
// one reader in Welsh never decodes the English, nor the reverse.
type Catalogue struct {
	fsys  fs.FS
	dir   string
	langs map[Lang]*langMessages
}

// langMessages is one language of a catalogue, filled on first use. Each
// key's go-i18n message template is made on the key's first T: a page
// uses a few dozen of the catalogue's keys.
type langMessages struct {
	once    sync.Once
	ready   atomic.Bool // set once entries and the bundle are filled
	entries map[string]entry
	err     error

	mu     sync.Mutex // guards bundle (go-i18n's is not safe to add to while in use) and added
	tag    language.Tag
	bundle *i18n.Bundle
	loc    *i18n.Localizer
	added  map[string]bool
}

// Messages is the catalogue embedded in the binary. It is not checked
// here: TestEmbeddedCatalogues (make catalogues) checks the embedded files
// before they ship, so a function pays only for reading the languages it
// speaks, each once, on first use. A language that cannot be read panics
// on first use, which that test reports first, problem by problem.
func Messages() *Catalogue {
	embeddedOnce.Do(func() { embedded = open(catalogueFS, "catalogue") })
	return embedded
}

var (
	embeddedOnce sync.Once
	embedded     *Catalogue
)

// open returns the catalogue in dir without reading it.
func open(fsys fs.FS, dir string) *Catalogue {
	c := &Catalogue{fsys: fsys, dir: dir, langs: make(map[Lang]*langMessages, len(Supported))}
	for _, l := range Supported {
		c.langs[l] = &langMessages{}
	}
	return c
}

// lang returns l's messages (English for a language not supported),
// reading them on first use.
func (c *Catalogue) lang(l Lang) *langMessages {
	m, ok := c.langs[l]
	if !ok {
		l, m = English, c.langs[English]
	}
	if err := c.fill(l, m); err != nil {
		panic(err)
	}
	return m
}

// fill reads m, language l, once.
func (c *Catalogue) fill(l Lang, m *langMessages) error {
	m.once.Do(func() {
		m.entries, m.err = readFile(c.fsys, c.dir+"/"+string(l)+".json")
		if m.err != nil {
			m.err = fmt.Errorf("locale: %w", m.err)
			return
		}
		m.tag = language.MustParse(string(l))
		m.bundle = i18n.NewBundle(m.tag)
		m.loc = i18n.NewLocalizer(m.bundle, string(l))
		m.added = map[string]bool{}
		m.ready.Store(true)
	})
	return m.err
}

// index is the keys of the catalogue: those of a language already read
// (every language has the same keys, which Check makes sure of), else
// English's.
func (c *Catalogue) index() map[string]entry {
	for _, l := range Supported {
		if m := c.langs[l]; m.ready.Load() {
			return m.entries
		}
	}
	return c.lang(English).entries
}

// localize is key's text in m, adding key's message to the bundle on its
// first use.
func (m *langMessages) localize(key string, data map[string]any) (string, error) {
	e, ok := m.entries[key]
	lc := &i18n.LocalizeConfig{MessageID: key, TemplateData: data}
	if e.forms != nil {
		lc.PluralCount = data["Count"]
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if ok && !m.added[key] {
		msg := &i18n.Message{ID: key, Other: e.text}
		if e.forms != nil {
			msg.Zero, msg.One, msg.Two, msg.Few, msg.Many, msg.Other = e.forms["zero"], e.forms["one"], e.forms["two"], e.forms["few"], e.forms["many"], e.forms["other"]
		}
		if err := m.bundle.AddMessages(m.tag, msg); err != nil {
			return "", err
		}
		m.added[key] = true
	}
	return m.loc.Localize(lc)
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

// readFile decodes one catalogue file in a single pass: each value is a
// text or an object of plural forms, each form a text.
func readFile(fsys fs.FS, path string) (map[string]entry, error) {
	b, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[string]entry, len(raw))
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = entry{text: v}
			continue
		case map[string]any:
			forms := make(map[string]string, len(v))
			for form, s := range v {
				text, ok := s.(string)
				if !ok {
					forms = nil
					break
				}
				forms[form] = text
			}
			if forms != nil {
				out[k] = entry{forms: forms}
				continue
			}
		}
		return nil, fmt.Errorf("%s: %q is neither a text nor plural forms", path, k)
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

// Load checks the catalogues in dir and loads every language of them (for
// fixtures and `make catalogues`; the embedded catalogue is Messages).
func Load(fsys fs.FS, dir string) (*Catalogue, error) {
	if p := Check(fsys, dir); len(p) > 0 {
		return nil, fmt.Errorf("locale: the catalogues disagree:\n%s", strings.Join(p, "\n"))
	}
	c := open(fsys, dir)
	for _, l := range Supported {
		if err := c.fill(l, c.langs[l]); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Has reports whether key is in the catalogues.
func (c *Catalogue) Has(key string) bool {
	_, ok := c.index()[key]
	return ok
}

// Keys are every key, sorted.
func (c *Catalogue) Keys() []string { return slices.Sorted(maps.Keys(c.index())) }

// Plural reports whether key's text depends on a count.
func (c *Catalogue) Plural(key string) bool { return c.index()[key].forms != nil }

// T is the text of key in l with its placeholders filled from data. A plural
// message takes its count from data["Count"]. An unknown key comes back as
// "[key]" so that a mistake shows on the page rather than breaking it; the
// template test finds every such key before it ships.
func (c *Catalogue) T(l Lang, key string, data map[string]any) string {
	s, err := c.lang(l).localize(key, data)
	if err != nil {
		return "[" + key + "]"
	}
	return s
}

// Entries are every text of l by key (each plural form as key#form), for
// tests that look for text left untranslated.
func (c *Catalogue) Entries(l Lang) map[string]string {
	f, err := readFile(c.fsys, c.dir+"/"+string(l)+".json")
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
