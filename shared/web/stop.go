package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/reminders"
)

// The stop-reminders link in every reminder mail (routes in
// shared/routes/reminders.go). GET only shows a page with a button: mail
// scanners and link previews fetch links, so a GET changes nothing. POST
// stops the reminders; it also accepts the one-click POST that mail
// providers send to the List-Unsubscribe link (RFC 8058), token in the
// query. The router's cross-origin check lets that POST through (it carries
// neither Sec-Fetch-Site nor Origin: not a browser) and refuses forms posted
// from other sites; the stop token is the authority.

func (s *Site) stopHandlers() map[string]httpapi.Handler {
	return map[string]httpapi.Handler{
		"stopAssessmentReminders":         s.stopPage(reminders.AssessmentSubject),
		"confirmStopAssessmentReminders":  s.stopConfirm(reminders.AssessmentSubject),
		"stopPartnershipReminders":        s.stopPage(reminders.PartnershipSubject),
		"confirmStopPartnershipReminders": s.stopConfirm(reminders.PartnershipSubject),
		"stopColleagueReminders":          s.stopPage(reminders.ColleagueSubject),
		"confirmStopColleagueReminders":   s.stopConfirm(reminders.ColleagueSubject),
		"stopSeatReminders":               s.stopPage(reminders.SeatSubject),
		"confirmStopSeatReminders":        s.stopConfirm(reminders.SeatSubject),
		"stopActionReminders":             s.stopActionPage,
		"confirmStopActionReminders":      s.stopActionConfirm,
	}
}

// stopView is what the stop page shows.
type stopView struct {
	Paragraphs []string
	Token      string // set: show the confirm form
	For        string // the recipient of an action's reminders (stopactions.go)
}

// stopID is the subject the link names: a colleague is named by the
// assessment and the colleague.
func stopID(sub reminders.Subject, req *httpapi.Request) string {
	if sub == reminders.ColleagueSubject {
		return reminders.ColleagueID(req.Param("id"), req.Param("respondent"))
	}
	if sub == reminders.SeatSubject {
		return reminders.SeatID(req.Param("id"), req.Param("seat"))
	}
	return req.Param("id")
}

// stopKey is the catalogue key of a stop page's text about sub's
// reminders: a colleague's reminders are about their assessment.
func stopKey(sub reminders.Subject, text string) string {
	switch sub {
	case reminders.PartnershipSubject:
		return "stop.partnership." + text
	case reminders.SeatSubject:
		return "stop.seat." + text
	}
	return "stop.assessment." + text
}

func (s *Site) renderStop(ctx context.Context, req *httpapi.Request, status int, title string, v stopView) *httpapi.Response {
	resp := s.render(ctx, req, status, "stop", &page{Title: title, Secret: v.Token != "", Data: v})
	// The URL holds a token: no referrer leaves the page, yet the form's
	// POST still carries an Origin to check (no-referrer would make it "null").
	resp.Headers["referrer-policy"] = "same-origin"
	resp.Headers["x-robots-tag"] = "noindex"
	return resp
}

// invalidStopLink is shown for a wrong, incomplete or outdated link.
func (s *Site) invalidStopLink(ctx context.Context, req *httpapi.Request, sub reminders.Subject) *httpapi.Response {
	return s.renderStop(ctx, req, http.StatusNotFound, tr(req, "stop.invalid.title"), stopView{Paragraphs: []string{
		tr(req, "stop.invalid.copy"),
		tr(req, stopKey(sub, "deleted")),
	}})
}

func (s *Site) stopPage(sub reminders.Subject) httpapi.Handler {
	return func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
		token := req.Query("token")
		stopped, err := s.o.Reminders.CheckStop(ctx, sub, stopID(sub, req), token)
		switch {
		case failure.CodeOf(err) == failure.NotFound:
			return s.invalidStopLink(ctx, req, sub), nil
		case err != nil:
			return nil, err
		case stopped:
			return s.renderStop(ctx, req, http.StatusOK, tr(req, "stop.stopped.title"), stopView{Paragraphs: []string{
				tr(req, stopKey(sub, "stopped")),
			}}), nil
		}
		// What the reminders are and what stopping them leaves as it is.
		key := stopKey(sub, "")
		if sub == reminders.ColleagueSubject {
			key = "stop.colleague."
		}
		v := stopView{Token: token, Paragraphs: []string{tr(req, key+"when"), tr(req, key+"effect")}}
		return s.renderStop(ctx, req, http.StatusOK, tr(req, "stop.title"), v), nil
	}
}

// maxStopForm is far more than a token needs.
const maxStopForm = 4 << 10

func (s *Site) stopConfirm(sub reminders.Subject) httpapi.Handler {
	return func(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
		body, err := req.Body()
		if err != nil || len(body) > maxStopForm {
			return s.invalidStopLink(ctx, req, sub), nil
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return s.invalidStopLink(ctx, req, sub), nil
		}
		token := form.Get("token")
		if token == "" {
			token = req.Query("token") // one-click unsubscribe: the link's own query
		}
		err = s.o.Reminders.Stop(ctx, sub, stopID(sub, req), token)
		switch {
		case failure.CodeOf(err) == failure.NotFound:
			return s.invalidStopLink(ctx, req, sub), nil
		case err != nil:
			return nil, err
		}
		return s.renderStop(ctx, req, http.StatusOK, tr(req, "stop.done.title"), stopView{Paragraphs: []string{
			tr(req, stopKey(sub, "done")),
		}}), nil
	}
}
