package scoring

import (
	"cmp"
	"math"
	"slices"

	"github.com/openrasp/rasp/shared/bank"
)

// This file is the v2 scoring model (questions/README.md, "The scoring
// model"): the form of sharing sets a required level per question, a few
// questions are must-haves, and the verdict follows from which questions
// meet their level, not from area averages. Every threshold comes from the
// bank; v1 banks keep Score.

// Response is one v2 answer: a score 0..4, nil for "don't know", or not
// applicable with a short reason.
type Response struct {
	Score         *int
	NotApplicable bool
	Reason        string
}

// Responses maps question id to its response; a question absent from the
// map is unanswered.
type Responses map[string]Response

// FromAnswers turns v1-style answers (scores only) into responses.
func FromAnswers(a Answers) Responses {
	out := make(Responses, len(a))
	for id, s := range a {
		out[id] = Response{Score: s}
	}
	return out
}

// Status of one question against its required level.
const (
	Met           = "met"            // at or above the required level
	Below         = "below"          // scored below the required level
	Unknown       = "unknown"        // "don't know": a gap you cannot evidence is a gap
	Unanswered    = "unanswered"     // not answered yet (a draft)
	NotAccepted   = "not-accepted"   // answered not applicable where the profile does not allow it
	NotApplicable = "not-applicable" // answered not applicable where the profile allows it
	NotRequired   = "not-required"   // the question does not apply to the form
)

// Area band when no applicable question is in the area.
const NoneApplicable = "not-applicable"

// Shortfall is one applicable question that falls short of its required level.
type Shortfall struct {
	Question string
	Area     string
	Required int
	Score    *int // nil when unknown, unanswered or not accepted
	Status   string
	MustHave bool
	// Priority is (required - actual) x weight, counting an unknown as 0.
	Priority float64
}

// FindOut reports whether the council must first find out where it stands.
func (s Shortfall) FindOut() bool { return s.Score == nil }

// Action is what the council should do next on the question: the action of
// the band its score is in, an unknown counting as "not started".
func (s Shortfall) Action(q bank.Question) (bank.LevelAction, bool) {
	score := 0
	if s.Score != nil {
		score = *s.Score
	}
	return q.ActionFor(score)
}

// ExcludedAnswer is a not-applicable answer the profile accepts.
type ExcludedAnswer struct {
	Question, Area, Reason string
}

// AreaResult is one area under the v2 model.
type AreaResult struct {
	ID, Title string
	// Score is the weighted percentage over the area's applicable
	// questions: for the chart and the trend, not the verdict.
	Score      int
	Applicable int
	Met        int
	Band       string
}

// FormVerdict is the verdict for one form of sharing.
type FormVerdict struct {
	Form     string
	Verdict  string
	Blockers []Shortfall // must-haves short of their level, the reason for not-ready
	Gaps     []Shortfall // other applicable questions short of their level
	// Applicable and Met count the questions the form asks about.
	Applicable, Met int
	// MustHaves lists the form's must-have questions, met or not, in bank order.
	MustHaves []string
}

// Report is a v2 score report for one council.
type Report struct {
	Purpose string // the profile used: readiness or health-check
	FormVerdict
	Areas []AreaResult
	// WorkOnFirst is every shortfall for the intended form, must-haves
	// first, then by priority; unknown ones are "find out".
	WorkOnFirst   []Shortfall
	NotApplicable []ExcludedAnswer
	Unknown       []string // applicable questions answered "don't know"
	Missing       []string // applicable questions not answered
	// Evidenced is the share (0..100) of applicable questions with a known score.
	Evidenced int
	// Forms holds the verdict for all six forms, in continuum order.
	Forms []FormVerdict
	// DeepestReady is the deepest form the council is ready for now (every
	// form up to it is ready; co-exist is the baseline). Next is the form
	// after it, with what blocks it; nil when ready for combine.
	DeepestReady string
	Next         *FormVerdict
}

// Options narrow a v2 evaluation.
type Options struct {
	// Only, when not nil, limits scoring to these question ids: a
	// comparison across bank versions uses the mapped questions only.
	Only map[string]bool
}

// Evaluate scores responses under the v2 model for the intended form and
// the profile of purpose (new-partner uses the health-check profile).
func Evaluate(b *bank.Bank, purpose, form string, rs Responses, opt Options) Report {
	r, _ := evaluate(b, purpose, form, rs, opt)
	return r
}

// evaluate is Evaluate with the intended form's judged questions, in bank
// order: a comparison takes each council's statuses from them.
func evaluate(b *bank.Bank, purpose, form string, rs Responses, opt Options) (Report, []judged) {
	p := bank.ProfilePurpose(purpose)
	r := Report{Purpose: p}
	in := lookUp(b, p, rs)
	// Each form once; only the council's own form keeps its judged
	// questions (a comparison runs this for every council).
	var cur []judged
	found := false
	for fi, f := range bank.FormIDs() {
		fv, all := in.evaluateForm(fi, f, opt, f == form)
		r.Forms = append(r.Forms, fv)
		if f == form {
			r.FormVerdict, cur, found = fv, all, true
		}
	}
	if !found {
		r.FormVerdict, cur = in.evaluateForm(bank.FormIndex(form), form, opt, true)
	}
	if n := len(r.Blockers) + len(r.Gaps); n > 0 {
		r.WorkOnFirst = append(append(make([]Shortfall, 0, n), r.Blockers...), r.Gaps...)
	}

	r.DeepestReady = bank.FormIDs()[0]
	for i, fv := range r.Forms {
		if fv.Verdict != Ready {
			next := r.Forms[i]
			r.Next = &next
			break
		}
		r.DeepestReady = fv.Form
	}

	evidenced := 0
	for _, j := range cur {
		switch j.status {
		case NotRequired:
		case NotApplicable:
			r.NotApplicable = append(r.NotApplicable, ExcludedAnswer{Question: j.q.ID, Area: j.q.Area, Reason: rs[j.q.ID].Reason})
		case Unknown:
			r.Unknown = append(r.Unknown, j.q.ID)
		case Unanswered:
			r.Missing = append(r.Missing, j.q.ID)
		case Met, Below:
			evidenced++
		}
	}
	if r.Applicable > 0 {
		r.Evidenced = int(math.Round(100 * float64(evidenced) / float64(r.Applicable)))
	}
	r.Areas = areaResults(b, cur)
	return r, cur
}

// judged is one question's standing against one form.
type judged struct {
	q        *bank.Question
	required int
	status   string
	mustHave bool
	score    int // the answer's score; 0 for don't know or unanswered
}

// lookedUp is one council's responses in bank order, each looked up once
// for the six forms, with each question's required levels under the
// profile.
type lookedUp struct {
	b         *bank.Bank
	questions []*bank.Question
	levels    [][]int
	responses []Response
	answered  []bool
	// scratch for evaluateForm
	blockers, gaps []Shortfall
	mustHaves      []string
	keys           []priorityKey
}

func lookUp(b *bank.Bank, purpose string, rs Responses) *lookedUp {
	n := b.NumQuestions()
	in := &lookedUp{b: b, questions: make([]*bank.Question, 0, n), levels: make([][]int, 0, n),
		responses: make([]Response, 0, n), answered: make([]bool, 0, n)}
	for ai := range b.Areas {
		for qi := range b.Areas[ai].Questions {
			q := &b.Areas[ai].Questions[qi]
			r, ok := rs[q.ID]
			in.questions, in.levels = append(in.questions, q), append(in.levels, q.Required[purpose])
			in.responses, in.answered = append(in.responses, r), append(in.answered, ok)
		}
	}
	return in
}

// evaluateForm judges every question against form (fi its position on the
// continuum, -1 for none).
func (in *lookedUp) evaluateForm(fi int, form string, opt Options, keep bool) (FormVerdict, []judged) {
	fv := FormVerdict{Form: form}
	var all []judged
	if keep {
		all = make([]judged, 0, len(in.questions))
	}
	// Shortfalls gather in scratch lists shared by the six forms; each
	// form keeps an exact-size copy, in priority order.
	blockers, gaps, mustHaves := in.blockers[:0], in.gaps[:0], in.mustHaves[:0]
	for i, q := range in.questions {
		j := judgeResponse(q, in.levels[i], fi, form, in.responses[i], in.answered[i], opt)
		if keep {
			all = append(all, j)
		}
		if j.mustHave {
			mustHaves = append(mustHaves, q.ID)
		}
		if j.status == NotRequired || j.status == NotApplicable {
			continue
		}
		fv.Applicable++
		if j.status == Met {
			fv.Met++
			continue
		}
		s := shortfall(j, in.responses[i])
		if j.mustHave {
			blockers = append(blockers, s)
		} else {
			gaps = append(gaps, s)
		}
	}
	if len(mustHaves) > 0 {
		fv.MustHaves = slices.Clone(mustHaves)
	}
	fv.Blockers, fv.Gaps = inPriority(blockers, &in.keys), inPriority(gaps, &in.keys)
	in.blockers, in.gaps, in.mustHaves = blockers, gaps, mustHaves
	switch {
	case len(fv.Blockers) > 0:
		fv.Verdict = NotReady
	case len(fv.Gaps) <= in.b.Scoring.ReadyMaxShort:
		fv.Verdict = Ready
	default:
		fv.Verdict = ReadyWithGaps
	}
	return fv, all
}

// judgeResponse judges response r (answered or not) to q against the form
// at position fi of the continuum, levels being q's required levels under
// the profile (q.RequiredLevel, looked up once).
func judgeResponse(q *bank.Question, levels []int, fi int, form string, r Response, answered bool, opt Options) judged {
	j := judged{q: q, status: NotRequired}
	if opt.Only != nil && !opt.Only[q.ID] {
		return j
	}
	if fi < 0 || fi >= len(levels) || levels[fi] == bank.NotApplicable {
		return j
	}
	required := levels[fi]
	j.required, j.mustHave = required, q.IsMustHave(form)
	if answered && !r.NotApplicable {
		j.score = value(r.Score)
	}
	switch {
	case !answered:
		j.status = Unanswered
	case r.NotApplicable && q.NotApplicableAllowed(form):
		j.status = NotApplicable
	case r.NotApplicable:
		j.status = NotAccepted
	case required == 0 || (r.Score != nil && *r.Score >= required):
		j.status = Met
	case r.Score == nil:
		j.status = Unknown
	default:
		j.status = Below
	}
	if required == 0 && (j.status == Unanswered || j.status == Unknown || j.status == NotAccepted) {
		j.status = Met // nothing is asked, so nothing can fall short
	}
	return j
}

func shortfall(j judged, r Response) Shortfall {
	s := Shortfall{Question: j.q.ID, Area: j.q.Area, Required: j.required, Status: j.status, MustHave: j.mustHave}
	if j.status == Below {
		s.Score = r.Score
	}
	s.Priority = float64(j.required-j.score) * j.q.Weight
	return s
}

// byPriority orders shortfalls by priority, highest first; bank order
// (kept by the stable sort) breaks ties so the list reads the same each time.
func byPriority(s []Shortfall) {
	var keys []priorityKey
	copy(s, inPriority(s, &keys))
}

type priorityKey struct {
	priority float64
	at       int
}

// inPriority returns a copy of s in byPriority's order (nil for none),
// sorting small (priority, position) keys in *keys rather than moving the
// shortfalls about: a comparison orders six forms' lists per council.
func inPriority(s []Shortfall, keys *[]priorityKey) []Shortfall {
	if len(s) == 0 {
		return nil
	}
	ks := (*keys)[:0]
	for i := range s {
		ks = append(ks, priorityKey{s[i].Priority, i})
	}
	*keys = ks
	// The position breaks ties, so the order is the stable sort's.
	slices.SortFunc(ks, func(a, b priorityKey) int {
		if c := cmp.Compare(b.priority, a.priority); c != 0 {
			return c
		}
		return cmp.Compare(a.at, b.at)
	})
	out := make([]Shortfall, len(s))
	for i, k := range ks {
		out[i] = s[k.at]
	}
	return out
}

func areaResults(b *bank.Bank, all []judged) []AreaResult {
	out := make([]AreaResult, 0, len(b.Areas))
	i := 0
	for ai := range b.Areas {
		area := &b.Areas[ai]
		ar := AreaResult{ID: area.ID, Title: area.Title}
		var got, max float64
		mustHaveShort := false
		for range area.Questions {
			j := all[i]
			i++
			if j.status == NotRequired || j.status == NotApplicable {
				continue
			}
			ar.Applicable++
			if j.status == Met {
				ar.Met++
			} else if j.mustHave {
				mustHaveShort = true
			}
			max += j.q.Weight * float64(b.Scoring.MaxScore)
			got += j.q.Weight * float64(j.score)
		}
		if max > 0 {
			ar.Score = int(math.Round(100 * got / max))
		}
		short := ar.Applicable - ar.Met
		switch {
		case ar.Applicable == 0:
			ar.Band = NoneApplicable
		case short == 0:
			ar.Band = Strength
		case mustHaveShort || short > b.Scoring.AreaDevelopingMax:
			// A blocking must-have makes its area a weakness whatever the
			// count: one fatal gap must not hide behind strong answers.
			ar.Band = Weakness
		default:
			ar.Band = Developing
		}
		out = append(out, ar)
	}
	return out
}

// Seat is one council's report in a partnership.
type Seat struct {
	Council string
	Report  Report
}

// HeldBack is a seat that holds the partnership's verdict down.
type HeldBack struct {
	Council  string
	Verdict  string
	Blockers []Shortfall // the must-haves it is short on, when not ready
}

// PartnershipVerdict is the verdict of a partnership for its form.
type PartnershipVerdict struct {
	Verdict    string
	HeldBackBy []HeldBack // the seats whose verdict is the partnership's, in seat order
}

var verdictRank = map[string]int{NotReady: 0, ReadyWithGaps: 1, Ready: 2}

// Partnership combines the seats' verdicts: a partnership is not ready when
// any seat is not ready on a must-have (each such seat named with its
// blockers); otherwise it takes the weakest seat's verdict, naming the seats
// that hold it there. With no seats there is no verdict.
func Partnership(seats []Seat) PartnershipVerdict {
	if len(seats) == 0 {
		return PartnershipVerdict{}
	}
	weakest := Ready
	for _, s := range seats {
		if verdictRank[s.Report.Verdict] < verdictRank[weakest] {
			weakest = s.Report.Verdict
		}
	}
	out := PartnershipVerdict{Verdict: weakest}
	if weakest == Ready {
		return out
	}
	for _, s := range seats {
		if s.Report.Verdict == weakest {
			out.HeldBackBy = append(out.HeldBackBy, HeldBack{Council: s.Council, Verdict: weakest, Blockers: s.Report.Blockers})
		}
	}
	return out
}

// MappedResponses carries scores given on the previous bank version into
// b's question ids through b's mapping, for a comparison or trend across
// versions. It returns the responses and the set of mapped question ids,
// the only ones such a comparison may score (pass it as Options.Only).
func MappedResponses(b *bank.Bank, from string, a Answers) (Responses, map[string]bool) {
	only := MappedQuestions(b)
	out := Responses{}
	if from == b.Version {
		for id, s := range a {
			if only[id] {
				out[id] = Response{Score: s}
			}
		}
		return out, only
	}
	if from != b.Previous {
		return out, only
	}
	for old, s := range a {
		id, ok := b.Mapping[old]
		if !ok {
			continue
		}
		// Two old questions merged into one carry the weaker answer ("don't
		// know" is weakest), so the result does not depend on map order.
		if prev, seen := out[id]; seen && (prev.Score == nil || (s != nil && *prev.Score <= *s)) {
			continue
		}
		out[id] = Response{Score: s}
	}
	return out, only
}

// MappedQuestions is the set of b's questions that a question of the
// previous version maps to.
func MappedQuestions(b *bank.Bank) map[string]bool {
	only := make(map[string]bool, len(b.Mapping))
	for _, id := range b.Mapping {
		only[id] = true
	}
	return only
}
