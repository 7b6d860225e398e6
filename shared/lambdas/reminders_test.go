package lambdas

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
	"io"
	"log/slog"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/reminders"
)

var embeddedBank = sync.OnceValue(bankyaml.MustEmbedded)

const baseURL = "https://rasp.example.gov.uk"

// remindersDeps wires the service on its own table with an outbox and a
// clock fixed at now.
func remindersDeps(t *testing.T, now time.Time) (Deps, *time.Time) {
	t.Helper()
	clock := now
	cfg := config.Config{Table: ddbtest.NewTable(t), BaseURL: baseURL, MailFrom: "RASP <rasp@rasp.example.gov.uk>",
		OutboxDir: filepath.Join(t.TempDir(), "outbox"), ReminderBudget: 40 * time.Second, ReminderBatch: 100}
	d := Wire(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)), dynamo.NewStore(ddbtest.Client(), cfg.Table), embeddedBank(),
		func() time.Time { return clock })
	return d, &clock
}

func startDraft(t *testing.T, d Deps, council, email string) string {
	t.Helper()
	s, err := d.Assessments.Start(context.Background(), assessment.StartInput{Council: council, Purpose: assessment.Readiness, Form: "collaborate",
		Respondent: assessment.Respondent{Name: "Pat Doe", Role: "Programme manager", Email: email}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	return s.ID
}

// outbox returns the List-Unsubscribe link of each message, by recipient.
func outbox(t *testing.T, d Deps) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(d.Config.OutboxDir, "*.eml"))
	out := map[string]string{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		out[strings.Trim(m.Header.Get("To"), "<>")] = strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
	}
	return out
}

// The scheduler's event, as recorded, fed to the handler as Lambda would:
// the due reminders go out once, whatever the payload.
func TestRemindersHandlerRunsOnSchedulerEvents(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	d, clock := remindersDeps(t, now.Add(-7*24*time.Hour))
	startDraft(t, d, "Barnet", "barnet@council.gov.uk")
	*clock = now
	fixture, err := os.ReadFile("testdata/scheduler-event.json")
	if err != nil {
		t.Fatal(err)
	}
	handler := Reminders(d)
	for i, payload := range []json.RawMessage{fixture, json.RawMessage(`{}`), nil} {
		rep, err := handler(context.Background(), payload)
		if err != nil {
			t.Fatalf("payload %d: %v", i, err)
		}
		if want := map[bool]int{true: 1, false: 0}[i == 0]; rep.Sent != want {
			t.Errorf("payload %d: got %+v, want %d sent", i, rep, want)
		}
	}
	if got := outbox(t, d); len(got) != 1 || got["barnet@council.gov.uk"] == "" {
		t.Errorf("outbox: got %v, want one mail to barnet@", got)
	}
}

// webRouter is the web function as deployed: the stop pages are among its
// routes, behind its one cross-origin check.
func webRouter(t *testing.T, d Deps) *httpapi.Router {
	t.Helper()
	return Web(d)
}

// page requests a stop page through the router.
func page(t *testing.T, rt *httpapi.Router, method, link string, headers map[string]string, body string) events.APIGatewayV2HTTPResponse {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q := map[string]string{}
	for k, v := range u.Query() {
		q[k] = v[0]
	}
	h := map[string]string{"host": u.Host}
	for k, v := range headers {
		h[k] = v
	}
	ev := events.APIGatewayV2HTTPRequest{RawPath: u.Path, RawQueryString: u.RawQuery, QueryStringParameters: q, Headers: h, Body: body}
	ev.RequestContext.HTTP.Method, ev.RequestContext.HTTP.Path, ev.RequestContext.DomainName = method, u.Path, u.Host
	ev.RequestContext.RequestID = "test"
	resp, err := rt.Handle(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func checkPage(t *testing.T, what string, resp events.APIGatewayV2HTTPResponse, status int, contains ...string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("%s: got status %d, want %d\n%s", what, resp.StatusCode, status, resp.Body)
	}
	if ct := resp.Headers["content-type"]; ct != "text/html; charset=utf-8" {
		t.Errorf("%s: content-type %q", what, ct)
	}
	if !strings.Contains(resp.Body, `<html lang="en-GB"`) || strings.Count(resp.Body, "<h1") != 1 {
		t.Errorf("%s: want lang en-GB and one h1:\n%s", what, resp.Body)
	}
	if resp.Headers["referrer-policy"] != "same-origin" || resp.Headers["cache-control"] != "no-store" {
		t.Errorf("%s: headers %v: want referrer-policy same-origin, cache-control no-store", what, resp.Headers)
	}
	for _, c := range contains {
		if !strings.Contains(resp.Body, c) {
			t.Errorf("%s: page does not contain %q:\n%s", what, c, resp.Body)
		}
	}
}

// The stop link of a reminder, followed like a person (GET, then the
// button) or a mail provider's one-click POST, stops the reminders. GET
// changes nothing; a POST from another site is refused.
func TestStopPages(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	d, clock := remindersDeps(t, now.Add(-7*24*time.Hour))
	person := startDraft(t, d, "Camden", "camden@council.gov.uk")
	oneClick := startDraft(t, d, "Harrow", "harrow@council.gov.uk")
	control := startDraft(t, d, "Enfield", "enfield@council.gov.uk")
	*clock = now
	if rep, err := d.Reminders.Run(context.Background(), now); err != nil || rep.Sent != 3 {
		t.Fatalf("first run: %+v, %v", rep, err)
	}
	links := outbox(t, d)
	rt := webRouter(t, d)
	stopped := func(id, link string) bool {
		u, _ := url.Parse(link)
		s, err := d.Reminders.CheckStop(context.Background(), reminders.AssessmentSubject, id, u.Query().Get("token"))
		if err != nil {
			t.Fatalf("check stop: %v", err)
		}
		return s
	}

	link := links["camden@council.gov.uk"]
	if !strings.HasPrefix(link, baseURL+"/assessments/"+person+"/stop-reminders?token=") {
		t.Fatalf("stop link %q", link)
	}
	token, _ := url.Parse(link)
	resp := page(t, rt, "GET", link, nil, "")
	checkPage(t, "GET", resp, http.StatusOK, `<form method="post" action="stop-reminders"`,
		`<input type="hidden" name="token" value="`+token.Query().Get("token")+`">`, `>Stop reminders</button>`)
	page(t, rt, "GET", link, nil, "") // a mail scanner fetches it again
	if stopped(person, link) {
		t.Fatal("GET stopped the reminders")
	}
	checkPage(t, "GET, wrong token", page(t, rt, "GET", link+"x", nil, ""), http.StatusNotFound, "This link is not valid")
	checkPage(t, "GET, no token", page(t, rt, "GET", baseURL+"/assessments/"+person+"/stop-reminders", nil, ""), http.StatusNotFound)

	form := url.Values{"token": {token.Query().Get("token")}}.Encode()
	formPost := baseURL + "/assessments/" + person + "/stop-reminders"
	for name, h := range map[string]map[string]string{
		"cross-site":                {"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
		"same-site":                 {"sec-fetch-site": "same-site", "origin": "https://other.example.gov.uk"},
		"other origin, old browser": {"origin": "https://evil.example"},
		"null origin":               {"origin": "null"},
	} {
		// The router's one cross-origin check refuses it with the site's
		// forbidden page, before any stop handler runs.
		if resp := page(t, rt, "POST", formPost, h, form); resp.StatusCode != http.StatusForbidden || !strings.Contains(resp.Body, "another website") {
			t.Errorf("POST %s: got %d, want 403 with the forbidden page\n%.300s", name, resp.StatusCode, resp.Body)
		}
	}
	if stopped(person, link) {
		t.Fatal("a cross-site POST stopped the reminders")
	}
	checkPage(t, "POST, wrong token", page(t, rt, "POST", formPost, map[string]string{"origin": baseURL}, "token=nope"), http.StatusNotFound)

	resp = page(t, rt, "POST", formPost, map[string]string{"origin": baseURL, "sec-fetch-site": "same-origin",
		"content-type": "application/x-www-form-urlencoded"}, form)
	checkPage(t, "POST", resp, http.StatusOK, "You will not get more reminders")
	if !stopped(person, link) {
		t.Error("POST did not stop the reminders")
	}
	checkPage(t, "GET after stop", page(t, rt, "GET", link, nil, ""), http.StatusOK, "Reminders are stopped")

	// RFC 8058 one-click, as a mail provider sends it: no browser headers.
	resp = page(t, rt, "POST", links["harrow@council.gov.uk"], map[string]string{"content-type": "application/x-www-form-urlencoded"}, "List-Unsubscribe=One-Click")
	checkPage(t, "one-click POST", resp, http.StatusOK)
	if !stopped(oneClick, links["harrow@council.gov.uk"]) {
		t.Error("one-click POST did not stop the reminders")
	}

	// 30 days on, only the control draft hears again.
	later := now.Add(24 * 24 * time.Hour)
	*clock = later
	if rep, err := d.Reminders.Run(context.Background(), later); err != nil || rep.Sent != 1 {
		t.Errorf("later run: %+v, %v; want 1 sent", rep, err)
	}
	if stopped(control, links["enfield@council.gov.uk"]) {
		t.Error("control draft stopped")
	}
}

// A colleague's reminder (issue 19) has a stop link of its own: the page
// shows a button, the button stops it, and a wrong token is not valid.
func TestColleagueStopPage(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	d, clock := remindersDeps(t, now.Add(-8*24*time.Hour))
	ctx := context.Background()
	s, err := d.Assessments.Start(ctx, assessment.StartInput{Council: "Merton", Purpose: assessment.Readiness, Form: "collaborate",
		Respondent: assessment.Respondent{Name: "Pat Doe", Role: "Programme manager"}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := d.Auth.Assessment(ctx, s.ID, s.Token)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := d.Assessments.Invite(ctx, a, assessment.InviteInput{Name: "Sue Adeyemi", Role: "section-151-officer", Email: "sue@merton.gov.uk"}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(d.Config.OutboxDir) // the invitation
	*clock = now
	if rep, err := d.Reminders.Run(ctx, now); err != nil || rep.Sent != 1 {
		t.Fatalf("run: %+v, %v", rep, err)
	}
	link := outbox(t, d)["sue@merton.gov.uk"]
	if !strings.HasPrefix(link, baseURL+"/assessments/"+s.ID+"/respondents/"+inv.ID+"/stop-reminders?token=") {
		t.Fatalf("stop link %q", link)
	}
	rt := webRouter(t, d)
	u, _ := url.Parse(link)
	checkPage(t, "GET", page(t, rt, "GET", link, nil, ""), http.StatusOK, `<form method="post" action="stop-reminders"`, "questions your council")
	checkPage(t, "GET, wrong token", page(t, rt, "GET", link+"x", nil, ""), http.StatusNotFound, "This link is not valid")
	form := url.Values{"token": {u.Query().Get("token")}}.Encode()
	resp := page(t, rt, "POST", baseURL+"/assessments/"+s.ID+"/respondents/"+inv.ID+"/stop-reminders", map[string]string{"origin": baseURL, "sec-fetch-site": "same-origin",
		"content-type": "application/x-www-form-urlencoded"}, form)
	checkPage(t, "POST", resp, http.StatusOK, "You will not get more reminders")
	if stopped, err := d.Reminders.CheckStop(ctx, reminders.ColleagueSubject, reminders.ColleagueID(s.ID, inv.ID), u.Query().Get("token")); err != nil || !stopped {
		t.Errorf("after POST: stopped %v, %v", stopped, err)
	}
}

// A round deadline's reminder (issue 15) has the seat's stop link: the page
// shows a button, the button stops it, and the next round's deadline
// reminder then goes nowhere.
func TestSeatStopPage(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	d, clock := remindersDeps(t, now)
	ctx := context.Background()
	p, err := d.Partnerships.Create(ctx, partnership.CreateInput{Name: "Kent shared legal", Form: "collaborate", CadenceMonths: 12,
		Councils: []partnership.SeatInput{{Name: "Dover", Email: "lead@dover.gov.uk"}}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	open := func(at time.Time, after int) {
		t.Helper()
		*clock = at
		pr, err := d.Auth.Partnership(ctx, p.ID, p.AdminToken)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Partnerships.OpenRound(ctx, pr.Partnership, partnership.AdminAccess, partnership.RoundInput{Purpose: partnership.HealthCheck, After: after,
			Deadline: partnership.DeadlineInput{Date: at.AddDate(0, 0, 10).Format("2006-01-02")}}, idempotency.Request{}); err != nil {
			t.Fatal(err)
		}
		os.RemoveAll(d.Config.OutboxDir) // the round's opening
	}
	run := func(at time.Time) {
		t.Helper()
		*clock = at
		if _, err := d.Reminders.Run(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	open(now, 1)
	run(now.AddDate(0, 0, 4)) // a week before the end of the deadline day
	link := outbox(t, d)["lead@dover.gov.uk"]
	if !strings.HasPrefix(link, baseURL+"/partnerships/"+p.ID+"/seats/"+p.Seats[0].Seat+"/stop-reminders?token=") {
		t.Fatalf("stop link %q", link)
	}
	rt := webRouter(t, d)
	u, _ := url.Parse(link)
	checkPage(t, "GET", page(t, rt, "GET", link, nil, ""), http.StatusOK, `<form method="post" action="stop-reminders"`, "a week before a round")
	checkPage(t, "GET, wrong token", page(t, rt, "GET", link+"x", nil, ""), http.StatusNotFound, "This link is not valid")
	form := url.Values{"token": {u.Query().Get("token")}}.Encode()
	resp := page(t, rt, "POST", u.Scheme+"://"+u.Host+u.Path, map[string]string{"origin": baseURL, "sec-fetch-site": "same-origin",
		"content-type": "application/x-www-form-urlencoded"}, form)
	checkPage(t, "POST", resp, http.StatusOK, "You will not get more reminders")
	if stopped, err := d.Reminders.CheckStop(ctx, reminders.SeatSubject, reminders.SeatID(p.ID, p.Seats[0].Seat), u.Query().Get("token")); err != nil || !stopped {
		t.Errorf("after POST: stopped %v, %v", stopped, err)
	}
	os.RemoveAll(d.Config.OutboxDir)
	next := now.AddDate(0, 0, 20)
	open(next, 2)
	run(next.AddDate(0, 0, 4))
	if got := outbox(t, d); len(got) != 0 {
		t.Errorf("after stopping, the next round's deadline reminder went to %v", got)
	}
}
