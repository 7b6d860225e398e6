package failure_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/openrasp/rasp/shared/failure"
)

func TestTypeOf(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{failure.New(failure.NotFound, "x"), "/problems/not-found"},
		{failure.New(failure.TooManyRequests, "x"), "/problems/rate-limited"},
		{failure.New(failure.UnsupportedMedia, "x"), "/problems/unsupported-media-type"},
		{failure.New(failure.Conflict, "x"), "/problems/conflict"},
		{failure.New(failure.Conflict, "x").Of(failure.KindStale), "/problems/stale"},
		{fmt.Errorf("wrapped: %w", failure.New(failure.Conflict, "x").Of(failure.KindSealed)), "/problems/sealed"},
		{&failure.Error{Code: failure.Internal, Kind: failure.KindSealed}, "/problems/internal"},
		{errors.New("a bug"), "/problems/internal"},
	}
	for _, c := range cases {
		if got := failure.TypeOf(c.err); got != c.want {
			t.Errorf("TypeOf(%v): got %s, want %s", c.err, got, c.want)
		}
		if !slices.Contains(failure.Types(), c.want) {
			t.Errorf("Types() lacks %s", c.want)
		}
	}
}
