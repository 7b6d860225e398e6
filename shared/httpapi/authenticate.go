package httpapi

import (
	"context"

	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/routes"
)

// AssessmentCookie and PartnershipCookie name the HttpOnly cookies that hold
// a page's credential: one per assessment (Path=/assessments/<id>) and one
// per partnership administered (Path=/partnerships/<id>), so a browser can
// hold several and each is sent only under its own path.
func AssessmentCookie(id string) string  { return "rasp_a_" + id }
func PartnershipCookie(id string) string { return "rasp_p_" + id }

// SeatCookie names the cookie of a seat's invitation (Path=/partnerships/<id>/seats/<seat>).
func SeatCookie(sid string) string { return "rasp_s_" + sid }

// RespondentCookie names the cookie of a colleague's link (Path=/assessments/<id>/respondents/<cid>).
func RespondentCookie(cid string) string { return "rasp_r_" + cid }

// ViewerCookie names the cookie of a read-only link (Path=/assessments/<id>/views/<vid>
// or /partnerships/<id>/views/<vid>).
func ViewerCookie(vid string) string { return "rasp_v_" + vid }

// credential is where the route's kind carries the token: the cookie for a
// page (or, on the private link that sets it, ?token=), the Authorization
// header for the API.
func credential(req *Request, cookie string) string {
	switch {
	case !req.Route.Page():
		return req.BearerToken()
	case req.Route.TokenInQuery:
		return req.Query("token")
	}
	return req.Cookie(cookie)
}

// authenticate is the one auth middleware: it resolves the route's
// principal once, with the item it was proved against, or fails with
// unauthorized (no credential), not_found (a wrong one) or forbidden (the
// wrong kind of principal for the route).
func (rt *Router) authenticate(ctx context.Context, req *Request) error {
	id := req.Param("id")
	switch req.Route.Auth {
	case routes.Public:
		return nil
	case routes.Assessment, routes.Membership:
		a, err := rt.auth.Assessment(ctx, id, credential(req, AssessmentCookie(id)))
		if err != nil {
			return err
		}
		req.Principal = &auth.Principal{Kind: auth.Assessment, Assessment: a}
		if req.Route.Auth == routes.Membership {
			p, err := rt.auth.Membership(ctx, a)
			if err != nil {
				return err
			}
			req.Principal = p
		}
		return nil
	case routes.Member, routes.Admin:
		p, err := rt.auth.Partnership(ctx, id, credential(req, PartnershipCookie(id)))
		if err != nil {
			return err
		}
		if req.Route.Auth == routes.Admin && p.Kind != auth.Admin {
			if req.Route.Page() {
				// A page link with the wrong kind of token looks like a
				// wrong link: the pages never say whose a token is.
				return failure.New(failure.NotFound, "There is no partnership with this id and token.")
			}
			return failure.New(failure.Forbidden, "Only the partnership's administrator can do this.")
		}
		req.Principal = p
		return nil
	case routes.Respondent:
		cid := req.Param("respondent")
		p, err := rt.auth.Respondent(ctx, id, cid, credential(req, RespondentCookie(cid)))
		if err != nil {
			return err
		}
		req.Principal = p
		return nil
	case routes.ReportViewer, routes.ComparisonViewer:
		vid := req.Param("viewer")
		resolve := rt.auth.ReportViewer
		if req.Route.Auth == routes.ComparisonViewer {
			resolve = rt.auth.ComparisonViewer
		}
		p, err := resolve(ctx, id, vid, credential(req, ViewerCookie(vid)))
		if err != nil {
			return err
		}
		req.Principal = p
		return nil
	case routes.Seat:
		sid := req.Param("seat")
		p, err := rt.auth.Seat(ctx, id, sid, credential(req, SeatCookie(sid)))
		if err != nil {
			return err
		}
		req.Principal = p
		return nil
	}
	// A route table entry with an auth this switch does not know is a bug:
	// refuse rather than serve it unprotected.
	return failure.New(failure.Internal, "route %s: unknown auth %q", req.Route.Name, req.Route.Auth)
}
