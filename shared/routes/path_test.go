package routes

import (
	"strings"
	"testing"
)

func TestPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		p    P
		want string
	}{
		{"webStart", nil, "/"},
		{"webTaskList", P{"id": "a1"}, "/assessments/a1"},
		{"webArea", P{"id": "a1", "area": "vision"}, "/assessments/a1/areas/vision"},
		// A value is one segment, whatever it holds.
		{"webArea", P{"id": "a/1", "area": "x y"}, "/assessments/a%2F1/areas/x%20y"},
	} {
		if got := Path(tc.name, tc.p); got != tc.want {
			t.Errorf("Path(%q, %v) = %q, want %q", tc.name, tc.p, got, tc.want)
		}
	}
	if got, want := Link("webResume", P{"id": "a1"}, "t+/="), "/assessments/a1/resume?token=t%2B%2F%3D"; got != want {
		t.Errorf("Link = %q, want %q", got, want)
	}
}

// Every route's path, filled, is matched back to that route by the router,
// so a link made by Path lands where its name says.
func TestPathMatchesItsRoute(t *testing.T) {
	t.Parallel()
	table := Table()
	for _, r := range table {
		p := P{}
		for _, ph := range Placeholder.FindAllString(r.Path, -1) {
			p[ph[1:len(ph)-1]] = "x-" + ph[1:len(ph)-1]
		}
		path := Path(r.Name, p)
		got, params, ok := Match(table, r.Method, path)
		if !ok || got.Path != r.Path {
			t.Errorf("%s: %s matched %q, want %q", r.Name, path, got.Path, r.Path)
			continue
		}
		for k, v := range p {
			if params[k] != v {
				t.Errorf("%s: {%s} = %q, want %q", r.Name, k, params[k], v)
			}
		}
	}
}

func TestPathPanicsOnMistakes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		what string
		call func()
		want string
	}{
		{"unknown name", func() { Path("noSuchRoute", nil) }, "no route"},
		{"missing parameter", func() { Path("webArea", P{"id": "a1"}) }, "no value for {area}"},
		{"empty parameter", func() { Path("webTaskList", P{"id": ""}) }, "no value for {id}"},
		{"extra parameter", func() { Path("webTaskList", P{"id": "a1", "area": "x"}) }, "2 parameters given"},
		{"token on a route that does not take one", func() { Link("webTaskList", P{"id": "a1"}, "t") }, "does not take a token"},
	} {
		func() {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.Contains(s, tc.want) {
					t.Errorf("%s: panic %v, want %q", tc.what, r, tc.want)
				}
			}()
			tc.call()
		}()
	}
}
