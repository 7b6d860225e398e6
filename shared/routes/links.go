package routes

import "github.com/openrasp/rasp/shared/viewer"

// Links are the absolute addresses that mails and replies hand out, each
// built from the route that takes it, on one origin (scheme and host). The
// domain services are given a Links as their own small interfaces
// (assessment.Links, partnership.Links), so that they never spell a path.
type Links struct {
	Origin string
}

// Resume is the lead's private link to assessment id.
func (l Links) Resume(id, token string) string {
	return Abs(l.Origin, Link("webResume", P{"id": id}, token))
}

// Colleague is colleague cid's own link to answer for assessment id.
func (l Links) Colleague(id, cid, token string) string {
	return Abs(l.Origin, Link("webRespondentResume", P{"id": id, "respondent": cid}, token))
}

// Admin is an administrator's link to partnership pid.
func (l Links) Admin(pid, token string) string {
	return Abs(l.Origin, Link("webPartnershipAdmin", P{"id": pid}, token))
}

// Invitation is the link that carries seat sid's invitation to partnership pid.
func (l Links) Invitation(pid, sid, token string) string {
	return Abs(l.Origin, Link("webSeatInvitation", P{"id": pid, "seat": sid}, token))
}

// Viewer is read-only link s to what o owns: its pages, with the token once.
func (l Links) Viewer(o viewer.Owner, s viewer.Shared) string {
	name := "webReportViewerResume"
	if o.Subject == viewer.Comparison {
		name = "webComparisonViewerResume"
	}
	return Abs(l.Origin, Link(name, P{"id": o.ID, "viewer": s.ID}, s.Token))
}
