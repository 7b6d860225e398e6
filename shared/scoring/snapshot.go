package scoring

import (
	"strings"

	"github.com/openrasp/rasp/shared/bank"
)

// A snapshot is a council's scores as one short string in bank order: a
// digit per question, '?' for "don't know", '.' for unanswered. Stored on the
// partnership membership at submit, it keeps that item well under 1 KB (one
// write unit) and makes a comparison decode one string per council instead
// of a map of sixty attributes.

// EncodeSnapshot writes answers in the order of b's questions.
func EncodeSnapshot(b *bank.Bank, answers Answers) string {
	var sb strings.Builder
	for _, q := range b.All() {
		a, ok := answers[q.ID]
		switch {
		case !ok:
			sb.WriteByte('.')
		case a == nil:
			sb.WriteByte('?')
		default:
			sb.WriteByte(byte('0' + *a))
		}
	}
	return sb.String()
}

// scoreValues lets decoded answers point into one shared array.
var scoreValues = [10]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}

// DecodeSnapshot reads a snapshot written with the same bank version. It
// returns false when the snapshot does not fit the bank.
func DecodeSnapshot(b *bank.Bank, s string) (Answers, bool) {
	n := b.NumQuestions()
	if len(s) != n {
		return nil, false
	}
	out := make(Answers, n)
	for i, q := range b.All() {
		switch c := s[i]; {
		case c == '.':
		case c == '?':
			out[q.ID] = nil
		case c >= '0' && c <= byte('0'+b.Scoring.MaxScore):
			out[q.ID] = &scoreValues[c-'0']
		default:
			return nil, false
		}
	}
	return out, true
}

// notApplicableMark stands for a "not applicable" answer in a v2 snapshot.
// The reason stays with the assessment: a comparison shows only the status.
const notApplicableMark = 'n'

// EncodeResponses is EncodeSnapshot for v2 responses: 'n' marks not
// applicable. For answers without not-applicable it writes exactly what
// EncodeSnapshot writes, so v1 snapshots are unchanged.
func EncodeResponses(b *bank.Bank, rs Responses) string {
	var sb strings.Builder
	for _, q := range b.All() {
		r, ok := rs[q.ID]
		switch {
		case !ok:
			sb.WriteByte('.')
		case r.NotApplicable:
			sb.WriteByte(notApplicableMark)
		case r.Score == nil:
			sb.WriteByte('?')
		default:
			sb.WriteByte(byte('0' + *r.Score))
		}
	}
	return sb.String()
}

// DecodeResponses reads a snapshot written with the same bank version into
// responses. It returns false when the snapshot does not fit the bank.
func DecodeResponses(b *bank.Bank, s string) (Responses, bool) {
	n := b.NumQuestions()
	if len(s) != n {
		return nil, false
	}
	out := make(Responses, n)
	for i, q := range b.All() {
		switch c := s[i]; {
		case c == '.':
		case c == '?':
			out[q.ID] = Response{}
		case c == notApplicableMark:
			out[q.ID] = Response{NotApplicable: true}
		case c >= '0' && c <= byte('0'+b.Scoring.MaxScore):
			out[q.ID] = Response{Score: &scoreValues[c-'0']}
		default:
			return nil, false
		}
	}
	return out, true
}

// ScoresOf drops not-applicable answers, for the v1-shaped comparison
// table, where they read as unanswered.
func ScoresOf(rs Responses) Answers {
	out := make(Answers, len(rs))
	for id, r := range rs {
		if !r.NotApplicable {
			out[id] = r.Score
		}
	}
	return out
}
