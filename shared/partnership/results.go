package partnership

import (
	"strconv"
	"time"

	"github.com/openrasp/rasp/shared/failure"
)

// Created is the result of creating a partnership. AdminToken is the only
// copy of the administrator's capability: the store keeps its hash.
type Created struct {
	ID         string
	JoinCode   string
	AdminToken string
	// AdminMailed says whether the admin link went to the contact address.
	AdminMailed bool
	// Seats are the member councils' invitations: the only copies of their
	// tokens.
	Seats []Invitation
}

// Invitation is a seat's invitation, returned once at creation.
type Invitation struct {
	Seat    string
	Council string
	Token   string
	Mailed  bool
}

// RoundChange is the result of opening or closing a round.
type RoundChange struct {
	Number int
	Status string // Open or Closed
	// LastDay is the deadline picked for a round just opened (zero for none).
	LastDay time.Time
}

// SealedError says a round's comparison is still sealed: not every council
// counted in it has submitted and the administrator has not closed it. It
// carries what the reader may know: the counts, and for members and admins
// which expected seats have submitted (Seats; empty for a prospective
// partner). The transport layer maps it to the sealed problem
// (docs/design.md D3). It is a conflict.
type SealedError struct {
	Round     int
	Expected  int // councils counted in the round (prospective partners are not)
	Submitted int // of those, how many have submitted
	Seats     []SealedSeat
	// LastDay is the round's deadline, the last day to submit (zero for none).
	LastDay time.Time
}

// SealedSeat is one expected council of a sealed round.
type SealedSeat struct {
	Seat      string // empty on a round from before seats
	Council   string
	Submitted bool
}

func (e *SealedError) Error() string { return e.failure().Error() }

// Unwrap gives the coded failure, so failure.CodeOf sees a conflict and
// failure.As the message for people.
func (e *SealedError) Unwrap() error { return e.failure() }

func (e *SealedError) failure() *failure.Error {
	return failure.Said(failure.Conflict, "error.partnership.sealed", "Round", e.Round, "Submitted", e.Submitted, "Expected", e.Expected).Of(failure.KindSealed)
}

// Seal returns a *SealedError while the round's comparison is sealed, nil
// once it may be seen: every counted council has submitted, or the round is
// closed. A round nobody has joined yet stays sealed until it is closed.
func (r *Round) Seal() error {
	// A council counts once even if it started more than one assessment
	// (an abandoned draft, say): it has submitted when any of them has.
	done := map[string]bool{}
	var order []string
	name := map[string]string{}
	for _, m := range r.Members {
		if !m.Prospective {
			k := councilKey(m.Council)
			if _, seen := done[k]; !seen {
				order, name[k] = append(order, k), m.Council
			}
			done[k] = done[k] || m.Status == Submitted
		}
	}
	expected, submitted := len(done), 0
	for _, ok := range done {
		if ok {
			submitted++
		}
	}
	if r.Status == Closed || (expected > 0 && submitted == expected) {
		return nil
	}
	e := &SealedError{Round: r.Number, Expected: expected, Submitted: submitted, Seats: []SealedSeat{}}
	for _, k := range order {
		e.Seats = append(e.Seats, SealedSeat{Council: name[k], Submitted: done[k]})
	}
	return e
}

// MaxRound is the highest round number: the store keys rounds R#<nnnn>.
const MaxRound = 9999

// ParseRound reads a round number as the API and the pages give it (a path
// segment or ?round=): "" is 0, the current round; otherwise a whole number
// from 1 to MaxRound, else invalid naming the field "round".
func ParseRound(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxRound {
		return 0, failure.Fields("Check the round number.", failure.FieldError{Field: "round", Message: "must be a whole number from 1"})
	}
	return n, nil
}

// councilKey matches council names typed differently ("Brent", "brent ",
// "Bre\u200bnt") on rounds from before seats.
func councilKey(name string) string { return NameKey(name) }
