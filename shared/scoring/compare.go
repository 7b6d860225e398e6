package scoring

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/openrasp/rasp/shared/bank"
)

// Question statuses across councils.
const (
	Aligned        = "aligned"
	Divergent      = "divergent"
	SharedWeakness = "shared-weakness"
	// A question where councils differ only because some answered "don't
	// know" has status Unknown (the same wire value as a single council's
	// "don't know", see verdict.go): a gap in evidence, not a disagreement.
)

// Comparison sets the submitted councils of one round side by side.
type Comparison struct {
	Partnership      string
	Round            int
	IntendedForm     string
	Councils         []string
	Areas            []ComparedArea
	Questions        []ComparedQuestion
	Similarities     []Finding
	Differences      []Finding
	SharedWeaknesses []Finding
	// Unknowns are questions where councils differ only by "don't know".
	Unknowns []Finding
	// PreferredForms are members that would themselves go to another form.
	PreferredForms []PreferredForm
	Actions        []Action
	Trend          *Trend // health-check rounds only
	Prospective    []Prospective
	// V2 is the v2 verdict of the partnership; nil when scored on v1.
	V2 *PartnershipReport
	// Board is the summary for a board or committee paper (Summarise);
	// nil on a prospective partner's view.
	Board *Board
}

// ComparedArea is one area across the councils of a round.
type ComparedArea struct {
	ID, Title      string
	Target         int
	Min            int
	Mean           float64 // rounded to one decimal place
	Max            int
	Spread         int
	Band           string // of the weakest council: a partnership is as ready as its least ready member
	Scores         map[string]int
	WeakestCouncil string
}

// ComparedQuestion is one question across the councils of a round.
type ComparedQuestion struct {
	ID, Text, Area string
	Scores         map[string]*int // nil: don't know
	Spread         int
	Status         string // Aligned, Divergent, SharedWeakness or Unknown
	// Notes are the shared notes on this question, by council; only the
	// councils that chose to share appear.
	Notes map[string]string
}

// PreferredForm is a council that would itself go to another form than the
// partnership's.
type PreferredForm struct {
	Council, Form string
}

// Finding is one similarity, difference or shared weakness in words.
// Summary is in English (the API's); Kind and the fields after it hold what
// it says, for a page to write it in its reader's language.
type Finding struct {
	Question, Area, Summary string
	// Kind is FindingUnknown, FindingDivergent, FindingShared or
	// FindingSimilar ("" for a finding made elsewhere).
	Kind string `json:",omitempty"`
	// Text is the question's text; Low and High the lowest and highest
	// scores (FindingShared: High is the most a low score may be).
	Text      string `json:",omitempty"`
	Low, High int    `json:",omitempty"`
	// Lowest and Highest are the councils at each end (FindingDivergent),
	// Unsure those that answered don't know (FindingUnknown).
	Lowest, Highest, Unsure []string `json:",omitempty"`
	// Council would go to Form rather than the partnership's (FindingForm).
	Council, Form string `json:",omitempty"`
}

// The kinds of Finding.
const (
	FindingUnknown   = "unknown"
	FindingDivergent = "divergent"
	FindingShared    = "shared"
	FindingSimilar   = "similar"
	FindingForm      = "form"
)

// Action is an improvement action for the councils that need it.
type Action struct {
	Question, Area, Action string
	Councils               []string
}

// Trend compares a round with the one before it, council by council, on
// the councils that submitted in both.
type Trend struct {
	PreviousRound int
	Councils      []string // in both rounds
	Areas         []TrendArea
	// MappedOnly is set when the two rounds are on different question
	// versions: both are scored under the newer version's rules on the
	// questions mapped from the older one only.
	MappedOnly bool
	Questions  []TrendQuestion // answered differently by at least one council
}

// TrendArea is the change of one area since the previous round.
type TrendArea struct {
	Area     string
	Previous map[string]int
	Change   map[string]int
	MinDelta int // change of the lowest score of the same councils
}

// TrendQuestion is one question's answers then and now (nil: don't know).
type TrendQuestion struct {
	ID, Area      string
	Previous, Now map[string]*int
}

// Prospective is a council assessing whether to join, against the members.
type Prospective struct {
	Council   string
	Status    string
	Areas     []ProspectiveArea
	Divergent []string // questions where it differs from the members' mean
	// ComparedWithRound is the members' round it is compared with: the
	// latest in which every member submitted.
	ComparedWithRound int
}

// ProspectiveArea compares a prospective partner with the partnership in one area.
type ProspectiveArea struct {
	ID              string
	Score           int
	PartnershipMean float64
	Target          int
	Gap             int
}

// Council is one council's answers in a comparison.
type Council struct {
	Name    string
	Answers Answers
	// Responses are the same answers with "not applicable" kept, for v2.
	Responses Responses
	// Version is the question version the council answered.
	Version string
	// Notes are the notes the council shares with its partners, by
	// question id (nil: it shares none).
	Notes map[string]string
}

// Compare sets councils side by side: per-area min/mean/max (a partnership
// is as ready as its least ready member), per-question spread and status,
// and the findings and actions that follow. Councils keep their given order.
func Compare(b *bank.Bank, form bank.Form, councils []Council) Comparison {
	c := Comparison{
		IntendedForm: form.ID, Councils: make([]string, 0, len(councils)),
		Areas: []ComparedArea{}, Questions: []ComparedQuestion{}, Similarities: []Finding{},
		Differences: []Finding{}, SharedWeaknesses: []Finding{}, Unknowns: []Finding{}, Actions: []Action{}, Prospective: []Prospective{},
	}
	if len(councils) == 0 {
		return c
	}
	rows := make([][]*int, len(councils))
	results := make([][]Area, len(councils))
	for i, k := range councils {
		c.Councils = append(c.Councils, k.Name)
		rows[i] = dense(b, k.Answers)
		results[i] = areaScores(b, form, rows[i])
	}
	for ai, area := range b.Areas {
		ca := ComparedArea{ID: area.ID, Title: area.Title, Target: form.Targets[area.ID], Scores: make(map[string]int, len(councils)), Min: math.MaxInt}
		sum := 0
		for i, k := range councils {
			s := results[i][ai].Score
			ca.Scores[k.Name] = s
			sum += s
			if s < ca.Min {
				ca.Min, ca.WeakestCouncil = s, k.Name
			}
			if s > ca.Max {
				ca.Max = s
			}
		}
		ca.Mean = math.Round(10*float64(sum)/float64(len(councils))) / 10
		ca.Spread = ca.Max - ca.Min
		ca.Band = Band(b.Scoring, ca.Target-ca.Min)
		c.Areas = append(c.Areas, ca)
	}
	for qi, q := range b.All() {
		cq := ComparedQuestion{ID: q.ID, Text: q.Text, Area: q.Area, Scores: make(map[string]*int, len(councils))}
		for _, k := range councils {
			if n := k.Notes[q.ID]; n != "" {
				if cq.Notes == nil {
					cq.Notes = map[string]string{}
				}
				cq.Notes[k.Name] = n
			}
		}
		lo, hi := math.MaxInt, 0
		klo, khi := math.MaxInt, -1 // over the councils that gave a score
		var low, unsure []string
		for i, k := range councils {
			a := rows[i][qi]
			cq.Scores[k.Name] = a
			s := value(a) // don't know and unanswered count as 0, as in scoring
			lo, hi = min(lo, s), max(hi, s)
			if a != nil {
				klo, khi = min(klo, *a), max(khi, *a)
			} else {
				unsure = append(unsure, k.Name)
			}
			if s <= b.Scoring.SharedWeaknessMax {
				low = append(low, k.Name)
			}
		}
		cq.Spread = hi - lo
		onlyUnknown := len(unsure) > 0 && (khi < 0 || khi-klo < b.Scoring.DivergenceSpread)
		switch {
		case onlyUnknown && (cq.Spread >= b.Scoring.DivergenceSpread || khi < 0):
			// The scores given agree; the spread comes from "don't know"
			// counted as 0. Finding out is the action, not reconciling.
			cq.Status = Unknown
			c.Unknowns = append(c.Unknowns, Finding{Question: q.ID, Area: q.Area, Summary: q.Text + " " + names(unsure) + " answered don't know; the others agree.",
				Kind: FindingUnknown, Text: q.Text, Unsure: unsure})
		case cq.Spread >= b.Scoring.DivergenceSpread:
			cq.Status = Divergent
			lowest, highest := atEnds(councils, rows, qi, lo, hi)
			c.Differences = append(c.Differences, Finding{Question: q.ID, Area: q.Area, Summary: q.Text + " Scores range " + spreadSummary(lowest, highest, lo, hi) + ".",
				Kind: FindingDivergent, Text: q.Text, Low: lo, High: hi, Lowest: lowest, Highest: highest})
			if len(low) > 0 {
				c.Actions = append(c.Actions, Action{Question: q.ID, Area: q.Area, Action: q.Action, Councils: low})
			}
		case hi <= b.Scoring.SharedWeaknessMax:
			cq.Status = SharedWeakness
			c.SharedWeaknesses = append(c.SharedWeaknesses, Finding{Question: q.ID, Area: q.Area, Summary: fmt.Sprintf("%s: every council scored %d or less", q.Text, b.Scoring.SharedWeaknessMax),
				Kind: FindingShared, Text: q.Text, Low: lo, High: b.Scoring.SharedWeaknessMax})
			c.Actions = append(c.Actions, Action{Question: q.ID, Area: q.Area, Action: q.Action, Councils: low})
		default:
			cq.Status = Aligned
			if lo >= b.Scoring.MaxScore-1 {
				c.Similarities = append(c.Similarities, Finding{Question: q.ID, Area: q.Area, Summary: fmt.Sprintf("%s: all councils scored %d or more", q.Text, lo),
					Kind: FindingSimilar, Text: q.Text, Low: lo, High: hi})
			}
		}
		c.Questions = append(c.Questions, cq)
	}
	// Shared weaknesses first: they need joint action; then the differences
	// that need a conversation.
	sort.SliceStable(c.Actions, func(i, j int) bool {
		return len(c.Actions[i].Councils) > len(c.Actions[j].Councils)
	})
	return c
}

// atEnds are the councils that scored lo and hi on question qi.
func atEnds(councils []Council, rows [][]*int, qi, lo, hi int) (low, high []string) {
	for i, k := range councils {
		switch value(rows[i][qi]) {
		case lo:
			low = append(low, k.Name)
		case hi:
			high = append(high, k.Name)
		}
	}
	return low, high
}

// spreadSummary says who scored lowest and highest, naming at most three
// councils at each end so the text stays readable for large partnerships.
func spreadSummary(low, high []string, lo, hi int) string {
	return "from " + strconv.Itoa(lo) + " (" + names(low) + ") to " + strconv.Itoa(hi) + " (" + names(high) + ")"
}

func names(n []string) string {
	if len(n) <= 3 {
		return strings.Join(n, ", ")
	}
	return strings.Join(n[:3], ", ") + " and " + strconv.Itoa(len(n)-3) + " more"
}

// SeatTrend is the change per area and question between two rounds, council
// by council, on the councils present in both (matched by name: the caller
// names each council after its seat). The headline change of an area
// compares the lowest score of those same councils then and now, so a
// council that joined or left cannot move it. Both rounds are scored with
// bank b under form.
func SeatTrend(b *bank.Bank, form bank.Form, previousRound int, prev, cur []Council) *Trend {
	t := &Trend{PreviousRound: previousRound, Councils: []string{}, Areas: []TrendArea{}, Questions: []TrendQuestion{}}
	before := map[string]Council{}
	for _, c := range prev {
		before[c.Name] = c
	}
	var now, then [][]Area
	var nowRows, thenRows [][]*int
	for _, c := range cur {
		p, ok := before[c.Name]
		if !ok {
			continue
		}
		t.Councils = append(t.Councils, c.Name)
		nr, pr := dense(b, c.Answers), dense(b, p.Answers)
		nowRows, thenRows = append(nowRows, nr), append(thenRows, pr)
		now, then = append(now, areaScores(b, form, nr)), append(then, areaScores(b, form, pr))
	}
	if len(t.Councils) == 0 {
		return t
	}
	for ai, area := range b.Areas {
		ta := TrendArea{Area: area.ID, Previous: map[string]int{}, Change: map[string]int{}}
		lo, plo := math.MaxInt, math.MaxInt
		for i, name := range t.Councils {
			s, ps := now[i][ai].Score, then[i][ai].Score
			ta.Previous[name], ta.Change[name] = ps, s-ps
			lo, plo = min(lo, s), min(plo, ps)
		}
		ta.MinDelta = lo - plo
		t.Areas = append(t.Areas, ta)
	}
	for qi, q := range b.All() {
		tq := TrendQuestion{ID: q.ID, Area: q.Area, Previous: map[string]*int{}, Now: map[string]*int{}}
		changed := false
		for i, name := range t.Councils {
			a, p := nowRows[i][qi], thenRows[i][qi]
			if (a == nil) != (p == nil) || (a != nil && *a != *p) {
				changed = true
			}
			tq.Previous[name], tq.Now[name] = p, a
		}
		if changed {
			t.Questions = append(t.Questions, tq)
		}
	}
	return t
}

// Prospect compares a prospective partner with the current members.
func Prospect(b *bank.Bank, form bank.Form, members Comparison, p Council) Prospective {
	r := Score(b, form, p.Answers)
	out := Prospective{Council: p.Name, Status: "submitted", Areas: []ProspectiveArea{}, Divergent: []string{}}
	for i, a := range r.Areas {
		pa := ProspectiveArea{ID: a.ID, Score: a.Score, Target: a.Target, Gap: a.Gap}
		if i < len(members.Areas) {
			pa.PartnershipMean = members.Areas[i].Mean
		}
		out.Areas = append(out.Areas, pa)
	}
	for _, q := range members.Questions {
		var sum, n float64
		for _, s := range q.Scores {
			v := 0
			if s != nil {
				v = *s
			}
			sum += float64(v)
			n++
		}
		if n == 0 {
			continue
		}
		ps := 0
		if s := p.Answers[q.ID]; s != nil {
			ps = *s
		}
		if math.Abs(float64(ps)-sum/n) >= float64(b.Scoring.DivergenceSpread) {
			out.Divergent = append(out.Divergent, q.ID)
		}
	}
	return out
}
