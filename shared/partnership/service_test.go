package partnership_test

import (
	"context"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/memstore"
	"github.com/openrasp/rasp/shared/partnership"
)

// These tests run the partnership's rules with the assessment journey on
// the memory store (unit tier: no Java, milliseconds).

var ctx = context.Background()

func intp(i int) *int { return &i }

type fixture struct {
	store *memstore.Store
	lib   *bank.Library
	svc   *partnership.Service
	as    *assessment.Service
	p     *partnership.Partnership
	seats []string // seat ids in the order of the councils
}

func newFixture(t *testing.T, councils ...string) *fixture {
	t.Helper()
	lib, err := bank.Compiled()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: memstore.New(), lib: lib}
	f.svc = partnership.NewService(f.store, lib, time.Now)
	f.as = assessment.NewService(f.store, lib, time.Now)
	in := partnership.CreateInput{Name: "West Shared Services", Form: "collaborate", ContactEmail: "admin@example.gov.uk", CadenceMonths: 12}
	for _, c := range councils {
		in.Councils = append(in.Councils, partnership.SeatInput{Name: c})
	}
	out, err := f.svc.Create(ctx, in, idempotency.Request{})
	if err != nil {
		fe, _ := failure.As(err)
		t.Fatalf("create partnership: %v %+v", err, fe)
	}
	for _, inv := range out.Seats {
		f.seats = append(f.seats, inv.Seat)
	}
	f.p = &partnership.Partnership{ID: out.ID}
	f.load(t)
	return f
}

// load reads the partnership again.
func (f *fixture) load(t *testing.T) *partnership.Partnership {
	t.Helper()
	p, err := f.store.LoadPartnership(ctx, f.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.p = p
	return p
}

// start starts seat i's assessment for the current round.
func (f *fixture) start(t *testing.T, i int) (assessment.Started, error) {
	t.Helper()
	j, err := f.store.ResolveSeat(ctx, f.p.ID, f.seats[i])
	if err != nil {
		t.Fatal(err)
	}
	return f.as.StartForSeat(ctx, j, assessment.SeatStartInput{Respondent: assessment.Respondent{Name: "Sam Lee", Role: "Programme manager"}}, idempotency.Request{})
}

// submit starts seat i's assessment, answers everything and submits.
func (f *fixture) submit(t *testing.T, i int) {
	t.Helper()
	st, err := f.start(t, i)
	if err != nil {
		t.Fatalf("start seat %d: %v", i, err)
	}
	a, err := f.store.Load(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.as.Bank(a.Version)
	answers := map[string]assessment.Answer{}
	for _, q := range b.Questions() {
		answers[q.ID] = assessment.Answer{Score: intp(2 + i%3)}
	}
	if _, err := f.as.SaveAnswers(ctx, a, answers, nil); err != nil {
		t.Fatalf("save seat %d: %v", i, err)
	}
	if a, err = f.store.Load(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.as.Submit(ctx, a); err != nil {
		t.Fatalf("submit seat %d: %v", i, err)
	}
}

// A round's comparison is sealed until every expected seat has submitted,
// and opened early by closing the round.
func TestRoundSealOnTheStore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		submitted []int // seats that submit
		started   []int // seats that start but do not submit
		close     bool
		want      *partnership.SealedError // nil: open to see
	}{
		{"nobody submitted", nil, nil, false, &partnership.SealedError{Round: 1, Expected: 3}},
		{"one draft, nobody submitted", nil, []int{0}, false, &partnership.SealedError{Round: 1, Expected: 3}},
		{"two of three submitted", []int{0, 2}, []int{1}, false, &partnership.SealedError{Round: 1, Expected: 3, Submitted: 2}},
		{"every seat submitted", []int{0, 1, 2}, nil, false, nil},
		{"one submitted, then closed", []int{1}, nil, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "Bath", "Bristol", "Cheltenham")
			for _, i := range c.submitted {
				f.submit(t, i)
			}
			for _, i := range c.started {
				if _, err := f.start(t, i); err != nil {
					t.Fatal(err)
				}
			}
			if c.close {
				if _, err := f.svc.CloseRound(ctx, f.load(t), partnership.AdminAccess, 1); err != nil {
					t.Fatalf("close: %v", err)
				}
			}
			got := f.load(t).Sealed(1)
			switch {
			case c.want == nil && got != nil:
				t.Errorf("sealed %+v, want open", got)
			case c.want != nil && got == nil:
				t.Errorf("open, want sealed %+v", c.want)
			case c.want != nil && (got.Round != c.want.Round || got.Expected != c.want.Expected || got.Submitted != c.want.Submitted):
				t.Errorf("sealed round %d with %d of %d, want round %d with %d of %d", got.Round, got.Submitted, got.Expected, c.want.Round, c.want.Submitted, c.want.Expected)
			}
			_, err := partnership.Compare(f.lib, f.p, partnership.AdminAccess, 1)
			if sealed := failure.CodeOf(err) != ""; sealed != (c.want != nil) {
				t.Errorf("comparison: got %v, want sealed %v", err, c.want != nil)
			}
		})
	}
}

// One assessment per seat per round: a second start is a conflict, and the
// next round takes a new one.
func TestOneStartPerSeatPerRound(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "Bath", "Bristol")
	if _, err := f.start(t, 0); err != nil {
		t.Fatalf("first start: %v", err)
	}
	_, err := f.start(t, 0)
	if failure.CodeOf(err) != failure.Conflict {
		t.Errorf("second start in round 1: got %v, want conflict", err)
	}
	if _, err := f.start(t, 1); err != nil {
		t.Errorf("the other seat's start: %v", err)
	}
	if _, err := f.svc.OpenRound(ctx, f.load(t), partnership.AdminAccess, partnership.RoundInput{Purpose: partnership.HealthCheck, After: 1}, idempotency.Request{}); err != nil {
		t.Fatalf("open round 2: %v", err)
	}
	st, err := f.start(t, 0)
	if err != nil || st.Round != 2 {
		t.Errorf("start in round 2: got %+v, %v, want round 2", st, err)
	}
	if got := f.load(t); len(got.Rounds) != 2 || len(got.Rounds[0].Members) != 2 || len(got.Rounds[1].Members) != 1 {
		t.Errorf("members per round: %+v", got.Rounds)
	}
}

func TestRoundChanges(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(f *fixture) error
		want   failure.Code // "" for success
	}{
		{"open after the current round", func(f *fixture) error {
			_, err := f.svc.OpenRound(ctx, f.p, partnership.AdminAccess, partnership.RoundInput{Purpose: partnership.HealthCheck, After: 1}, idempotency.Request{})
			return err
		}, ""},
		{"open after a round already followed", func(f *fixture) error {
			if _, err := f.svc.OpenRound(ctx, f.p, partnership.AdminAccess, partnership.RoundInput{Purpose: partnership.HealthCheck, After: 1}, idempotency.Request{}); err != nil {
				return err
			}
			_, err := f.svc.OpenRound(ctx, f.p, partnership.AdminAccess, partnership.RoundInput{Purpose: partnership.HealthCheck, After: 1}, idempotency.Request{})
			return err
		}, failure.Conflict},
		{"open by a member", func(f *fixture) error {
			_, err := f.svc.OpenRound(ctx, f.p, partnership.MemberAccess, partnership.RoundInput{Purpose: partnership.HealthCheck, After: 1}, idempotency.Request{})
			return err
		}, failure.Forbidden},
		{"close twice", func(f *fixture) error {
			if _, err := f.svc.CloseRound(ctx, f.p, partnership.AdminAccess, 1); err != nil {
				return err
			}
			_, err := f.svc.CloseRound(ctx, f.p, partnership.AdminAccess, 1)
			return err
		}, failure.Conflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "Bath")
			err := c.change(f)
			if got := failure.CodeOf(err); (c.want == "" && err != nil) || (c.want != "" && got != c.want) {
				t.Errorf("got %v (%s), want %q", err, got, c.want)
			}
		})
	}
}
