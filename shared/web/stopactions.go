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
	return s.renderStop(ctx, req, http.StatusNotFound, tr(req, "stop.invalid.title"), stopView{Paragraphs: []string{
		tr(req, "stop.invalid.copy"),
		tr(req, "actions.stop.deleted"),
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
		return s.renderStop(ctx, req, http.StatusOK, tr(req, "stop.stopped.title"), stopView{Paragraphs: []string{
			tr(req, "actions.stop.stopped"),
		}}), nil
	}
	return s.renderStop(ctx, req, http.StatusOK, tr(req, "stop.title"), stopView{Token: token, For: who, Paragraphs: []string{
		tr(req, "actions.stop.when"),
		tr(req, "actions.stop.effect"),
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
	return s.renderStop(ctx, req, http.StatusOK, tr(req, "stop.done.title"), stopView{Paragraphs: []string{
		tr(req, "actions.stop.done"),
	}}), nil
}
