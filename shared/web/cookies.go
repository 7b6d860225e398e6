package web

import (
	"net/http"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/routes"
)

// Cookies hold the capability tokens that stand in for accounts: one cookie
// per assessment (httpapi.AssessmentCookie, Path=/assessments/<id>) and one per
// partnership administered (httpapi.PartnershipCookie, Path=/partnerships/<id>), so a
// browser can hold several and each is sent only under its own path.
// HttpOnly keeps them from scripts; SameSite=Strict keeps them off requests
// started by other sites (with the Sec-Fetch-Site/Origin check, our CSRF
// defence); Secure whenever the request came over HTTPS.

// cookieMaxAge matches the draft expiry: a draft untouched for 180 days is
// deleted, so the cookie need not outlive it.
var cookieMaxAge = int(assessment.DraftExpiry / time.Second)

// assessmentPath and partnershipPath are the roots of an assessment's and
// a partnership's pages, which their cookies are scoped to.
func assessmentPath(id string) string  { return routes.Path("webTaskList", routes.P{"id": id}) }
func partnershipPath(id string) string { return routes.Path("webPartnership", routes.P{"id": id}) }

// setCookie returns a Set-Cookie value for a token.
func setCookie(req *httpapi.Request, name, path, token string) string {
	c := &http.Cookie{Name: name, Value: token, Path: path, MaxAge: cookieMaxAge, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: req.Secure()}
	return c.String()
}

// clearCookie returns a Set-Cookie value that deletes a cookie.
func clearCookie(req *httpapi.Request, name, path string) string {
	c := &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: req.Secure()}
	return c.String()
}
