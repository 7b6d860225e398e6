package api

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// This file writes the comparison, the largest body the API sends (at 50
// councils several hundred KB of maps keyed by council), without reflection:
// byte for byte what encoding/json writes for the same value (HTML-safe
// escaping, map keys sorted, nil slices and maps as null, omitempty), as
// TestAppendJSONMatchesEncodingJSON checks field by field. The shape is the
// structs' tags; nothing here changes it.

// AppendJSON appends the comparison as JSON to b. It fails only where
// encoding/json would: on a mean that is not a finite number, or a time
// outside years 0–9999.
func (c Comparison) AppendJSON(b []byte) ([]byte, error) {
	e := &encoder{b: b}
	e.comparison(&c)
	return e.b, e.err
}

type encoder struct {
	b   []byte
	err error
	// councils are the comparison's council names, sorted: the keys of
	// most of its maps, sorted once rather than once per map.
	councils []string
}

// key writes a member's name (a literal such as `"id":`), after a comma
// unless it is the first member.
func (e *encoder) key(first bool, name string) {
	if !first {
		e.b = append(e.b, ',')
	}
	e.b = append(e.b, name...)
}

func (e *encoder) int(n int) { e.b = strconv.AppendInt(e.b, int64(n), 10) }

func (e *encoder) bool(v bool) { e.b = strconv.AppendBool(e.b, v) }

func (e *encoder) intPtr(n *int) {
	if n == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.int(*n)
}

// float writes f as encoding/json does: the shortest decimal that reads
// back as f, in exponent form only for very small or large values.
func (e *encoder) float(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		if e.err == nil {
			e.err = errors.New("json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, 64))
		}
		e.b = append(e.b, '0')
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.b = strconv.AppendFloat(e.b, f, format, -1, 64)
	if format == 'e' {
		// e-09 to e-9, as encoding/json cleans it up.
		if n := len(e.b); n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
			e.b[n-2] = e.b[n-1]
			e.b = e.b[:n-1]
		}
	}
}

// time writes t as time.Time's MarshalJSON does (RFC 3339 with nanoseconds).
func (e *encoder) time(t time.Time) {
	if y := t.Year(); y < 0 || y > 9999 {
		if e.err == nil {
			e.err = errors.New("json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]")
		}
	}
	e.b = append(e.b, '"')
	e.b = t.AppendFormat(e.b, time.RFC3339Nano)
	e.b = append(e.b, '"')
}

func (e *encoder) timePtr(t *time.Time) {
	if t == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.time(*t)
}

const hex = "0123456789abcdef"

// str writes s quoted and escaped as encoding/json does with HTML escaping
// on: <, > and & as \u00XX, U+2028 and U+2029 escaped, invalid UTF-8 as
// U+FFFD.
func (e *encoder) str(s string) {
	b := append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	e.b = append(b, '"')
}

func (e *encoder) strings(ss []string) {
	if ss == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '[')
	for i, s := range ss {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.str(s)
	}
	e.b = append(e.b, ']')
}

// object writes a map with string keys in sorted order, as encoding/json
// does, each value by val.
func object[V any](e *encoder, m map[string]V, val func(V)) {
	if m == nil {
		e.b = append(e.b, "null"...)
		return
	}
	keys := e.councils
	for _, k := range keys {
		if _, ok := m[k]; !ok || len(keys) != len(m) {
			keys = nil
			break
		}
	}
	if keys == nil || len(keys) != len(m) {
		keys = make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
	}
	e.b = append(e.b, '{')
	for i, k := range keys {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.str(k)
		e.b = append(e.b, ':')
		val(m[k])
	}
	e.b = append(e.b, '}')
}

// array writes a slice (null when nil), each element by el.
func array[T any](e *encoder, s []T, el func(*T)) {
	if s == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '[')
	for i := range s {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		el(&s[i])
	}
	e.b = append(e.b, ']')
}

func (e *encoder) comparison(c *Comparison) {
	e.councils = slices.Compact(slices.Sorted(slices.Values(c.Councils)))
	e.b = append(e.b, '{')
	e.key(true, `"partnership":`)
	e.str(c.Partnership)
	e.key(false, `"round":`)
	e.int(c.Round)
	e.key(false, `"intendedForm":`)
	e.str(c.IntendedForm)
	e.key(false, `"councils":`)
	e.strings(c.Councils)
	e.key(false, `"areas":`)
	array(e, c.Areas, e.comparedArea)
	e.key(false, `"questions":`)
	array(e, c.Questions, e.comparedQuestion)
	e.key(false, `"similarities":`)
	array(e, c.Similarities, e.finding)
	e.key(false, `"differences":`)
	array(e, c.Differences, e.finding)
	e.key(false, `"sharedWeaknesses":`)
	array(e, c.SharedWeaknesses, e.finding)
	e.key(false, `"unknowns":`)
	array(e, c.Unknowns, e.finding)
	if len(c.PreferredForms) > 0 {
		e.key(false, `"preferredForms":`)
		array(e, c.PreferredForms, e.preferredForm)
	}
	e.key(false, `"actions":`)
	array(e, c.Actions, e.action)
	if c.Trend != nil {
		e.key(false, `"trend":`)
		e.trend(c.Trend)
	}
	e.key(false, `"prospective":`)
	array(e, c.Prospective, e.prospective)
	if c.Verdict != nil {
		e.key(false, `"verdict":`)
		e.partnershipVerdict(c.Verdict)
	}
	if c.Board != nil {
		e.key(false, `"board":`)
		e.board(c.Board)
	}
	e.b = append(e.b, '}')
}

func (e *encoder) comparedArea(a *ComparedArea) {
	e.key(true, `{"id":`)
	e.str(a.ID)
	e.key(false, `"title":`)
	e.str(a.Title)
	e.key(false, `"target":`)
	e.int(a.Target)
	e.key(false, `"min":`)
	e.int(a.Min)
	e.key(false, `"mean":`)
	e.float(a.Mean)
	e.key(false, `"max":`)
	e.int(a.Max)
	e.key(false, `"spread":`)
	e.int(a.Spread)
	e.key(false, `"band":`)
	e.str(a.Band)
	e.key(false, `"scores":`)
	object(e, a.Scores, e.int)
	e.key(false, `"weakestCouncil":`)
	e.str(a.WeakestCouncil)
	e.b = append(e.b, '}')
}

func (e *encoder) comparedQuestion(q *ComparedQuestion) {
	e.key(true, `{"id":`)
	e.str(q.ID)
	e.key(false, `"text":`)
	e.str(q.Text)
	e.key(false, `"area":`)
	e.str(q.Area)
	e.key(false, `"scores":`)
	object(e, q.Scores, e.intPtr)
	e.key(false, `"spread":`)
	e.int(q.Spread)
	e.key(false, `"status":`)
	e.str(q.Status)
	if len(q.Notes) > 0 {
		e.key(false, `"notes":`)
		object(e, q.Notes, e.str)
	}
	e.b = append(e.b, '}')
}

func (e *encoder) finding(f *Finding) {
	e.key(true, `{"question":`)
	e.str(f.Question)
	e.key(false, `"area":`)
	e.str(f.Area)
	e.key(false, `"summary":`)
	e.str(f.Summary)
	e.b = append(e.b, '}')
}

func (e *encoder) preferredForm(f *PreferredForm) {
	e.key(true, `{"council":`)
	e.str(f.Council)
	e.key(false, `"form":`)
	e.str(f.Form)
	e.b = append(e.b, '}')
}

func (e *encoder) action(a *Action) {
	e.key(true, `{"question":`)
	e.str(a.Question)
	e.key(false, `"area":`)
	e.str(a.Area)
	e.key(false, `"action":`)
	e.str(a.Action)
	e.key(false, `"councils":`)
	e.strings(a.Councils)
	e.b = append(e.b, '}')
}

func (e *encoder) trend(t *Trend) {
	e.key(true, `{"previousRound":`)
	e.int(t.PreviousRound)
	e.key(false, `"areas":`)
	array(e, t.Areas, e.trendArea)
	if t.MappedOnly {
		e.key(false, `"mappedOnly":`)
		e.bool(t.MappedOnly)
	}
	e.key(false, `"councils":`)
	e.strings(t.Councils)
	e.key(false, `"questions":`)
	array(e, t.Questions, e.trendQuestion)
	e.b = append(e.b, '}')
}

func (e *encoder) trendArea(a *TrendArea) {
	e.key(true, `{"area":`)
	e.str(a.Area)
	e.key(false, `"previous":`)
	object(e, a.Previous, e.int)
	e.key(false, `"change":`)
	object(e, a.Change, e.int)
	e.key(false, `"minChange":`)
	e.int(a.MinDelta)
	e.b = append(e.b, '}')
}

func (e *encoder) trendQuestion(q *TrendQuestion) {
	e.key(true, `{"id":`)
	e.str(q.ID)
	e.key(false, `"area":`)
	e.str(q.Area)
	e.key(false, `"previous":`)
	object(e, q.Previous, e.intPtr)
	e.key(false, `"now":`)
	object(e, q.Now, e.intPtr)
	e.b = append(e.b, '}')
}

func (e *encoder) prospective(p *Prospective) {
	e.key(true, `{"council":`)
	e.str(p.Council)
	e.key(false, `"status":`)
	e.str(p.Status)
	e.key(false, `"areas":`)
	array(e, p.Areas, e.prospectiveArea)
	e.key(false, `"divergentQuestions":`)
	e.strings(p.Divergent)
	e.key(false, `"comparedWithRound":`)
	e.int(p.ComparedWithRound)
	e.b = append(e.b, '}')
}

func (e *encoder) prospectiveArea(a *ProspectiveArea) {
	e.key(true, `{"id":`)
	e.str(a.ID)
	e.key(false, `"score":`)
	e.int(a.Score)
	e.key(false, `"partnershipMean":`)
	e.float(a.PartnershipMean)
	e.key(false, `"target":`)
	e.int(a.Target)
	e.key(false, `"gap":`)
	e.int(a.Gap)
	e.b = append(e.b, '}')
}

func (e *encoder) partnershipVerdict(v *PartnershipVerdict) {
	e.key(true, `{"profile":`)
	e.str(v.Profile)
	e.key(false, `"verdict":`)
	e.str(v.Verdict)
	e.key(false, `"heldBackBy":`)
	array(e, v.HeldBackBy, e.seatVerdict)
	e.key(false, `"seats":`)
	array(e, v.Seats, e.seatVerdict)
	e.key(false, `"statuses":`)
	object(e, v.Statuses, func(m map[string]string) { object(e, m, e.str) })
	e.key(false, `"mappedOnly":`)
	e.bool(v.MappedOnly)
	e.key(false, `"scored":`)
	e.int(v.Scored)
	e.b = append(e.b, '}')
}

func (e *encoder) seatVerdict(s *SeatVerdict) {
	e.key(true, `{"council":`)
	e.str(s.Council)
	e.key(false, `"verdict":`)
	e.str(s.Verdict)
	e.key(false, `"blockers":`)
	e.strings(s.Blockers)
	if s.DeepestReadyForm != "" {
		e.key(false, `"deepestReadyForm":`)
		e.str(s.DeepestReadyForm)
	}
	e.b = append(e.b, '}')
}

func (e *encoder) board(b *Board) {
	e.key(true, `{"round":`)
	e.int(b.Round)
	e.key(false, `"purpose":`)
	e.str(b.Purpose)
	e.key(false, `"intendedForm":`)
	e.str(b.IntendedForm)
	e.key(false, `"openedAt":`)
	e.time(b.OpenedAt)
	if b.ClosedAt != nil {
		e.key(false, `"closedAt":`)
		e.time(*b.ClosedAt)
	}
	e.key(false, `"lastSubmittedAt":`)
	e.timePtr(b.LastSubmittedAt)
	if b.Verdict != "" {
		e.key(false, `"verdict":`)
		e.str(b.Verdict)
	}
	e.key(false, `"heldBackBy":`)
	array(e, b.HeldBackBy, e.seatVerdict)
	e.key(false, `"formMismatches":`)
	array(e, b.FormMismatches, e.preferredForm)
	e.key(false, `"divergent":`)
	array(e, b.Divergent, e.boardQuestion)
	e.key(false, `"divergentTotal":`)
	e.int(b.DivergentTotal)
	e.key(false, `"sharedWeaknesses":`)
	array(e, b.SharedWeaknesses, e.boardQuestion)
	e.key(false, `"alignedAreas":`)
	e.strings(b.AlignedAreas)
	e.key(false, `"followUp":`)
	e.followUp(&b.FollowUp)
	e.b = append(e.b, '}')
}

func (e *encoder) followUp(f *BoardFollowUp) {
	e.key(true, `{"overdue":`)
	array(e, f.Overdue, e.boardAction)
	e.key(false, `"overdueTotal":`)
	e.int(f.OverdueTotal)
	e.key(false, `"doneNotImproved":`)
	array(e, f.DoneNotImproved, e.boardAction)
	e.key(false, `"doneNotImprovedTotal":`)
	e.int(f.DoneNotImprovedTotal)
	e.b = append(e.b, '}')
}

func (e *encoder) boardAction(a *BoardAction) {
	e.key(true, `{"id":`)
	e.str(a.ID)
	e.key(false, `"title":`)
	e.str(a.Title)
	e.key(false, `"owners":`)
	e.strings(a.Owners)
	e.key(false, `"ownerRole":`)
	e.str(a.OwnerRole)
	e.key(false, `"due":`)
	e.str(a.Due)
	e.key(false, `"status":`)
	e.str(a.Status)
	e.key(false, `"round":`)
	e.int(a.Round)
	e.key(false, `"moves":`)
	array(e, a.Moves, e.boardMove)
	e.b = append(e.b, '}')
}

func (e *encoder) boardMove(m *BoardMove) {
	e.key(true, `{"question":`)
	e.str(m.Question)
	e.key(false, `"text":`)
	e.str(m.Text)
	e.key(false, `"thenLowest":`)
	e.int(m.ThenLowest)
	e.key(false, `"nowLowest":`)
	e.int(m.NowLowest)
	e.b = append(e.b, '}')
}

func (e *encoder) boardQuestion(q *BoardQuestion) {
	e.key(true, `{"question":`)
	e.str(q.Question)
	e.key(false, `"area":`)
	e.str(q.Area)
	e.key(false, `"text":`)
	e.str(q.Text)
	e.key(false, `"spread":`)
	e.int(q.Spread)
	e.key(false, `"mustHave":`)
	e.bool(q.MustHave)
	e.key(false, `"answers":`)
	array(e, q.Answers, e.councilAnswer)
	e.b = append(e.b, '}')
}

func (e *encoder) councilAnswer(a *CouncilAnswer) {
	e.key(true, `{"council":`)
	e.str(a.Council)
	e.key(false, `"score":`)
	e.intPtr(a.Score)
	if a.NotApplicable {
		e.key(false, `"notApplicable":`)
		e.bool(a.NotApplicable)
	}
	e.key(false, `"wording":`)
	e.str(a.Wording)
	if a.Note != "" {
		e.key(false, `"note":`)
		e.str(a.Note)
	}
	e.b = append(e.b, '}')
}
