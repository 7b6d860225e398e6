package partnership

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/scoring"
)

// Compare returns the comparison of round n (0: the current round) of p,
// loaded with every round and member (one Query), for a principal with the
// given access. It needs no store, so the compare function links none. It
// is sealed — a *SealedError, a conflict — until every seat the round
// expects has submitted, or the round is closed. A prospective partner may
// not see it: it gets ProspectComparison instead.
func Compare(lib *bank.Library, p *Partnership, access Access, n int) (scoring.Comparison, error) {
	if access != MemberAccess && access != AdminAccess {
		return scoring.Comparison{}, failure.New(failure.Forbidden, "A prospective partner sees its own result; the comparison is for the partnership's members.")
	}
	return compare(lib, p, n)
}

// ViewerComparison is round n of p as a read-only link shows it: exactly
// what a member council sees (sealed until it unseals, shared notes only,
// the board summary), never the administrator's view.
func ViewerComparison(lib *bank.Library, p *Partnership, n int, now time.Time) (scoring.Comparison, error) {
	return CompareFor(lib, p, MemberAccess, "", n, now)
}

// Sealed returns the sealed state of round n: nil when its comparison can be
// read. It is what the status pages show as "1 of 3".
func (p *Partnership) Sealed(n int) *SealedError {
	r, ok := p.Round(n)
	if !ok || r.Status == Closed {
		return nil
	}
	if len(r.Expected) == 0 {
		// A round from before seats: councils matched by name, as then.
		var e *SealedError
		if errors.As(r.Seal(), &e) {
			e.LastDay = r.LastDay()
			return e
		}
		return nil
	}
	e := &SealedError{Round: n, Seats: []SealedSeat{}, LastDay: r.LastDay()}
	for _, sid := range r.Expected {
		st, ok := p.Seat(sid)
		if !ok || st.Withdrawn() {
			continue // a withdrawn seat is no longer waited for
		}
		ss := SealedSeat{Seat: sid, Council: st.Name}
		for _, m := range r.Members {
			ss.Submitted = ss.Submitted || (m.Seat == sid && m.Status == Submitted && !m.Prospective)
		}
		e.Seats = append(e.Seats, ss)
	}
	e.Expected = len(e.Seats)
	for _, ss := range e.Seats {
		if ss.Submitted {
			e.Submitted++
		}
	}
	if e.Expected > 0 && e.Submitted == e.Expected {
		return nil
	}
	return e
}

// complete reports whether every expected seat of round n submitted (a
// closed round counts only if it was complete when it closed).
func (p *Partnership) complete(n int) bool {
	r, ok := p.Round(n)
	if !ok {
		return false
	}
	open := *r
	open.Status = Open
	q := *p
	q.Rounds = []Round{open}
	return q.Sealed(n) == nil
}

// LatestComplete is the latest round in which every expected seat
// submitted, or 0. A prospective partner is compared with it: a
// half-finished round says little about the partnership.
func (p *Partnership) LatestComplete() int {
	for i := len(p.Rounds) - 1; i >= 0; i-- {
		if p.complete(p.Rounds[i].Number) {
			return p.Rounds[i].Number
		}
	}
	return 0
}

func compare(lib *bank.Library, p *Partnership, n int) (scoring.Comparison, error) {
	if n == 0 {
		n = p.CurrentRound
	}
	r, ok := p.Round(n)
	if !ok {
		return scoring.Comparison{}, failure.Said(failure.NotFound, "error.partnership.round.none", "Round", n)
	}
	if sealed := p.Sealed(n); sealed != nil {
		return scoring.Comparison{}, sealed
	}
	b := lib.Current()
	form, ok := b.Form(p.Form)
	if !ok {
		return scoring.Comparison{}, failure.New(failure.Internal, "unknown form %s", p.Form)
	}
	members, err := councils(lib, b, p, r, false)
	if err != nil {
		return scoring.Comparison{}, err
	}
	var before []scoring.Council
	prev, hasPrev := p.Round(n - 1)
	if hasPrev && r.Purpose == HealthCheck {
		if before, err = councils(lib, b, p, prev, false); err != nil {
			return scoring.Comparison{}, err
		}
	}
	// A round that spans question versions (or is trended against one on
	// another version) is scored on the mapped questions only, under the
	// current version's rules, and says so.
	var opt scoring.Options
	if b.UsesV2() && (otherVersion(b, members) || otherVersion(b, before)) {
		opt.Only = scoring.MappedQuestions(b)
	}
	cur := scoring.Compare(b, form, members)
	cur.Partnership, cur.Round = p.ID, n
	if b.UsesV2() {
		scoring.WithV2(&cur, b, r.Purpose, p.Form, seated(members), opt)
	}
	// A council that would itself go to another form than the partnership's
	// is the first difference to talk about: every score is read against
	// the partnership's targets.
	var formDiffs []scoring.Finding
	for _, m := range r.Members {
		if m.Prospective || m.Status != Submitted || m.PreferredForm == "" || m.PreferredForm == p.Form {
			continue
		}
		name := p.MemberNameIn(lib.Language(), m)
		formDiffs = append(formDiffs, scoring.Finding{Question: "intendedForm", Area: "",
			Summary: fmt.Sprintf("%s would go to %s; the partnership intends %s. Its scores are read against %s.", name, formTitle(b, m.PreferredForm), formTitle(b, p.Form), formTitle(b, p.Form)),
			Kind:    scoring.FindingForm, Council: name, Form: m.PreferredForm})
		cur.PreferredForms = append(cur.PreferredForms, scoring.PreferredForm{Council: name, Form: m.PreferredForm})
	}
	if len(formDiffs) > 0 {
		cur.Differences = append(formDiffs, cur.Differences...)
	}
	if hasPrev && r.Purpose == HealthCheck {
		cur.Trend = scoring.SeatTrend(b, form, prev.Number, before, members)
		cur.Trend.MappedOnly = opt.Only != nil
	}
	board := scoring.Summarise(b, cur)
	board.Purpose, board.OpenedAt, board.ClosedAt = r.Purpose, r.OpenedAt, r.ClosedAt
	for _, m := range r.Members {
		if !m.Prospective && m.SubmittedAt != nil && (board.LastSubmittedAt == nil || m.SubmittedAt.After(*board.LastSubmittedAt)) {
			board.LastSubmittedAt = m.SubmittedAt
		}
	}
	cur.Board = &board
	if base := p.LatestComplete(); base > 0 {
		var baseline scoring.Comparison
		if base == n {
			baseline = cur
		} else {
			br, _ := p.Round(base)
			bm, err := councils(lib, b, p, br, false)
			if err != nil {
				return scoring.Comparison{}, err
			}
			baseline = scoring.Compare(b, form, bm)
		}
		prospects, err := councils(lib, b, p, r, true)
		if err != nil {
			return scoring.Comparison{}, err
		}
		for _, c := range prospects {
			pv := scoring.Prospect(b, form, baseline, c)
			pv.ComparedWithRound = base
			cur.Prospective = append(cur.Prospective, pv)
		}
	}
	return cur, nil
}

// ProspectComparison is a prospective partner's view (member is its
// assessment): its own result against the members of the latest complete
// round, as means without names or dates.
func ProspectComparison(lib *bank.Library, p *Partnership, member string) (scoring.Comparison, error) {
	var m *Member
	var round int
	for i := range p.Rounds {
		for j := range p.Rounds[i].Members {
			if p.Rounds[i].Members[j].Assessment == member {
				m, round = &p.Rounds[i].Members[j], p.Rounds[i].Number
			}
		}
	}
	base := p.LatestComplete()
	if m == nil || m.Status != Submitted || m.SubmittedAt == nil {
		return scoring.Comparison{}, failure.New(failure.Conflict, "Submit your assessment first: then you see how it compares with the partnership's members.")
	}
	if base == 0 {
		return scoring.Comparison{}, failure.New(failure.Conflict, "The partnership has no round in which every member council has submitted yet, so there is nothing to compare with.")
	}
	b := lib.Current()
	form, ok := b.Form(p.Form)
	if !ok {
		return scoring.Comparison{}, failure.New(failure.Internal, "unknown form %s", p.Form)
	}
	br, _ := p.Round(base)
	members, err := councils(lib, b, p, br, false)
	if err != nil {
		return scoring.Comparison{}, err
	}
	rs, err := scores(lib, b, *m)
	if err != nil {
		return scoring.Comparison{}, err
	}
	baseline := scoring.Compare(b, form, members)
	pv := scoring.Prospect(b, form, baseline, scoring.Council{Name: m.Council, Answers: scoring.ScoresOf(rs), Responses: rs, Version: m.Version})
	pv.ComparedWithRound = base
	out := scoring.Compare(b, form, nil)
	out.Partnership, out.Round = p.ID, round
	out.Prospective = []scoring.Prospective{pv}
	return out, nil
}

func formTitle(b *bank.Bank, id string) string {
	if f, ok := b.Form(id); ok {
		return f.Title
	}
	return id
}

// scores reads a member's snapshot into responses keyed for bank b: a
// snapshot taken on an older bank version is mapped through b's mapping
// (merged questions carry the weaker answer).
func scores(lib *bank.Library, b *bank.Bank, m Member) (scoring.Responses, error) {
	mb, ok := lib.Get(m.Version)
	if !ok {
		return nil, failure.New(failure.Internal, "question bank %s is not available", m.Version)
	}
	rs, ok := scoring.DecodeResponses(mb, m.Snapshot)
	if !ok {
		return nil, failure.New(failure.Internal, "snapshot of assessment %s does not fit bank %s", m.Assessment, m.Version)
	}
	if mb.Version == b.Version {
		return rs, nil
	}
	if b.Previous == mb.Version {
		mapped, _ := scoring.MappedResponses(b, mb.Version, scoring.ScoresOf(rs))
		return mapped, nil
	}
	out := make(scoring.Responses, len(rs))
	for id, v := range rs {
		if _, same := b.Question(id); same {
			out[id] = v
		}
	}
	return out, nil
}

// sharedNotes are a member's shared notes keyed for bank b: a note on a
// question of another version follows the mapping, or is left out where
// the question has no counterpart (its wording would not fit).
func sharedNotes(lib *bank.Library, b *bank.Bank, m Member) map[string]string {
	if len(m.Notes) == 0 {
		return nil
	}
	out := make(map[string]string, len(m.Notes))
	ids := make([]string, 0, len(m.Notes))
	for id := range m.Notes {
		ids = append(ids, id)
	}
	slices.Sort(ids) // merged notes read in the same order every time
	for _, id := range ids {
		n := m.Notes[id]
		id, ok := b.Carried(m.Version, id)
		if !ok {
			continue
		}
		if prev, merged := out[id]; merged {
			n = prev + " / " + n // two old questions merged into one
		}
		out[id] = n
	}
	return out
}

func otherVersion(b *bank.Bank, cs []scoring.Council) bool {
	for _, c := range cs {
		if c.Version != b.Version {
			return true
		}
	}
	return false
}

func seated(cs []scoring.Council) []scoring.Seated {
	out := make([]scoring.Seated, 0, len(cs))
	for _, c := range cs {
		out = append(out, scoring.Seated{Name: c.Name, Responses: c.Responses})
	}
	return out
}

// councils returns the submitted members of a round, scores keyed for bank
// b. A member with a seat is named after the seat, so two rounds line up by
// seat even if a council was renamed; of several submissions for one seat
// (or, before seats, one council name) the latest counts. Seats keep the
// order they were added; members without one, the order they joined.
func councils(lib *bank.Library, b *bank.Bank, p *Partnership, r *Round, prospective bool) ([]scoring.Council, error) {
	var out []scoring.Council
	index := map[string]int{}
	latest := map[string]time.Time{}
	for _, m := range orderBySeat(p, r.Members) {
		if m.Prospective != prospective || m.Status != Submitted || m.SubmittedAt == nil {
			continue
		}
		rs, err := scores(lib, b, m)
		if err != nil {
			return nil, err
		}
		// The label's language is the library's, as the bank's words are.
		name := p.MemberNameIn(lib.Language(), m)
		c := scoring.Council{Name: name, Answers: scoring.ScoresOf(rs), Responses: rs, Version: m.Version, Notes: sharedNotes(lib, b, m)}
		k := "seat:" + m.Seat
		if m.Seat == "" {
			k = "name:" + NameKey(m.Council)
		}
		if i, seen := index[k]; seen {
			if m.SubmittedAt.After(latest[k]) {
				out[i], latest[k] = c, *m.SubmittedAt
			}
			continue
		}
		index[k], latest[k] = len(out), *m.SubmittedAt
		out = append(out, c)
	}
	return out, nil
}

// orderBySeat lists members with a seat in seat order, then the others in
// the order they joined.
func orderBySeat(p *Partnership, members []Member) []Member {
	out := make([]Member, 0, len(members))
	for _, st := range p.Seats {
		for _, m := range members {
			if m.Seat == st.ID {
				out = append(out, m)
			}
		}
	}
	for _, m := range members {
		if _, ok := p.Seat(m.Seat); !ok {
			out = append(out, m)
		}
	}
	return out
}

// SummaryIn is SealedSummary in l.
func (e *SealedError) SummaryIn(l locale.Lang) string { return progress(l, e) }

// SealedSummary is "1 of 3" with the councils still to submit, for pages.
func (e *SealedError) SealedSummary() string {
	var waiting []string
	for _, s := range e.Seats {
		if !s.Submitted {
			waiting = append(waiting, s.Council)
		}
	}
	if len(waiting) == 0 {
		return fmt.Sprintf("%d of %d", e.Submitted, e.Expected)
	}
	return fmt.Sprintf("%d of %d (waiting for %s)", e.Submitted, e.Expected, strings.Join(waiting, ", "))
}

// CompareFor is Compare for members and admins, with the board's follow-up
// of the action register on the day of now, and ProspectComparison for a
// prospective partner (member: its assessment).
func CompareFor(lib *bank.Library, p *Partnership, access Access, member string, n int, now time.Time) (scoring.Comparison, error) {
	if access == ProspectiveAccess {
		return ProspectComparison(lib, p, member)
	}
	c, err := Compare(lib, p, access, n)
	if err == nil {
		WithFollowUp(lib, p, &c, now)
	}
	return c, err
}
