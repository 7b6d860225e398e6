package web

import "github.com/openrasp/rasp/shared/routes"

// path is routes.Path of the route called name with its {id} and, in
// pairs, any further parameters: the one way handlers build a link.
func path(name, id string, more ...string) string {
	p := routes.P{"id": id}
	for i := 0; i+1 < len(more); i += 2 {
		p[more[i]] = more[i+1]
	}
	return routes.Path(name, p)
}

// scope is where a principal's partnership pages live: the admin's under
// the partnership ("web" + page), a member council's under its assessment
// ("webMember" + page), a read-only link's under the link ("webViewer" +
// page). Its at is the path of one of those pages, from the route table.
type scope struct {
	family string // "", "Member" or "Viewer"
	p      routes.P
}

func adminScope(pid string) scope      { return scope{"", routes.P{"id": pid}} }
func memberScope(aid string) scope     { return scope{"Member", routes.P{"id": aid}} }
func viewerScope(id, vid string) scope { return scope{"Viewer", routes.P{"id": id, "viewer": vid}} }
func (s scope) viewer() bool           { return s.family == "Viewer" }

// at is the path of page (a route name without "web" and the family) in
// this scope, with any further parameters in pairs.
func (s scope) at(page string, more ...string) string {
	p := routes.P{}
	for k, v := range s.p {
		p[k] = v
	}
	for i := 0; i+1 < len(more); i += 2 {
		p[more[i]] = more[i+1]
	}
	return routes.Path("web"+s.family+page, p)
}

// link is routes.Link, a private link's path with its token in the query,
// of the route called name with its {id} and any further parameters.
func link(name, token, id string, more ...string) string {
	p := routes.P{"id": id}
	for i := 0; i+1 < len(more); i += 2 {
		p[more[i]] = more[i+1]
	}
	return routes.Link(name, p, token)
}
