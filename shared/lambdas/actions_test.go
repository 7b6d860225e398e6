package lambdas_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/listpage"
)

// seatOf finds a council's invitation in a new partnership.
func seatOf(t *testing.T, p api.PartnershipCreated, council string) api.SeatInvitation {
	t.Helper()
	for _, s := range p.Seats {
		if s.Council == council {
			return s
		}
	}
	t.Fatalf("no seat %s", council)
	return api.SeatInvitation{}
}

// The joint action register: the admin adds an action from a finding,
// every member reads it, the owner council edits it and notes progress,
// another member council may read but not change it, a prospective partner
// may not read it, and a token of another partnership finds nothing.
func TestJointActionRegister(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("South London shared ICT", "Southwark", "Brent", "Lewisham")
	brentSeat, lewishamSeat := seatOf(t, p, "Brent"), seatOf(t, p, "Lewisham")
	brent := e.submittedMember(p, "Brent", 2)
	lewisham := e.submittedMember(p, "Lewisham", 3)
	prospect := e.join(p, "Croydon", "new-partner")
	other := e.partnership("Another partnership", "Merton")
	base := "/api/partnerships/" + p.ID + "/actions"
	q := library(t).Current().Questions()[0].ID
	due := time.Now().UTC().AddDate(0, 2, 0).Format("2006-01-02")

	// Bad input writes nothing and names each field.
	before := e.itemCount()
	r := e.do("POST", base, p.AdminToken, api.NewJointAction{Title: " ", Due: "2027-02-30", Questions: []string{"no.such"}, OwnerSeats: []string{"nope"}, Status: "finished"})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad action: got %d %s, want 422", r.status, r.body)
	}
	for _, f := range []string{`"title"`, `"due"`, `"questions"`, `"ownerSeats"`, `"status"`} {
		if !strings.Contains(string(r.body), f) {
			t.Errorf("bad action: problem does not name %s: %s", f, r.body)
		}
	}
	if got := e.itemCount(); got != before {
		t.Errorf("bad action wrote %d items", got-before)
	}

	r = e.do("POST", base, p.AdminToken, api.NewJointAction{Title: "Appoint a communications specialist", Questions: []string{q},
		OwnerSeats: []string{brentSeat.Seat}, OwnerRole: "Head of ICT", Owner: "Sam Jones", Due: due})
	if r.status != http.StatusCreated {
		t.Fatalf("create action: got %d %s", r.status, r.body)
	}
	var a api.JointAction
	r.json(t, &a)
	if a.Status != "planned" || a.Round != 1 || len(a.OwnerSeats) != 1 || a.OwnerSeats[0].Council != "Brent" || !a.Editable {
		t.Errorf("created: got %+v", a)
	}

	// Every member reads it; only the owner's and the admin's copy is editable.
	for _, tc := range []struct {
		who, token string
		editable   bool
	}{{"admin", p.AdminToken, true}, {"owner member", brent.Token, true}, {"owner seat", brentSeat.Token, true},
		{"other member", lewisham.Token, false}, {"other seat", lewishamSeat.Token, false}} {
		r := e.do("GET", base, tc.token, nil)
		var list api.JointActions
		r.json(t, &list)
		if r.status != http.StatusOK || len(list.Actions) != 1 || list.Actions[0].Editable != tc.editable || list.Actions[0].Title != a.Title {
			t.Errorf("%s reads the register: got %d %+v, want 1 action editable=%v", tc.who, r.status, list, tc.editable)
		}
	}

	// The owner council edits it and records progress.
	r = e.do("PATCH", base+"/"+a.ID, brent.Token, api.JointActionChange{Status: strp("in-progress")})
	if r.status != http.StatusOK {
		t.Fatalf("owner edits: got %d %s", r.status, r.body)
	}
	r = e.do("POST", base+"/"+a.ID+"/notes", brentSeat.Token, api.NewProgressNote{Text: "Job advert out"})
	if r.status != http.StatusCreated {
		t.Fatalf("owner notes progress: got %d %s", r.status, r.body)
	}
	r = e.do("GET", base+"/"+a.ID, lewisham.Token, nil)
	var got api.JointAction
	r.json(t, &got)
	if got.Status != "in-progress" || got.Title != a.Title || len(got.Notes) != 1 || got.Notes[0].Text != "Job advert out" || got.Notes[0].By != "Brent" {
		t.Errorf("after the owner's edit: got %+v", got)
	}

	// Who may not.
	for _, tc := range []struct {
		who, method, path, token string
		body                     any
		want                     int
	}{
		{"another member edits", "PATCH", base + "/" + a.ID, lewisham.Token, api.JointActionChange{Status: strp("done")}, http.StatusForbidden},
		{"another member notes", "POST", base + "/" + a.ID + "/notes", lewisham.Token, api.NewProgressNote{Text: "x"}, http.StatusForbidden},
		{"a member hands work to a partner", "POST", base, lewisham.Token, api.NewJointAction{Title: "Yours", Due: due, OwnerSeats: []string{brentSeat.Seat}}, http.StatusUnprocessableEntity},
		{"a prospective partner reads", "GET", base, prospect.Token, nil, http.StatusForbidden},
		{"a prospective partner adds", "POST", base, prospect.Token, api.NewJointAction{Title: "Mine", Due: due}, http.StatusForbidden},
		{"another partnership's admin reads", "GET", base, other.AdminToken, nil, http.StatusNotFound},
		{"another partnership's admin edits", "PATCH", base + "/" + a.ID, other.AdminToken, api.JointActionChange{Status: strp("done")}, http.StatusNotFound},
		{"no token", "GET", base, "", nil, http.StatusUnauthorized},
		{"an unknown action", "PATCH", base + "/nosuchaction", p.AdminToken, api.JointActionChange{Status: strp("done")}, http.StatusNotFound},
	} {
		if r := e.do(tc.method, tc.path, tc.token, tc.body); r.status != tc.want {
			t.Errorf("%s: got %d %s, want %d", tc.who, r.status, r.body, tc.want)
		}
	}
	r = e.do("GET", base+"/"+a.ID, p.AdminToken, nil)
	r.json(t, &got)
	if got.Status != "in-progress" || len(got.Notes) != 1 {
		t.Errorf("refused changes changed the action: %+v", got)
	}

	// A member adds an action it owns itself.
	r = e.do("POST", base, lewisham.Token, api.NewJointAction{Title: "Hire a change manager", Due: due, OwnerSeats: []string{lewishamSeat.Seat}})
	if r.status != http.StatusCreated {
		t.Errorf("member adds its own action: got %d %s", r.status, r.body)
	}

	// The CSV has both, with the guard on typed text.
	r = e.do("PATCH", base+"/"+a.ID, p.AdminToken, api.JointActionChange{Title: strp("=HYPERLINK(\"x\")")})
	if r.status != http.StatusOK {
		t.Fatalf("admin edits: got %d %s", r.status, r.body)
	}
	r = e.do("GET", base+".csv", brent.Token, nil)
	body := string(r.body)
	if r.status != http.StatusOK || strings.Count(body, "\n") < 3 || !strings.Contains(body, `'=HYPERLINK`) || !strings.Contains(body, "Hire a change manager") {
		t.Errorf("register CSV: got %d\n%s", r.status, body)
	}
}

// Carried across rounds: in the next health-check round each action shows
// its question's scores then and now, and the register lists for the board
// the actions done whose questions did not improve.
func TestActionsCarriedIntoTheNextRound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("South London shared ICT", "Brent", "Lewisham")
	b := library(t).Current()
	moved, stuck := b.Questions()[0].ID, b.Questions()[1].ID
	round1 := map[string]api.Started{}
	for _, c := range []string{"Brent", "Lewisham"} {
		s := e.join(p, c, "readiness")
		e.answerAll(s, func(q bank.Question) *int {
			if c == "Brent" && (q.ID == moved || q.ID == stuck) {
				return intp(1)
			}
			return intp(3)
		})
		e.submit(s)
		round1[c] = s
	}
	base := "/api/partnerships/" + p.ID + "/actions"
	ids := map[string]string{}
	for _, q := range []string{moved, stuck} {
		r := e.do("POST", base, p.AdminToken, api.NewJointAction{Title: "Lift " + q, Questions: []string{q}, Due: "2027-01-31", Status: "done"})
		if r.status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		var a api.JointAction
		r.json(t, &a)
		ids[q] = a.ID
	}
	if r := e.openRound(p, 1); r.status != http.StatusCreated {
		t.Fatalf("open round 2: %d %s", r.status, r.body)
	}
	for _, c := range []string{"Brent", "Lewisham"} {
		s := e.healthCheck(round1[c])
		e.answerAll(s, func(q bank.Question) *int {
			if c == "Brent" && q.ID == moved {
				return intp(3)
			}
			if c == "Brent" && q.ID == stuck {
				return intp(1)
			}
			return intp(3)
		})
		e.submit(s)
	}
	var reg api.JointActions
	r := e.do("GET", base+"?round=2", round1["Lewisham"].Token, nil)
	r.json(t, &reg)
	if r.status != http.StatusOK || reg.Round != 2 || len(reg.Actions) != 2 {
		t.Fatalf("register in round 2: %d %s", r.status, r.body)
	}
	for _, a := range reg.Actions {
		pr := a.Progress
		if pr == nil || !pr.Measured || pr.ThenRound != 1 || pr.NowRound != 2 || len(pr.Questions) != 1 {
			t.Fatalf("%s: progress %+v", a.Title, pr)
		}
		m := pr.Questions[0]
		want := map[string][2]int{moved: {1, 3}, stuck: {1, 1}}[m.Question]
		if m.ThenLowest != want[0] || m.NowLowest != want[1] || pr.Improved != (m.Question == moved) {
			t.Errorf("%s: then %d now %d improved %v, want %v", a.Title, m.ThenLowest, m.NowLowest, pr.Improved, want)
		}
	}
	if len(reg.DoneNotImproved) != 1 || reg.DoneNotImproved[0] != ids[stuck] {
		t.Errorf("done but not improved: got %v, want [%s]", reg.DoneNotImproved, ids[stuck])
	}
	// The board of round 2 chases the same action, and an open one past its
	// date, in the comparison's JSON (the same Query as before).
	if r := e.do("POST", base, p.AdminToken, api.NewJointAction{Title: "Appoint a change manager", Questions: []string{stuck}, Due: "2026-01-31", Status: "in-progress"}); r.status != http.StatusCreated {
		t.Fatalf("create overdue: %d %s", r.status, r.body)
	}
	var c api.Comparison
	r = e.do("GET", "/api/partnerships/"+p.ID+"/comparison?round=2", round1["Brent"].Token, nil)
	r.json(t, &c)
	if c.Board == nil {
		t.Fatalf("comparison of round 2: %d, no board: %s", r.status, r.body)
	}
	f := c.Board.FollowUp
	if f.DoneNotImprovedTotal != 1 || len(f.DoneNotImproved) != 1 || f.DoneNotImproved[0].ID != ids[stuck] ||
		len(f.DoneNotImproved[0].Moves) != 1 || f.DoneNotImproved[0].Moves[0].ThenLowest != 1 || f.DoneNotImproved[0].Moves[0].NowLowest != 1 {
		t.Errorf("board: done but not improved %+v, want the %s action, lowest 1 then and now", f.DoneNotImproved, stuck)
	}
	if f.OverdueTotal != 1 || len(f.Overdue) != 1 || f.Overdue[0].Title != "Appoint a change manager" || f.Overdue[0].Due != "2026-01-31" {
		t.Errorf("board: overdue %+v, want the change manager", f.Overdue)
	}
	// In round 1 there is nothing to compare yet.
	r = e.do("GET", base+"?round=1", p.AdminToken, nil)
	reg = api.JointActions{}
	r.json(t, &reg)
	if reg.Actions[0].Progress != nil || len(reg.DoneNotImproved) != 0 {
		t.Errorf("round 1: got %s", r.body)
	}
}

// Erasure: a council erasing its assessment takes the owner's name and the
// progress notes off the actions its seat owns (the partners' own actions
// keep theirs); erasing the partnership deletes every action.
func TestErasureTakesActionsPersonalData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("South London shared ICT", "Brent", "Lewisham")
	brent := e.submittedMember(p, "Brent", 2)
	lewisham := e.submittedMember(p, "Lewisham", 3)
	base := "/api/partnerships/" + p.ID + "/actions"
	create := func(owner, seat string) string {
		r := e.do("POST", base, p.AdminToken, api.NewJointAction{Title: "Hire a change manager", Owner: owner, OwnerSeats: []string{seat}, Due: "2027-01-31"})
		var a api.JointAction
		r.json(t, &a)
		if r := e.do("POST", base+"/"+a.ID+"/notes", p.AdminToken, api.NewProgressNote{Text: owner + " met the unions"}); r.status != http.StatusCreated {
			t.Fatalf("note: %d %s", r.status, r.body)
		}
		return a.ID
	}
	ofBrent, ofLewisham := create("Sam Jones", seatOf(t, p, "Brent").Seat), create("Kim Lee", seatOf(t, p, "Lewisham").Seat)
	if r := e.do("DELETE", "/api/assessments/"+brent.ID, brent.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete Brent's assessment: %d %s", r.status, r.body)
	}
	get := func(id string) api.JointAction {
		var a api.JointAction
		e.do("GET", base+"/"+id, lewisham.Token, nil).json(t, &a)
		return a
	}
	if a := get(ofBrent); a.Owner != "" || len(a.Notes) != 0 || a.Title == "" {
		t.Errorf("Brent's action after its erasure: owner %q, %d notes", a.Owner, len(a.Notes))
	}
	if a := get(ofLewisham); a.Owner != "Kim Lee" || len(a.Notes) != 1 {
		t.Errorf("Lewisham's action lost its data: %+v", a)
	}
	if r := e.do("DELETE", "/api/partnerships/"+p.ID, p.AdminToken, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete partnership: %d %s", r.status, r.body)
	}
	if n := e.partnershipItems(p.ID); n != 0 {
		t.Errorf("after erasing the partnership: %d items left in its partition", n)
	}
}

// partnershipItems counts the items left under a partnership's partition.
func (e *env) partnershipItems(id string) int {
	e.t.Helper()
	out, err := ddbtest.Client().Query(context.Background(), &dynamodb.QueryInput{
		TableName: aws.String(e.table), KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "P#" + id}},
		Select:                    types.SelectCount, ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		e.t.Fatalf("count partition: %v", err)
	}
	return int(out.Count)
}

// The register comes in pages: every action once, oldest first, following
// next; a bad limit or cursor is 422 naming the field.
func TestActionRegisterPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("Pages of actions", "Southwark", "Brent")
	base := "/api/partnerships/" + p.ID + "/actions"
	q := library(t).Current().Questions()[0].ID
	due := time.Now().UTC().AddDate(0, 2, 0).Format("2006-01-02")
	var want []string
	for i := range 5 {
		r := e.do("POST", base, p.AdminToken, api.NewJointAction{Title: fmt.Sprintf("Action %d", i+1), Questions: []string{q}, Due: due})
		if r.status != http.StatusCreated {
			t.Fatalf("create action %d: got %d %s", i+1, r.status, r.body)
		}
		var a api.JointAction
		r.json(t, &a)
		want = append(want, a.ID)
	}
	var got []string
	path, pages := base+"?limit=2", 0
	for {
		r := e.do("GET", path, p.AdminToken, nil)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: got %d %s", path, r.status, r.body)
		}
		var page api.JointActions
		r.json(t, &page)
		if len(page.Actions) > 2 {
			t.Fatalf("page of %d, want at most 2", len(page.Actions))
		}
		for _, a := range page.Actions {
			got = append(got, a.ID)
		}
		pages++
		if page.Next == nil {
			break
		}
		path = base + "?limit=2&cursor=" + url.QueryEscape(*page.Next)
	}
	if !slices.Equal(got, want) || pages != 3 {
		t.Errorf("paged through %d pages: got %v, want %v in 3", pages, got, want)
	}
	// Without a limit, one page of up to 50: the whole register here.
	var all api.JointActions
	e.do("GET", base, p.AdminToken, nil).json(t, &all)
	if len(all.Actions) != 5 || all.Next != nil {
		t.Errorf("default page: got %d actions, next %v; want 5 and null", len(all.Actions), all.Next)
	}
	for _, c := range []struct{ query, field string }{
		{"limit=0", `"limit"`}, {"limit=201", `"limit"`}, {"limit=two", `"limit"`},
		{"cursor=garbage", `"cursor"`}, {"cursor=" + listpage.Cursor("gone"), `"cursor"`},
	} {
		r := e.do("GET", base+"?"+c.query, p.AdminToken, nil)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), c.field) {
			t.Errorf("?%s: got %d %s, want 422 naming %s", c.query, r.status, r.body, c.field)
		}
	}
}
