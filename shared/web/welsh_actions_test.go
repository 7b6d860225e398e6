package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/partnership"
)

// TestWelshActionPages drives the joint action register and a council's
// own actions in Welsh: the register, the new-action form from a finding
// with its errors, the action's page, a note, an edit, the stop link; the
// report's one-click keep, the own actions list and an own action with its
// errors. Every page is lang="cy" with no English of the catalogue or the
// bank (welshPage).
func TestWelshActionPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fragments := englishFragments(t)
	sp := e.seatedPartnership(map[string]int{"Southwark": 3, "Brent": 1, "Lewisham": 3}, "Southwark", "Brent", "Lewisham")
	admin := []string{"Cookie", sp.admin, "Accept-Language", "cy"}
	base := "/partnerships/" + sp.id + "/actions"

	r := e.request("GET", base, nil, admin...)
	welshPage(t, "empty register", r, http.StatusOK, fragments, "Cofrestr camau gweithredu ar y cyd", "Dim camau gweithredu eto")
	r = e.request("GET", "/partnerships/"+sp.id+"/comparison", nil, admin...)
	m := actionLink.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("comparison: no link to add a finding to the register\n%.2000s", r.body)
	}
	r = e.request("GET", html.UnescapeString(m[1]), nil, admin...)
	welshPage(t, "new action", r, http.StatusOK, fragments, "Ychwanegu cam gweithredu", "Beth yw’r cam gweithredu?", "Pa gynghorau sy’n berchen arno?", "Wedi’i gynllunio")
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(r.body)
	if key == nil {
		t.Fatalf("the new-action form has no idempotency key")
	}
	q := m[2]
	form := url.Values{"title": {"Penodi arbenigwr cyfathrebu"}, "questions": {q}, "ownerSeats": {sp.seats["Brent"]}, "ownerRole": {"Pennaeth\u200bTGCh"},
		"due-day": {"31"}, "due-month": {"2"}, "due-year": {"2027"}, "status": {"planned"}, "key": {key[1]}}
	r = e.request("POST", base+"/new", form, admin...)
	welshPage(t, "new action with errors", r, http.StatusUnprocessableEntity, fragments, "Mae problem wedi codi",
		"Rhaid i’r dyddiad cwblhau fod yn ddyddiad go iawn, fel 2027-03-31", "Rhaid i rôl y perchennog beidio â chynnwys nodau anweledig fel bylchau lled sero")
	form.Set("due-month", "3")
	form.Set("ownerRole", "Pennaeth TGCh")
	r = e.request("POST", base+"/new", form, admin...)
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, base+"/") {
		t.Fatalf("create: status %d %s\n%.2000s", r.status, loc, r.body)
	}
	r = e.request("GET", loc, nil, admin...)
	welshPage(t, "action", r, http.StatusOK, fragments, "South London shared ICT: cam gweithredu ar y cyd", "Wedi’i gynllunio", "31 Mawrth 2027",
		"Dim cynnydd wedi’i gofnodi eto.", "Newid y cam gweithredu", "Cadw’r newidiadau")
	r = e.request("POST", loc+"/notes", url.Values{"text": {" "}}, admin...)
	welshPage(t, "empty note", r, http.StatusUnprocessableEntity, fragments, "Mae problem wedi codi", "Rhowch y nodyn cynnydd")
	if r := e.request("POST", loc+"/notes", url.Values{"text": {"Hysbyseb swydd allan"}}, admin...); r.status != http.StatusSeeOther {
		t.Fatalf("note: %d\n%.2000s", r.status, r.body)
	}
	form.Set("status", "in-progress")
	form.Set("title", "")
	r = e.request("POST", loc, form, admin...)
	welshPage(t, "edit with errors", r, http.StatusUnprocessableEntity, fragments, "Rhowch beth yw’r cam gweithredu")
	form.Set("title", "Penodi arbenigwr cyfathrebu")
	if r := e.request("POST", loc, form, admin...); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%.2000s", r.status, r.body)
	}
	r = e.request("GET", loc, nil, admin...)
	welshPage(t, "action after the edit", r, http.StatusOK, fragments, "Ar waith", "Hysbyseb swydd allan", "Gweinyddwr")

	// The owner council reads it under its own assessment, in the register.
	brent := sp.members["Brent"]
	r = e.request("GET", "/assessments/"+brent.ID+"/actions", nil, "Cookie", sp.member("Brent"), "Accept-Language", "cy")
	welshPage(t, "member's register", r, http.StatusOK, fragments, "1 cam gweithredu", "Penodi arbenigwr cyfathrebu", "Ar waith", "Lawrlwytho’r gofrestr fel CSV")
	// Another member reads it without the edit form.
	aid := strings.TrimPrefix(loc, base+"/")
	lew := sp.members["Lewisham"]
	r = e.request("GET", "/assessments/"+lew.ID+"/actions/"+aid, nil, "Cookie", sp.member("Lewisham"), "Accept-Language", "cy")
	welshPage(t, "another member's view", r, http.StatusOK, fragments, "Dim ond y cynghorau sy’n berchen ar y cam gweithredu hwn")
	r = e.request("GET", loc+"/stop-reminders?for=admin&token=wrong", nil, "Accept-Language", "cy")
	welshPage(t, "stop link not valid", r, http.StatusNotFound, fragments, "Nid yw’r ddolen hon yn ddilys")

	// In round 2 the action says, in Welsh, whether it moved the score.
	ctx := context.Background()
	if _, err := e.deps.Partnerships.OpenRound(ctx, e.admin(sp.id, strings.SplitN(sp.admin, "=", 2)[1]), partnership.AdminAccess,
		partnership.RoundInput{Purpose: partnership.HealthCheck}, idempotency.Request{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"Southwark", "Brent", "Lewisham"} {
		m := sp.members[c]
		hc, err := e.deps.Assessments.StartHealthCheck(ctx, e.lead(m.ID, m.Token), idempotency.Request{})
		if err != nil {
			t.Fatal(err)
		}
		e.answerAll(hc.ID, hc.Token, 3)
		if _, err := e.deps.Assessments.Submit(ctx, e.lead(hc.ID, hc.Token)); err != nil {
			t.Fatal(err)
		}
	}
	r = e.request("GET", loc, nil, admin...)
	welshPage(t, "action in round 2", r, http.StatusOK, fragments, "Bryd hynny a nawr", "A symudodd y sgôr?", "Do: cododd y sgôr isaf.", "Bryd hynny (rownd 1)", "Nawr (rownd 2)")

	// A council's own actions, kept from its report.
	st, err := e.deps.Assessments.Start(ctx, assessment.StartInput{Council: "Cyngor Gwynedd", Purpose: "readiness", Form: "collaborate",
		Respondent: assessment.Respondent{Name: "Siân", Role: "Arweinydd"}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	e.answerAll(st.ID, st.Token, 1)
	lead := []string{"Cookie", "rasp_a_" + st.ID + "=" + st.Token, "Accept-Language", "cy"}
	r = e.request("GET", "/assessments/"+st.ID+"/own-actions", nil, lead...)
	welshPage(t, "no own actions", r, http.StatusOK, fragments, "Camau gweithredu eich cyngor", "Nid ydych wedi cadw unrhyw gamau gweithredu eto")
	report := e.request("GET", "/assessments/"+st.ID+"/report", nil, lead...)
	k := regexp.MustCompile(`<form method="post" action="(/assessments/[a-z2-7]+/own-actions/keep)" novalidate>\s*<input type="hidden" name="question" value="([^"]+)"><input type="hidden" name="key" value="([^"]+)">`).FindStringSubmatch(report.body)
	if k == nil {
		t.Fatalf("report: %d, no keep form", report.status)
	}
	r = e.request("POST", k[1], url.Values{"question": {k[2]}, "key": {k[3]}}, lead...)
	own := strings.TrimSuffix(r.header.Get("Location"), "#change")
	if r.status != http.StatusSeeOther || own == "" {
		t.Fatalf("keep: %d\n%.2000s", r.status, r.body)
	}
	r = e.request("GET", own, nil, lead...)
	welshPage(t, "own action", r, http.StatusOK, fragments, "Cyngor Gwynedd: eich cam gweithredu", "Wedi’i gynllunio", "Heb ei nodi", "Cadwyd", "Pwy sy’n berchen arno? (dewisol)")
	bad := url.Values{"title": {"Cytuno ar brotocol"}, "questions": {k[2]}, "owner": {"Pennaeth\nTGCh"}, "due-day": {"31"}, "due-month": {"2"}, "due-year": {"2027"}, "status": {"done"}}
	r = e.request("POST", own, bad, lead...)
	welshPage(t, "own action with errors", r, http.StatusUnprocessableEntity, fragments, "Mae problem wedi codi", "Rhaid i rôl y perchennog fod ar un llinell",
		"Rhaid i’r dyddiad cwblhau fod yn ddyddiad go iawn")
	bad.Set("owner", "Pennaeth TGCh")
	bad.Set("due-month", "3")
	if r := e.request("POST", own, bad, lead...); r.status != http.StatusSeeOther {
		t.Fatalf("own edit: %d\n%.2000s", r.status, r.body)
	}
	r = e.request("POST", own+"/notes", url.Values{"text": {strings.Repeat("x", 2001)}}, lead...)
	welshPage(t, "own note too long", r, http.StatusUnprocessableEntity, fragments, "Rhaid i’r nodyn fod yn 2000 nod neu lai")
	r = e.request("GET", "/assessments/"+st.ID+"/own-actions", nil, lead...)
	welshPage(t, "own actions", r, http.StatusOK, fragments, "Cytuno ar brotocol", "Wedi’i wneud", "Pennaeth TGCh", "31 Mawrth 2027", "Yn ôl i’ch adroddiad")

	// A re-assessment carries the action, with its question then and now.
	if _, err := e.deps.Assessments.Submit(ctx, e.lead(st.ID, st.Token)); err != nil {
		t.Fatal(err)
	}
	next, err := e.deps.Assessments.StartHealthCheck(ctx, e.lead(st.ID, st.Token), idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	lead = []string{"Cookie", "rasp_a_" + next.ID + "=" + next.Token, "Accept-Language", "cy"}
	r = e.request("GET", "/assessments/"+next.ID+"/own-actions", nil, lead...)
	welshPage(t, "carried own actions", r, http.StatusOK, fragments, "Eich asesiad blaenorol, a gyflwynwyd ar", "Bryd hynny (cyflwynwyd", "Bryd hynny", "Nawr")
	carried := regexp.MustCompile(`href="(/assessments/` + next.ID + `/own-actions/[a-z0-9]+)"`).FindStringSubmatch(r.body)
	if carried == nil {
		t.Fatalf("carried own actions: no link to the action\n%.3000s", r.body)
	}
	r = e.request("GET", carried[1], nil, lead...)
	welshPage(t, "carried own action", r, http.StatusOK, fragments, "Ar eich asesiad blaenorol, a gyflwynwyd ar", "Bryd hynny a nawr")
}
