package lambdas_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/viewer"
)

// shareReport makes a read-only link to s's report.
func (e *env) shareReport(s api.Started, in api.ShareReport, headers ...string) api.ViewerShared {
	e.t.Helper()
	r := e.do("POST", "/api/assessments/"+s.ID+"/viewers", s.Token, in, headers...)
	if r.status != http.StatusCreated {
		e.t.Fatalf("share the report: %d %s", r.status, r.body)
	}
	var v api.ViewerShared
	r.json(e.t, &v)
	return v
}

func viewReportPath(s api.Started, v api.ViewerShared) string {
	return "/api/assessments/" + s.ID + "/viewers/" + v.ID + "/score"
}

func viewComparisonPath(p api.PartnershipCreated, v api.ViewerShared) string {
	return "/api/partnerships/" + p.ID + "/viewers/" + v.ID + "/comparison"
}

// viewerRefusesEveryOtherRoute sends the viewer's token to every route of
// the table that is not public and not a viewer's read, with every param
// filled and the token in every place a credential travels (the bearer
// header and each cookie name): each must refuse with 403 or 404, and
// nothing may be written. A new write route is covered without a change.
func (e *env) viewerRefusesEveryOtherRoute(t *testing.T, aid, pid string, report, comparison api.ViewerShared) {
	t.Helper()
	area := library(t).Current().Areas[0].ID
	const other = "aaaaaaaaaaaaaaaaaaaaaaaaaa"
	before := e.itemCount()
	tried := 0
	// Pages first: the API's revoke, tried with the link's own id, would
	// end the link for the rest, were it wrongly allowed.
	table := routes.Table()
	slices.Reverse(table)
	for _, rt := range table {
		if rt.Auth == routes.Public || rt.Auth == routes.ReportViewer || rt.Auth == routes.ComparisonViewer {
			continue
		}
		id, v := aid, report
		if strings.HasPrefix(rt.Path, "/api/partnerships/") || strings.HasPrefix(rt.Path, "/partnerships/") {
			id, v = pid, comparison
		}
		path := strings.NewReplacer("{id}", id, "{viewer}", v.ID, "{respondent}", other, "{seat}", other, "{action}", other,
			"{area}", area, "{n}", "1").Replace(rt.Path)
		if rt.TokenInQuery {
			path += "?token=" + v.Token
		}
		cookies := strings.Join([]string{"rasp_a_" + aid + "=" + v.Token, "rasp_p_" + pid + "=" + v.Token, "rasp_v_" + v.ID + "=" + v.Token,
			"rasp_s_" + other + "=" + v.Token, "rasp_r_" + other + "=" + v.Token}, "; ")
		var body any
		headers := []string{"Cookie", cookies}
		if rt.Request != nil {
			body = `{}`
		}
		if rt.Page() && rt.Method == http.MethodPost {
			headers = append(headers, "Content-Type", "application/x-www-form-urlencoded")
			body = "key=k"
		}
		if rt.Idempotent {
			headers = append(headers, "Idempotency-Key", "viewer-"+rt.Name)
		}
		_, _, r := e.send(rt.Method, path, v.Token, body, headers...)
		tried++
		if r.status != http.StatusForbidden && r.status != http.StatusNotFound {
			t.Errorf("%s %s (%s) with a read-only link's token: got %d, want 403 or 404", rt.Method, rt.Path, rt.Name, r.status)
		}
	}
	if tried < 60 {
		t.Errorf("tried %d routes: the table has more", tried)
	}
	if got := e.itemCount(); got != before {
		t.Errorf("items after a read-only link tried every route: got %d, want %d", got, before)
	}
}

// Issue 20: a read-only link shows the report or the comparison, refuses
// every change, and stops working when revoked or expired.
func TestReadOnlyLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("Read-only partnership", "Southwark", "Brent")
	southwark := e.join(p, "Southwark", "readiness")
	e.noted(southwark, 3, "Cabinet backed it in March")
	if r := e.do("POST", "/api/assessments/"+southwark.ID+"/submit", southwark.Token, api.Submit{ShareNotes: true}); r.status != http.StatusOK {
		t.Fatalf("submit sharing: %d %s", r.status, r.body)
	}
	brent := e.join(p, "Brent", "readiness")
	e.noted(brent, 1, "Our leader is wavering, keep this to us")

	// Bad input is refused with the field named, and writes nothing.
	today := e.now.Now().UTC()
	before := e.itemCount()
	for _, bad := range []any{
		api.ShareReport{Expires: today.AddDate(0, 0, -1).Format(viewer.DateLayout)},
		api.ShareReport{Expires: today.AddDate(0, 0, viewer.MaxDays+1).Format(viewer.DateLayout)},
		api.ShareReport{Expires: "2027-02-30"},
		api.ShareReport{Label: strings.Repeat("x", viewer.MaxLabel+1)},
		api.ShareReport{Label: "two\nlines"},
	} {
		if r := e.do("POST", "/api/assessments/"+southwark.ID+"/viewers", southwark.Token, bad); r.status != http.StatusUnprocessableEntity {
			t.Errorf("share %+v: got %d %s, want 422", bad, r.status, r.body)
		}
	}
	if got := e.itemCount(); got != before {
		t.Errorf("items after refused links: got %d, want %d", got, before)
	}

	// The lead shares the report: 30 days by default, and a retry with
	// the same key gets the same link back.
	key := []string{"Idempotency-Key", "share-board"}
	board := e.shareReport(southwark, api.ShareReport{Label: "Audit committee"}, key...)
	if want := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, viewer.DefaultDays+1); !board.Expires.Equal(want) {
		t.Errorf("default expiry: got %s, want %s", board.Expires, want)
	}
	if !strings.Contains(board.Link, "/assessments/"+southwark.ID+"/views/"+board.ID+"/resume?token="+board.Token) {
		t.Errorf("link: got %q", board.Link)
	}
	if again := e.shareReport(southwark, api.ShareReport{Label: "Audit committee"}, key...); again.ID != board.ID || again.Token != board.Token {
		t.Errorf("replay: got %s, want %s", again.ID, board.ID)
	}
	lastDay := e.shareReport(southwark, api.ShareReport{Expires: today.Format(viewer.DateLayout)})

	// It shows the report, as the lead sees it.
	var lead, seen api.Score
	e.do("GET", "/api/assessments/"+southwark.ID+"/score", southwark.Token, nil).json(t, &lead)
	r := e.do("GET", viewReportPath(southwark, board), board.Token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("view the report: %d %s", r.status, r.body)
	}
	if r.json(t, &seen); seen.Overall != lead.Overall || seen.Council != "Southwark" || len(seen.Areas) != len(lead.Areas) {
		t.Errorf("viewer's report: got overall %d of %s, want %d", seen.Overall, seen.Council, lead.Overall)
	}
	// The lead's token is not a viewer's, nor one link's token another's.
	for _, tc := range []struct{ path, token string }{
		{viewReportPath(southwark, board), southwark.Token},
		{viewReportPath(southwark, board), lastDay.Token},
		{"/api/assessments/" + brent.ID + "/viewers/" + board.ID + "/score", board.Token},
	} {
		if r := e.do("GET", tc.path, tc.token, nil); r.status != http.StatusNotFound {
			t.Errorf("GET %s with another token: got %d, want 404", tc.path, r.status)
		}
	}
	if r := e.do("GET", viewReportPath(southwark, board), "", nil); r.status != http.StatusUnauthorized {
		t.Errorf("no token: got %d, want 401", r.status)
	}

	// The administrator shares the comparison of the current round, which
	// is sealed: the link shows it sealed too. A member council may not
	// share it.
	if r := e.do("POST", "/api/partnerships/"+p.ID+"/viewers", southwark.Token, api.ShareComparison{}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("a member shares the comparison: got %d, want 403 or 404", r.status)
	}
	if r := e.do("POST", "/api/partnerships/"+p.ID+"/viewers", p.AdminToken, api.ShareComparison{Round: 7}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("share a round that does not exist: got %d, want 422", r.status)
	}
	r = e.do("POST", "/api/partnerships/"+p.ID+"/viewers", p.AdminToken, api.ShareComparison{Label: "Scrutiny"})
	if r.status != http.StatusCreated {
		t.Fatalf("share the comparison: %d %s", r.status, r.body)
	}
	var scrutiny api.ViewerShared
	if r.json(t, &scrutiny); scrutiny.Round != 1 {
		t.Errorf("comparison link round: got %d, want 1", scrutiny.Round)
	}
	if r := e.do("GET", viewComparisonPath(p, scrutiny), scrutiny.Token, nil); r.status != http.StatusConflict || !strings.Contains(string(r.body), "/problems/sealed") {
		t.Errorf("viewer of a sealed round: got %d %s, want 409 sealed", r.status, r.body)
	}

	// It refuses every change, and every other read.
	e.viewerRefusesEveryOtherRoute(t, southwark.ID, p.ID, board, scrutiny)

	// Once Brent submits (not sharing), the viewer sees what a member sees:
	// the shared note, never the unshared one.
	e.submit(brent)
	r = e.do("GET", viewComparisonPath(p, scrutiny), scrutiny.Token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("viewer of the unsealed round: %d %s", r.status, r.body)
	}
	if body := string(r.body); !strings.Contains(body, "Cabinet backed it in March") || strings.Contains(body, "wavering") {
		t.Errorf("viewer's comparison: want the shared note only, got %s", body)
	}

	// The sharers list their live links (never the tokens) and revoke one:
	// it stops working at once.
	var list api.Viewers
	e.do("GET", "/api/assessments/"+southwark.ID+"/viewers", southwark.Token, nil).json(t, &list)
	if len(list.Viewers) != 2 || list.Viewers[0].ID != lastDay.ID {
		t.Errorf("live links: got %+v, want the two, soonest to expire first", list.Viewers)
	}
	e.do("GET", "/api/partnerships/"+p.ID+"/viewers", p.AdminToken, nil).json(t, &list)
	if len(list.Viewers) != 1 || list.Viewers[0].Round != 1 {
		t.Errorf("live comparison links: got %+v", list.Viewers)
	}
	if r := e.do("DELETE", "/api/partnerships/"+p.ID+"/viewers/"+scrutiny.ID, p.AdminToken, nil); r.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := e.do("GET", viewComparisonPath(p, scrutiny), scrutiny.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("revoked comparison link: got %d, want 404", r.status)
	}
	if r := e.do("DELETE", "/api/assessments/"+southwark.ID+"/viewers/"+board.ID, southwark.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := e.do("GET", viewReportPath(southwark, board), board.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("revoked report link: got %d, want 404", r.status)
	}
	if r := e.do("DELETE", "/api/assessments/"+southwark.ID+"/viewers/"+board.ID, southwark.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("revoke again: got %d, want 404", r.status)
	}

	// A link picked to end today works to the end of today, by the
	// service's clock, and not a moment after (whatever TTL has yet to do).
	if r := e.do("GET", viewReportPath(southwark, lastDay), lastDay.Token, nil); r.status != http.StatusOK {
		t.Errorf("link on its last day: got %d, want 200", r.status)
	}
	e.now.Add(lastDay.Expires.Sub(e.now.Now()))
	if r := e.do("GET", viewReportPath(southwark, lastDay), lastDay.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("expired link: got %d, want 404", r.status)
	}
	e.do("GET", "/api/assessments/"+southwark.ID+"/viewers", southwark.Token, nil).json(t, &list)
	if len(list.Viewers) != 0 {
		t.Errorf("live links after revoking one and the other expiring: got %+v", list.Viewers)
	}
}

// A report's read-only links go with the assessment when it is erased,
// and again after a point-in-time restore (the erasure log); a
// partnership's with the partnership.
func TestReadOnlyLinksAreErased(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.start(startBody("Barnet", "combine"))
	e.answerAll(s, func(bank.Question) *int { return intp(2) })
	v := e.shareReport(s, api.ShareReport{Label: "Barnet audit committee"}, "Idempotency-Key", "erase-me")
	// A link of an assessment that stays, revoked after the restore point:
	// the re-erasure revokes it again.
	kept := e.start(startBody("Enfield", "combine"))
	revoked := e.shareReport(kept, api.ShareReport{Label: "Enfield audit committee"}, "Idempotency-Key", "revoke-me")
	p := e.partnership("Links partnership", "Camden")
	r := e.do("POST", "/api/partnerships/"+p.ID+"/viewers", p.AdminToken, api.ShareComparison{Label: "Camden scrutiny"}, "Idempotency-Key", "erase-me-too")
	if r.status != http.StatusCreated {
		t.Fatalf("share the comparison: %d %s", r.status, r.body)
	}
	restored := ddbtest.NewTable(t)
	copyTable(t, e.table, restored)
	since := e.now.Now()

	if r := e.do("DELETE", "/api/assessments/"+s.ID, s.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("erase: %d %s", r.status, r.body)
	}
	if r := e.do("DELETE", "/api/assessments/"+kept.ID+"/viewers/"+revoked.ID, kept.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := e.do("DELETE", "/api/partnerships/"+p.ID, p.AdminToken, nil); r.status != http.StatusNoContent {
		t.Fatalf("erase the partnership: %d %s", r.status, r.body)
	}
	for _, gone := range []string{"Barnet audit committee", "Camden scrutiny", v.ID} {
		if where := itemHolding(t, e.table, gone); where != "" {
			t.Errorf("after erasure the table still holds %q in %s", gone, where)
		}
	}
	if n := e.partitionCount(s.ID); n != 0 {
		t.Errorf("items left of the erased assessment: %d", n)
	}
	if r := e.do("GET", viewReportPath(s, v), v.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("link of an erased report: got %d, want 404", r.status)
	}

	live := dynamo.NewStore(ddbtest.Client(), e.table)
	log, err := live.ErasedSince(context.Background(), since.Add(-time.Minute), time.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	target := dynamo.NewStore(ddbtest.Client(), restored)
	for _, entry := range log {
		if err := target.Reerase(context.Background(), entry); err != nil {
			t.Fatalf("re-erase %+v: %v", entry, err)
		}
	}
	if len(log) != 3 {
		t.Errorf("erasure log: got %+v, want the assessment, the partnership and the revoked link", log)
	}
	for _, gone := range []string{"Barnet audit committee", "Camden scrutiny", "Enfield audit committee", v.ID, revoked.ID} {
		if where := itemHolding(t, restored, gone); where != "" {
			t.Errorf("after re-erasure the restored table still holds %q in %s", gone, where)
		}
	}
	if where := itemHolding(t, restored, kept.ID); where == "" {
		t.Error("re-erasure removed Enfield's assessment, which nobody erased")
	}
}
