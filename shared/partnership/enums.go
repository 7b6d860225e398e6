package partnership

import "slices"

// The closed sets of this package (decision D4): one declaration each, read
// by the validators and the OpenAPI generator.

// RoundStatus is whether a round still takes submissions.
type RoundStatus string

// Values lists the round statuses.
func (RoundStatus) Values() []string { return []string{Open, Closed} }

// Valid reports whether s is one of Values.
func (s RoundStatus) Valid() bool { return slices.Contains(s.Values(), string(s)) }

// RoundPurpose is what a round is for: the first readiness check, then
// health-checks.
type RoundPurpose string

// Values lists the round purposes.
func (RoundPurpose) Values() []string { return []string{Readiness, HealthCheck} }

// Valid reports whether p is one of Values.
func (p RoundPurpose) Valid() bool { return slices.Contains(p.Values(), string(p)) }

// MemberStatus is the status of a member's assessment in a round.
type MemberStatus string

// Values lists the member statuses.
func (MemberStatus) Values() []string { return []string{Draft, Submitted} }

// Valid reports whether s is one of Values.
func (s MemberStatus) Valid() bool { return slices.Contains(s.Values(), string(s)) }

// Cadence is how many months pass between health-checks.
type Cadence int

// Values lists the cadences a partnership may choose.
func (Cadence) Values() []int { return []int{3, 6, 12} }

// Valid reports whether c is one of Values.
func (c Cadence) Valid() bool { return slices.Contains(c.Values(), int(c)) }
