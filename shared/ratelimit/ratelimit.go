// Package ratelimit limits how often one client, or one code or address
// being tried, may use the routes that anyone can call without a credential:
// starting an assessment, creating a partnership, joining with a code and
// asking for a new link (docs/design.md D8). Without it the only limit is
// the stage-wide API Gateway throttle, so one client flooding drafts or
// guessing join codes would lock out every council.
//
// Each limit is a fixed window counted in the table with one conditional
// write: no read, no clock shared between Lambdas beyond the window's start.
// A client may at worst get twice the limit across a window's edge, which is
// acceptable for limits set to stop floods and guessing, not to meter use.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"time"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/secret"
)

// Policy is one limit: at most Limit uses per Window for each subject.
type Policy struct {
	Name   string
	Limit  int
	Window time.Duration
	// What names the action in the refusal, "start an assessment".
	What string
}

// The policies. Limits per client address are set high enough for a whole
// council behind one NAT address (tens of officers on one morning); limits
// per code or address being tried are set low, as one code or address has
// few honest users.
var (
	// Create: starting assessments and creating partnerships, per client
	// address.
	Create = Policy{Name: "create", Limit: 60, Window: 10 * time.Minute, What: "start assessments or create partnerships"}
	// Join: tries of a join code, per client address, right or wrong.
	Join = Policy{Name: "join", Limit: 20, Window: 10 * time.Minute, What: "try join codes"}
	// JoinCode: tries of one join code, from any address.
	JoinCode = Policy{Name: "join-code", Limit: 30, Window: time.Hour, What: "use this join code"}
	// Recover: "send me a new link" requests, per client address.
	Recover = Policy{Name: "recover", Limit: 10, Window: time.Hour, What: "ask for new links"}
	// RecoverTarget: requests for one assessment's or partnership's links,
	// or to one e-mail address, so nobody can fill a council's inbox.
	RecoverTarget = Policy{Name: "recover-target", Limit: 3, Window: time.Hour, What: "ask for a new link for this"}
)

// Policies lists every policy, for configuration and documentation.
func Policies() []Policy { return []Policy{Create, Join, JoinCode, Recover, RecoverTarget} }

// Counter counts one use in a window and refuses it when the window already
// holds limit uses. The DynamoDB store implements it with one conditional
// UpdateItem; key names the policy and hashed subject, window its start, and
// expires is when the count may be deleted.
type Counter interface {
	CountUse(ctx context.Context, key string, window time.Time, limit int, expires time.Time) (allowed bool, err error)
}

// Limiter applies policies through a Counter.
type Limiter struct {
	counter   Counter
	now       func() time.Time
	overrides map[string]Policy
}

// New returns a limiter. overrides replace the limit and window of policies
// by name (config RATE_LIMITS); nil keeps the defaults.
func New(counter Counter, now func() time.Time, overrides map[string]Policy) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{counter: counter, now: now, overrides: overrides}
}

// Policy returns p as configured (an override's limit and window).
func (l *Limiter) Policy(p Policy) Policy {
	if o, ok := l.overrides[p.Name]; ok {
		p.Limit, p.Window = o.Limit, o.Window
	}
	return p
}

// Allow counts one use of p by subject (a client address, a code, an
// e-mail address). Over the limit it returns a TooManyRequests failure
// whose RetryAfter is the time left in the window. The subject is stored
// only as a hash, and only until the window ends.
func (l *Limiter) Allow(ctx context.Context, p Policy, subject string) error {
	p = l.Policy(p)
	if p.Limit <= 0 || p.Window <= 0 {
		return nil // switched off by configuration
	}
	now := l.now()
	start := now.Truncate(p.Window)
	end := start.Add(p.Window)
	ok, err := l.counter.CountUse(ctx, Key(p, subject), start, p.Limit, end.Add(time.Hour))
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	wait := time.Duration(math.Ceil(end.Sub(now).Seconds())) * time.Second
	e := failure.Said(failure.TooManyRequests, "error.ratelimit.tooMany", "What", doing(p), "Wait", waiting(wait))
	e.RetryAfter = wait
	return e
}

// doing is what a policy limits, said in a reader's language: a policy of
// this package by its catalogue words (error.ratelimit.what.*), any other
// (a test's, or one a caller made) by its What as written.
type doing Policy

// whatKeys names each policy's words in the catalogue.
var whatKeys = map[string]string{
	Create.Name: "error.ratelimit.what.create", Join.Name: "error.ratelimit.what.join", JoinCode.Name: "error.ratelimit.what.joinCode",
	Recover.Name: "error.ratelimit.what.recover", RecoverTarget.Name: "error.ratelimit.what.recoverTarget",
}

// In is what d limits, in l.
func (d doing) In(l locale.Lang) string {
	for _, p := range Policies() {
		if p.Name == d.Name && p.What == d.What {
			return locale.Messages().T(l, whatKeys[p.Name], nil)
		}
	}
	return d.What
}

// waiting is a wait said in a reader's language, rounded up to the minute
// past one minute: "7 minutes", "45 seconds".
type waiting time.Duration

// In is w in l.
func (w waiting) In(l locale.Lang) string {
	d := time.Duration(w)
	if d <= time.Minute {
		return locale.Messages().T(l, "error.ratelimit.seconds", map[string]any{"Count": int(math.Max(1, d.Seconds()))})
	}
	return locale.Messages().T(l, "error.ratelimit.minutes", map[string]any{"Count": int(math.Ceil(d.Minutes()))})
}

// Key is the stored key of a subject under a policy: a hash, so the table
// never holds a client's address, a code or an e-mail address.
func Key(p Policy, subject string) string {
	h := sha256.Sum256([]byte("rasp-rate-limit\x00" + p.Name + "\x00" + subject))
	return p.Name + "#" + hex.EncodeToString(h[:16])
}

// ClientAddress is the subject for a client's address: an IPv4 address as
// it is, an IPv6 address by its /64, since one site or household holds a
// whole /64 and could otherwise take a new address for every request.
// header is the value of the viewer-address header a CDN adds
// ("198.51.100.10:46532", "2001:db8::1:46532"); sourceIP is API Gateway's.
func ClientAddress(header, sourceIP string) string {
	raw := sourceIP
	if header != "" {
		raw = header
		// CloudFront-Viewer-Address ends in ":port".
		if i := strings.LastIndexByte(header, ':'); i > 0 {
			if _, err := netip.ParseAddr(header[:i]); err == nil {
				raw = header[:i]
			}
		}
	}
	a, err := netip.ParseAddr(strings.Trim(raw, "[]"))
	if err != nil {
		return "unknown"
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// Requester is a request that can count a use under a policy and knows its
// client's address (httpapi.Request).
type Requester interface {
	Limit(ctx context.Context, p Policy, subject string) error
	ClientAddress() string
}

// JoinTries applies the join-code limits to a start that gives a code:
// tries per client address, right or wrong, so guessing is slow; and tries
// of that one code from anywhere. The API and the web form both call it.
func JoinTries(ctx context.Context, r Requester, code string) error {
	if strings.TrimSpace(code) == "" {
		return nil
	}
	if err := r.Limit(ctx, Join, r.ClientAddress()); err != nil {
		return err
	}
	return r.Limit(ctx, JoinCode, secret.NormaliseJoinCode(code))
}

// RecoveryTries applies the per-target limits of "send me a new link" (the
// router counts the client address): the id whose links are asked for and
// the address they would go to, so nobody can fill a council's inbox from
// many addresses.
func RecoveryTries(ctx context.Context, r Requester, id, email string) error {
	if err := r.Limit(ctx, RecoverTarget, "id:"+id); err != nil {
		return err
	}
	return r.Limit(ctx, RecoverTarget, "email:"+strings.ToLower(strings.TrimSpace(email)))
}

// ParseOverrides reads RATE_LIMITS: "create=120/10m,recover=20/1h". A
// limit of 0 switches a policy off (for a load test on a private stack).
func ParseOverrides(s string) (map[string]Policy, error) {
	known := map[string]bool{}
	for _, p := range Policies() {
		known[p.Name] = true
	}
	out := map[string]Policy{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, rate, ok := strings.Cut(part, "=")
		if !ok || !known[name] {
			return nil, fmt.Errorf("%q: expected name=limit/window with a name among %s", part, names())
		}
		n, w, ok := strings.Cut(rate, "/")
		var limit int
		if _, err := fmt.Sscan(n, &limit); !ok || err != nil || limit < 0 {
			return nil, fmt.Errorf("%q: the limit must be a whole number", part)
		}
		window, err := time.ParseDuration(w)
		if err != nil || window < time.Second || window > 24*time.Hour {
			return nil, fmt.Errorf("%q: the window must be a duration from 1s to 24h, like 10m", part)
		}
		out[name] = Policy{Name: name, Limit: limit, Window: window}
	}
	return out, nil
}

func names() string {
	var n []string
	for _, p := range Policies() {
		n = append(n, p.Name)
	}
	return strings.Join(n, ", ")
}
