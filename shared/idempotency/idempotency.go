// Package idempotency makes a creating request safe to retry
// (docs/design.md D2). A client sends an Idempotency-Key; the request's
// result is stored in a record written in the same transaction as the thing
// it creates, so the record exists exactly when the creation does: a retry
// after a lost reply (a 503 whose write committed) finds it and gets the
// same result, tokens included, and never a second creation.
//
// The result is sealed with AES-GCM under a key derived (HKDF-SHA256) from
// the client's key, and the record is found by a hash of that key: the table
// alone can neither open a record nor link it to a request, so a stored
// reply never holds a readable token. Records expire after a day and are
// erased with what they created.
package idempotency

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/openrasp/rasp/shared/failure"
)

// Header is the request header that carries the client's key.
const Header = "Idempotency-Key"

// MaxKey is the longest key accepted, in bytes.
const MaxKey = 255

// Expiry is how long a record lets a retry replay its result.
const Expiry = 24 * time.Hour

// Record is what the table keeps for one keyed request.
type Record struct {
	// KeyHash identifies the record: a hash of the scope and the key.
	KeyHash string
	// BodyHash identifies the request the key was first used with.
	BodyHash string
	// Sealed is the result, nonce first, sealed under the client's key.
	Sealed    []byte
	ExpiresAt time.Time
}

// ErrKeyUsed is what a store returns when the record of a creation already
// exists: the request is a retry (or a reuse of the key).
var ErrKeyUsed = errors.New("idempotency key already used")

// Request is one keyed request: the client's key within a scope, the
// operation and who asks (a public start, or "openRound" of partnership p),
// so one key used on two operations or by two principals is two requests.
// The zero Request (no key) is not idempotent.
type Request struct {
	Key   string
	Scope string
}

// New checks the client's key (1–255 printable ASCII characters; empty
// means no key) and scopes it. A bad key is invalid, naming the header.
func New(key, scope string) (Request, error) {
	if len(key) > MaxKey {
		return Request{}, failure.Fields("The Idempotency-Key is too long.", failure.FieldError{Field: Header, Message: "must be 255 characters or fewer"})
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return Request{}, failure.Fields("Check the Idempotency-Key.", failure.FieldError{Field: Header, Message: "must be printable ASCII characters, such as a UUID"})
		}
	}
	return Request{Key: key, Scope: scope}, nil
}

// Keyed reports whether the client sent a key.
func (r Request) Keyed() bool { return r.Key != "" }

// Hash is the record's id: the key never reaches the table.
func (r Request) Hash() string { return hexHash(r.Scope + "\x00" + r.Key) }

// Seal makes the record of a request with body (what the client asked,
// normalised) and its result; nil for a request without a key, which
// stores no record.
func (r Request) Seal(body, result any, now time.Time) (*Record, error) {
	if !r.Keyed() {
		return nil, nil
	}
	plain, err := json.Marshal(result)
	if err != nil {
		return nil, failure.Wrap(failure.Internal, err, "marshal idempotent result")
	}
	aead, err := r.aead()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails (Go 1.24)
	bh, err := bodyHash(body)
	if err != nil {
		return nil, err
	}
	return &Record{KeyHash: r.Hash(), BodyHash: bh, Sealed: aead.Seal(nonce, nonce, plain, nil), ExpiresAt: now.Add(Expiry)}, nil
}

// Open returns rec's result into out. A record of another body is invalid:
// the key was reused for a different request.
func (r Request) Open(rec *Record, body, out any) error {
	bh, err := bodyHash(body)
	if err != nil {
		return err
	}
	if rec.BodyHash != bh {
		return failure.Fields("This Idempotency-Key was used with a different request.",
			failure.FieldError{Field: Header, Message: "was already used with a different body; use a new key"})
	}
	aead, err := r.aead()
	if err != nil {
		return err
	}
	n := aead.NonceSize()
	if len(rec.Sealed) < n {
		return failure.New(failure.Internal, "idempotency record too short")
	}
	plain, err := aead.Open(nil, rec.Sealed[:n], rec.Sealed[n:], nil)
	if err != nil {
		return failure.Wrap(failure.Internal, err, "open idempotency record")
	}
	if err := json.Unmarshal(plain, out); err != nil {
		return failure.Wrap(failure.Internal, err, "unmarshal idempotent result")
	}
	return nil
}

// Store reads records; nil without error when there is none.
type Store interface {
	Idempotency(ctx context.Context, keyHash string) (*Record, error)
}

// Replay looks for the record of r and, when there is one, opens its result
// into out and reports true. Services call it before doing anything that
// depends on state (docs/design.md D2: a replay of a completed request
// returns its result whatever has happened since), and again when their
// write failed with ErrKeyUsed (a concurrent twin won).
func Replay(ctx context.Context, st Store, r Request, body, out any) (bool, error) {
	if !r.Keyed() {
		return false, nil
	}
	rec, err := st.Idempotency(ctx, r.Hash())
	if err != nil || rec == nil {
		return false, err
	}
	return true, r.Open(rec, body, out)
}

// Raced is Replay after a write failed with ErrKeyUsed: the record must
// exist unless it expired or was erased in between.
func Raced(ctx context.Context, st Store, r Request, body, out any) error {
	ok, err := Replay(ctx, st, r, body, out)
	if err == nil && !ok {
		return failure.New(failure.Conflict, "The request with this Idempotency-Key was undone while it ran; send it again with a new key.")
	}
	return err
}

func (r Request) aead() (cipher.AEAD, error) {
	// The scope is HKDF's info, so one key sealed in two scopes gives two
	// unrelated AES keys.
	k, err := hkdf.Key(sha256.New, []byte(r.Key), []byte("rasp/idempotency/v2"), r.Scope, 32)
	if err != nil {
		return nil, failure.Wrap(failure.Internal, err, "derive idempotency key")
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, failure.Wrap(failure.Internal, err, "idempotency cipher")
	}
	return cipher.NewGCM(block)
}

func bodyHash(body any) (string, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return "", failure.Wrap(failure.Internal, err, "marshal idempotent body")
	}
	return hexHash(string(b)), nil
}

func hexHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
