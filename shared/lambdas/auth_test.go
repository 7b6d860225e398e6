package lambdas_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/secret"
)

// Every protected route refuses a request without its credential, and one
// with a wrong credential, before its handler runs: the one auth middleware
// (httpapi, driven by Route.Auth) answers. Without it a handler would meet a
// nil principal and the router would answer 500, so this test fails for
// every protected route if the middleware is taken away.
func TestEveryProtectedRouteNeedsItsCredential(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := secret.NewID()
	path := func(r routes.Route) string {
		return strings.NewReplacer("{id}", id, "{area}", "vision", "{n}", "1", "{file}", "app.css").Replace(r.Path)
	}
	protected := 0
	for _, r := range routes.Table() {
		if r.Auth == routes.Public {
			continue
		}
		protected++
		t.Run(r.Name, func(t *testing.T) {
			// Page form posts come from our own pages, so the cross-origin
			// check lets them through to the middleware.
			headers := []string{"Sec-Fetch-Site", "same-origin"}
			var body []byte
			if r.Method == http.MethodPost || r.Method == http.MethodPut {
				body = []byte("{}")
			}
			cases := []struct {
				what  string
				token string
				extra []string
				want  int
			}{
				{"no credential", "", nil, map[bool]int{true: http.StatusNotFound, false: http.StatusUnauthorized}[r.Page()]},
				{"wrong credential", secret.NewToken(), []string{"Cookie", "rasp_a_" + id + "=" + secret.NewToken() + "; rasp_p_" + id + "=" + secret.NewToken()}, http.StatusNotFound},
			}
			for _, c := range cases {
				p := path(r)
				if r.TokenInQuery && c.token != "" {
					p += "?token=" + c.token
				}
				got := e.do(r.Method, p, map[bool]string{true: "", false: c.token}[r.Page()], body, append(headers, c.extra...)...)
				if got.status != c.want {
					t.Errorf("%s %s, %s: got %d, want %d\n%.300s", r.Method, p, c.what, got.status, c.want, got.body)
				}
				wantType := map[bool]string{true: "text/html; charset=utf-8", false: "application/problem+json"}[r.Page()]
				if ct := got.header.Get("Content-Type"); ct != wantType {
					t.Errorf("%s %s, %s: content-type %q, want %q", r.Method, p, c.what, ct, wantType)
				}
			}
		})
	}
	if protected < 20 {
		t.Errorf("protected routes: got %d, want every non-public route of the table (at least 20)", protected)
	}
}
