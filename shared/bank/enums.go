package bank

import "slices"

// FormID is a form of sharing on the continuum (decision D4). The forms'
// words are data (forms.yaml of each version); their ids are this closed
// set, and a test checks every embedded version lists exactly these, in
// this order.
type FormID string

// Values lists the continuum from the loosest form to the closest.
func (FormID) Values() []string {
	return []string{"co-exist", "communicate", "cooperate", "coordinate", "collaborate", "combine"}
}

// Valid reports whether f is one of Values.
func (f FormID) Valid() bool { return slices.Contains(f.Values(), string(f)) }

// MaxScore is the top of the 0..MaxScore answer scale; every version must
// use it (validate.go), so the API can state it once.
const MaxScore = maxScore
