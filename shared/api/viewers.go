package api

import (
	"time"

	"github.com/openrasp/rasp/shared/viewer"
)

// Read-only links (issue 20): a board member or an auditor sees one report
// or one round's comparison with a token of their own, and changes nothing.

// ShareReport is the body of POST /api/assessments/{id}/viewers.
type ShareReport struct {
	Label   string `json:"label,omitempty" limit:"viewer-label"`
	Expires string `json:"expires,omitempty" limit:"viewer-date"`
}

// ShareComparison is the body of POST /api/partnerships/{id}/viewers.
type ShareComparison struct {
	Label   string `json:"label,omitempty" limit:"viewer-label"`
	Expires string `json:"expires,omitempty" limit:"viewer-date"`
	Round   int    `json:"round,omitempty" limit:"viewer-round"`
}

// ViewerShared is the reply to making a link: its token and the link to
// send, shown once (only the token's hash is kept).
type ViewerShared struct {
	ID      string    `json:"id"`
	Token   string    `json:"token"`
	Label   string    `json:"label,omitempty"`
	Round   int       `json:"round,omitempty"`
	Expires time.Time `json:"expires"`
	// Link is the page a browser opens with the token: send this, never
	// your own private link.
	Link string `json:"link"`
	// Assessment or Partnership names what the link shows.
	Assessment  string `json:"assessment,omitempty"`
	Partnership string `json:"partnership,omitempty"`
}

// ViewerSummary is one live link as its sharer sees it (never its token).
type ViewerSummary struct {
	ID        string    `json:"id"`
	Label     string    `json:"label,omitempty"`
	Round     int       `json:"round,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	Expires   time.Time `json:"expires"`
}

// Viewers is the body of GET …/viewers: the live links, soonest to expire first.
type Viewers struct {
	Viewers []ViewerSummary `json:"viewers"`
}

// ViewerSharedOf is the reply to a new link.
func ViewerSharedOf(s viewer.Shared, link string) ViewerShared {
	return ViewerShared{ID: s.ID, Token: s.Token, Label: s.Label, Round: s.Round, Expires: s.Expires, Link: link}
}

// ViewersOf lists the live links.
func ViewersOf(links []viewer.Link, now time.Time) Viewers {
	out := Viewers{Viewers: []ViewerSummary{}}
	for _, l := range viewer.Live(links, now) {
		out.Viewers = append(out.Viewers, ViewerSummary{ID: l.ID, Label: l.Label, Round: l.Round, CreatedAt: l.CreatedAt, Expires: l.Expires})
	}
	return out
}
