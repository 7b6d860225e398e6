// Package bank loads and validates the RASP question bank: the questions in
// each of the five readiness areas, the forms of sharing with their target
// scores, and the scoring parameters. The bank is data (YAML in the questions
// folder); this package only reads and checks it. The functions read the
// compiled JSON form (Compiled); reading the YAML itself takes a decoder
// (package bankyaml), so that no Lambda links a YAML parser or the YAML.
package bank

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/openrasp/rasp/shared/locale"
)

// Bank is one validated version of the question bank.
type Bank struct {
	Version string
	// Model is the scoring model the version uses: ModelV1 (area targets)
	// or ModelV2 (a required level per question, form and purpose).
	Model    string
	Areas    []Area    // in display order: vision, ethos, resources, risk, governance
	Forms    []Form    // in continuum order: co-exist ... combine
	Concepts []Concept // the seed concepts questions are tagged with
	Scoring  Scoring
	Previous string            // version this one maps from ("" for the first)
	Mapping  map[string]string // old question id (in Previous) -> new question id; retired ids absent
	// Roles are the roles a council's colleagues answer as (issue 19), in
	// display order; their ids are the closed set RoleID. Empty in v1,
	// which has no colleagues' answers.
	Roles []Role `json:",omitempty"`
	// Routing suggests who answers what: an area or question id -> a role
	// id; a question's own entry beats its area's.
	Routing map[string]string `json:",omitempty"`
	// Translations holds this version's words in each language other than
	// English that it has (questions/<version>/<lang>/); none in v1. Read
	// them through In.
	Translations map[locale.Lang]*Translation `json:",omitempty"`

	lang      locale.Lang  // the language of this copy's text; "" is English
	english   *Bank        // for a copy from In: the English version
	languages *languageSet // the copies In returns, made on first use

	questionIndex map[string]int // question id -> position in questions
	questions     []Question     // all questions in bank order
	areaIndex     map[string]int
	formIndex     map[string]int
}

// Area is one of the five readiness areas.
type Area struct {
	ID, Title, Description string
	Questions              []Question
}

// Question is one diagnostic question, scored 0..4.
type Question struct {
	ID, Area, Text, Guidance string
	Levels                   [5]string // descriptors for scores 0..4
	Weight                   float64   // > 0, default 1 when omitted in YAML
	Action                   string    // improvement action shown when the score is low (v1)
	Concepts                 []string  // seed concept ids it covers

	// The v2 scoring model (see questions/README.md); empty in v1.

	// Required holds, per purpose (PurposeReadiness, PurposeHealthCheck),
	// the required level for each form in continuum order, or NotApplicable
	// where the question does not apply to that form.
	Required map[string][]int `json:",omitempty"`
	// MustHave lists the forms for which falling short of the required
	// level (or not knowing) makes a council not ready.
	MustHave []string `json:",omitempty"`
	// MayNotApply says where a council may answer "not applicable" with a
	// short reason; nil when it never may.
	MayNotApply *MayNotApply `json:",omitempty"`
	// Actions by level band (BandNotStarted, BandInProgress, BandAgreed).
	Actions map[string]LevelAction `json:",omitempty"`
	// Prompts are discussion prompts for a workshop.
	Prompts []string `json:",omitempty"`
	// ServiceTypes limits the question to some service types; empty means all.
	ServiceTypes []string `json:",omitempty"`
}

// MayNotApply allows a "not applicable" answer for some forms.
type MayNotApply struct {
	Forms []string // form ids
	When  string   // when it does not apply, shown to the respondent
}

// LevelAction is what to do from one band of levels, and which document
// shows the next level has been reached.
type LevelAction struct {
	Do, Evidence string
}

// Form is one form of sharing on the continuum from co-exist to combine.
type Form struct {
	ID, Title, Description, Compromise, Benefit string
	Targets                                     map[string]int // area id -> target score 0..100
}

// Role is a colleague's role in the council, with the words shown for it.
type Role struct {
	ID, Label string
}

// Role returns the role with id.
func (b *Bank) Role(id string) (Role, bool) {
	for _, r := range b.Roles {
		if r.ID == id {
			return r, true
		}
	}
	return Role{}, false
}

// RoutedTo returns the role the bank suggests answers question q ("" for
// none): the question's own entry, else its area's.
func (b *Bank) RoutedTo(q Question) string {
	if r, ok := b.Routing[q.ID]; ok {
		return r
	}
	return b.Routing[q.Area]
}

// Concept is an idea from the source research that questions must cover.
type Concept struct {
	ID, Label string
}

// Scoring holds the thresholds the scoring and report code reads.
type Scoring struct {
	MaxScore           int // 4
	ReadyMaxShort      int // v2: "ready" when every must-have is met and at most this many other applicable questions fall short
	AreaDevelopingMax  int // v2: an area is "developing" when 1..this many of its applicable questions fall short; "weakness" above
	DevelopingMaxGap   int // band "developing" if 0 < gap <= this; "weakness" above; "strength" if gap <= 0
	DivergenceSpread   int // a question is "divergent" across councils when max-min >= this
	SharedWeaknessMax  int // "shared-weakness" when every council scored <= this
	WeakestCount       int // how many weakest questions a report lists
	ReadyMaxDeveloping int // "ready" when no weakness and at most this many developing areas
}

// ValidationError lists every rule a bank breaks.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	return "invalid question bank: " + strings.Join(e.Problems, "; ")
}

// Files in a version folder besides one file per area.
const (
	bankFileName  = "bank.yaml"
	formsFileName = "forms.yaml"
)

// YAML shapes. They stay unexported so the Go API does not depend on the
// file layout.
type bankFile struct {
	Version     string            `yaml:"version"`
	Model       string            `yaml:"model"`
	Previous    string            `yaml:"previous"`
	Areas       []string          `yaml:"areas"`
	Concepts    []conceptFile     `yaml:"concepts"`
	Mapping     map[string]string `yaml:"mapping"`
	Respondents struct {
		Roles   []conceptFile     `yaml:"roles"`
		Routing map[string]string `yaml:"routing"`
	} `yaml:"respondents"`
}

type conceptFile struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"`
}

type areaFile struct {
	ID          string         `yaml:"id"`
	Title       string         `yaml:"title"`
	Description string         `yaml:"description"`
	Questions   []questionFile `yaml:"questions"`
}

type questionFile struct {
	ID       string   `yaml:"id"`
	Text     string   `yaml:"text"`
	Guidance string   `yaml:"guidance"`
	Levels   []string `yaml:"levels"`
	Weight   *float64 `yaml:"weight"`
	Action   string   `yaml:"action"`
	Concepts []string `yaml:"concepts"`

	Require      map[string]string          `yaml:"require"`
	MustHave     []string                   `yaml:"must_have"`
	MayNotApply  *mayNotApplyFile           `yaml:"may_not_apply"`
	Actions      map[string]levelActionFile `yaml:"actions"`
	Prompts      []string                   `yaml:"prompts"`
	ServiceTypes []string                   `yaml:"service_types"`
}

type mayNotApplyFile struct {
	Forms []string `yaml:"forms"`
	When  string   `yaml:"when"`
}

type levelActionFile struct {
	Do       string `yaml:"do"`
	Evidence string `yaml:"evidence"`
}

type formsFile struct {
	Scoring scoringFile `yaml:"scoring"`
	Forms   []formFile  `yaml:"forms"`
}

type scoringFile struct {
	MaxScore           int `yaml:"max_score"`
	ReadyMaxShort      int `yaml:"ready_max_short"`
	AreaDevelopingMax  int `yaml:"area_developing_max_short"`
	DevelopingMaxGap   int `yaml:"developing_max_gap"`
	DivergenceSpread   int `yaml:"divergence_spread"`
	SharedWeaknessMax  int `yaml:"shared_weakness_max"`
	WeakestCount       int `yaml:"weakest_count"`
	ReadyMaxDeveloping int `yaml:"ready_max_developing"`
}

type formFile struct {
	ID          string         `yaml:"id"`
	Title       string         `yaml:"title"`
	Description string         `yaml:"description"`
	Compromise  string         `yaml:"compromise"`
	Benefit     string         `yaml:"benefit"`
	Targets     map[string]int `yaml:"targets"`
}

// Decoder parses one YAML file into v strictly: unknown keys are errors, so
// a misspelt field cannot silently drop content. bankyaml.Decode is one.
type Decoder func(data []byte, v any) error

// Load reads the bank in folder dir of fsys: bank.yaml, forms.yaml and one
// <area>.yaml per area listed in bank.yaml, each parsed by decode. Weights
// left out default to 1. It returns a *ValidationError listing every broken
// rule, or another error when a file cannot be read or parsed.
func Load(fsys fs.FS, dir string, decode Decoder) (*Bank, error) {
	decodeFile := func(fsys fs.FS, name string, v any) error { return decodeFile(fsys, name, v, decode) }
	var meta bankFile
	if err := decodeFile(fsys, path.Join(dir, bankFileName), &meta); err != nil {
		return nil, err
	}
	var forms formsFile
	if err := decodeFile(fsys, path.Join(dir, formsFileName), &forms); err != nil {
		return nil, err
	}

	var problems []string
	b := &Bank{
		Version:  meta.Version,
		Model:    meta.Model,
		Previous: meta.Previous,
		Mapping:  meta.Mapping,
		Scoring:  Scoring(forms.Scoring),
	}
	if b.Mapping == nil {
		b.Mapping = map[string]string{}
	}
	if b.Model == "" {
		b.Model = ModelV1
	}
	for _, c := range meta.Concepts {
		b.Concepts = append(b.Concepts, Concept(c))
	}
	for _, r := range meta.Respondents.Roles {
		b.Roles = append(b.Roles, Role(r))
	}
	b.Routing = meta.Respondents.Routing
	for _, f := range forms.Forms {
		b.Forms = append(b.Forms, Form(f))
	}

	for _, areaID := range meta.Areas {
		var af areaFile
		name := path.Join(dir, areaID+".yaml")
		err := decodeFile(fsys, name, &af)
		if errors.Is(err, fs.ErrNotExist) {
			problems = append(problems, fmt.Sprintf("area %s: file %s not found", areaID, name))
			continue
		}
		if err != nil {
			return nil, err
		}
		if af.ID != areaID {
			problems = append(problems, fmt.Sprintf("area %s: file %s has id %q", areaID, name, af.ID))
		}
		a := Area{ID: areaID, Title: af.Title, Description: af.Description}
		for _, qf := range af.Questions {
			q := Question{
				ID:       qf.ID,
				Area:     areaID,
				Text:     qf.Text,
				Guidance: qf.Guidance,
				Weight:   1,
				Action:   qf.Action,
				Concepts: qf.Concepts,
			}
			if qf.Weight != nil {
				q.Weight = *qf.Weight
			}
			problems = append(problems, q.loadV2(qf)...)
			if len(qf.Levels) != len(q.Levels) {
				problems = append(problems, fmt.Sprintf("question %s: has %d level descriptors, want %d", qf.ID, len(qf.Levels), len(q.Levels)))
			}
			copy(q.Levels[:], qf.Levels)
			a.Questions = append(a.Questions, q)
		}
		b.Areas = append(b.Areas, a)
	}

	stray, err := strayFiles(fsys, dir, meta.Areas)
	if err != nil {
		return nil, err
	}
	for _, name := range stray {
		problems = append(problems, fmt.Sprintf("file %s: not bank.yaml, forms.yaml or an area listed in bank.yaml", name))
	}
	translations, tp, err := loadTranslations(fsys, dir, meta.Areas, decode)
	if err != nil {
		return nil, err
	}
	b.Translations = translations
	problems = append(problems, tp...)

	b.buildIndex()
	var verr *ValidationError
	if err := b.Validate(); errors.As(err, &verr) {
		problems = append(problems, verr.Problems...)
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return b, nil
}

// decodeFile reads and parses one YAML file.
func decodeFile(fsys fs.FS, name string, v any, decode Decoder) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if err := decode(data, v); err != nil {
		return fmt.Errorf("parse %s: %w", name, err)
	}
	return nil
}

// strayFiles returns YAML files in dir that Load would otherwise ignore.
func strayFiles(fsys fs.FS, dir string, areas []string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var stray []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".yaml") {
			continue
		}
		if name == bankFileName || name == formsFileName || slices.Contains(areas, strings.TrimSuffix(name, ".yaml")) {
			continue
		}
		stray = append(stray, path.Join(dir, name))
	}
	return stray, nil
}

func (b *Bank) buildIndex() {
	b.buildIndexOnly()
	b.buildLanguages(nil)
}

func (b *Bank) buildIndexOnly() {
	b.questions = b.allQuestions()
	b.questionIndex = make(map[string]int, len(b.questions))
	for i, q := range b.questions {
		if _, dup := b.questionIndex[q.ID]; !dup {
			b.questionIndex[q.ID] = i
		}
	}
	b.areaIndex = make(map[string]int, len(b.Areas))
	for i, a := range b.Areas {
		b.areaIndex[a.ID] = i
	}
	b.formIndex = make(map[string]int, len(b.Forms))
	for i, f := range b.Forms {
		b.formIndex[f.ID] = i
	}
}

func (b *Bank) allQuestions() []Question {
	var all []Question
	for _, a := range b.Areas {
		all = append(all, a.Questions...)
	}
	return all
}

// Question returns the question with the given id.
func (b *Bank) Question(id string) (Question, bool) {
	if b.questionIndex == nil {
		// A Bank built by hand (in a test) has no index.
		for _, q := range b.allQuestions() {
			if q.ID == id {
				return q, true
			}
		}
		return Question{}, false
	}
	i, ok := b.questionIndex[id]
	if !ok {
		return Question{}, false
	}
	return b.questions[i], true
}

// Area returns the area with the given id.
func (b *Bank) Area(id string) (Area, bool) {
	if b.areaIndex == nil {
		for _, a := range b.Areas {
			if a.ID == id {
				return a, true
			}
		}
		return Area{}, false
	}
	i, ok := b.areaIndex[id]
	if !ok {
		return Area{}, false
	}
	return b.Areas[i], true
}

// Form returns the form of sharing with the given id.
func (b *Bank) Form(id string) (Form, bool) {
	if b.formIndex == nil {
		for _, f := range b.Forms {
			if f.ID == id {
				return f, true
			}
		}
		return Form{}, false
	}
	i, ok := b.formIndex[id]
	if !ok {
		return Form{}, false
	}
	return b.Forms[i], true
}

// Carried is the question of b that question id of bank version from
// becomes, for anything carried across versions (answers copied forward,
// shared notes, a member's scores, actions' linked questions): through b's
// mapping when from is the version b replaces, else the same id; false when
// b has no such question (retired). Two old questions may carry into one.
func (b *Bank) Carried(from, id string) (string, bool) {
	if from != b.Version && from == b.Previous {
		if mapped, ok := b.Mapping[id]; ok {
			id = mapped
		}
	}
	_, ok := b.Question(id)
	return id, ok
}

// Questions returns every question in bank order: area order, then question
// order within the area. The slice is a copy.
func (b *Bank) Questions() []Question {
	if b.questionIndex == nil {
		return b.allQuestions()
	}
	return slices.Clone(b.questions)
}

// All yields every question in bank order with its position, as Questions
// lists them but without copying them: for the loops over the whole bank
// that a comparison runs for every council. The questions must not be
// changed.
func (b *Bank) All() iter.Seq2[int, *Question] {
	return func(yield func(int, *Question) bool) {
		i := 0
		for ai := range b.Areas {
			for qi := range b.Areas[ai].Questions {
				if !yield(i, &b.Areas[ai].Questions[qi]) {
					return
				}
				i++
			}
		}
	}
}

// NumQuestions is len(b.Questions()) without the copy.
func (b *Bank) NumQuestions() int {
	n := 0
	for _, a := range b.Areas {
		n += len(a.Questions)
	}
	return n
}

// Library holds every version of the bank, so that answers saved against an
// older version can be carried forward through the mappings.
type Library struct {
	versions map[string]*Bank
	order    []string // oldest first
	// compiled holds, for a library read from its compiled form, each
	// version not yet decoded; versions is then empty (see Compiled).
	compiled map[string]*compiledBank
	// For a library in another language (In): the English library it
	// reads through, and the language. Otherwise the views In has made.
	english *Library
	lang    locale.Lang
	mu      sync.Mutex
	views   map[locale.Lang]*Library
}

var versionPattern = regexp.MustCompile(`^v([1-9][0-9]*)$`)

// LoadLibrary loads every top-level folder of fsys named v<N> as one version
// of the bank. Each folder's bank.yaml must give its folder name as version.
// A version's previous version must be in the library, and its mapping may
// only map question ids that exist in the previous version.
func LoadLibrary(fsys fs.FS, decode Decoder) (*Library, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("list question bank versions: %w", err)
	}
	l := &Library{versions: map[string]*Bank{}}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		if !versionPattern.MatchString(name) {
			return nil, fmt.Errorf("question bank folder %q: want a version name like v1", name)
		}
		b, err := Load(fsys, name, decode)
		if err != nil {
			return nil, fmt.Errorf("load question bank %s: %w", name, err)
		}
		if b.Version != name {
			return nil, fmt.Errorf("question bank folder %s: bank.yaml says version %q", name, b.Version)
		}
		l.versions[name] = b
		l.order = append(l.order, name)
	}
	if len(l.order) == 0 {
		return nil, errors.New("question bank has no versions")
	}
	sort.Slice(l.order, func(i, j int) bool { return versionNumber(l.order[i]) < versionNumber(l.order[j]) })

	var problems []string
	for _, v := range l.order {
		b := l.versions[v]
		if b.Previous == "" {
			continue
		}
		prev, ok := l.versions[b.Previous]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: previous version %s is not in the library", v, b.Previous))
			continue
		}
		if versionNumber(b.Previous) >= versionNumber(v) {
			problems = append(problems, fmt.Sprintf("%s: previous version %s is not older", v, b.Previous))
		}
		for _, oldID := range sortedKeys(b.Mapping) {
			if _, ok := prev.Question(oldID); !ok {
				problems = append(problems, fmt.Sprintf("%s mapping: %s -> %s: source is not a question in %s", v, oldID, b.Mapping[oldID], b.Previous))
			}
		}
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return l, nil
}

func versionNumber(v string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(v, "v"))
	return n
}

// Current returns the newest version.
func (l *Library) Current() *Bank {
	b, _ := l.Get(l.order[len(l.order)-1])
	return b
}

// Get returns the bank for the given version.
func (l *Library) Get(version string) (*Bank, bool) {
	if l.english != nil {
		b, ok := l.english.Get(version)
		if !ok {
			return nil, false
		}
		return b.In(l.lang), true
	}
	if l.compiled != nil {
		c, ok := l.compiled[version]
		if !ok {
			return nil, false
		}
		return c.get(), true
	}
	b, ok := l.versions[version]
	return b, ok
}

// In returns the library with every version in language l (Bank.In): a
// version without text in l stays English. Ids, mappings and scoring are
// unchanged, so a comparison scored on it is the same but for its words.
// Each version is put in l on first use (issue 22: a function answering in
// English never builds the Welsh). The result is shared: do not change it.
func (l *Library) In(lang locale.Lang) *Library {
	if l.english != nil {
		l = l.english
	}
	if lang == locale.English || lang == "" {
		return l
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	v, ok := l.views[lang]
	if !ok {
		v = &Library{order: l.order, english: l, lang: lang}
		if l.views == nil {
			l.views = map[locale.Lang]*Library{}
		}
		l.views[lang] = v
	}
	return v
}

// Language is the language In gave this library: English for the library
// as loaded. A version without text in it still reads in English (Get), but
// what a caller writes around the bank's words, such as a withdrawn
// council's label in a comparison, follows this.
func (l *Library) Language() locale.Lang {
	if l.lang == "" {
		return locale.English
	}
	return l.lang
}

// Versions returns the version ids, oldest first.
func (l *Library) Versions() []string {
	return slices.Clone(l.order)
}
