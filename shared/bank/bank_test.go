package bank_test

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
)

// fixtureFS returns the valid fixture bank (testdata/valid) as the root of a
// file system. With a broken fixture name, the files in testdata/broken/NAME
// replace or add to the valid ones, and a DELETE file there lists valid
// files to remove (lines starting with # are comments).
func fixtureFS(t *testing.T, broken string) fstest.MapFS {
	t.Helper()
	return overlayFS(t, "testdata/valid", "testdata/broken", broken)
}

// fixtureFSV2 is fixtureFS for the v2 model: testdata/valid-v2 with a
// fixture from testdata/broken-v2.
func fixtureFSV2(t *testing.T, broken string) fstest.MapFS {
	t.Helper()
	return overlayFS(t, "testdata/valid-v2", "testdata/broken-v2", broken)
}

func overlayFS(t *testing.T, valid, brokenDir, broken string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	readInto(t, fsys, valid)
	if broken == "" {
		return fsys
	}
	dir := path.Join(brokenDir, broken)
	readInto(t, fsys, dir)
	if _, ok := fsys["DELETE"]; ok {
		for line := range strings.Lines(string(fsys["DELETE"].Data)) {
			line = strings.TrimSpace(line)
			if line != "" && !strings.HasPrefix(line, "#") {
				delete(fsys, line)
			}
		}
		delete(fsys, "DELETE")
	}
	return fsys
}

func readInto(t *testing.T, fsys fstest.MapFS, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read fixture %s: %v", dir, err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			t.Fatalf("read fixture: %v", err)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: data}
	}
}

func loadFixture(t *testing.T, broken string) (*bank.Bank, error) {
	t.Helper()
	return bankyaml.Load(fixtureFS(t, broken), ".")
}

func TestLoadValidFixture(t *testing.T) {
	t.Parallel()
	b, err := loadFixture(t, "")
	if err != nil {
		t.Fatalf("Load(valid) error: %v", err)
	}
	if got, want := b.Version, "v1"; got != want {
		t.Errorf("Version = %q, want %q", got, want)
	}
	if b.Previous != "" || b.Mapping == nil || len(b.Mapping) != 0 {
		t.Errorf("Previous, Mapping = %q, %v; want \"\" and an empty non-nil map", b.Previous, b.Mapping)
	}

	var areas []string
	for _, a := range b.Areas {
		areas = append(areas, a.ID)
	}
	if want := []string{"vision", "ethos", "resources", "risk", "governance"}; !slices.Equal(areas, want) {
		t.Errorf("areas = %v, want %v", areas, want)
	}
	var forms []string
	for _, f := range b.Forms {
		forms = append(forms, f.ID)
	}
	if want := []string{"co-exist", "communicate", "cooperate", "coordinate", "collaborate", "combine"}; !slices.Equal(forms, want) {
		t.Errorf("forms = %v, want %v", forms, want)
	}

	want := bank.Scoring{MaxScore: 4, DevelopingMaxGap: 15, DivergenceSpread: 2, SharedWeaknessMax: 1, WeakestCount: 10, ReadyMaxDeveloping: 1}
	if b.Scoring != want {
		t.Errorf("Scoring = %+v, want %+v", b.Scoring, want)
	}

	qs := b.Questions()
	if got, want := len(qs), 45; got != want {
		t.Fatalf("len(Questions()) = %d, want %d", got, want)
	}
	if got, want := qs[0].ID, "vision.q1"; got != want {
		t.Errorf("Questions()[0].ID = %q, want %q", got, want)
	}
	if got, want := qs[44].ID, "governance.q9"; got != want {
		t.Errorf("Questions()[44].ID = %q, want %q", got, want)
	}
	qs[0].ID = "changed"
	if got := b.Questions()[0].ID; got != "vision.q1" {
		t.Errorf("Questions() is not a copy: changing it changed the bank to %q", got)
	}

	for _, tc := range []struct {
		id     string
		weight float64
	}{
		{"vision.q1", 2}, // set in YAML
		{"vision.q2", 1}, // defaulted
	} {
		q, ok := b.Question(tc.id)
		if !ok {
			t.Errorf("Question(%q) not found", tc.id)
			continue
		}
		if q.Weight != tc.weight {
			t.Errorf("Question(%q).Weight = %g, want %g", tc.id, q.Weight, tc.weight)
		}
		if q.Area != "vision" {
			t.Errorf("Question(%q).Area = %q, want vision", tc.id, q.Area)
		}
		if q.Levels[4] != "Fully in place" {
			t.Errorf("Question(%q).Levels[4] = %q, want %q", tc.id, q.Levels[4], "Fully in place")
		}
	}
	if _, ok := b.Question("vision.nope"); ok {
		t.Error("Question(vision.nope) found, want not found")
	}
	if a, ok := b.Area("risk"); !ok || len(a.Questions) != 9 {
		t.Errorf("Area(risk) = %d questions, %v; want 9, true", len(a.Questions), ok)
	}
	if _, ok := b.Area("finance"); ok {
		t.Error("Area(finance) found, want not found")
	}
	if f, ok := b.Form("combine"); !ok || f.Targets["governance"] != 90 {
		t.Errorf("Form(combine) governance target = %d, %v; want 90, true", f.Targets["governance"], ok)
	}
	if _, ok := b.Form("merge"); ok {
		t.Error("Form(merge) found, want not found")
	}
}

// TestLoadBrokenFixtures shows every validation rule failing on a fixture.
func TestLoadBrokenFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		want    []string
	}{
		{"duplicate-id", []string{
			"question vision.q1: duplicate id",
		}},
		{"bad-id-format", []string{
			`question "vision_q1" in area vision: id must be <area>.<slug> with a kebab-case slug`,
		}},
		{"wrong-id-prefix", []string{
			"question ethos.stray: id prefix ethos does not match its area vision",
		}},
		{"area-id-mismatch", []string{
			`area vision: file vision.yaml has id "visions"`,
		}},
		{"area-order", []string{
			"areas: got ethos, vision, resources, risk, governance, want vision, ethos, resources, risk, governance in that order",
		}},
		{"missing-area", []string{
			"areas: got vision, ethos, resources, risk, want vision, ethos, resources, risk, governance in that order",
			"bank: has 36 questions, want at least 45",
		}},
		{"missing-area-file", []string{
			"area governance: file governance.yaml not found",
			"areas: got vision, ethos, resources, risk, want vision, ethos, resources, risk, governance in that order",
			"bank: has 36 questions, want at least 45",
		}},
		{"stray-file", []string{
			"file finance.yaml: not bank.yaml, forms.yaml or an area listed in bank.yaml",
		}},
		{"area-title-and-description", []string{
			"area vision: title is empty",
			"area vision: description must be one paragraph",
		}},
		{"too-few-in-area", []string{
			"area vision: has 7 questions, want at least 8",
			"bank: has 43 questions, want at least 45",
		}},
		{"too-few-in-all", []string{
			"bank: has 44 questions, want at least 45",
		}},
		{"four-levels", []string{
			"question vision.q3: has 4 level descriptors, want 5",
			"question vision.q3: level 4 descriptor is empty",
		}},
		{"empty-level", []string{
			"question vision.q3: level 2 descriptor is empty",
		}},
		{"weight-zero", []string{
			"question vision.q1: weight is 0, want > 0",
		}},
		{"empty-text", []string{
			"question vision.q1: text is empty",
		}},
		{"empty-guidance-and-action", []string{
			"question vision.q2: guidance is empty",
			"question vision.q2: action is empty",
		}},
		{"unknown-concept", []string{
			`question vision.q1: unknown concept "omega"`,
		}},
		{"no-concepts", []string{
			"question vision.q4: has no concept tags",
		}},
		{"uncovered-concept", []string{
			"concept delta: not covered by any question",
		}},
		{"bad-concept-definitions", []string{
			"concept trust: duplicate id",
			"concept costs: label is empty",
			`concept "Bad Id": id must be kebab-case`,
			"concept Bad Id: not covered by any question",
		}},
		{"empty-version", []string{
			"version is empty",
		}},
		{"previous-is-self", []string{
			"previous version v1 is this version",
		}},
		{"mapping-missing-target", []string{
			"mapping: vision.old -> vision.gone: target is not a question in this bank",
		}},
		{"mapping-without-previous", []string{
			"mapping: has 1 entries, want none when there is no previous version",
		}},
		{"missing-form", []string{
			"forms: got co-exist, communicate, cooperate, coordinate, collaborate, want co-exist, communicate, cooperate, coordinate, collaborate, combine in that order",
		}},
		{"form-empty-fields", []string{
			"form cooperate: title is empty",
			"form cooperate: compromise is empty",
		}},
		{"target-120", []string{
			"form combine: target for area governance is 120, want 0..100",
		}},
		{"target-negative", []string{
			"form co-exist: target for area risk is -5, want 0..100",
		}},
		{"targets-wrong-areas", []string{
			"form communicate: no target for area governance",
			"form communicate: target for unknown area finance",
		}},
		{"targets-decrease", []string{
			"area vision: target falls from 60 (coordinate) to 55 (collaborate), want non-decreasing along the continuum",
		}},
		{"scoring-insane", []string{
			"scoring: max_score is 5, want 4",
			"scoring: divergence_spread is 0, want 1..4",
			"scoring: shared_weakness_max is 4, want 0..3",
			"scoring: weakest_count is 0, want at least 1",
			"scoring: developing_max_gap is -1, want 0..100",
			"scoring: ready_max_developing is 6, want 0..5",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			t.Parallel()
			b, err := loadFixture(t, tc.fixture)
			if err == nil {
				t.Fatalf("Load(%s) = %v, nil; want a validation error", tc.fixture, b)
			}
			var verr *bank.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Load(%s) error = %v (%T), want *bank.ValidationError", tc.fixture, err, err)
			}
			if !slices.Equal(verr.Problems, tc.want) {
				t.Errorf("Load(%s) problems:\ngot  %q\nwant %q", tc.fixture, verr.Problems, tc.want)
			}
			for _, p := range tc.want {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("Load(%s) error message %q does not contain %q", tc.fixture, err, p)
				}
			}
		})
	}
}

// TestLoadFileErrors covers files that cannot be read or parsed: these are
// plain errors, not validation problems.
func TestLoadFileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		want    string
	}{
		{"unknown-field", "field wieght not found"},
		{"bad-yaml", "parse forms.yaml"},
		{"missing-forms-file", "read forms.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			t.Parallel()
			_, err := loadFixture(t, tc.fixture)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load(%s) error = %v, want one containing %q", tc.fixture, err, tc.want)
			}
			var verr *bank.ValidationError
			if errors.As(err, &verr) {
				t.Errorf("Load(%s) error is a *bank.ValidationError, want a file error", tc.fixture)
			}
		})
	}
}

// TestValidateHandBuiltBank checks a Bank built in Go rather than loaded:
// Validate still applies every rule and lookups still work.
func TestValidateHandBuiltBank(t *testing.T) {
	t.Parallel()
	loaded, err := loadFixture(t, "")
	if err != nil {
		t.Fatalf("Load(valid) error: %v", err)
	}
	b := bank.Bank{
		Version:  loaded.Version,
		Areas:    slices.Clone(loaded.Areas),
		Forms:    loaded.Forms,
		Concepts: loaded.Concepts,
		Scoring:  loaded.Scoring,
		Mapping:  map[string]string{},
	}
	if err := b.Validate(); err != nil {
		t.Fatalf("Validate() on a copy of a valid bank = %v, want nil", err)
	}
	if q, ok := b.Question("risk.q2"); !ok || q.ID != "risk.q2" {
		t.Errorf("Question(risk.q2) = %q, %v; want risk.q2, true", q.ID, ok)
	}
	if _, ok := b.Area("ethos"); !ok {
		t.Error("Area(ethos) not found")
	}
	if _, ok := b.Form("cooperate"); !ok {
		t.Error("Form(cooperate) not found")
	}
	if got := len(b.Questions()); got != 45 {
		t.Errorf("len(Questions()) = %d, want 45", got)
	}

	vision := b.Areas[0]
	vision.Questions = slices.Clone(vision.Questions)
	vision.Questions[0].Area = "ethos"
	b.Areas[0] = vision
	err = b.Validate()
	want := `question vision.q1: area is "ethos", want vision`
	if err == nil || err.Error() != "invalid question bank: "+want {
		t.Errorf("Validate() with a wrong Area field = %v, want %q", err, want)
	}
}

// libraryFS builds a library with the valid fixture as v1 and, if bankYAML
// is not empty, a v2 folder holding the same bank with that bank.yaml.
func libraryFS(t *testing.T, v2Folder, bankYAML string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, f := range fixtureFS(t, "") {
		fsys["v1/"+name] = f
	}
	if bankYAML == "" {
		return fsys
	}
	for name, f := range fixtureFS(t, "") {
		fsys[v2Folder+"/"+name] = f
	}
	fsys[v2Folder+"/bank.yaml"] = &fstest.MapFile{Data: []byte(bankYAML)}
	return fsys
}

func bankYAML(version, previous, mapping string) string {
	return fmt.Sprintf(`version: %s
previous: %q
areas: [vision, ethos, resources, risk, governance]
concepts:
  - {id: trust, label: Trust}
  - {id: costs, label: Costs}
  - {id: skills, label: Skills}
mapping: %s
`, version, previous, mapping)
}

func TestLoadLibrary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		fsys         fstest.MapFS
		wantVersions []string
		wantErr      string
	}{
		{
			name:         "one version",
			fsys:         libraryFS(t, "", ""),
			wantVersions: []string{"v1"},
		},
		{
			name:         "v2 maps from v1",
			fsys:         libraryFS(t, "v2", bankYAML("v2", "v1", "{vision.q1: vision.q1, vision.q2: vision.q3}")),
			wantVersions: []string{"v1", "v2"},
		},
		{
			name:         "versions sort by number",
			fsys:         libraryFS(t, "v10", bankYAML("v10", "v1", "{}")),
			wantVersions: []string{"v1", "v10"},
		},
		{
			name:    "mapping source not in previous",
			fsys:    libraryFS(t, "v2", bankYAML("v2", "v1", "{vision.gone: vision.q1}")),
			wantErr: "v2 mapping: vision.gone -> vision.q1: source is not a question in v1",
		},
		{
			name:    "mapping target not in new version",
			fsys:    libraryFS(t, "v2", bankYAML("v2", "v1", "{vision.q1: vision.gone}")),
			wantErr: "mapping: vision.q1 -> vision.gone: target is not a question in this bank",
		},
		{
			name:    "previous not in library",
			fsys:    libraryFS(t, "v2", bankYAML("v2", "v7", "{}")),
			wantErr: "v2: previous version v7 is not in the library",
		},
		{
			name:    "folder and version differ",
			fsys:    libraryFS(t, "v2", bankYAML("v3", "v1", "{}")),
			wantErr: `question bank folder v2: bank.yaml says version "v3"`,
		},
		{
			name:    "folder not a version",
			fsys:    libraryFS(t, "draft", bankYAML("draft", "v1", "{}")),
			wantErr: `question bank folder "draft": want a version name like v1`,
		},
		{
			name:    "no versions",
			fsys:    fstest.MapFS{"README.md": &fstest.MapFile{Data: []byte("empty")}},
			wantErr: "question bank has no versions",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, err := bankyaml.LoadLibrary(tc.fsys)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("LoadLibrary() error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadLibrary() error = %v", err)
			}
			if got := l.Versions(); !slices.Equal(got, tc.wantVersions) {
				t.Errorf("Versions() = %v, want %v", got, tc.wantVersions)
			}
			newest := tc.wantVersions[len(tc.wantVersions)-1]
			if got := l.Current().Version; got != newest {
				t.Errorf("Current().Version = %q, want %q", got, newest)
			}
			for _, v := range tc.wantVersions {
				if b, ok := l.Get(v); !ok || b.Version != v {
					t.Errorf("Get(%q) = %v, want version %q", v, ok, v)
				}
			}
			if _, ok := l.Get("v99"); ok {
				t.Error("Get(v99) found, want not found")
			}
		})
	}
}

func TestLoadLibraryOlderPrevious(t *testing.T) {
	t.Parallel()
	fsys := libraryFS(t, "v2", bankYAML("v2", "v1", "{}"))
	// v3 names v4 as its previous version: present, but newer.
	for name, f := range fixtureFS(t, "") {
		fsys["v3/"+name] = f
		fsys["v4/"+name] = f
	}
	fsys["v3/bank.yaml"] = &fstest.MapFile{Data: []byte(bankYAML("v3", "v4", "{}"))}
	fsys["v4/bank.yaml"] = &fstest.MapFile{Data: []byte(bankYAML("v4", "v2", "{}"))}
	_, err := bankyaml.LoadLibrary(fsys)
	want := "v3: previous version v4 is not older"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("LoadLibrary() error = %v, want one containing %q", err, want)
	}
}

// seedConcepts are the concepts from the source articles that every version
// of the bank must cover. The labels live in bank.yaml.
var seedConcepts = []string{
	"wider-buy-in", "political-backing", "understanding-what-is-shared", "best-practice",
	"structure", "identity", "skills", "leadership-areas",
	"assets", "costs", "benefits",
	"it-estate", "contracts", "capacity-for-change",
	"success-measures", "decision-models", "legal-basis",
	"trust", "power-sharing", "joint-decision-making", "convergence",
	"communication", "business-buy-in", "service-planning", "performance",
	"what-good-looks-like", "compromise", "transparency", "customisation",
	"transformation-ownership",
}

func TestEmbedded(t *testing.T) {
	t.Parallel()
	l, err := bankyaml.Embedded()
	if err != nil {
		t.Fatalf("Embedded() error: %v", err)
	}
	if got, want := l.Versions(), []string{"v1", "v2"}; !slices.Equal(got, want) {
		t.Errorf("Versions() = %v, want %v", got, want)
	}
	b := l.Current()
	if b.Version != "v2" || b.Model != bank.ModelV2 || b.Previous != "v1" {
		t.Errorf("Current() = version %q, model %q, previous %q; want v2, v2, v1", b.Version, b.Model, b.Previous)
	}
	// v1 stays loadable, with v1 scoring, for the assessments started on it.
	if v1, ok := l.Get("v1"); !ok || v1.Model != bank.ModelV1 || len(v1.Questions()) != 54 {
		t.Errorf("Get(v1) = %v; want the 54 questions of v1 on the v1 model", ok)
	}
	// Every v1 question says where its answer goes in v2.
	v1, _ := l.Get("v1")
	for _, q := range v1.Questions() {
		if _, ok := b.Mapping[q.ID]; !ok {
			t.Errorf("v1 question %s has no mapping to v2", q.ID)
		}
	}
	if got := len(b.Questions()); got < 48 {
		t.Errorf("len(Questions()) = %d, want at least 48", got)
	}
	for _, a := range b.Areas {
		if got := len(a.Questions); got < 9 {
			t.Errorf("area %s has %d questions, want at least 9", a.ID, got)
		}
	}

	var defined []string
	for _, c := range b.Concepts {
		defined = append(defined, c.ID)
	}
	for _, id := range seedConcepts {
		if !slices.Contains(defined, id) {
			t.Errorf("concept %s from the source articles is not defined in bank.yaml", id)
		}
	}

	if got := bankyaml.MustEmbedded().Current().Version; got != b.Version {
		t.Errorf("MustEmbedded().Current().Version = %q, want %q", got, b.Version)
	}
}

// TestEmbeddedContentStyle catches slips the validator does not: the
// content rules from questions/README.md.
func TestEmbeddedContentStyle(t *testing.T) {
	t.Parallel()
	b := bankyaml.MustEmbedded().Current()
	weighted := 0
	for _, q := range b.Questions() {
		if !strings.HasSuffix(strings.TrimSpace(q.Text), "?") {
			t.Errorf("question %s: text %q does not end with a question mark", q.ID, q.Text)
		}
		seen := map[string]bool{}
		for score, level := range q.Levels {
			if seen[level] {
				t.Errorf("question %s: level %d repeats another level's descriptor", q.ID, score)
			}
			seen[level] = true
		}
		switch q.Weight {
		case 1:
		case 1.5, 2:
			weighted++
		default:
			t.Errorf("question %s: weight %g, want 1, 1.5 or 2", q.ID, q.Weight)
		}
	}
	if total := len(b.Questions()); weighted*3 > total {
		t.Errorf("%d of %d questions carry extra weight, want at most a third", weighted, total)
	}
}

// TestReadmeCoverageTable checks the coverage table in questions/README.md
// against the concept tags in the current version.
func TestReadmeCoverageTable(t *testing.T) {
	t.Parallel()
	b := bankyaml.MustEmbedded().Current()
	rows := readmeTable(t, "## Coverage of the source concepts")

	tagged := map[string][]string{}
	for _, q := range b.Questions() {
		for _, c := range q.Concepts {
			tagged[c] = append(tagged[c], q.ID)
		}
	}
	labels := map[string]string{}
	for _, c := range b.Concepts {
		labels[c.ID] = c.Label
	}

	listed := map[string]bool{}
	for _, row := range rows {
		if len(row) != 4 {
			t.Errorf("coverage row %q has %d cells, want 4 (concept, label, questions, source)", row, len(row))
			continue
		}
		if strings.TrimSpace(row[3]) == "" {
			t.Errorf("coverage row for %s has no public source", row[0])
		}
		concept := strings.Trim(row[0], "`")
		listed[concept] = true
		if _, ok := labels[concept]; !ok {
			t.Errorf("coverage table lists %s, which bank.yaml does not define", concept)
			continue
		}
		var got []string
		for _, id := range strings.Split(row[2], ",") {
			if id = strings.Trim(strings.TrimSpace(id), "`"); id != "" {
				got = append(got, id)
			}
		}
		want := tagged[concept]
		if len(want) == 0 {
			t.Errorf("concept %s: no question is tagged with it", concept)
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
			t.Errorf("coverage row for %s lists %v, want %v; expected row:\n%s", concept, got, want, coverageRow(concept, labels[concept], want))
		}
	}
	for _, c := range b.Concepts {
		if !listed[c.ID] {
			t.Errorf("coverage table has no row for %s; expected row:\n%s", c.ID, coverageRow(c.ID, c.Label, tagged[c.ID]))
		}
	}
}

// TestReadmeQuestionCounts checks the per-area counts in questions/README.md.
func TestReadmeQuestionCounts(t *testing.T) {
	t.Parallel()
	b := bankyaml.MustEmbedded().Current()
	rows := readmeTable(t, "## Version "+b.Version+" at a glance")
	areaCell := regexp.MustCompile("\\(`([a-z]+)`\\)")
	got := map[string]string{}
	for _, row := range rows {
		if len(row) != 2 {
			t.Errorf("count row %q has %d cells, want 2", row, len(row))
			continue
		}
		if m := areaCell.FindStringSubmatch(row[0]); m != nil {
			got[m[1]] = row[1]
		} else {
			got["total"] = row[1]
		}
	}
	for _, a := range b.Areas {
		if want := fmt.Sprint(len(a.Questions)); got[a.ID] != want {
			t.Errorf("README count for %s = %q, want %s", a.ID, got[a.ID], want)
		}
	}
	if want := fmt.Sprint(len(b.Questions())); got["total"] != want {
		t.Errorf("README total = %q, want %s", got["total"], want)
	}
}

func coverageRow(concept, label string, ids []string) string {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = "`" + id + "`"
	}
	return fmt.Sprintf("| `%s` | %s | %s | <source> |", concept, label, strings.Join(quoted, ", "))
}

// readmeTable returns the body rows (cells trimmed, header and separator
// dropped) of the first markdown table after heading in questions/README.md.
func readmeTable(t *testing.T, heading string) [][]string {
	t.Helper()
	f, err := os.Open("../../questions/README.md")
	if err != nil {
		t.Fatalf("open README: %v", err)
	}
	defer f.Close()

	var rows [][]string
	inSection, inTable := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			if inSection {
				break
			}
			inSection = line == heading
			continue
		}
		if !inSection {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			if inTable {
				break
			}
			continue
		}
		if !inTable {
			inTable = true // header row
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if strings.HasPrefix(cells[0], "---") {
			continue
		}
		rows = append(rows, cells)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read README: %v", err)
	}
	if len(rows) == 0 {
		t.Fatalf("README has no table under %q", heading)
	}
	return rows
}

// Carried is how answers, notes, scores and actions cross versions: v1's
// ids through v2's mapping, v2's own ids unchanged, anything else refused.
func TestCarried(t *testing.T) {
	t.Parallel()
	lib, err := bank.Compiled()
	if err != nil {
		t.Fatal(err)
	}
	v2, _ := lib.Get("v2")
	if len(v2.Mapping) == 0 {
		t.Fatal("v2 has no mapping from v1")
	}
	for old, want := range v2.Mapping {
		if got, ok := v2.Carried("v1", old); got != want || !ok {
			t.Errorf("Carried(v1, %s) = %s, %v; want %s, true", old, got, ok, want)
		}
	}
	for _, q := range v2.Questions() {
		if got, ok := v2.Carried("v2", q.ID); got != q.ID || !ok {
			t.Errorf("Carried(v2, %s) = %s, %v", q.ID, got, ok)
		}
	}
	if _, ok := v2.Carried("v1", "vision.no-such-question"); ok {
		t.Error("a question v2 does not have was carried")
	}
}
