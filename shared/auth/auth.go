// Package auth is the one place that resolves a credential. Nobody has an
// account: every credential is a capability token (docs/design.md D1), kept
// only as its SHA-256 hash in the partition it grants. Resolving it is part
// of loading that partition, so a handler gets the principal together with
// the item it was proved against and never loads it a second time.
//
// No other package compares tokens: a test over the module's syntax trees
// keeps it so.
package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/secret"
	"github.com/openrasp/rasp/shared/viewer"
)

// Kind names what a principal is.
type Kind string

// The principals of D1 that exist today.
const (
	Assessment  Kind = "assessment"  // the lead of one assessment
	Member      Kind = "member"      // a member council's assessment in a partnership
	Prospective Kind = "prospective" // a council weighing up joining
	Admin       Kind = "admin"       // whoever runs the partnership
	Seat        Kind = "seat"        // a member council's standing place: its lead's invitation
	Respondent  Kind = "respondent"  // a colleague the lead invited to answer (issue 19)
	// Viewer is a read-only link's holder (issue 20): a board member or an
	// auditor who sees one report or one round's comparison and changes
	// nothing. Its Access is NoAccess, so no service lets it change a thing.
	Viewer Kind = "viewer"
)

// Principal is who a credential proved to be, with what was loaded to prove
// it: the assessment for Assessment, the partnership (every round and
// member) for the others.
type Principal struct {
	Kind        Kind
	Assessment  *assessment.Assessment
	Partnership *partnership.Partnership
	// SeatID is the seat of a Seat principal.
	SeatID string
	// Member is the assessment whose membership proved a Member or
	// Prospective principal (a prospective partner sees only its own).
	Member string
	// Respondent is the colleague a Respondent principal proved to be; it
	// may read and change only that colleague's own answers.
	Respondent string
	// Viewer is the read-only link a Viewer principal proved: for a
	// comparison, its Round is the one round it may see.
	Viewer *viewer.Link
	// AdminID is the administrator an Admin principal proved to be.
	AdminID string
}

// Access is the partnership access of a partnership principal.
func (p *Principal) Access() partnership.Access {
	if p == nil {
		return partnership.NoAccess
	}
	switch p.Kind {
	case Admin:
		return partnership.AdminAccess
	case Member, Seat:
		return partnership.MemberAccess
	case Prospective:
		return partnership.ProspectiveAccess
	}
	return partnership.NoAccess
}

// AssessmentLoader reads an assessment with its answers (one Query).
type AssessmentLoader interface {
	Load(ctx context.Context, id string) (*assessment.Assessment, error)
}

// PartnershipLoader reads a partnership with its rounds and members (one Query).
type PartnershipLoader interface {
	LoadPartnership(ctx context.Context, id string) (*partnership.Partnership, error)
}

// Resolver proves credentials against the stored hashes. A function that
// serves no partnership route leaves Partnerships nil, and the other way round.
type Resolver struct {
	Assessments  AssessmentLoader
	Partnerships PartnershipLoader
	Now          func() time.Time
}

// Assessment proves token against the assessment id. It returns
// unauthorized without a token and not_found for an unknown id, a wrong
// token or an expired draft (never saying which).
func (r *Resolver) Assessment(ctx context.Context, id, token string) (*assessment.Assessment, error) {
	if token == "" {
		return nil, failure.New(failure.Unauthorized, "Give the assessment's token: Authorization: Bearer <token>.")
	}
	if !secret.ValidID(id) {
		return nil, assessmentNotFound()
	}
	a, err := r.Assessments.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	// A reminder carries a second token (only hashes are kept, so the first
	// cannot be sent again): either proves the lead.
	if !Proves(token, a.TokenHash, a.MailedTokenHash) || a.Expired(r.Now()) {
		return nil, assessmentNotFound()
	}
	return a, nil
}

// Respondent proves a colleague's token against colleague cid of
// assessment id: only that colleague's hash is compared, so neither the
// lead's token nor another colleague's proves it. An unknown id, a removed
// colleague, a wrong token and an expired draft are all not_found.
func (r *Resolver) Respondent(ctx context.Context, id, cid, token string) (*Principal, error) {
	if token == "" {
		return nil, failure.New(failure.Unauthorized, "Give your own token from the link you were sent: Authorization: Bearer <token>.")
	}
	if !secret.ValidID(id) || !secret.ValidID(cid) {
		return nil, respondentNotFound()
	}
	a, err := r.Assessments.Load(ctx, id)
	if failure.CodeOf(err) == failure.NotFound {
		return nil, respondentNotFound()
	}
	if err != nil {
		return nil, err
	}
	c, ok := a.Colleague(cid)
	if !ok || !Proves(token, c.TokenHash, c.MailedTokenHash) || a.Expired(r.Now()) {
		return nil, respondentNotFound()
	}
	return &Principal{Kind: Respondent, Assessment: a, Respondent: cid}, nil
}

// ReportViewer proves a read-only link's token against link vid of
// assessment id: only that link's hash is compared, so neither the lead's
// token nor a colleague's proves it (nor it theirs). An unknown id, a
// revoked link, a wrong token and a link past its expiry (judged on the
// resolver's clock, whatever TTL has yet to delete) are all not_found.
func (r *Resolver) ReportViewer(ctx context.Context, id, vid, token string) (*Principal, error) {
	if token == "" {
		return nil, failure.New(failure.Unauthorized, "Give the read-only link's token: Authorization: Bearer <token>.")
	}
	if !secret.ValidID(id) || !secret.ValidID(vid) {
		return nil, viewerNotFound()
	}
	a, err := r.Assessments.Load(ctx, id)
	if failure.CodeOf(err) == failure.NotFound {
		return nil, viewerNotFound()
	}
	if err != nil {
		return nil, err
	}
	l, ok := r.liveLink(a.Viewers, vid, token)
	if !ok || a.Expired(r.Now()) {
		return nil, viewerNotFound()
	}
	return &Principal{Kind: Viewer, Assessment: a, Viewer: l}, nil
}

// ComparisonViewer proves a read-only link's token against link vid of
// partnership pid, as ReportViewer does for a report.
func (r *Resolver) ComparisonViewer(ctx context.Context, pid, vid, token string) (*Principal, error) {
	if token == "" {
		return nil, failure.New(failure.Unauthorized, "Give the read-only link's token: Authorization: Bearer <token>.")
	}
	if !secret.ValidID(pid) || !secret.ValidID(vid) {
		return nil, viewerNotFound()
	}
	p, err := r.Partnerships.LoadPartnership(ctx, pid)
	if failure.CodeOf(err) == failure.NotFound {
		return nil, viewerNotFound()
	}
	if err != nil {
		return nil, err
	}
	l, ok := r.liveLink(p.Viewers, vid, token)
	if !ok {
		return nil, viewerNotFound()
	}
	return &Principal{Kind: Viewer, Partnership: p, Viewer: l}, nil
}

func (r *Resolver) liveLink(links []viewer.Link, vid, token string) (*viewer.Link, bool) {
	l, ok := viewer.Find(links, vid)
	if !ok || !Proves(token, l.TokenHash) || !l.Live(r.Now()) {
		return nil, false
	}
	return &l, true
}

func viewerNotFound() error {
	return failure.New(failure.NotFound, "There is no read-only link with this id and token. It may have expired, or been revoked by whoever shared it.")
}

func respondentNotFound() error {
	return failure.New(failure.NotFound, "There is no colleague's link with this id and token. The council's lead may have removed it, or the assessment was deleted.")
}

func assessmentNotFound() error {
	return failure.New(failure.NotFound, "There is no assessment with this id and token. It may have been deleted, or expired after 180 days without changes.")
}

// Partnership proves token against the partnership id: the admin's hash, or
// a member's (copied onto its membership item in the same partition). It
// returns unauthorized without a token and not_found for a wrong one.
func (r *Resolver) Partnership(ctx context.Context, id, token string) (*Principal, error) {
	if token == "" {
		return nil, failure.New(failure.Unauthorized, "Give the partnership admin token or a member assessment's token: Authorization: Bearer <token>.")
	}
	if !secret.ValidID(id) {
		return nil, partnershipNotFound()
	}
	p, err := r.Partnerships.LoadPartnership(ctx, id)
	if err != nil {
		return nil, err
	}
	// Each administrator's token is its own credential: a removed one's
	// hash is gone, so its link is a wrong token (404).
	for _, a := range p.Admins {
		if Proves(token, a.TokenHash) {
			return &Principal{Kind: Admin, Partnership: p, AdminID: a.ID}, nil
		}
	}
	for _, st := range p.Seats {
		if !st.Withdrawn() && Proves(token, st.TokenHash, st.MailedHash) {
			return &Principal{Kind: Seat, Partnership: p, SeatID: st.ID}, nil
		}
	}
	kind, member := Kind(""), ""
	for _, rd := range p.Rounds {
		for _, m := range rd.Members {
			if !Proves(token, m.TokenHash) {
				continue
			}
			if st, ok := p.Seat(m.Seat); ok && st.Withdrawn() {
				continue // a withdrawn seat's members no longer see the partnership
			}
			// A council that is a member in any round sees as a member.
			if !m.Prospective {
				kind, member = Member, m.Assessment
			} else if kind == "" {
				kind, member = Prospective, m.Assessment
			}
		}
	}
	if kind == "" {
		return nil, partnershipNotFound()
	}
	return &Principal{Kind: kind, Partnership: p, Member: member}, nil
}

// Seat proves a seat's invitation token (or the token of its latest
// round-opened mail) against seat sid of partnership pid. A wrong token, an
// unknown seat and a withdrawn one are all not_found.
func (r *Resolver) Seat(ctx context.Context, pid, sid, token string) (*Principal, error) {
	if token == "" {
		return nil, failure.New(failure.Unauthorized, "Give the seat's invitation token: Authorization: Bearer <token>.")
	}
	if !secret.ValidID(pid) || !secret.ValidID(sid) {
		return nil, seatNotFound()
	}
	p, err := r.Partnerships.LoadPartnership(ctx, pid)
	if failure.CodeOf(err) == failure.NotFound {
		return nil, seatNotFound()
	}
	if err != nil {
		return nil, err
	}
	st, ok := p.Seat(sid)
	if !ok || st.Withdrawn() || !Proves(token, st.TokenHash, st.MailedHash) {
		return nil, seatNotFound()
	}
	return &Principal{Kind: Seat, Partnership: p, SeatID: sid}, nil
}

func seatNotFound() error {
	return failure.New(failure.NotFound, "There is no seat with this id and invitation. If the council's seat was withdrawn, ask the partnership's administrator.")
}

// SeatJoin is what a Seat principal may start in: its seat and the
// partnership's current round, from the partnership already loaded.
func (p *Principal) SeatJoin() *assessment.SeatJoin {
	if p == nil || p.Kind != Seat || p.Partnership == nil {
		return nil
	}
	pt := p.Partnership
	st, ok := pt.Seat(p.SeatID)
	if !ok {
		return nil
	}
	return &assessment.SeatJoin{Join: assessment.Join{PartnershipID: pt.ID, Round: pt.CurrentRound, Form: pt.Form, HasSeats: true},
		Seat: st.ID, Council: st.Name, Withdrawn: st.Withdrawn()}
}

func partnershipNotFound() error {
	return failure.New(failure.NotFound, "There is no partnership with this id and token.")
}

// Membership is the partnership principal of an assessment already proved:
// the assessment's own membership item names it (kind by its prospective
// flag), so no token is compared again. It returns not_found when the
// assessment is in no partnership or the partnership no longer lists it.
func (r *Resolver) Membership(ctx context.Context, a *assessment.Assessment) (*Principal, error) {
	if a.PartnershipID == "" {
		return nil, failure.New(failure.NotFound, "This assessment is not part of a partnership.")
	}
	p, err := r.Partnerships.LoadPartnership(ctx, a.PartnershipID)
	if err != nil {
		return nil, err
	}
	for _, rd := range p.Rounds {
		for _, m := range rd.Members {
			if m.Assessment != a.ID {
				continue
			}
			if m.Prospective {
				return &Principal{Kind: Prospective, Assessment: a, Partnership: p, Member: a.ID}, nil
			}
			return &Principal{Kind: Member, Assessment: a, Partnership: p, Member: a.ID}, nil
		}
	}
	return nil, partnershipNotFound()
}

// Proves reports in constant time whether token hashes to one of hashes.
// Every hash is compared, so the time taken does not say which matched.
func Proves(token string, hashes ...[]byte) bool {
	if token == "" {
		return false
	}
	h := secret.Hash(token)
	ok := 0
	for _, stored := range hashes {
		if len(stored) == sha256.Size {
			ok |= subtle.ConstantTimeCompare(h, stored)
		}
	}
	return ok == 1
}

// SameSecret reports in constant time whether got is want, for a shared
// secret held in configuration rather than hashed in the table (the origin
// header CloudFront adds, D8). An empty want matches nothing.
func SameSecret(got, want string) bool {
	if want == "" {
		return false
	}
	// Hashing first makes the comparison's time independent of the
	// lengths too.
	return subtle.ConstantTimeCompare(secret.Hash(got), secret.Hash(want)) == 1
}

// Visible is the partnership as this principal may see it: a prospective
// partner only its own membership, everyone else all of it.
func (p *Principal) Visible() *partnership.Partnership {
	if p.Kind == Prospective {
		return p.Partnership.OnlyMember(p.Member)
	}
	return p.Partnership
}

// Actor is who this principal is in the partnership's action register: the
// admin, or a member council by its seat (a seat's invitation names it; a
// member's round assessment, through its membership).
func (p *Principal) Actor() partnership.Actor {
	if p == nil || p.Partnership == nil {
		return partnership.Actor{Access: partnership.NoAccess}
	}
	seat := p.SeatID
	if p.Kind == Member {
		for _, rd := range p.Partnership.Rounds {
			for _, m := range rd.Members {
				if m.Assessment == p.Member && m.Seat != "" {
					seat = m.Seat
				}
			}
		}
	}
	return partnership.ActorOf(p.Partnership, p.Access(), seat)
}
