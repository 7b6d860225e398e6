// Package viewer is the read-only link (issue 20, docs/design.md D1 and
// D13): a board member or an auditor sees an assessment's report, or a
// partnership round's comparison, and can change nothing. A link is a
// capability of its own (a token stored only as its hash, on the partition
// it shows), chosen to expire on a date the sharer picks, and revoked by
// deleting its one item.
//
// The package knows nothing of HTTP, JSON or DynamoDB: it holds the rules
// (expiry, label, how many links) and the service that applies them.
package viewer

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/names"
	"github.com/openrasp/rasp/shared/secret"
)

// The rules of a link's life.
const (
	// DefaultDays is how long a link works when the sharer picks no date.
	DefaultDays = 30
	// MaxDays is the latest expiry a sharer may pick, counted from today.
	MaxDays = 365
	// MaxLive is how many live links one report or one partnership may
	// have: a list a sharer can still read and revoke from.
	MaxLive = 20
	// MaxLabel is the length of "who it is for".
	MaxLabel = 100
)

// DateLayout is how an expiry date is written in the API.
const DateLayout = "2006-01-02"

// Subject is what a link shows.
type Subject string

// The two things a link can show.
const (
	Report     Subject = "report"     // an assessment's report (A#<id>)
	Comparison Subject = "comparison" // a partnership round's comparison (P#<pid>)
)

// Owner names the report or partnership a link belongs to.
type Owner struct {
	Subject Subject
	ID      string
}

// Link is one read-only link as stored: never its token, only the hash.
type Link struct {
	ID        string
	TokenHash []byte
	Label     string
	// Round is the partnership round a comparison link shows (0 for a report).
	Round     int
	CreatedAt time.Time
	// Expires is the first instant the link no longer works: the start of
	// the day after the date the sharer picked (UTC).
	Expires time.Time
	// IdemKeyHash names the Idempotency-Key record that created it, erased with it.
	IdemKeyHash string
}

// Live reports whether the link still works at now: expiry is enforced on
// every read, whatever the table's TTL has yet to delete.
func (l Link) Live(now time.Time) bool { return now.Before(l.Expires) }

// LastDay is the last date the link works, for people.
func (l Link) LastDay() time.Time { return l.Expires.Add(-time.Nanosecond) }

// Live lists the links that still work at now, soonest to expire first.
func Live(links []Link, now time.Time) []Link {
	var out []Link
	for _, l := range links {
		if l.Live(now) {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(a, b Link) int { return a.Expires.Compare(b.Expires) })
	return out
}

// Find returns the link with id among links.
func Find(links []Link, id string) (Link, bool) {
	for _, l := range links {
		if l.ID == id {
			return l, true
		}
	}
	return Link{}, false
}

// Input is what the sharer gives: an optional label and an optional expiry
// date, either as one "YYYY-MM-DD" (API) or as day, month and year (the
// GOV.UK date input).
type Input struct {
	Label   string `json:"label"`
	Expires string `json:"expires"`
	Day     string `json:"-"`
	Month   string `json:"-"`
	Year    string `json:"-"`
	Round   int    `json:"round"`
}

// Normalise trims the label and folds day, month and year into Expires.
func (in *Input) Normalise() {
	in.Label, _ = names.Clean(in.Label)
	d, m, y := strings.TrimSpace(in.Day), strings.TrimSpace(in.Month), strings.TrimSpace(in.Year)
	if d != "" || m != "" || y != "" {
		in.Expires = y + "-" + pad(m) + "-" + pad(d)
		if d == "" || m == "" || y == "" {
			in.Expires = "incomplete"
		}
	}
	in.Day, in.Month, in.Year = "", "", ""
	in.Expires = strings.TrimSpace(in.Expires)
}

func pad(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// ExpiryField is the field an expiry error names.
const ExpiryField = "expires"

// Expiry is when a link given this input stops working, judged on today
// (UTC): the start of the day after the date picked, or DefaultDays from
// today when none is. The date may be today, and at most MaxDays ahead.
func (in Input) Expiry(now time.Time) (time.Time, error) {
	today := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC)
	if in.Expires == "" {
		return today.AddDate(0, 0, DefaultDays+1), nil
	}
	bad := func(key string, kv ...any) (time.Time, error) {
		return time.Time{}, failure.Fields("Check the date the link stops working.", failure.Quoting(ExpiryField, key, kv...))
	}
	if in.Expires == "incomplete" {
		return bad("error.viewer.expires.incomplete")
	}
	d, err := time.Parse(DateLayout, in.Expires)
	if err != nil {
		if _, perr := strconv.Atoi(strings.ReplaceAll(in.Expires, "-", "")); perr != nil {
			return bad("error.viewer.expires.numbers")
		}
		return bad("error.viewer.expires.real")
	}
	latest := today.AddDate(0, 0, MaxDays)
	switch {
	case d.Before(today):
		return bad("error.viewer.expires.past")
	case d.After(latest):
		return bad("error.viewer.expires.far", "Date", latest)
	}
	return d.AddDate(0, 0, 1), nil
}

// Validate checks the label and the expiry date, every error at once.
func (in Input) Validate(now time.Time) error {
	var errs []failure.FieldError
	if _, reason := names.Clean(in.Label); reason != "" {
		errs = append(errs, failure.FieldError{Field: "label", Message: "Who the link is for " + reason})
	} else if utf8.RuneCountInString(in.Label) > MaxLabel {
		errs = append(errs, failure.Quoting("label", "error.viewer.label.tooLong", "MaxLabel", MaxLabel))
	}
	if _, err := in.Expiry(now); err != nil {
		if fe, ok := failure.As(err); ok {
			errs = append(errs, fe.Fields...)
		}
	}
	if len(errs) > 0 {
		return failure.Fields("Check the details of the link.", errs...)
	}
	return nil
}

// Shared is what creating a link returns, once: its token is not kept.
type Shared struct {
	ID      string    `json:"id"`
	Token   string    `json:"token"`
	Label   string    `json:"label"`
	Round   int       `json:"round,omitempty"`
	Expires time.Time `json:"expires"`
}

// ErrGone is what a store returns when the report or partnership a link
// would belong to no longer exists (or, for a report, is being erased).
var ErrGone = errors.New("viewer: owner gone")

// Store keeps links on their owner's partition.
type Store interface {
	idempotency.Store
	// CreateViewer writes the link on its owner's partition, in one
	// transaction with a check that the owner still exists and with the
	// idempotency record. It returns idempotency.ErrKeyUsed when idem's
	// record exists and ErrGone when the owner does not.
	CreateViewer(ctx context.Context, o Owner, l Link, idem *idempotency.Record) error
	// RevokeViewer deletes the link (and its idempotency record): one
	// write. Revoking a link already gone is not an error.
	RevokeViewer(ctx context.Context, o Owner, l Link) error
}

// Service applies the rules.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the service on store with clock now.
func NewService(store Store, now func() time.Time) *Service { return &Service{store: store, now: now} }

// Now is the service's clock, the one expiry is judged on.
func (s *Service) Now() time.Time { return s.now() }

// Share makes a new link for owner, whose links (as loaded) are existing.
// The caller has proved the sharer may share (the lead, the admin) and, for
// a comparison, that in.Round is a round of the partnership.
func (s *Service) Share(ctx context.Context, o Owner, existing []Link, in Input, idem idempotency.Request) (Shared, error) {
	in.Normalise()
	now := s.now().UTC().Truncate(time.Millisecond)
	if err := in.Validate(now); err != nil {
		return Shared{}, err
	}
	var out Shared
	if ok, err := idempotency.Replay(ctx, s.store, idem, in, &out); ok || err != nil {
		return out, err
	}
	if len(Live(existing, now)) >= MaxLive {
		return Shared{}, failure.Said(failure.Conflict, "error.viewer.full", "Max", MaxLive)
	}
	exp, _ := in.Expiry(now)
	token := secret.NewToken()
	l := Link{ID: secret.NewID(), TokenHash: secret.Hash(token), Label: in.Label, Round: in.Round, CreatedAt: now, Expires: exp}
	out = Shared{ID: l.ID, Token: token, Label: l.Label, Round: l.Round, Expires: exp}
	rec, err := idem.Seal(in, out, now)
	if err != nil {
		return Shared{}, err
	}
	if rec != nil {
		l.IdemKeyHash = rec.KeyHash
	}
	switch err := s.store.CreateViewer(ctx, o, l, rec); {
	case errors.Is(err, idempotency.ErrKeyUsed):
		var won Shared
		return won, idempotency.Raced(ctx, s.store, idem, in, &won)
	case errors.Is(err, ErrGone):
		return Shared{}, failure.New(failure.NotFound, "There is nothing to share here: it may have been deleted.")
	case err != nil:
		return Shared{}, err
	}
	return out, nil
}

// Revoke stops link id of owner working at once. An unknown or expired id
// is not_found.
func (s *Service) Revoke(ctx context.Context, o Owner, existing []Link, id string) error {
	l, ok := Find(existing, id)
	if !ok || !l.Live(s.now()) {
		return failure.New(failure.NotFound, "There is no live read-only link with this id. It may have been revoked already, or expired.")
	}
	return s.store.RevokeViewer(ctx, o, l)
}
