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

func what(sub reminders.Subject) string {
	if sub == reminders.PartnershipSubject {
		return "this partnership"
	}
	if sub == reminders.SeatSubject {
		return "round deadlines in this partnership"
	}
	return "this assessment"
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
	return s.renderStop(ctx, req, http.StatusNotFound, "This link is not valid", stopView{Paragraphs: []string{
		"Check that you copied the whole link from the email.",
		"If " + what(sub) + " has been deleted, you will not get any more reminders about it.",
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
			return s.renderStop(ctx, req, http.StatusOK, "Reminders are stopped", stopView{Paragraphs: []string{
				"You will not get more reminders about " + what(sub) + ".",
			}}), nil
		}
		v := stopView{Token: token}
		switch sub {
		case reminders.ColleagueSubject:
			v.Paragraphs = []string{
				"We email you once if questions your council's lead asked you to answer are still waiting a week later.",
				"If you stop reminders, we will not email you about them. Your answers are not changed, and your link still works.",
			}
		case reminders.SeatSubject:
			v.Paragraphs = []string{
				"We email your council's lead a week before a round's deadline if your council has not submitted its assessment for it.",
				"If you stop reminders, we will not email you about round deadlines in this partnership again. Your council's seat and assessments are not changed.",
			}
		case reminders.PartnershipSubject:
			v.Paragraphs = []string{
				"We email the partnership's contact when a health check is due.",
				"If you stop reminders, we will not email you about this partnership again. The partnership and its rounds are not changed.",
			}
		default:
			v.Paragraphs = []string{
				"We email you when your assessment has not been changed for a while, and when a partnership round is waiting for it.",
				"If you stop reminders, we will not email you about this assessment again. Your assessment and answers are not deleted.",
			}
		}
		return s.renderStop(ctx, req, http.StatusOK, "Stop reminders", v), nil
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
		return s.renderStop(ctx, req, http.StatusOK, "You will not get more reminders", stopView{Paragraphs: []string{
			"We will not email you about " + what(sub) + " again.",
		}}), nil
	}
}
