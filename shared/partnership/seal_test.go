package partnership

import (
	"errors"
	"testing"

	"github.com/openrasp/rasp/shared/failure"
)

func TestRoundSeal(t *testing.T) {
	t.Parallel()
	member := func(council, status string, prospective bool) Member {
		return Member{Council: council, Status: status, Prospective: prospective}
	}
	cases := []struct {
		name    string
		round   Round
		want    *SealedError // nil: open to see
		wantErr bool
	}{
		{"nobody joined, open", Round{Number: 1, Status: Open}, &SealedError{Round: 1}, true},
		{"nobody joined, closed", Round{Number: 1, Status: Closed}, nil, false},
		{"only a prospective partner submitted", Round{Number: 2, Status: Open, Members: []Member{member("Bath", Submitted, true)}}, &SealedError{Round: 2}, true},
		{"one of two submitted", Round{Number: 1, Status: Open, Members: []Member{member("Bath", Submitted, false), member("Bristol", Draft, false)}}, &SealedError{Round: 1, Expected: 2, Submitted: 1}, true},
		{"all submitted", Round{Number: 1, Status: Open, Members: []Member{member("Bath", Submitted, false), member("Bristol", Submitted, false)}}, nil, false},
		{"one council, two assessments, one submitted", Round{Number: 1, Status: Open, Members: []Member{member("Bath", Draft, false), member(" bath ", Submitted, false)}}, nil, false},
		{"closed early", Round{Number: 3, Status: Closed, Members: []Member{member("Bath", Draft, false)}}, nil, false},
	}
	for _, c := range cases {
		err := c.round.Seal()
		var got *SealedError
		if errors.As(err, &got) != c.wantErr {
			t.Fatalf("%s: got %v, want sealed=%v", c.name, err, c.wantErr)
		}
		if c.want != nil && (got.Round != c.want.Round || got.Expected != c.want.Expected || got.Submitted != c.want.Submitted) {
			t.Errorf("%s: got %+v, want %+v", c.name, *got, *c.want)
		}
		if c.wantErr && failure.CodeOf(err) != failure.Conflict {
			t.Errorf("%s: code %q, want conflict", c.name, failure.CodeOf(err))
		}
	}
}
