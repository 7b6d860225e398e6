package lambdas

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/reminders"
)

// stopHandlers serve the stop-reminders link in every reminder mail (routes
// in shared/routes/reminders.go, owned by the web function). GET only shows
// a page with a button: mail scanners and link previews fetch links, so a
// GET changes nothing. POST stops the reminders; it also accepts the
// one-click POST mail providers send to the List-Unsubscribe link (RFC
// 8058), token in the query.
func stopHandlers(d Deps) map[string]httpapi.Handler {
	page := template.Must(template.New("stop").Parse(stopPageHTML))
	return map[string]httpapi.Handler{
		"stopAssessmentReminders":         stopPage(d, page, reminders.AssessmentSubject),
		"confirmStopAssessmentReminders":  stopConfirm(d, page, reminders.AssessmentSubject),
		"stopPartnershipReminders":        stopPage(d, page, reminders.PartnershipSubject),
		"confirmStopPartnershipReminders": stopConfirm(d, page, reminders.PartnershipSubject),
	}
}

// stopView is what the page shows.
type stopView struct {
	Title      string
	Paragraphs []string
	Token      string // set: show the confirm form
}

const stopPageHTML = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}} – RASP</title>
</head>
<body>
<main id="main-content">
<h1>{{.Title}}</h1>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{if .Token}}<form method="post" action="stop-reminders" novalidate>
<input type="hidden" name="token" value="{{.Token}}">
<button type="submit">Stop reminders</button>
</form>
{{end}}</main>
</body>
</html>
`

func what(s reminders.Subject) string {
	if s == reminders.PartnershipSubject {
		return "this partnership"
	}
	return "this assessment"
}

func renderStop(page *template.Template, status int, v stopView) (*httpapi.Response, error) {
	var b bytes.Buffer
	if err := page.Execute(&b, v); err != nil {
		return nil, failure.Wrap(failure.Internal, err, "render stop page")
	}
	resp := httpapi.Text(status, "text/html; charset=utf-8", b.String())
	// The URL holds a token: no referrer leaves the page, yet the form's
	// POST still carries an Origin to check (no-referrer would make it "null").
	resp.Headers["referrer-policy"] = "same-origin"
	resp.Headers["content-security-policy"] = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	resp.Headers["x-frame-options"] = "DENY"
	resp.Headers["x-robots-tag"] = "noindex"
	return resp, nil
}

// invalidStopLink is shown for a wrong, incomplete or outdated link.
func invalidStopLink(page *template.Template, s reminders.Subject) (*httpapi.Response, error) {
	return renderStop(page, http.StatusNotFound, stopView{Title: "This link is not valid", Paragraphs: []string{
		"Check that you copied the whole link from the email.",
		"If " + what(s) + " has been deleted, you will not get any more reminders about it.",
	}})
}

func stopPage(d Deps, page *template.Template, s reminders.Subject) httpapi.Handler {
	return func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
		token := req.Query("token")
		stopped, err := d.Reminders.CheckStop(ctx, s, req.Param("id"), token)
		switch {
		case failure.CodeOf(err) == failure.NotFound:
			return invalidStopLink(page, s)
		case err != nil:
			return nil, err
		case stopped:
			return renderStop(page, http.StatusOK, stopView{Title: "Reminders are stopped", Paragraphs: []string{
				"You will not get more reminders about " + what(s) + ".",
			}})
		}
		v := stopView{Title: "Stop reminders", Token: token}
		if s == reminders.PartnershipSubject {
			v.Paragraphs = []string{
				"We email the partnership's contact when a health check is due.",
				"If you stop reminders, we will not email you about this partnership again. The partnership and its rounds are not changed.",
			}
		} else {
			v.Paragraphs = []string{
				"We email you when your assessment has not been changed for a while, and when a partnership round is waiting for it.",
				"If you stop reminders, we will not email you about this assessment again. Your assessment and answers are not deleted.",
			}
		}
		return renderStop(page, http.StatusOK, v)
	}
}

// maxStopForm is far more than a token needs.
const maxStopForm = 4 << 10

func stopConfirm(d Deps, page *template.Template, s reminders.Subject) httpapi.Handler {
	return func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
		if !sameOrigin(req, d.Config.BaseURL) {
			return renderStop(page, http.StatusForbidden, stopView{Title: "Your request could not be checked", Paragraphs: []string{
				"Open the link in the email again and select Stop reminders.",
			}})
		}
		body, err := req.Body()
		if err != nil || len(body) > maxStopForm {
			return invalidStopLink(page, s)
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return invalidStopLink(page, s)
		}
		token := form.Get("token")
		if token == "" {
			token = req.Query("token") // one-click unsubscribe: the link's own query
		}
		err = d.Reminders.Stop(ctx, s, req.Param("id"), token)
		switch {
		case failure.CodeOf(err) == failure.NotFound:
			return invalidStopLink(page, s)
		case err != nil:
			return nil, err
		}
		return renderStop(page, http.StatusOK, stopView{Title: "You will not get more reminders", Paragraphs: []string{
			"We will not email you about " + what(s) + " again.",
		}})
	}
}

// sameOrigin is the CSRF check of the POST: a browser says where a form
// came from (Sec-Fetch-Site, else Origin), and only our own pages may post.
// A request with neither is not from a browser — a mail provider's
// one-click unsubscribe — and the token it carries is the authority.
func sameOrigin(req *httpapi.Request, baseURL string) bool {
	switch req.Header("sec-fetch-site") {
	case "same-origin", "none":
		return true
	case "":
	default: // same-site, cross-site
		return false
	}
	origin := req.Header("origin")
	if origin == "" {
		return true
	}
	if b, err := url.Parse(baseURL); err == nil && b.Host != "" && strings.EqualFold(origin, b.Scheme+"://"+b.Host) {
		return true
	}
	host := req.Header("host")
	return host != "" && (strings.EqualFold(origin, "https://"+host) || !req.Secure() && strings.EqualFold(origin, "http://"+host))
}
