package partnership

import (
	"slices"
	"time"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/scoring"
)

// QuestionMove is one linked question of an action: each council's score
// in the round the action was created in (then) and in the round being
// read (now), on the councils that submitted in both, and how the lowest of
// those moved. A partnership is as ready as its least ready member, so the
// lowest score is the one an action has to lift.
type QuestionMove struct {
	Question string
	Councils []string // in both rounds, in seat order
	Then     map[string]*int
	Now      map[string]*int
	// ThenLow and NowLow are the lowest scores ("don't know" counts as 0).
	ThenLow, NowLow int
}

// Change is NowLow − ThenLow.
func (m QuestionMove) Change() int { return m.NowLow - m.ThenLow }

// ActionProgress answers "did it move the score?" for one action.
type ActionProgress struct {
	Action    action.Action
	ThenRound int
	NowRound  int
	Questions []QuestionMove
	// Measured is false when there is nothing to compare yet: the round
	// read is the one the action was created in (or earlier), either round
	// is still sealed, or the action links no question.
	Measured bool
}

// Improved reports whether the lowest score rose on at least one linked
// question and fell on none.
func (a ActionProgress) Improved() bool {
	up := false
	for _, m := range a.Questions {
		if m.Change() < 0 {
			return false
		}
		up = up || m.Change() > 0
	}
	return a.Measured && up
}

// Progress is every action of p measured in round n (0: the current
// round): then (its round) against now (n). It needs no store: p was
// loaded with its rounds, members' score snapshots and actions in one Query.
func Progress(lib *bank.Library, p *Partnership, n int) []ActionProgress {
	if n == 0 {
		n = p.CurrentRound
	}
	b := lib.Current()
	readable := func(round int) ([]scoring.Council, bool) {
		r, ok := p.Round(round)
		if !ok || p.Sealed(round) != nil {
			return nil, false
		}
		cs, err := councils(lib, b, p, r, false)
		return cs, err == nil
	}
	// Round n's councils are decoded once, and only when an action is
	// measured against them: most reads of a comparison have none to measure.
	var now []scoring.Council
	nowRead, nowOK := false, false
	cache := map[int][]scoring.Council{}
	out := make([]ActionProgress, 0, len(p.Actions))
	for _, a := range p.Actions {
		ap := ActionProgress{Action: a, ThenRound: a.Round, NowRound: n}
		if a.Round >= n || len(a.Questions) == 0 {
			out = append(out, ap)
			continue
		}
		if !nowRead {
			now, nowOK = readable(n)
			nowRead = true
		}
		then, ok := cache[a.Round]
		if !ok {
			var readableThen bool
			if then, readableThen = readable(a.Round); !readableThen {
				then = nil
			}
			cache[a.Round] = then
		}
		if !nowOK || then == nil {
			out = append(out, ap)
			continue
		}
		before := map[string]scoring.Council{}
		for _, c := range then {
			before[c.Name] = c
		}
		for _, q := range a.Questions {
			m := QuestionMove{Question: q, Then: map[string]*int{}, Now: map[string]*int{}, ThenLow: 4, NowLow: 4}
			for _, c := range now {
				pc, ok := before[c.Name]
				if !ok {
					continue
				}
				m.Councils = append(m.Councils, c.Name)
				m.Then[c.Name], m.Now[c.Name] = pc.Answers[q], c.Answers[q]
				m.ThenLow, m.NowLow = min(m.ThenLow, scoreOr0(pc.Answers[q])), min(m.NowLow, scoreOr0(c.Answers[q]))
			}
			if len(m.Councils) > 0 {
				ap.Questions = append(ap.Questions, m)
			}
		}
		ap.Measured = len(ap.Questions) > 0
		out = append(out, ap)
	}
	return out
}

func scoreOr0(s *int) int {
	if s == nil {
		return 0
	}
	return *s
}

// FollowUp is what a board should hear about the register in round n: the
// actions overdue on the day of now, and the actions done whose questions
// did not improve by round n. The board summary shows it.
type FollowUp struct {
	Round           int
	Overdue         []action.Action
	DoneNotImproved []ActionProgress
}

// ActionFollowUp is the FollowUp of p in round n (0: the current round).
func ActionFollowUp(lib *bank.Library, p *Partnership, n int, now time.Time) FollowUp {
	if n == 0 {
		n = p.CurrentRound
	}
	f := FollowUp{Round: n, Overdue: []action.Action{}, DoneNotImproved: []ActionProgress{}}
	for _, ap := range Progress(lib, p, n) {
		switch {
		case ap.Action.Overdue(now):
			f.Overdue = append(f.Overdue, ap.Action)
		case ap.Action.Status == action.Done && ap.Measured && !ap.Improved():
			f.DoneNotImproved = append(f.DoneNotImproved, ap)
		}
	}
	return f
}

// WithFollowUp puts the register's follow-up of c's round on the day of now
// onto c's board (nothing without a board): at most scoring.BoardFollowUpMax
// of each list, the most overdue first, with the totals. It needs no store:
// the actions came with the partnership's one Query.
func WithFollowUp(lib *bank.Library, p *Partnership, c *scoring.Comparison, now time.Time) {
	if c.Board == nil {
		return
	}
	f := ActionFollowUp(lib, p, c.Round, now)
	overdue := slices.Clone(f.Overdue)
	slices.SortStableFunc(overdue, func(x, y action.Action) int { return x.Due.Compare(y.Due) })
	b := lib.Current()
	out := scoring.BoardFollowUp{Overdue: []scoring.BoardAction{}, DoneNotImproved: []scoring.BoardAction{},
		OverdueTotal: len(overdue), DoneNotImprovedTotal: len(f.DoneNotImproved)}
	for _, a := range overdue[:min(len(overdue), scoring.BoardFollowUpMax)] {
		out.Overdue = append(out.Overdue, boardAction(lib.Language(), p, a))
	}
	for _, ap := range f.DoneNotImproved[:min(len(f.DoneNotImproved), scoring.BoardFollowUpMax)] {
		ba := boardAction(lib.Language(), p, ap.Action)
		for _, m := range ap.Questions {
			bm := scoring.BoardMove{Question: m.Question, ThenLow: m.ThenLow, NowLow: m.NowLow}
			if q, ok := b.Question(m.Question); ok {
				bm.Text = q.Text
			}
			ba.Moves = append(ba.Moves, bm)
		}
		out.DoneNotImproved = append(out.DoneNotImproved, ba)
	}
	c.Board.FollowUp = out
}

// boardAction is a in the board summary, its owners labelled in l.
func boardAction(l locale.Lang, p *Partnership, a action.Action) scoring.BoardAction {
	ba := scoring.BoardAction{ID: a.ID, Title: a.Title, OwnerRole: a.OwnerRole, Due: a.Due, Status: string(a.Status), Round: a.Round, Owners: []string{}, Moves: []scoring.BoardMove{}}
	for _, sid := range a.OwnerSeats {
		if st, ok := p.Seat(sid); ok {
			ba.Owners = append(ba.Owners, st.LabelIn(l))
		}
	}
	return ba
}
