package scoring

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// byPriority orders as a stable sort by priority, highest first, does:
// ties keep their bank order.
func TestByPriorityIsTheStableOrder(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(22, 3))
	for n := range 40 {
		s := make([]Shortfall, n)
		for i := range s {
			s[i] = Shortfall{Question: strconv.Itoa(i), Priority: float64(r.IntN(4)) * []float64{0.5, 1, 1.5}[r.IntN(3)]}
		}
		want := slices.Clone(s)
		slices.SortStableFunc(want, func(a, b Shortfall) int { return cmp.Compare(b.Priority, a.Priority) })
		byPriority(s)
		if !slices.EqualFunc(s, want, func(a, b Shortfall) bool { return a.Question == b.Question }) {
			t.Fatalf("%d shortfalls: got %v, want %v", n, s, want)
		}
	}
}
