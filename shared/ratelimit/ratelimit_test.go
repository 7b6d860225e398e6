package ratelimit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/ratelimit"
)

// memCounter is the in-memory Counter for fast tests: the DynamoDB one is
// tested on DynamoDB Local in shared/lambdas.
type memCounter struct {
	mu   sync.Mutex
	uses map[string]int
}

func (m *memCounter) CountUse(_ context.Context, key string, window time.Time, limit int, _ time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.uses == nil {
		m.uses = map[string]int{}
	}
	k := key + "@" + window.String()
	if m.uses[k] >= limit {
		return false, nil
	}
	m.uses[k]++
	return true, nil
}

func TestAllowRefusesOverTheLimitUntilTheWindowEnds(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 3, 20, 0, time.UTC)
	p := ratelimit.Policy{Name: "create", Limit: 2, Window: 10 * time.Minute, What: "start assessments"}
	l := ratelimit.New(&memCounter{}, func() time.Time { return now }, nil)
	ctx := context.Background()
	for i := range 2 {
		if err := l.Allow(ctx, p, "203.0.113.10"); err != nil {
			t.Fatalf("use %d: %v", i+1, err)
		}
	}
	err := l.Allow(ctx, p, "203.0.113.10")
	fe, ok := failure.As(err)
	if !ok || fe.Code != failure.TooManyRequests {
		t.Fatalf("third use: got %v, want too many requests", err)
	}
	// The window started at 09:00 and ends at 09:10: 6 min 40 s to go.
	if got, want := fe.RetryAfter, 400*time.Second; got != want {
		t.Errorf("retry after: got %v, want %v", got, want)
	}
	if got, want := fe.Message, "You have tried to start assessments too many times. Wait 7 minutes and try again."; got != want {
		t.Errorf("message:\n got %q\nwant %q", got, want)
	}
	if err := l.Allow(ctx, p, "198.51.100.7"); err != nil {
		t.Errorf("another client: %v", err)
	}
	now = now.Add(7 * time.Minute)
	if err := l.Allow(ctx, p, "203.0.113.10"); err != nil {
		t.Errorf("next window: %v", err)
	}
}

func TestOverridesChangeOrSwitchOffAPolicy(t *testing.T) {
	o, err := ratelimit.ParseOverrides("create=1/1m, join=0/10m")
	if err != nil {
		t.Fatal(err)
	}
	l := ratelimit.New(&memCounter{}, nil, o)
	ctx := context.Background()
	if got := l.Policy(ratelimit.Create); got.Limit != 1 || got.Window != time.Minute || got.What != ratelimit.Create.What {
		t.Errorf("create as configured: %+v", got)
	}
	_ = l.Allow(ctx, ratelimit.Create, "a")
	if err := l.Allow(ctx, ratelimit.Create, "a"); failure.CodeOf(err) != failure.TooManyRequests {
		t.Errorf("create over its override: got %v", err)
	}
	for range 50 {
		if err := l.Allow(ctx, ratelimit.Join, "a"); err != nil {
			t.Fatalf("join switched off: %v", err)
		}
	}
}

func TestParseOverridesRefusesWhatItCannotRead(t *testing.T) {
	for _, in := range []string{"create", "nope=1/1m", "create=x/1m", "create=-1/1m", "create=1", "create=1/0s", "create=1/48h"} {
		if _, err := ratelimit.ParseOverrides(in); err == nil {
			t.Errorf("%q: accepted", in)
		}
	}
}

func TestClientAddress(t *testing.T) {
	cases := []struct{ header, source, want string }{
		{"", "203.0.113.10", "203.0.113.10"},
		{"198.51.100.10:46532", "130.176.1.1", "198.51.100.10"},
		{"2001:db8:85a3:1:2:8a2e:370:7334:46532", "130.176.1.1", "2001:db8:85a3:1::/64"},
		{"", "2001:db8:85a3:1:ffff::1", "2001:db8:85a3:1::/64"},
		{"", "::ffff:203.0.113.10", "203.0.113.10"},
		{"", "", "unknown"},
		{"nonsense", "", "unknown"},
	}
	for _, c := range cases {
		if got := ratelimit.ClientAddress(c.header, c.source); got != c.want {
			t.Errorf("ClientAddress(%q, %q): got %q, want %q", c.header, c.source, got, c.want)
		}
	}
}

func TestKeyHidesTheSubject(t *testing.T) {
	k := ratelimit.Key(ratelimit.Create, "203.0.113.10")
	if k == ratelimit.Key(ratelimit.Join, "203.0.113.10") || k == ratelimit.Key(ratelimit.Create, "203.0.113.11") {
		t.Error("keys collide across policies or subjects")
	}
	if len(k) != len("create#")+32 {
		t.Errorf("key %q", k)
	}
}

// The refusal reads in the reader's language: a policy of the package and
// the wait in Welsh words, with the English as before.
func TestRefusalIsSaidInWelsh(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 2, 9, 59, 58, 0, time.UTC)
	tests := []struct {
		p      ratelimit.Policy
		window time.Duration
		en, cy string
	}{
		{ratelimit.Create, 10 * time.Minute, "You have tried to start assessments or create partnerships too many times. Wait 2 seconds and try again.",
			"Rydych wedi ceisio dechrau asesiadau neu greu partneriaethau ormod o weithiau. Arhoswch 2 eiliad a rhowch gynnig arall arni."},
		{ratelimit.JoinCode, time.Hour, "You have tried to use this join code too many times. Wait 2 seconds and try again.",
			"Rydych wedi ceisio defnyddio’r cod ymuno hwn ormod o weithiau. Arhoswch 2 eiliad a rhowch gynnig arall arni."},
	}
	for _, tt := range tests {
		l := ratelimit.New(&memCounter{}, func() time.Time { return now }, map[string]ratelimit.Policy{tt.p.Name: {Limit: 1, Window: tt.window}})
		ctx := context.Background()
		if err := l.Allow(ctx, tt.p, "203.0.113.10"); err != nil {
			t.Fatalf("%s: first use: %v", tt.p.Name, err)
		}
		fe, ok := failure.As(l.Allow(ctx, tt.p, "203.0.113.10"))
		if !ok || fe.Text == nil {
			t.Fatalf("%s: second use: got %v, want a refusal said from the catalogue", tt.p.Name, fe)
		}
		if fe.Message != tt.en {
			t.Errorf("%s: English:\n got %q\nwant %q", tt.p.Name, fe.Message, tt.en)
		}
		if got := fe.Text.In(locale.Welsh); got != tt.cy {
			t.Errorf("%s: Welsh:\n got %q\nwant %q", tt.p.Name, got, tt.cy)
		}
	}
	// Minutes, two of them taking the soft mutation in Welsh.
	l := ratelimit.New(&memCounter{}, func() time.Time { return now.Add(-time.Minute) }, map[string]ratelimit.Policy{"recover": {Limit: 1, Window: time.Hour}})
	ctx := context.Background()
	_ = l.Allow(ctx, ratelimit.Recover, "a")
	fe, _ := failure.As(l.Allow(ctx, ratelimit.Recover, "a"))
	if fe == nil || fe.Text == nil {
		t.Fatal("recover: got no refusal")
	}
	if got, want := fe.Text.In(locale.Welsh), "Rydych wedi ceisio gofyn am ddolenni newydd ormod o weithiau. Arhoswch 2 funud a rhowch gynnig arall arni."; got != want {
		t.Errorf("recover: Welsh:\n got %q\nwant %q", got, want)
	}
}
