package web_test

import (
	"context"
	"github.com/openrasp/rasp/shared/idempotency"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/partnership"
)

// member is a council's assessment in a test partnership, with its cookie.
type member struct {
	council, id, token string
}

func (m member) cookie() string { return "rasp_a_" + m.id + "=" + m.token }

// joinWithNote starts council's assessment in p by its join code and
// answers every question at score, with note on the first question.
func (e *env) joinWithNote(p partnership.Created, council string, score int, note string) member {
	e.t.Helper()
	ctx := context.Background()
	st, err := e.deps.Assessments.Start(ctx, assessment.StartInput{Council: council, Purpose: "readiness", Form: "collaborate", JoinCode: p.JoinCode,
		Respondent: assessment.Respondent{Name: "Sam", Role: "PM"}}, idempotency.Request{})
	if err != nil {
		e.t.Fatal(err)
	}
	e.answerAll(st.ID, st.Token, score)
	first := library().Current().Questions()[0].ID
	if _, err := e.deps.Assessments.SaveAnswers(ctx, e.lead(st.ID, st.Token), map[string]assessment.Answer{first: {Score: &score, Note: note}}, nil); err != nil {
		e.t.Fatal(err)
	}
	return member{council: council, id: st.ID, token: st.Token}
}

// Issue 18, through the pages: the check page asks whether to share notes
// (no by default), the member's partnership page changes the choice while
// the round is sealed and says it stands once it opens, and the comparison
// page and its CSV show a shared note and never an unshared one.
func TestSharedNotesPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: "Notes pages", Form: "collaborate", CadenceMonths: 12}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	const shared, private = "Cabinet backed it in March", "Our leader is wavering & keep this to us"
	bath := e.joinWithNote(p, "Bath", 3, shared)
	bristol := e.joinWithNote(p, "Bristol", 1, private)
	carlisle := e.joinWithNote(p, "Carlisle", 4, "")

	r := e.request("GET", "/assessments/"+bath.id+"/check", nil, "Cookie", bath.cookie())
	if !strings.Contains(r.body, "Share your notes with the partner councils?") || !strings.Contains(r.body, `value="no" checked`) {
		t.Fatalf("check page: no choice about notes defaulting to no\n%.600s", r.body)
	}
	submit := func(m member, share string) {
		t.Helper()
		form := url.Values{}
		if share != "" {
			form.Set("shareNotes", share)
		}
		if r := e.request("POST", "/assessments/"+m.id+"/submit", form, "Cookie", m.cookie()); r.status != http.StatusSeeOther && r.status != http.StatusFound {
			t.Fatalf("submit %s: %d\n%.600s", m.council, r.status, r.body)
		}
	}
	submit(bath, "yes")
	submit(bristol, "") // nothing chosen: not shared
	copied := map[string]map[string]string{}
	stored, err := e.deps.Store.LoadPartnership(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range stored.Rounds[0].Members {
		copied[m.Council] = m.Notes
	}
	if len(copied["Bath"]) != 1 || copied["Bristol"] != nil {
		t.Errorf("notes copied onto the memberships at submit: got %v, want Bath's only", copied)
	}

	// Bristol changes its mind twice while the round is sealed.
	partnershipPage := "/assessments/" + bristol.id + "/partnership"
	r = e.request("GET", partnershipPage, nil, "Cookie", bristol.cookie())
	if !strings.Contains(r.body, `action="/assessments/`+bristol.id+`/note-sharing"`) {
		t.Fatalf("partnership page while sealed: no form to change the choice\n%.1500s", r.body)
	}
	for _, choice := range []string{"yes", "no"} {
		r := e.request("POST", "/assessments/"+bristol.id+"/note-sharing", url.Values{"shareNotes": {choice}}, "Cookie", bristol.cookie())
		if r.status != http.StatusSeeOther && r.status != http.StatusFound {
			t.Fatalf("change to %s: %d\n%.600s", choice, r.status, r.body)
		}
		if got := e.lead(bristol.id, bristol.token).ShareNotes; got != (choice == "yes") {
			t.Errorf("after choosing %s: ShareNotes %v", choice, got)
		}
	}
	submit(carlisle, "no")
	r = e.request("GET", partnershipPage, nil, "Cookie", bristol.cookie())
	if strings.Contains(r.body, "/note-sharing") || !strings.Contains(r.body, "not shared: only your council sees them") {
		t.Errorf("partnership page after unsealing: want the choice fixed and stated\n%.1500s", r.body)
	}
	if r := e.request("POST", "/assessments/"+bristol.id+"/note-sharing", url.Values{"shareNotes": {"yes"}}, "Cookie", bristol.cookie()); r.status != http.StatusSeeOther && r.status != http.StatusFound {
		t.Errorf("late change: %d", r.status)
	}
	if e.lead(bristol.id, bristol.token).ShareNotes {
		t.Errorf("a change after the comparison opened was saved")
	}

	admin := "rasp_p_" + p.ID + "=" + p.AdminToken
	for _, view := range []struct{ path, cookie string }{
		{"/partnerships/" + p.ID + "/comparison", admin},
		{"/partnerships/" + p.ID + "/comparison.csv", admin},
		{"/assessments/" + carlisle.id + "/comparison", carlisle.cookie()},
		{"/assessments/" + carlisle.id + "/comparison.csv", carlisle.cookie()},
		{"/partnerships/" + p.ID, admin},
	} {
		r := e.request("GET", view.path, nil, "Cookie", view.cookie)
		body := html.UnescapeString(r.body)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", view.path, r.status)
		}
		if strings.Contains(view.path, "comparison") && !strings.Contains(body, shared) {
			t.Errorf("%s: Bath's shared note is missing", view.path)
		}
		if strings.Contains(body, private) || strings.Contains(r.body, "wavering") {
			t.Errorf("%s: Bristol's unshared note left Bristol", view.path)
		}
	}
	// Bristol itself still sees its own note on its own pages.
	if r := e.request("GET", "/assessments/"+bristol.id+"/report", nil, "Cookie", bristol.cookie()); !strings.Contains(r.body, "wavering") {
		t.Errorf("Bristol's report lacks its own note")
	}
}
