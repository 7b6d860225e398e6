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

// RoleID is a colleague's role when several people of one council answer
// (issue 19, decision D4). Each version that has colleagues' answers lists
// exactly these in its bank.yaml with the words shown for them.
type RoleID string

// Values lists the roles in display order.
func (RoleID) Values() []string {
	return []string{"programme-manager", "section-151-officer", "monitoring-officer", "lead-member",
		"chief-executive", "hr-lead", "service-lead", "other"}
}

// Valid reports whether r is one of Values.
func (r RoleID) Valid() bool { return slices.Contains(r.Values(), string(r)) }
