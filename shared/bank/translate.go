package bank

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/openrasp/rasp/shared/locale"
)

// Translation is the reader-facing text of one version in a language other
// than English, keyed by the ids of the English text. It holds words only:
// ids, order, levels required, must-haves and weights stay the English
// version's, so a council's scores never depend on the language it reads.
//
// A version either has no translation into a language, or a complete one:
// Validate refuses a missing or an extra text and names its id and field.
type Translation struct {
	Areas     map[string]AreaText     // area id -> its title and description
	Questions map[string]QuestionText // question id -> its words
	Forms     map[string]FormText     // form id -> its words
	Roles     map[string]string       `json:",omitempty"` // role id -> its label
}

// AreaText is an area's words.
type AreaText struct{ Title, Description string }

// QuestionText is a question's words: the same fields as Question, with the
// same number of levels, action bands and prompts.
type QuestionText struct {
	Text, Guidance string
	Levels         [5]string
	Actions        map[string]LevelAction `json:",omitempty"`
	Prompts        []string               `json:",omitempty"`
	// NotApplicable is MayNotApply.When: when the question does not apply.
	NotApplicable string `json:",omitempty"`
}

// FormText is a form of sharing's words.
type FormText struct{ Title, Description, Compromise, Benefit string }

// In returns this version with every reader-facing text in language l: area
// titles and descriptions, questions, guidance, level descriptors, actions
// and their evidence, workshop prompts, when "not applicable" is allowed,
// the forms' words and the roles' labels. Ids and scoring are unchanged.
// For English, or a language this version has no text in (v1 exists only
// in English), it returns the English version: ask HasLanguage first to say
// so to the reader. The result is shared: do not change it.
func (b *Bank) In(l locale.Lang) *Bank {
	s := b.languages
	if s == nil {
		return b
	}
	if c, ok := s.copies[l]; ok {
		return c.get(s, l)
	}
	return s.english
}

// HasLanguage reports whether this version has its text in language l.
// Every version has English.
func (b *Bank) HasLanguage(l locale.Lang) bool {
	if l == locale.English {
		return true
	}
	if _, ok := b.Translations[l]; ok {
		return true
	}
	if b.languages != nil {
		_, ok := b.languages.copies[l]
		return ok
	}
	return false
}

// Language is the language of this copy's text: English unless it came
// from In.
func (b *Bank) Language() locale.Lang {
	if b.lang == "" {
		return locale.English
	}
	return b.lang
}

// Languages lists the languages this version has text in, English first.
func (b *Bank) Languages() []locale.Lang {
	var out []locale.Lang
	for _, l := range locale.Supported {
		if b.HasLanguage(l) {
			out = append(out, l)
		}
	}
	return out
}

// languageSet is one version's copies in its other languages, shared by
// the English bank and every copy. Each copy is made on the first In of
// its language: a function that answers only in English never decodes or
// builds the Welsh (issue 22).
type languageSet struct {
	english *Bank
	copies  map[locale.Lang]*languageCopy // fixed when the bank is loaded
}

// languageCopy is one language of a languageSet.
type languageCopy struct {
	once  sync.Once
	t     *Translation                 // the words; nil until load gives them
	load  func() (*Translation, error) // decodes t from the compiled form; nil when t is given
	built *Bank
}

// get returns the copy in l, making it on first use. The compiled form is
// checked against the YAML by TestCompiledIsCurrent, so a copy that cannot
// be decoded is a build that should not have shipped.
func (c *languageCopy) get(s *languageSet, l locale.Lang) *Bank {
	c.once.Do(func() {
		if c.load != nil {
			t, err := c.load()
			if err != nil {
				panic(fmt.Sprintf("question bank %s: %s: %v", s.english.Version, l, err))
			}
			c.t = t
		}
		b := s.english.translate(c.t)
		b.lang = l
		b.english = s.english
		b.buildIndexOnly()
		c.built = b
	})
	return c.built
}

// translation is the words of this version in l, decoding them if they
// are still in the compiled form; nil if it has none.
func (b *Bank) translation(l locale.Lang) *Translation {
	if t, ok := b.Translations[l]; ok {
		return t
	}
	if b.languages == nil {
		return nil
	}
	c, ok := b.languages.copies[l]
	if !ok {
		return nil
	}
	c.get(b.languages, l)
	return c.t
}

// buildLanguages prepares the translated copies In returns, from
// Translations (the YAML) or from loads (the compiled form, one decoder per
// language); each copy is made on first use. It is called by buildIndex,
// once per loaded bank.
func (b *Bank) buildLanguages(loads map[locale.Lang]func() (*Translation, error)) {
	s := &languageSet{english: b, copies: map[locale.Lang]*languageCopy{}}
	for l, t := range b.Translations {
		if t != nil {
			s.copies[l] = &languageCopy{t: t}
		}
	}
	for l, load := range loads {
		s.copies[l] = &languageCopy{load: load}
	}
	b.languages = s
}

// translate returns a copy of b with t's words. A text t lacks stays
// English (Validate refuses such a translation before it is used).
func (b *Bank) translate(t *Translation) *Bank {
	c := *b
	c.Areas = make([]Area, len(b.Areas))
	for i, a := range b.Areas {
		ta := a
		if at, ok := t.Areas[a.ID]; ok {
			ta.Title, ta.Description = at.Title, at.Description
		}
		ta.Questions = make([]Question, len(a.Questions))
		for j, q := range a.Questions {
			ta.Questions[j] = q.translated(t.Questions[q.ID])
		}
		c.Areas[i] = ta
	}
	c.Forms = make([]Form, len(b.Forms))
	for i, f := range b.Forms {
		if ft, ok := t.Forms[f.ID]; ok {
			f.Title, f.Description, f.Compromise, f.Benefit = ft.Title, ft.Description, ft.Compromise, ft.Benefit
		}
		c.Forms[i] = f
	}
	c.Roles = make([]Role, len(b.Roles))
	for i, r := range b.Roles {
		if label, ok := t.Roles[r.ID]; ok {
			r.Label = label
		}
		c.Roles[i] = r
	}
	if len(b.Roles) == 0 {
		c.Roles = nil
	}
	return &c
}

func (q Question) translated(t QuestionText) Question {
	if t.Text == "" {
		return q
	}
	q.Text, q.Guidance, q.Levels = t.Text, t.Guidance, t.Levels
	if q.Actions != nil {
		actions := make(map[string]LevelAction, len(q.Actions))
		for band, a := range q.Actions {
			if ta, ok := t.Actions[band]; ok {
				a = ta
			}
			actions[band] = a
		}
		q.Actions = actions
	}
	if len(t.Prompts) == len(q.Prompts) {
		q.Prompts = slices.Clone(t.Prompts)
	}
	if q.MayNotApply != nil {
		m := *q.MayNotApply
		if t.NotApplicable != "" {
			m.When = t.NotApplicable
		}
		q.MayNotApply = &m
	}
	return q
}

// translations checks that every translation is complete and has nothing
// the English version lacks, naming the id and the field.
func (v *validation) translations(b *Bank) {
	for _, l := range slices.Sorted(maps.Keys(b.Translations)) {
		t := b.Translations[l]
		if l == locale.English || !l.Valid() {
			v.addf("%s: not a language a translation can be in (want one of %v other than English)", l, locale.Supported[1:])
			continue
		}
		if t == nil {
			v.addf("%s: translation is empty", l)
			continue
		}
		v.translation(b, l, t)
	}
}

func (v *validation) translation(b *Bank, l locale.Lang, t *Translation) {
	empty := func(s string) bool { return strings.TrimSpace(s) == "" }
	areas, questions, forms, roles := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, a := range b.Areas {
		areas[a.ID] = true
		at, ok := t.Areas[a.ID]
		if !ok {
			v.addf("%s: area %s: no translation", l, a.ID)
		} else {
			for _, f := range []struct{ name, text string }{{"title", at.Title}, {"description", at.Description}} {
				if empty(f.text) {
					v.addf("%s: area %s: %s is missing", l, a.ID, f.name)
				}
			}
			if strings.Contains(strings.TrimSpace(at.Description), "\n\n") {
				v.addf("%s: area %s: description must be one paragraph", l, a.ID)
			}
		}
		for _, q := range a.Questions {
			questions[q.ID] = true
			qt, ok := t.Questions[q.ID]
			if !ok {
				v.addf("%s: question %s: no translation", l, q.ID)
				continue
			}
			v.questionText(l, q, qt)
		}
	}
	for _, f := range b.Forms {
		forms[f.ID] = true
		ft, ok := t.Forms[f.ID]
		if !ok {
			v.addf("%s: form %s: no translation", l, f.ID)
			continue
		}
		for _, field := range []struct{ name, text string }{
			{"title", ft.Title}, {"description", ft.Description}, {"compromise", ft.Compromise}, {"benefit", ft.Benefit},
		} {
			if empty(field.text) {
				v.addf("%s: form %s: %s is missing", l, f.ID, field.name)
			}
		}
	}
	for _, r := range b.Roles {
		roles[r.ID] = true
		if empty(t.Roles[r.ID]) {
			v.addf("%s: role %s: label is missing", l, r.ID)
		}
	}
	for kind, ids := range map[string]struct {
		known map[string]bool
		got   []string
	}{
		"area": {areas, slices.Collect(maps.Keys(t.Areas))}, "question": {questions, slices.Collect(maps.Keys(t.Questions))},
		"form": {forms, slices.Collect(maps.Keys(t.Forms))}, "role": {roles, slices.Collect(maps.Keys(t.Roles))},
	} {
		for _, id := range slices.Sorted(slices.Values(ids.got)) {
			if !ids.known[id] {
				v.addf("%s: %s %s: translated, but not in the English text of %s", l, kind, id, b.Version)
			}
		}
	}
}

func (v *validation) questionText(l locale.Lang, q Question, t QuestionText) {
	empty := func(s string) bool { return strings.TrimSpace(s) == "" }
	for _, f := range []struct{ name, text string }{{"text", t.Text}, {"guidance", t.Guidance}} {
		if empty(f.text) {
			v.addf("%s: question %s: %s is missing", l, q.ID, f.name)
		}
	}
	for i, level := range t.Levels {
		if empty(level) {
			v.addf("%s: question %s: level %d is missing", l, q.ID, i)
		}
	}
	for _, band := range slices.Sorted(maps.Keys(q.Actions)) {
		ta, ok := t.Actions[band]
		switch {
		case !ok:
			v.addf("%s: question %s: actions.%s is missing", l, q.ID, band)
		default:
			if empty(ta.Do) {
				v.addf("%s: question %s: actions.%s.do is missing", l, q.ID, band)
			}
			if empty(ta.Evidence) {
				v.addf("%s: question %s: actions.%s.evidence is missing", l, q.ID, band)
			}
		}
	}
	for _, band := range slices.Sorted(maps.Keys(t.Actions)) {
		if _, ok := q.Actions[band]; !ok {
			v.addf("%s: question %s: actions.%s is translated, but the English has no such action", l, q.ID, band)
		}
	}
	if len(t.Prompts) != len(q.Prompts) {
		v.addf("%s: question %s: prompts has %d entries, the English has %d", l, q.ID, len(t.Prompts), len(q.Prompts))
	}
	for i, p := range t.Prompts {
		if empty(p) {
			v.addf("%s: question %s: prompts[%d] is missing", l, q.ID, i)
		}
	}
	switch {
	case q.MayNotApply != nil && empty(t.NotApplicable):
		v.addf("%s: question %s: may_not_apply.when is missing", l, q.ID)
	case q.MayNotApply == nil && t.NotApplicable != "":
		v.addf("%s: question %s: may_not_apply.when is translated, but the English has no may_not_apply", l, q.ID)
	}
}

// YAML shapes of a translation folder (<version>/<lang>/): the same files
// and ids as the English, with only the words.
type bankTextFile struct {
	Roles []conceptFile `yaml:"roles"`
}

type areaTextFile struct {
	ID          string             `yaml:"id"`
	Title       string             `yaml:"title"`
	Description string             `yaml:"description"`
	Questions   []questionTextFile `yaml:"questions"`
}

type questionTextFile struct {
	ID          string                     `yaml:"id"`
	Text        string                     `yaml:"text"`
	Guidance    string                     `yaml:"guidance"`
	Levels      []string                   `yaml:"levels"`
	Actions     map[string]levelActionFile `yaml:"actions"`
	Prompts     []string                   `yaml:"prompts"`
	MayNotApply *struct {
		When string `yaml:"when"`
	} `yaml:"may_not_apply"`
}

type formsTextFile struct {
	Forms []formTextFile `yaml:"forms"`
}

type formTextFile struct {
	ID          string `yaml:"id"`
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Compromise  string `yaml:"compromise"`
	Benefit     string `yaml:"benefit"`
}

// loadTranslations reads every translation folder of version folder dir:
// a folder named after a language of locale.Supported other than English.
// It returns the problems it found in the files' shape (a missing file, a
// duplicate id, a wrong number of levels); whether the words are complete
// is Validate's to say.
func loadTranslations(fsys fs.FS, dir string, areas []string, decode Decoder) (map[locale.Lang]*Translation, []string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var out map[locale.Lang]*Translation
	var problems []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		l, ok := locale.Parse(e.Name())
		if !ok || l == locale.English || string(l) != e.Name() {
			problems = append(problems, fmt.Sprintf("folder %s: not a translation (want a folder named %v)", path.Join(dir, e.Name()), locale.Supported[1:]))
			continue
		}
		t, p, err := loadTranslation(fsys, path.Join(dir, e.Name()), l, areas, decode)
		if err != nil {
			return nil, nil, err
		}
		problems = append(problems, p...)
		if out == nil {
			out = map[locale.Lang]*Translation{}
		}
		out[l] = t
	}
	return out, problems, nil
}

func loadTranslation(fsys fs.FS, dir string, l locale.Lang, areas []string, decode Decoder) (*Translation, []string, error) {
	t := &Translation{Areas: map[string]AreaText{}, Questions: map[string]QuestionText{}, Forms: map[string]FormText{}}
	var problems []string
	missing := func(name string, err error) bool {
		if errors.Is(err, fs.ErrNotExist) {
			problems = append(problems, fmt.Sprintf("%s: file %s not found", l, name))
			return true
		}
		return false
	}

	var meta bankTextFile
	name := path.Join(dir, bankFileName)
	if err := decodeFile(fsys, name, &meta, decode); !missing(name, err) && err != nil {
		return nil, nil, err
	}
	for _, r := range meta.Roles {
		if t.Roles == nil {
			t.Roles = map[string]string{}
		}
		if _, dup := t.Roles[r.ID]; dup {
			problems = append(problems, fmt.Sprintf("%s: role %s: translated twice", l, r.ID))
		}
		t.Roles[r.ID] = r.Label
	}

	var forms formsTextFile
	name = path.Join(dir, formsFileName)
	if err := decodeFile(fsys, name, &forms, decode); !missing(name, err) && err != nil {
		return nil, nil, err
	}
	for _, f := range forms.Forms {
		if _, dup := t.Forms[f.ID]; dup {
			problems = append(problems, fmt.Sprintf("%s: form %s: translated twice", l, f.ID))
		}
		t.Forms[f.ID] = FormText{Title: f.Title, Description: f.Description, Compromise: f.Compromise, Benefit: f.Benefit}
	}

	for _, areaID := range areas {
		var af areaTextFile
		name := path.Join(dir, areaID+".yaml")
		err := decodeFile(fsys, name, &af, decode)
		if missing(name, err) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if af.ID != areaID {
			problems = append(problems, fmt.Sprintf("%s: file %s has id %q, want %s", l, name, af.ID, areaID))
		}
		t.Areas[areaID] = AreaText{Title: af.Title, Description: af.Description}
		for _, qf := range af.Questions {
			if _, dup := t.Questions[qf.ID]; dup {
				problems = append(problems, fmt.Sprintf("%s: question %s: translated twice", l, qf.ID))
			}
			if !strings.HasPrefix(qf.ID, areaID+".") {
				problems = append(problems, fmt.Sprintf("%s: question %s: in file %s, want it in its area's file", l, qf.ID, name))
			}
			qt := QuestionText{Text: qf.Text, Guidance: qf.Guidance, Prompts: qf.Prompts}
			if len(qf.Levels) != len(qt.Levels) {
				problems = append(problems, fmt.Sprintf("%s: question %s: has %d levels, want %d", l, qf.ID, len(qf.Levels), len(qt.Levels)))
			}
			copy(qt.Levels[:], qf.Levels)
			for band, a := range qf.Actions {
				if qt.Actions == nil {
					qt.Actions = map[string]LevelAction{}
				}
				qt.Actions[band] = LevelAction(a)
			}
			if qf.MayNotApply != nil {
				qt.NotApplicable = qf.MayNotApply.When
			}
			t.Questions[qf.ID] = qt
		}
	}

	stray, err := strayFiles(fsys, dir, areas)
	if err != nil {
		return nil, nil, err
	}
	for _, name := range stray {
		problems = append(problems, fmt.Sprintf("%s: file %s: not bank.yaml, forms.yaml or an area listed in bank.yaml", l, name))
	}
	return t, problems, nil
}
