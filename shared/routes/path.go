package routes

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// P holds a route's path parameters by name, for Path.
type P map[string]string

var byName = sync.OnceValue(func() map[string]Route {
	m := map[string]Route{}
	for _, r := range Table() {
		m[r.Name] = r
	}
	return m
})

// Path is the path of the route called name with each {param} filled from
// p and escaped as one segment, so pages, mails and redirects link to what
// the table serves rather than to strings built by hand. A name the table
// does not have, or a parameter missing or left over, is a programming
// error: it panics, and the tests that render the link catch it.
func Path(name string, p P) string {
	r, ok := byName()[name]
	if !ok {
		panic(fmt.Sprintf("routes.Path: no route %q", name))
	}
	used := 0
	out := Placeholder.ReplaceAllStringFunc(r.Path, func(ph string) string {
		k := ph[1 : len(ph)-1]
		v, ok := p[k]
		if !ok || v == "" {
			panic(fmt.Sprintf("routes.Path(%q): no value for {%s}", name, k))
		}
		used++
		return url.PathEscape(v)
	})
	if used != len(p) {
		panic(fmt.Sprintf("routes.Path(%q): %d parameters given, the path has %d", name, len(p), used))
	}
	return out
}

// Link is Path with the private link's token in the query, for the routes
// marked TokenInQuery; any other route panics, since a token in the query
// of a route that does not exchange it would end up in logs and history.
func Link(name string, p P, token string) string {
	if r := byName()[name]; !r.TokenInQuery {
		panic(fmt.Sprintf("routes.Link: route %q does not take a token in its query", name))
	}
	return Path(name, p) + "?" + url.Values{"token": {token}}.Encode()
}

// Abs is path on origin (scheme and host, no trailing slash), as mails need.
func Abs(origin, path string) string { return strings.TrimRight(origin, "/") + path }
