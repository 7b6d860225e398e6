package assessment

import "slices"

// The closed sets of this package (decision D4): one declaration each, read
// by the request validators, the OpenAPI generator (enum) and the pages. The
// constants above stay untyped so existing string fields keep working.

// Purpose is why a council assesses itself.
type Purpose string

// Values lists the purposes in display order.
func (Purpose) Values() []string { return []string{Readiness, HealthCheck, NewPartner} }

// Valid reports whether p is one of Values.
func (p Purpose) Valid() bool { return slices.Contains(p.Values(), string(p)) }

// Status is where an assessment is in its life.
type Status string

// Values lists the statuses in order.
func (Status) Values() []string { return []string{Draft, Submitted} }

// Valid reports whether s is one of Values.
func (s Status) Valid() bool { return slices.Contains(s.Values(), string(s)) }
