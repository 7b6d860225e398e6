package bank

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// The structure of the bank is fixed by the RASP model: five areas and six
// forms of sharing, in this order. Their wording lives in the YAML.
var (
	areaIDs = []string{"vision", "ethos", "resources", "risk", "governance"}
	formIDs = []string{"co-exist", "communicate", "cooperate", "coordinate", "collaborate", "combine"}
)

const (
	minQuestionsPerArea = 8
	minQuestions        = 45
	maxTarget           = 100
	maxScore            = 4
	// maxReadyShort bounds the "small number" of shortfalls a ready
	// council may have: more than this is not small.
	maxReadyShort = 10
)

var (
	questionIDPattern = regexp.MustCompile(`^([a-z]+)\.[a-z0-9]+(-[a-z0-9]+)*$`)
	conceptIDPattern  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Validate checks every rule of the bank and returns a *ValidationError
// listing all broken rules, or nil.
func (b *Bank) Validate() error {
	var v validation
	if b.Model != ModelV1 && b.Model != ModelV2 && b.Model != "" {
		// Every other rule depends on the model: say only this.
		return &ValidationError{Problems: []string{fmt.Sprintf("model is %q, want %s or %s", b.Model, ModelV1, ModelV2)}}
	}
	v.bank(b)
	v.areas(b)
	v.questions(b)
	v.concepts(b)
	v.forms(b)
	v.scoring(b.Model, b.Scoring)
	v.mapping(b)
	v.v2(b)
	v.respondents(b)
	v.translations(b)
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

type validation struct {
	problems []string
}

func (v *validation) addf(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

func (v *validation) bank(b *Bank) {
	if strings.TrimSpace(b.Version) == "" {
		v.addf("version is empty")
	}
	if b.Previous != "" && b.Previous == b.Version {
		v.addf("previous version %s is this version", b.Previous)
	}
}

func (v *validation) areas(b *Bank) {
	var got []string
	for _, a := range b.Areas {
		got = append(got, a.ID)
	}
	if !slices.Equal(got, areaIDs) {
		v.addf("areas: got %s, want %s in that order", listOrNone(got), strings.Join(areaIDs, ", "))
	}
	for _, a := range b.Areas {
		if strings.TrimSpace(a.Title) == "" {
			v.addf("area %s: title is empty", a.ID)
		}
		desc := strings.TrimSpace(a.Description)
		switch {
		case desc == "":
			v.addf("area %s: description is empty", a.ID)
		case strings.Contains(desc, "\n\n"):
			v.addf("area %s: description must be one paragraph", a.ID)
		}
		if n := len(a.Questions); n < minQuestionsPerArea {
			v.addf("area %s: has %d questions, want at least %d", a.ID, n, minQuestionsPerArea)
		}
	}
}

func (v *validation) questions(b *Bank) {
	known := map[string]bool{}
	for _, c := range b.Concepts {
		known[c.ID] = true
	}
	seen := map[string]bool{}
	total := 0
	for _, a := range b.Areas {
		for _, q := range a.Questions {
			total++
			v.question(a.ID, q, known, b.Model)
			if seen[q.ID] {
				v.addf("question %s: duplicate id", q.ID)
			}
			seen[q.ID] = true
		}
	}
	if total < minQuestions {
		v.addf("bank: has %d questions, want at least %d", total, minQuestions)
	}
}

func (v *validation) question(area string, q Question, knownConcepts map[string]bool, model string) {
	m := questionIDPattern.FindStringSubmatch(q.ID)
	switch {
	case m == nil:
		v.addf("question %q in area %s: id must be <area>.<slug> with a kebab-case slug", q.ID, area)
	case m[1] != area:
		v.addf("question %s: id prefix %s does not match its area %s", q.ID, m[1], area)
	}
	if q.Area != area {
		v.addf("question %s: area is %q, want %s", q.ID, q.Area, area)
	}
	fields := []struct{ name, text string }{{"text", q.Text}, {"guidance", q.Guidance}}
	if model != ModelV2 { // v2 has actions per level band instead
		fields = append(fields, struct{ name, text string }{"action", q.Action})
	}
	for _, field := range fields {
		if strings.TrimSpace(field.text) == "" {
			v.addf("question %s: %s is empty", q.ID, field.name)
		}
	}
	for score, level := range q.Levels {
		if strings.TrimSpace(level) == "" {
			v.addf("question %s: level %d descriptor is empty", q.ID, score)
		}
	}
	if !(q.Weight > 0) {
		v.addf("question %s: weight is %g, want > 0", q.ID, q.Weight)
	}
	if len(q.Concepts) == 0 {
		v.addf("question %s: has no concept tags", q.ID)
	}
	for _, c := range q.Concepts {
		if !knownConcepts[c] {
			v.addf("question %s: unknown concept %q", q.ID, c)
		}
	}
}

func (v *validation) concepts(b *Bank) {
	if len(b.Concepts) == 0 {
		v.addf("concepts: none defined")
	}
	covered := map[string]bool{}
	for _, q := range b.allQuestions() {
		for _, c := range q.Concepts {
			covered[c] = true
		}
	}
	seen := map[string]bool{}
	for _, c := range b.Concepts {
		if !conceptIDPattern.MatchString(c.ID) {
			v.addf("concept %q: id must be kebab-case", c.ID)
		}
		if seen[c.ID] {
			v.addf("concept %s: duplicate id", c.ID)
		}
		seen[c.ID] = true
		if strings.TrimSpace(c.Label) == "" {
			v.addf("concept %s: label is empty", c.ID)
		}
		if !covered[c.ID] {
			v.addf("concept %s: not covered by any question", c.ID)
		}
	}
}

func (v *validation) forms(b *Bank) {
	var got []string
	for _, f := range b.Forms {
		got = append(got, f.ID)
	}
	if !slices.Equal(got, formIDs) {
		v.addf("forms: got %s, want %s in that order", listOrNone(got), strings.Join(formIDs, ", "))
	}
	for _, f := range b.Forms {
		for _, field := range []struct{ name, text string }{
			{"title", f.Title}, {"description", f.Description}, {"compromise", f.Compromise}, {"benefit", f.Benefit},
		} {
			if strings.TrimSpace(field.text) == "" {
				v.addf("form %s: %s is empty", f.ID, field.name)
			}
		}
		if b.Model == ModelV2 {
			// v2 asks for a level per question instead of a score per area.
			if len(f.Targets) > 0 {
				v.addf("form %s: has area targets, which model v2 does not use (require levels per question instead)", f.ID)
			}
			continue
		}
		for _, area := range areaIDs {
			t, ok := f.Targets[area]
			switch {
			case !ok:
				v.addf("form %s: no target for area %s", f.ID, area)
			case t < 0 || t > maxTarget:
				v.addf("form %s: target for area %s is %d, want 0..%d", f.ID, area, t, maxTarget)
			}
		}
		for _, area := range sortedKeys(f.Targets) {
			if !slices.Contains(areaIDs, area) {
				v.addf("form %s: target for unknown area %s", f.ID, area)
			}
		}
	}
	// A deeper form of sharing never asks for less readiness.
	for _, area := range areaIDs {
		for i := 1; i < len(b.Forms); i++ {
			prev, cur := b.Forms[i-1], b.Forms[i]
			pt, ok1 := prev.Targets[area]
			ct, ok2 := cur.Targets[area]
			if ok1 && ok2 && ct < pt {
				v.addf("area %s: target falls from %d (%s) to %d (%s), want non-decreasing along the continuum", area, pt, prev.ID, ct, cur.ID)
			}
		}
	}
}

func (v *validation) scoring(model string, s Scoring) {
	if s.MaxScore != maxScore {
		v.addf("scoring: max_score is %d, want %d", s.MaxScore, maxScore)
	}
	if s.DivergenceSpread < 1 || s.DivergenceSpread > maxScore {
		v.addf("scoring: divergence_spread is %d, want 1..%d", s.DivergenceSpread, maxScore)
	}
	if s.SharedWeaknessMax < 0 || s.SharedWeaknessMax >= maxScore {
		v.addf("scoring: shared_weakness_max is %d, want 0..%d", s.SharedWeaknessMax, maxScore-1)
	}
	if s.WeakestCount < 1 {
		v.addf("scoring: weakest_count is %d, want at least 1", s.WeakestCount)
	}
	if model == ModelV2 {
		if s.DevelopingMaxGap != 0 || s.ReadyMaxDeveloping != 0 {
			v.addf("scoring: developing_max_gap and ready_max_developing are v1 thresholds, want them left out in model v2")
		}
		if s.ReadyMaxShort < 0 || s.ReadyMaxShort > maxReadyShort {
			v.addf("scoring: ready_max_short is %d, want 0..%d", s.ReadyMaxShort, maxReadyShort)
		}
		if s.AreaDevelopingMax < 1 || s.AreaDevelopingMax > maxReadyShort {
			v.addf("scoring: area_developing_max_short is %d, want 1..%d", s.AreaDevelopingMax, maxReadyShort)
		}
		return
	}
	if s.ReadyMaxShort != 0 || s.AreaDevelopingMax != 0 {
		v.addf("scoring: ready_max_short and area_developing_max_short need model v2")
	}
	if s.DevelopingMaxGap < 0 || s.DevelopingMaxGap > maxTarget {
		v.addf("scoring: developing_max_gap is %d, want 0..%d", s.DevelopingMaxGap, maxTarget)
	}
	if s.ReadyMaxDeveloping < 0 || s.ReadyMaxDeveloping > len(areaIDs) {
		v.addf("scoring: ready_max_developing is %d, want 0..%d", s.ReadyMaxDeveloping, len(areaIDs))
	}
}

// mapping checks what can be checked without the previous version; the
// Library checks the sources against it.
func (v *validation) mapping(b *Bank) {
	if b.Previous == "" && len(b.Mapping) > 0 {
		v.addf("mapping: has %d entries, want none when there is no previous version", len(b.Mapping))
	}
	ids := map[string]bool{}
	for _, q := range b.allQuestions() {
		ids[q.ID] = true
	}
	for _, oldID := range sortedKeys(b.Mapping) {
		if newID := b.Mapping[oldID]; !ids[newID] {
			v.addf("mapping: %s -> %s: target is not a question in this bank", oldID, newID)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func listOrNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// respondents checks the colleagues' roles and the routing: a version lists
// every role of RoleID in its order or none, and routes only its own areas
// and questions to its own roles.
func (v *validation) respondents(b *Bank) {
	if len(b.Roles) == 0 {
		if len(b.Routing) > 0 {
			v.addf("respondents: routing given without roles")
		}
		return
	}
	ids := make([]string, len(b.Roles))
	for i, r := range b.Roles {
		ids[i] = r.ID
		if strings.TrimSpace(r.Label) == "" {
			v.addf("respondents: role %s has no label", r.ID)
		}
	}
	if want := RoleID("").Values(); !slices.Equal(ids, want) {
		v.addf("respondents: roles are %v, want %v", ids, want)
	}
	for _, k := range slices.Sorted(maps.Keys(b.Routing)) {
		if _, ok := b.Role(b.Routing[k]); !ok {
			v.addf("respondents: routing %s -> %s: not a role", k, b.Routing[k])
		}
		_, isArea := b.Area(k)
		_, isQuestion := b.Question(k)
		if !isArea && !isQuestion {
			v.addf("respondents: routing %s: not an area or question of %s", k, b.Version)
		}
	}
}
