// Package failure defines the one error type the domain returns. Each error
// carries a code; the HTTP layer maps codes to statuses in one table
// (httpapi.statusOf), so domain code never speaks HTTP. A domain error that
// carries data for its reader (partnership.SealedError) is its own type and
// unwraps to an *Error, so the code and message still come from here.
package failure

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/openrasp/rasp/shared/locale"
)

// Code classifies an error for callers. Codes, not messages, drive behaviour.
type Code string

const (
	BadRequest         Code = "bad_request"         // the request cannot be parsed at all
	Invalid            Code = "invalid"             // parsed, but a value breaks a rule
	Unauthorized       Code = "unauthorized"        // no credentials were given
	Forbidden          Code = "forbidden"           // credentials given but not allowed
	NotFound           Code = "not_found"           // no such thing, or a wrong token (we do not reveal which)
	MethodNotAllowed   Code = "method_not_allowed"  // a known path, asked with a method it does not serve
	Conflict           Code = "conflict"            // the state does not allow it (e.g. already submitted)
	PreconditionFailed Code = "precondition_failed" // If-Match did not match
	TooLarge           Code = "too_large"           // request body over the limit
	UnsupportedMedia   Code = "unsupported_media"   // wrong Content-Type
	TooManyRequests    Code = "too_many_requests"   // this client, code or address is over its limit; retry later
	Unavailable        Code = "unavailable"         // a dependency is throttled or down; retry later
	Internal           Code = "internal"            // a bug or unexpected failure; never shown in detail
)

// FieldError names one field of the input and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Text is set when Message quotes values (a council's name, a date):
	// the reader's language says it from the catalogue (Text.In).
	Text *Text `json:"-"`
}

// Text is a domain message that quotes values, kept as its catalogue key
// and the values, so that a page or a problem document says it in its
// reader's language. A message without values needs none: its English is
// found in the catalogue as written (locale.ErrorTexts).
type Text struct {
	Key  string
	Args map[string]any // a time.Time is a date, written the reader's way
}

// In is the message in l. A date among the values is written as l writes
// dates (locale.Date); a value that says itself in a language (an In
// method, as a list of answers has) is said in l.
func (t *Text) In(l locale.Lang) string {
	args := make(map[string]any, len(t.Args))
	for k, v := range t.Args {
		if d, ok := v.(time.Time); ok {
			v = locale.Date(l, d)
		}
		if s, ok := v.(interface{ In(locale.Lang) string }); ok {
			v = s.In(l)
		}
		args[k] = v
	}
	return locale.Messages().T(l, t.Key, args)
}

// Quoting is a field error whose message is key in the catalogue, filled
// with kv (names and values, as for locale.Pairs): its Message is the
// English, its Text says it in another language.
func Quoting(field, key string, kv ...any) FieldError {
	t := &Text{Key: key, Args: locale.Pairs(kv...)}
	return FieldError{Field: field, Message: t.In(locale.English), Text: t}
}

// Error is a coded error with a message that is safe to show to users.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	// Cause is kept for logs only; it is never shown to users.
	Cause error
	// RetryAfter is how long to wait before trying again (TooManyRequests,
	// Unavailable); zero leaves the default.
	RetryAfter time.Duration
	// Kind refines a code for clients that branch on it (the problem's
	// type, docs/design.md D3): one of the Kind constants, or empty.
	Kind Kind
	// Text is set when Message quotes values: see FieldError.Text.
	Text *Text
}

// Kind is a refinement of a code that a client may act on differently.
type Kind string

// The kinds, each a refinement of a conflict.
const (
	KindSealed           Kind = "sealed"            // a round's comparison waits for councils to submit
	KindStale            Kind = "stale"             // the state the request names has moved on ("after")
	KindAlreadySubmitted Kind = "already-submitted" // the assessment is submitted; answers are final
)

// Of returns e with kind k, for chaining: failure.New(...).Of(failure.KindStale).
func (e *Error) Of(k Kind) *Error {
	e.Kind = k
	return e
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Cause }

// New returns an error with the given code and user-safe message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Said returns an error of code whose message is key in the catalogue,
// filled with kv: Message is the English, Text says it in another language.
func Said(code Code, key string, kv ...any) *Error {
	t := &Text{Key: key, Args: locale.Pairs(kv...)}
	return &Error{Code: code, Message: t.In(locale.English), Text: t}
}

// Fields returns an invalid error listing each broken field.
func Fields(message string, fields ...FieldError) *Error {
	return &Error{Code: Invalid, Message: message, Fields: fields}
}

// Wrap marks cause as an error of the given code. The cause is logged, not shown.
func Wrap(code Code, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Cause: cause}
}

// CodeOf returns the code of err, or Internal when err is not a *Error.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns err as a *Error when it is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// TypePrefix starts every problem type URI; the path is relative to the
// service's origin, and the web function explains each type there.
const TypePrefix = "/problems/"

// typeNames are the stable problem types by code (docs/design.md D3):
// clients branch on the type, never on the message.
var typeNames = map[Code]string{
	BadRequest: "bad-request", Invalid: "invalid", Unauthorized: "unauthorized", Forbidden: "forbidden",
	NotFound: "not-found", MethodNotAllowed: "method-not-allowed", Conflict: "conflict",
	PreconditionFailed: "precondition-failed", TooLarge: "too-large", UnsupportedMedia: "unsupported-media-type",
	TooManyRequests: "rate-limited", Unavailable: "unavailable", Internal: "internal",
}

// TypeOf is the problem type URI of err: its kind's when it has one, else
// its code's; an error that is not a *Error is internal.
func TypeOf(err error) string {
	code := CodeOf(err)
	if e, ok := As(err); ok && e.Kind != "" && code != Internal {
		return TypePrefix + string(e.Kind)
	}
	if n, ok := typeNames[code]; ok {
		return TypePrefix + n
	}
	return TypePrefix + "internal"
}

// Types lists every problem type URI, sorted: the one declaration the
// document's enum is built from.
func Types() []string {
	out := []string{TypePrefix + string(KindSealed), TypePrefix + string(KindStale), TypePrefix + string(KindAlreadySubmitted)}
	for _, n := range typeNames {
		out = append(out, TypePrefix+n)
	}
	sort.Strings(out)
	return out
}
