package lambdas_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/bank"
)

// A council keeps a report item as its own action, edits it, notes its
// progress; a re-assessment carries it with its question's score then and
// now; a colleague's token is refused; erasing the assessment erases it.
func TestOwnActionsAreTheCouncilsAndCarryForward(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := library(t).Current()
	q := b.Questions()[0].ID
	s := e.start(startBody("Bromley", "collaborate"))
	e.answerAll(s, func(bank.Question) *int { return intp(1) })
	base := "/api/assessments/" + s.ID + "/own-actions"

	// Bad input: 422 naming every field, nothing written.
	before := e.itemCount()
	r := e.do("POST", base, s.Token, api.NewOwnAction{Title: " ", Questions: []string{"no.such-question"}, Due: "2027-02-30", Status: "finished"})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: got %d %s, want 422", r.status, r.body)
	}
	for _, f := range []string{`"title"`, `"questions"`, `"due"`, `"status"`} {
		if !strings.Contains(string(r.body), f) {
			t.Errorf("bad input: the problem does not name %s: %s", f, r.body)
		}
	}
	if n := e.itemCount(); n != before {
		t.Errorf("bad input wrote %d items", n-before)
	}

	// A colleague answering through their own link is refused, reading or writing.
	var colleague api.RespondentInvited
	if r := e.do("POST", "/api/assessments/"+s.ID+"/respondents", s.Token, api.InviteRespondent{Name: "Sue Adeyemi", Role: "section-151-officer"}); r.status != http.StatusCreated {
		t.Fatalf("invite: %d %s", r.status, r.body)
	} else {
		r.json(t, &colleague)
	}
	before = e.itemCount()
	for _, c := range []struct{ method, path string }{{"POST", base}, {"GET", base}} {
		if r := e.do(c.method, c.path, colleague.Token, api.NewOwnAction{Title: "Mine now", Due: "2027-03-31"}); r.status != http.StatusNotFound && r.status != http.StatusUnauthorized && r.status != http.StatusForbidden {
			t.Errorf("%s own actions with a colleague's token: got %d %s, want it refused", c.method, r.status, r.body)
		}
	}
	if n := e.itemCount(); n != before {
		t.Errorf("a colleague's refused create wrote %d items", n-before)
	}

	// Kept, edited, noted.
	r = e.do("POST", base, s.Token, api.NewOwnAction{Title: "Secure political backing", Questions: []string{q}, Owner: "Chief executive", Due: "2027-03-31"}, "Idempotency-Key", "keep-1")
	if r.status != http.StatusCreated {
		t.Fatalf("keep: %d %s", r.status, r.body)
	}
	var kept api.OwnAction
	r.json(t, &kept)
	if kept.Status != "planned" || kept.Owner != "Chief executive" || kept.Carried || !strings.HasSuffix(r.header.Get("Location"), base+"/"+kept.ID) {
		t.Errorf("kept: %+v location %q", kept, r.header.Get("Location"))
	}
	done := "in-progress"
	if r := e.do("PATCH", base+"/"+kept.ID, s.Token, api.OwnActionChange{Status: &done}); r.status != http.StatusOK {
		t.Fatalf("edit: %d %s", r.status, r.body)
	}
	if r := e.do("POST", base+"/"+kept.ID+"/notes", s.Token, api.NewProgressNote{Text: "Leader briefed on 3 December."}); r.status != http.StatusCreated {
		t.Fatalf("note: %d %s", r.status, r.body)
	}
	// A bad edit changes nothing: the list below still has the first due date.
	bad := "2027-13-01"
	if r := e.do("PATCH", base+"/"+kept.ID, s.Token, api.OwnActionChange{Due: &bad}); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), `"due"`) {
		t.Errorf("bad edit: got %d %s, want 422 naming due", r.status, r.body)
	}

	// The list is read with the assessment: one Query.
	var mu sync.Mutex
	queries := 0
	e.store.OnCapacity(func(op string, cc []types.ConsumedCapacity) {
		mu.Lock()
		queries++
		mu.Unlock()
	})
	var list api.OwnActions
	if r := e.do("GET", base, s.Token, nil); r.status != http.StatusOK {
		t.Fatalf("list: %d %s", r.status, r.body)
	} else {
		r.json(t, &list)
	}
	e.store.OnCapacity(nil)
	if queries != 1 {
		t.Errorf("reading the list took %d calls, want the one Query of the assessment", queries)
	}
	if len(list.Actions) != 1 || list.Actions[0].Status != "in-progress" || len(list.Actions[0].Notes) != 1 || list.Actions[0].Due != "2027-03-31" {
		t.Fatalf("list: %+v", list)
	}

	// Submitted, re-assessed: the action comes along with then and now.
	e.submit(s)
	next := e.healthCheck(s)
	e.answerAll(next, func(bank.Question) *int { return intp(3) })
	var carried api.OwnActions
	if r := e.do("GET", "/api/assessments/"+next.ID+"/own-actions", next.Token, nil); r.status != http.StatusOK {
		t.Fatalf("carried list: %d %s", r.status, r.body)
	} else {
		r.json(t, &carried)
	}
	if len(carried.Actions) != 1 {
		t.Fatalf("carried: %+v", carried)
	}
	c := carried.Actions[0]
	if !c.Carried || c.Title != kept.Title || c.ID == kept.ID || c.ThenOn == "" || len(c.ThenAndNow) != 1 {
		t.Fatalf("carried action: %+v", c)
	}
	if m := c.ThenAndNow[0]; m.Question != q || m.Then == nil || *m.Then != 1 || m.Now == nil || *m.Now != 3 {
		t.Errorf("then and now: %+v, want 1 then and 3 now", m)
	}

	// Erasing the first assessment erases its actions and leaves the next one's.
	if r := e.do("DELETE", "/api/assessments/"+s.ID, s.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("erase: %d %s", r.status, r.body)
	}
	if n := e.partitionCount(s.ID); n != 0 {
		t.Errorf("after the erasure %d items are left in the assessment's partition", n)
	}
	if r := e.do("GET", "/api/assessments/"+next.ID+"/own-actions/"+c.ID, next.Token, nil); r.status != http.StatusOK {
		t.Errorf("the next assessment's carried action: %d %s", r.status, r.body)
	}
}
