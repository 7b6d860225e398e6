package idempotency_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
)

type result struct{ ID, Token string }

func TestSealOpens(t *testing.T) {
	r, err := idempotency.New("k-1", "openRound /api/partnerships/p1/rounds")
	if err != nil {
		t.Fatal(err)
	}
	want := result{ID: "a1", Token: "secret-token-value"}
	rec, err := r.Seal(map[string]int{"after": 1}, want, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(rec.Sealed, []byte(want.Token)) || strings.Contains(rec.KeyHash, "k-1") {
		t.Fatalf("record shows the token or the key: %+v", rec)
	}
	var got result
	if err := r.Open(rec, map[string]int{"after": 1}, &got); err != nil || got != want {
		t.Errorf("open: got %+v, %v; want %+v", got, err, want)
	}
	tests := []struct {
		name  string
		r     idempotency.Request
		body  any
		field bool // a field error naming the header, else internal
	}{
		{"other body", r, map[string]int{"after": 2}, true},
		{"other scope", idempotency.Request{Key: "k-1", Scope: "openRound /api/partnerships/p2/rounds"}, map[string]int{"after": 1}, false},
		{"other key", idempotency.Request{Key: "k-2", Scope: r.Scope}, map[string]int{"after": 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out result
			err := tt.r.Open(rec, tt.body, &out)
			f, _ := failure.As(err)
			switch {
			case err == nil:
				t.Fatalf("opened: %+v", out)
			case tt.field && (f == nil || len(f.Fields) != 1 || f.Fields[0].Field != idempotency.Header):
				t.Errorf("got %v, want a field error on %s", err, idempotency.Header)
			case !tt.field && failure.CodeOf(err) != failure.Internal:
				t.Errorf("got %v, want internal (cannot open)", err)
			}
		})
	}
	if other := (idempotency.Request{Key: "k-1", Scope: "startAssessment /api/assessments"}); other.Hash() == r.Hash() {
		t.Error("one key in two scopes has one record id")
	}
}

func TestNewRefusesBadKeys(t *testing.T) {
	tests := []struct {
		key string
		ok  bool
	}{
		{"", true},
		{"3f2b8c1e-9d4a-4b6e-8f0a-1c2d3e4f5a6b", true},
		{strings.Repeat("x", 255), true},
		{strings.Repeat("x", 256), false},
		{"line\nbreak", false},
		{"caf\u00e9", false},
	}
	for _, tt := range tests {
		_, err := idempotency.New(tt.key, "s")
		if got := err == nil; got != tt.ok {
			t.Errorf("New(%.20q): ok %v, want %v (%v)", tt.key, got, tt.ok, err)
		}
	}
}
