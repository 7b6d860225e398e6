package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/httpapi"
)

// The stop link of a joint action's reminders (shared/reminders/actions.go):
// ?for= names the recipient (an owner seat or the administrator) and the
// token proves the link was mailed to them, so a link stops its own
// recipient's reminders about that action and nobody else's. As with the
// other stop pages, GET changes nothing and POST stops.

func (s *Site) invalidActionStopLink(ctx context.Context, req *httpapi.Request) *httpapi.Response {
	return s.renderStop(ctx, req, http.StatusNotFound, "This link is not valid", stopView{Paragraphs: []string{
		"Check that you copied the whole link from the email.",
		"If the action or its partnership has been deleted, you will not get any more reminders about it.",
	}})
}

func (s *Site) stopActionPage(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	token, who := req.Query("token"), req.Query("for")
	stopped, err := s.o.Reminders.CheckStopAction(ctx, req.Param("id"), req.Param("action"), who, token)
	switch {
	case failure.CodeOf(err) == failure.NotFound:
		return s.invalidActionStopLink(ctx, req), nil
	case err != nil:
		return nil, err
	case stopped:
		return s.renderStop(ctx, req, http.StatusOK, "Reminders are stopped", stopView{Paragraphs: []string{
			"You will not get more reminders about this action.",
		}}), nil
	}
	return s.renderStop(ctx, req, http.StatusOK, "Stop reminders", stopView{Token: token, For: who, Paragraphs: []string{
		"We email an action’s owners and the partnership’s administrator a week before the action is due, and again if it is overdue.",
		"If you stop reminders, we will not email you about this action again. The action and the joint action register are not changed.",
	}}), nil
}

func (s *Site) stopActionConfirm(ctx context.Context, req *httpapi.Request) (*httpapi.Response, error) {
	body, err := req.Body()
	if err != nil || len(body) > maxStopForm {
		return s.invalidActionStopLink(ctx, req), nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return s.invalidActionStopLink(ctx, req), nil
	}
	token, who := form.Get("token"), form.Get("for")
	if token == "" { // one-click unsubscribe: the link's own query
		token, who = req.Query("token"), req.Query("for")
	}
	err = s.o.Reminders.StopAction(ctx, req.Param("id"), req.Param("action"), who, token)
	switch {
	case failure.CodeOf(err) == failure.NotFound:
		return s.invalidActionStopLink(ctx, req), nil
	case err != nil:
		return nil, err
	}
	return s.renderStop(ctx, req, http.StatusOK, "You will not get more reminders", stopView{Paragraphs: []string{
		"We will not email you about this action again.",
	}}), nil
}
