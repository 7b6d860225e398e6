package bank_test

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
)

func TestLoadValidV2Fixture(t *testing.T) {
	t.Parallel()
	b, err := bankyaml.Load(fixtureFSV2(t, ""), ".")
	if err != nil {
		t.Fatalf("Load(valid-v2) error: %v", err)
	}
	if b.Model != bank.ModelV2 || !b.UsesV2() {
		t.Errorf("Model = %q, want v2", b.Model)
	}
	if got, want := b.Scoring.ReadyMaxShort, 2; got != want {
		t.Errorf("ReadyMaxShort = %d, want %d", got, want)
	}
	q, _ := b.Question("vision.q1")
	for _, tc := range []struct {
		purpose, form string
		level         int
		ok            bool
	}{
		{"readiness", "co-exist", 0, false},
		{"readiness", "communicate", 1, true},
		{"readiness", "combine", 3, true},
		{"health-check", "collaborate", 4, true},
		{"new-partner", "collaborate", 4, true}, // held to the health-check profile
		{"readiness", "merger", 0, false},
	} {
		if level, ok := q.RequiredLevel(tc.purpose, tc.form); level != tc.level || ok != tc.ok {
			t.Errorf("vision.q1 RequiredLevel(%s, %s) = %d, %v; want %d, %v", tc.purpose, tc.form, level, ok, tc.level, tc.ok)
		}
	}
	if !q.IsMustHave("communicate") || q.IsMustHave("co-exist") {
		t.Errorf("vision.q1 must-haves = %v, want communicate..combine", q.MustHave)
	}
	q2, _ := b.Question("vision.q2")
	if !q2.NotApplicableAllowed("collaborate") || q2.NotApplicableAllowed("communicate") || q.NotApplicableAllowed("collaborate") {
		t.Errorf("NotApplicableAllowed wrong: q2 %+v, q1 %+v", q2.MayNotApply, q.MayNotApply)
	}
	for score, want := range []string{"The service lead starts it.", "The service lead starts it.", "The service lead finishes it.", ""} {
		got, ok := q.ActionFor(score)
		if got.Do != want || ok != (want != "") {
			t.Errorf("ActionFor(%d) = %q, %v; want %q", score, got.Do, ok, want)
		}
	}
}

// TestLoadBrokenV2Fixtures shows every v2 rule failing on a fixture.
func TestLoadBrokenV2Fixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		want    []string
	}{
		{"readiness-level-4", []string{
			"question vision.q3: readiness requires 4 for combine, want at most 3 (4 is proven in operation)",
		}},
		{"bad-rows", []string{
			`question vision.q3: require health-check: "- 1 2 x 3 4": entry "x" for coordinate is not - or a level 0..4`,
			`question vision.q3: require readiness: "- 1 2" has 3 entries, want 6 (one per form, - for not applicable)`,
			"question vision.q3: require needs a row for readiness and for health-check",
		}},
		{"co-exist-required", []string{
			"question vision.q3: require readiness: co-exist is the baseline and requires nothing, want -",
			"question vision.q3: require health-check: co-exist is the baseline and requires nothing, want -",
		}},
		{"profile-falls", []string{
			"question vision.q3: require readiness: falls from 2 (communicate) to 1 (cooperate), want non-decreasing along the continuum",
		}},
		{"purpose-mismatch", []string{
			"question vision.q3: applies to communicate for one purpose only, want the same forms for readiness and health-check",
		}},
		{"health-below-readiness", []string{
			"question vision.q3: health-check requires 2 for collaborate, below readiness (3)",
		}},
		{"missing-row", []string{
			"question vision.q3: require needs a row for readiness and for health-check",
		}},
		{"unknown-purpose", []string{
			`question vision.q3: require has unknown purpose "new-partner", want readiness or health-check`,
		}},
		{"must-have-gaps", []string{
			"question vision.q3: must-have for coordinate but not for collaborate, want every deeper form too",
			`question vision.q3: must_have names unknown form "merger"`,
		}},
		{"must-have-na", []string{
			"question vision.q2: must-have for cooperate, where it requires nothing",
			"question vision.q2: may_not_apply needs when: the case it does not apply to",
			"question vision.q2: may_not_apply for cooperate, where the question does not apply anyway",
			"question vision.q2: may_not_apply for collaborate, where it is a must-have",
		}},
		{"actions-incomplete", []string{
			`question vision.q3: action for unknown band "proven", want not-started, in-progress or agreed`,
			"question vision.q3: action for not-started needs do and evidence",
			"question vision.q3: no action for in-progress (levels 2)",
		}},
		{"prompts-one", []string{
			"question vision.q3: has 1 discussion prompts, want 2 or 3",
		}},
		{"no-must-have", []string{
			"form communicate: has no must-have question",
			"form cooperate: has no must-have question",
			"form coordinate: has no must-have question",
		}},
		{"v2-targets", []string{
			"form co-exist: has area targets, which model v2 does not use (require levels per question instead)",
		}},
		{"v2-scoring", []string{
			"scoring: developing_max_gap and ready_max_developing are v1 thresholds, want them left out in model v2",
			"scoring: ready_max_short is 11, want 0..10",
			"scoring: area_developing_max_short is 0, want 1..10",
		}},
		{"bad-model", []string{
			`model is "v3", want v1 or v2`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			t.Parallel()
			b, err := bankyaml.Load(fixtureFSV2(t, tc.fixture), ".")
			var verr *bank.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Load(%s) = %v, %v; want a *bank.ValidationError", tc.fixture, b, err)
			}
			if !slices.Equal(verr.Problems, tc.want) {
				t.Errorf("Load(%s) problems:\ngot  %q\nwant %q", tc.fixture, verr.Problems, tc.want)
			}
		})
	}
}

func TestV1RefusesV2Keys(t *testing.T) {
	t.Parallel()
	_, err := loadFixture(t, "v1-with-v2-keys")
	var verr *bank.ValidationError
	want := []string{"question vision.q2: require, must_have, may_not_apply and actions need model v2"}
	if !errors.As(err, &verr) || !slices.Equal(verr.Problems, want) {
		t.Errorf("Load(v1-with-v2-keys) error = %v, want problems %q", err, want)
	}
}

// TestV2ContentRules checks the current bank against the content rules of
// questions/README.md that the validator does not enforce on every bank.
func TestV2ContentRules(t *testing.T) {
	t.Parallel()
	b := bankyaml.MustEmbedded().Current()
	if !b.UsesV2() {
		t.Fatalf("current bank %s uses model %s, want v2", b.Version, b.Model)
	}
	qs := b.Questions()
	if n := len(qs); n < 65 || n > 75 {
		t.Errorf("current bank has %d questions, want 65..75", n)
	}
	// One council's programme manager cannot score other councils' views;
	// and "most partners" means nothing in a partnership of two.
	otherCouncils := regexp.MustCompile(`(?i)\b(every|most|all|some) (partner|partners|partner councils|councils)\b`)
	// Owners are generic roles: RASP is for any shared service.
	ictOwner := regexp.MustCompile(`(?i)\b(ICT|IT|digital|technology) (lead|manager|director|team|officer|head)\b|\bCIO\b|\bhead of (ICT|IT)\b`)
	for _, q := range qs {
		for level, d := range q.Levels {
			if m := otherCouncils.FindString(d); m != "" {
				t.Errorf("question %s level %d says %q: ask about this council, not the others", q.ID, level, m)
			}
		}
		for band, a := range q.Actions {
			if m := ictOwner.FindString(a.Do); m != "" {
				t.Errorf("question %s action %s names an ICT owner %q; use a generic role", q.ID, band, m)
			}
		}
		for _, band := range []string{bank.BandNotStarted, bank.BandInProgress} {
			a, ok := q.Actions[band]
			if !ok || a.Do == "" || a.Evidence == "" {
				t.Errorf("question %s has no action with evidence for %s", q.ID, band)
			}
		}
		for _, f := range bank.FormIDs() {
			if l, ok := q.RequiredLevel(bank.PurposeReadiness, f); ok && l > 3 {
				t.Errorf("question %s: readiness requires %d for %s, want at most 3", q.ID, l, f)
			}
		}
		if n := len(q.Prompts); n < 2 || n > 3 {
			t.Errorf("question %s has %d discussion prompts, want 2 or 3", q.ID, n)
		}
	}
	covered := map[string]bool{}
	for _, q := range qs {
		for _, c := range q.Concepts {
			covered[c] = true
		}
	}
	for _, c := range b.Concepts {
		if !covered[c.ID] {
			t.Errorf("concept %s is not covered by any question", c.ID)
		}
	}
	// The concepts the issue asked v2 to add, each with a question.
	for _, c := range []string{"options-appraisal", "political-continuity", "residents-and-equality", "reorganisation",
		"member-officer-culture", "host-as-supplier", "employment-model", "pensions", "vat", "statutory-officers",
		"benefits-realisation", "cyber-resilience", "incident-response", "information-governance", "procurement-law",
		"scrutiny", "exit", "service-levels", "assurance", "coordination-cost", "welsh-language"} {
		if !covered[c] {
			t.Errorf("new concept %s is not covered by any v2 question", c)
		}
	}
}

// TestReadmeProfileTable checks the profiles table in questions/README.md
// against the data, so the hand-derived verdict table can be read from it.
func TestReadmeProfileTable(t *testing.T) {
	t.Parallel()
	b := bankyaml.MustEmbedded().Current()
	rows := readmeTable(t, "### Profiles of v2")
	got := map[string][]string{}
	for _, row := range rows {
		if len(row) != 6 {
			t.Errorf("profile row %q has %d cells, want 6", row, len(row))
			continue
		}
		got[strings.Trim(row[0], "`")] = row[1:]
	}
	if len(got) != len(b.Questions()) {
		t.Errorf("profile table has %d rows, want %d", len(got), len(b.Questions()))
	}
	for _, q := range b.Questions() {
		want := profileRow(q)
		if !slices.Equal(got[q.ID], want[1:]) {
			t.Errorf("profile row for %s = %q; expected row:\n%s", q.ID, got[q.ID], "| "+strings.Join(want, " | ")+" |")
		}
	}
}

func profileRow(q bank.Question) []string {
	row := func(p string) string {
		var cells []string
		for _, l := range q.Required[p] {
			if l == bank.NotApplicable {
				cells = append(cells, "-")
			} else {
				cells = append(cells, strconv.Itoa(l))
			}
		}
		return "`" + strings.Join(cells, " ") + "`"
	}
	must := ""
	if len(q.MustHave) > 0 {
		must = q.MustHave[0]
	}
	mayNot := ""
	if q.MayNotApply != nil {
		mayNot = strings.Join(q.MayNotApply.Forms, ", ")
	}
	return []string{"`" + q.ID + "`", strconv.FormatFloat(q.Weight, 'g', -1, 64), row(bank.PurposeReadiness), row(bank.PurposeHealthCheck), must, mayNot}
}
