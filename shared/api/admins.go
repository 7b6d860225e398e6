package api

import (
	"time"

	"github.com/openrasp/rasp/shared/partnership"
)

// NewAdmin is the body of POST /api/partnerships/{id}/admins: every field
// is optional.
type NewAdmin struct {
	// Name and Role only tell the administrators apart on their page.
	Name string `json:"name,omitempty" limit:"admin-text"`
	Role string `json:"role,omitempty" limit:"admin-text"`
	// Email is where the new admin link goes (else it is shown once) and
	// where "send me a new link" can send a new one.
	Email string `json:"email,omitempty" limit:"email"`
}

// AdminAdded is the new administrator's link, shown once.
type AdminAdded struct {
	ID string `json:"id"`
	// Token is the new administrator's own credential: Authorization:
	// Bearer on the partnership's routes. Removing them revokes it.
	Token  string `json:"token"`
	Link   string `json:"link"`
	Mailed bool   `json:"mailed"`
}

// Admin is one administrator, as the administrators see them.
type Admin struct {
	ID      string    `json:"id"`
	Name    string    `json:"name,omitempty"`
	Role    string    `json:"role,omitempty"`
	Email   string    `json:"email,omitempty"`
	AddedAt time.Time `json:"addedAt"`
	// You marks the administrator whose token made the request.
	You bool `json:"you,omitempty"`
}

// AdminsOf lists p's administrators for administrator you.
func AdminsOf(p *partnership.Partnership, you string) []Admin {
	out := []Admin{}
	for _, a := range p.Admins {
		out = append(out, Admin{ID: a.ID, Name: a.Name, Role: a.Role, Email: a.Email, AddedAt: a.AddedAt, You: a.ID == you})
	}
	return out
}

// AdminAddedOf is the reply to adding an administrator, with the link
// that links builds.
func AdminAddedOf(links partnership.Links, pid string, a partnership.AdminAdded) AdminAdded {
	return AdminAdded{ID: a.Admin, Token: a.Token, Mailed: a.Mailed, Link: links.Admin(pid, a.Token)}
}
