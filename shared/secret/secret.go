// Package secret makes and checks the capability tokens, ids and join codes
// that stand in for accounts: whoever holds an assessment's token may act on
// it. Tokens are 256 bits from crypto/rand, shown once and stored only as a
// SHA-256 hash; shared/auth alone compares them, in constant time.
package secret

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// NewToken returns a 256-bit URL-safe token.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux (Go ≥1.24 panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Hash is the stored form of a token.
func Hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns a 128-bit random id, 26 lower-case characters.
func NewID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return idEncoding.EncodeToString(b)
}

// ValidID reports whether s looks like an id from NewID, so junk is
// rejected before it reaches the database.
func ValidID(s string) bool {
	if len(s) != 26 {
		return false
	}
	_, err := idEncoding.DecodeString(s)
	return err == nil
}

// joinAlphabet has no characters that are easy to confuse (0/O, 1/I/L).
const joinAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// JoinCodeLength characters of a 31-letter alphabet give 44.6 bits: with API
// throttling, guessing a live code is out of reach.
const JoinCodeLength = 9

// NewJoinCode returns a code like "K7M-Q2P-XWD" to read out or type.
func NewJoinCode() string {
	code := make([]byte, 0, JoinCodeLength)
	buf := make([]byte, 1)
	for len(code) < JoinCodeLength {
		_, _ = rand.Read(buf)
		// Rejection sampling keeps every letter equally likely.
		if int(buf[0]) >= 256-256%len(joinAlphabet) {
			continue
		}
		code = append(code, joinAlphabet[int(buf[0])%len(joinAlphabet)])
	}
	return string(code[0:3]) + "-" + string(code[3:6]) + "-" + string(code[6:9])
}

// joinKeyIterations makes each guess of a join code against a copy of the
// table cost as much as 50,000 HMAC-SHA-256 rounds (PBKDF2, RFC 8018): the
// whole space of 2^44.6 codes then takes years of a GPU, while one join or
// creation pays a few milliseconds. The salt is fixed because a code must be
// found by its key alone.
const joinKeyIterations = 50_000

// JoinKey is the stored form of a normalised join code (NormaliseJoinCode):
// the code itself is shown once and never stored (docs/design.md D1).
func JoinKey(normalised string) string {
	k, _ := pbkdf2.Key(sha256.New, normalised, []byte("rasp join code v1"), joinKeyIterations, 16)
	return hex.EncodeToString(k)
}

// NormaliseJoinCode upper-cases a typed code and drops spaces and dashes.
// It returns "" when the code cannot be one of ours.
func NormaliseJoinCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
		case strings.ContainsRune(joinAlphabet, r):
			b.WriteRune(r)
		default:
			return ""
		}
	}
	if b.Len() != JoinCodeLength {
		return ""
	}
	return b.String()
}
