package partnership

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
)

// TestRoundMessagesInWelsh: the messages that quote a round's number or
// counts read as they always did in English, and in Welsh with the same
// values (issue 21).
func TestRoundMessagesInWelsh(t *testing.T) {
	t.Parallel()
	s := &Service{}
	ctx := context.Background()
	p := &Partnership{CurrentRound: 2, Rounds: []Round{{Number: 1, Status: Closed}, {Number: 2, Status: Open}}}
	call := func(access Access, n int) error {
		_, err := s.CloseRound(ctx, p, access, n)
		return err
	}
	sealed := (&Round{Number: 2, Status: Open, Members: []Member{{Council: "Bath", Status: Submitted}, {Council: "Bristol", Status: Draft}}}).Seal()
	cases := []struct {
		err      error
		english  string
		inWelsh  []string // each must appear in the Welsh
		wantCode failure.Code
	}{
		{call(MemberAccess, 2), "Only an administrator of the partnership can close a round.", []string{"o weinyddwyr", "cau rownd"}, failure.Forbidden},
		{call(AdminAccess, 7), "The partnership has no round 7.", []string{"rownd 7"}, failure.NotFound},
		{call(AdminAccess, 1), "Round 1 is already closed.", []string{"rownd 1", "ar gau"}, failure.Conflict},
		{staleRound(1, 2), "Round 1 is no longer the current round (round 2 is): a round was opened since. Reload the partnership.", []string{"rownd 1", "rownd 2"}, failure.Conflict},
		{sealed, "The comparison is sealed until every council in round 2 has submitted (1 of 2 so far), or the administrator closes the round.", []string{"rownd 2", "(1 o 2 hyd yma)"}, failure.Conflict},
		{tooManyAdmins(), "A partnership can have up to 5 administrators. Remove one before adding another.", []string{"hyd at 5 o weinyddwyr"}, failure.Conflict},
	}
	for _, c := range cases {
		fe, ok := failure.As(c.err)
		if !ok {
			t.Fatalf("%v is not a failure", c.err)
		}
		if fe.Code != c.wantCode || fe.Message != c.english {
			t.Errorf("got %s %q, want %s %q", fe.Code, fe.Message, c.wantCode, c.english)
			continue
		}
		if fe.Text == nil {
			t.Errorf("%q has no text to say in Welsh", fe.Message)
			continue
		}
		cy := fe.Text.In(locale.Welsh)
		for _, w := range c.inWelsh {
			if !strings.Contains(cy, w) {
				t.Errorf("%q in Welsh is %q, without %q", fe.Message, cy, w)
			}
		}
	}
}

// TestSeatLabelInTheReadersLanguage: a withdrawn seat's label says so in
// the language asked for, English as the API has always had it; a seat
// still in the partnership is its name in any language.
func TestSeatLabelInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	in, out := Seat{Name: "Cyngor Conwy"}, Seat{Name: "Cyngor Conwy", WithdrawnAt: &at}
	for _, c := range []struct {
		seat Seat
		lang locale.Lang
		want string
	}{
		{in, locale.English, "Cyngor Conwy"},
		{in, locale.Welsh, "Cyngor Conwy"},
		{out, locale.English, "Cyngor Conwy (withdrawn)"},
		{out, locale.Welsh, "Cyngor Conwy (wedi tynnu’n ôl)"},
	} {
		if got := c.seat.LabelIn(c.lang); got != c.want {
			t.Errorf("%+v in %s: got %q, want %q", c.seat.Name, c.lang, got, c.want)
		}
	}
	if got := out.Label(); got != "Cyngor Conwy (withdrawn)" {
		t.Errorf("Label: got %q", got)
	}
}
