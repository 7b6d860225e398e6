package scoring

import "slices"

// The closed sets of this package (decision D4): one declaration each, read
// by the OpenAPI generator (enum) and the pages.

// BandValue classifies an area's gap to its target.
type BandValue string

// Values lists the bands from best to worst.
func (BandValue) Values() []string { return []string{Strength, Developing, Weakness} }

// Valid reports whether b is one of Values.
func (b BandValue) Valid() bool { return slices.Contains(b.Values(), string(b)) }

// ReadinessValue is the verdict over all areas.
type ReadinessValue string

// Values lists the verdicts from best to worst.
func (ReadinessValue) Values() []string { return []string{Ready, ReadyWithGaps, NotReady} }

// Valid reports whether r is one of Values.
func (r ReadinessValue) Valid() bool { return slices.Contains(r.Values(), string(r)) }

// QuestionStatus is how the councils of a round stand on one question.
type QuestionStatus string

// Values lists the question statuses.
func (QuestionStatus) Values() []string { return []string{Aligned, Divergent, SharedWeakness, Unknown} }

// Valid reports whether s is one of Values.
func (s QuestionStatus) Valid() bool { return slices.Contains(s.Values(), string(s)) }
