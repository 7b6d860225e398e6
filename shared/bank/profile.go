package bank

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Scoring models. A bank version says which one it uses (bank.yaml
// `model`); v1 assessments keep v1 scoring for ever.
const (
	ModelV1 = "v1" // area targets per form (0..100)
	ModelV2 = "v2" // a required level per question, form and purpose, with must-haves
)

// Purposes a v2 profile is written for. A prospective partner (new-partner)
// is held to the partnership's health-check profile: it joins a service
// that is already running.
const (
	PurposeReadiness   = "readiness"
	PurposeHealthCheck = "health-check"
)

// ProfilePurposes lists the purposes every v2 question has a profile for.
func ProfilePurposes() []string { return []string{PurposeReadiness, PurposeHealthCheck} }

// ProfilePurpose is the profile an assessment of the given purpose is held to.
func ProfilePurpose(purpose string) string {
	if purpose == PurposeReadiness {
		return PurposeReadiness
	}
	return PurposeHealthCheck
}

// NotApplicable is the required level of a question for a form it does not
// apply to. It is written "-" in the YAML.
const NotApplicable = -1

// Level bands for actions: a council at 0 or 1 has not started, at 2 is in
// progress, at 3 has agreed and is ready to operate (only a health-check asks
// for more).
const (
	BandNotStarted = "not-started"
	BandInProgress = "in-progress"
	BandAgreed     = "agreed"
)

// readinessMaxLevel is the most a readiness profile may ask: 3 is "agreed
// and ready to operate"; 4 is "proven in operation", which nothing can be
// before it starts.
const readinessMaxLevel = 3

// LevelBand is the action band of a score.
func LevelBand(score int) string {
	switch {
	case score <= 1:
		return BandNotStarted
	case score == 2:
		return BandInProgress
	default:
		return BandAgreed
	}
}

// UsesV2 reports whether the bank is scored with the v2 model.
func (b *Bank) UsesV2() bool { return b.Model == ModelV2 }

// FormIDs lists the six forms of sharing in continuum order.
func FormIDs() []string { return slices.Clone(formIDs) }

// FormIndex is the position of a form on the continuum, or -1.
func FormIndex(form string) int { return slices.Index(formIDs, form) }

// RequiredLevel is the level the question requires for the form under the
// purpose's profile; ok is false where it does not apply.
func (q Question) RequiredLevel(purpose, form string) (level int, ok bool) {
	levels := q.Required[ProfilePurpose(purpose)]
	i := FormIndex(form)
	if i < 0 || i >= len(levels) || levels[i] == NotApplicable {
		return 0, false
	}
	return levels[i], true
}

// IsMustHave reports whether the question is a must-have for the form.
func (q Question) IsMustHave(form string) bool { return slices.Contains(q.MustHave, form) }

// NotApplicableAllowed reports whether a council may answer "not
// applicable" to the question for the form.
func (q Question) NotApplicableAllowed(form string) bool {
	return q.MayNotApply != nil && slices.Contains(q.MayNotApply.Forms, form)
}

// ActionFor returns the action for a council at the given score: the band's
// action in v2, the single action in v1. ok is false when there is none
// (a v2 question at level 3 with no action for the agreed band).
func (q Question) ActionFor(score int) (LevelAction, bool) {
	if len(q.Actions) == 0 {
		return LevelAction{Do: q.Action}, q.Action != ""
	}
	a, ok := q.Actions[LevelBand(score)]
	return a, ok
}

// loadV2 copies the v2 keys of a question file and parses its profile rows.
// It returns problems with the rows' syntax; their meaning is checked by
// Validate.
func (q *Question) loadV2(qf questionFile) []string {
	var problems []string
	q.MustHave = qf.MustHave
	q.Prompts = qf.Prompts
	q.ServiceTypes = qf.ServiceTypes
	if qf.MayNotApply != nil {
		q.MayNotApply = &MayNotApply{Forms: qf.MayNotApply.Forms, When: qf.MayNotApply.When}
	}
	if qf.Actions != nil {
		q.Actions = make(map[string]LevelAction, len(qf.Actions))
		for band, a := range qf.Actions {
			q.Actions[band] = LevelAction(a)
		}
	}
	if qf.Require != nil {
		q.Required = make(map[string][]int, len(qf.Require))
		for _, purpose := range sortedKeys(qf.Require) {
			row := qf.Require[purpose]
			levels, err := parseProfileRow(row)
			if err != nil {
				problems = append(problems, fmt.Sprintf("question %s: require %s: %v", qf.ID, purpose, err))
				continue
			}
			q.Required[purpose] = levels
		}
	}
	return problems
}

// parseProfileRow reads a row like "- 2 2 3 3 3": one entry per form in
// continuum order, "-" where the question does not apply.
func parseProfileRow(row string) ([]int, error) {
	fields := strings.Fields(row)
	if len(fields) != len(formIDs) {
		return nil, fmt.Errorf("%q has %d entries, want %d (one per form, - for not applicable)", row, len(fields), len(formIDs))
	}
	out := make([]int, len(fields))
	for i, f := range fields {
		if f == "-" {
			out[i] = NotApplicable
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > maxScore {
			return nil, fmt.Errorf("%q: entry %q for %s is not - or a level 0..%d", row, f, formIDs[i], maxScore)
		}
		out[i] = n
	}
	return out, nil
}

// v2 checks the keys of the v2 model, or their absence in a v1 bank.
func (v *validation) v2(b *Bank) {
	switch b.Model {
	case ModelV1, "": // "" is a Bank built by hand, as v1
		for _, q := range b.allQuestions() {
			if q.Required != nil || q.MustHave != nil || q.MayNotApply != nil || q.Actions != nil {
				v.addf("question %s: require, must_have, may_not_apply and actions need model v2", q.ID)
			}
		}
		return
	}
	mustHaves := make([]int, len(formIDs))
	applicable := make([]int, len(formIDs))
	for _, q := range b.allQuestions() {
		v.profile(q)
		for i, f := range formIDs {
			if _, ok := q.RequiredLevel(PurposeReadiness, f); ok {
				applicable[i]++
			}
			if q.IsMustHave(f) {
				mustHaves[i]++
			}
		}
		v.actions(q)
	}
	// Every form past the baseline must ask for something, and name at
	// least one must-have, or "ready" would mean nothing.
	for i, f := range formIDs[1:] {
		if applicable[i+1] == 0 {
			v.addf("form %s: no question applies to it", f)
		}
		if mustHaves[i+1] == 0 {
			v.addf("form %s: has no must-have question", f)
		}
	}
}

func (v *validation) profile(q Question) {
	for _, p := range sortedKeys(q.Required) {
		if !slices.Contains(ProfilePurposes(), p) {
			v.addf("question %s: require has unknown purpose %q, want %s", q.ID, p, strings.Join(ProfilePurposes(), " or "))
		}
	}
	ready, okR := q.Required[PurposeReadiness]
	health, okH := q.Required[PurposeHealthCheck]
	if !okR || !okH {
		v.addf("question %s: require needs a row for readiness and for health-check", q.ID)
		return
	}
	for _, row := range []struct {
		purpose string
		levels  []int
	}{{PurposeReadiness, ready}, {PurposeHealthCheck, health}} {
		if row.levels[0] != NotApplicable {
			v.addf("question %s: require %s: co-exist is the baseline and requires nothing, want -", q.ID, row.purpose)
		}
		for i := 1; i < len(row.levels); i++ {
			prev, cur := row.levels[i-1], row.levels[i]
			if cur < prev { // NotApplicable (-1) sorts below every level
				v.addf("question %s: require %s: falls from %s (%s) to %s (%s), want non-decreasing along the continuum", q.ID, row.purpose, levelName(prev), formIDs[i-1], levelName(cur), formIDs[i])
			}
		}
	}
	for i, f := range formIDs {
		if ready[i] > readinessMaxLevel {
			v.addf("question %s: readiness requires %d for %s, want at most %d (4 is proven in operation)", q.ID, ready[i], f, readinessMaxLevel)
		}
		if (ready[i] == NotApplicable) != (health[i] == NotApplicable) {
			v.addf("question %s: applies to %s for one purpose only, want the same forms for readiness and health-check", q.ID, f)
		} else if health[i] < ready[i] {
			v.addf("question %s: health-check requires %d for %s, below readiness (%d)", q.ID, health[i], f, ready[i])
		}
	}
	for _, f := range q.MustHave {
		i := FormIndex(f)
		switch {
		case i < 0:
			v.addf("question %s: must_have names unknown form %q", q.ID, f)
		case ready[i] == NotApplicable || ready[i] == 0:
			v.addf("question %s: must-have for %s, where it requires nothing", q.ID, f)
		case i+1 < len(formIDs) && !q.IsMustHave(formIDs[i+1]):
			v.addf("question %s: must-have for %s but not for %s, want every deeper form too", q.ID, f, formIDs[i+1])
		}
	}
	if m := q.MayNotApply; m != nil {
		if strings.TrimSpace(m.When) == "" {
			v.addf("question %s: may_not_apply needs when: the case it does not apply to", q.ID)
		}
		if len(m.Forms) == 0 {
			v.addf("question %s: may_not_apply lists no forms", q.ID)
		}
		for _, f := range m.Forms {
			i := FormIndex(f)
			switch {
			case i < 0:
				v.addf("question %s: may_not_apply names unknown form %q", q.ID, f)
			case ready[i] == NotApplicable:
				v.addf("question %s: may_not_apply for %s, where the question does not apply anyway", q.ID, f)
			case q.IsMustHave(f):
				v.addf("question %s: may_not_apply for %s, where it is a must-have", q.ID, f)
			}
		}
	}
	if n := len(q.Prompts); n > 0 && (n < 2 || n > 3) {
		v.addf("question %s: has %d discussion prompts, want 2 or 3", q.ID, n)
	}
	for i, p := range q.Prompts {
		if strings.TrimSpace(p) == "" {
			v.addf("question %s: prompt %d is empty", q.ID, i+1)
		}
	}
}

func (v *validation) actions(q Question) {
	for _, band := range sortedKeys(q.Actions) {
		if band != BandNotStarted && band != BandInProgress && band != BandAgreed {
			v.addf("question %s: action for unknown band %q, want %s, %s or %s", q.ID, band, BandNotStarted, BandInProgress, BandAgreed)
		}
	}
	for _, band := range []string{BandNotStarted, BandInProgress} {
		a, ok := q.Actions[band]
		switch {
		case !ok:
			v.addf("question %s: no action for %s (levels %s)", q.ID, band, bandLevels(band))
		case strings.TrimSpace(a.Do) == "" || strings.TrimSpace(a.Evidence) == "":
			v.addf("question %s: action for %s needs do and evidence", q.ID, band)
		}
	}
	if a, ok := q.Actions[BandAgreed]; ok && (strings.TrimSpace(a.Do) == "" || strings.TrimSpace(a.Evidence) == "") {
		v.addf("question %s: action for %s needs do and evidence", q.ID, BandAgreed)
	}
}

func bandLevels(band string) string {
	switch band {
	case BandNotStarted:
		return "0-1"
	case BandInProgress:
		return "2"
	}
	return "3"
}

func levelName(l int) string {
	if l == NotApplicable {
		return "-"
	}
	return strconv.Itoa(l)
}
