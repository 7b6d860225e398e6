package lambdas_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
)

type colleague struct {
	name, role string
	level      int
	invited    api.RespondentInvited
}

// respondentPath is a colleague's own answers.
func respondentPath(s api.Started, c api.RespondentInvited) string {
	return "/api/assessments/" + s.ID + "/respondents/" + c.ID + "/answers"
}

// everyAnswer answers every question of the current bank at level with
// note on each.
func (e *env) everyAnswer(level int, note string) api.SaveRespondentAnswers {
	out := api.SaveRespondentAnswers{Answers: map[string]api.RespondentAnswerChange{}}
	for _, q := range library(e.t).Current().Questions() {
		l, n := level, note
		out.Answers[q.ID] = api.RespondentAnswerChange{Score: api.Given(&l), Note: &n}
	}
	return out
}

// Issue 19, the acceptance story: a council with four respondents, each
// answering through their own link (concurrently), the lead sees the spread,
// consolidates and submits; its partners see only the council's answers,
// never a colleague's name, level or note.
func TestSeveralRespondentsPerCouncil(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := library(t).Current()
	p := e.partnership("Respondents partnership", "Lewisham", "Brent")
	lead := e.join(p, "Lewisham", "readiness")
	brent := e.submittedMember(p, "Brent", 2)

	colleagues := []*colleague{
		{name: "Pat Okafor", role: "programme-manager", level: 2},
		{name: "Sue Adeyemi", role: "section-151-officer", level: 3},
		{name: "Mo Clarke", role: "monitoring-officer", level: 1},
		{name: "Cllr Lee Hart", role: "lead-member", level: 2},
	}
	invitePath := "/api/assessments/" + lead.ID + "/respondents"

	// Bad input is refused with the field named and writes nothing.
	before := e.itemCount()
	for _, bad := range []any{
		api.InviteRespondent{Name: "Kim", Role: "treasurer"},
		api.InviteRespondent{Name: "", Role: "hr-lead"},
		api.InviteRespondent{Name: "Kim", Role: "hr-lead", Email: "not an address"},
		`{"name":"Kim","role":"hr-lead","token":"x"}`,
	} {
		if r := e.do("POST", invitePath, lead.Token, bad); r.status != http.StatusUnprocessableEntity {
			t.Errorf("invite %v: got %d %s, want 422", bad, r.status, r.body)
		}
	}
	if got := e.itemCount(); got != before {
		t.Errorf("items after refused invitations: got %d, want %d", got, before)
	}

	for i, c := range colleagues {
		key := []string{"Idempotency-Key", "invite-" + c.role}
		r := e.do("POST", invitePath, lead.Token, api.InviteRespondent{Name: c.name, Role: c.role}, key...)
		if r.status != http.StatusCreated {
			t.Fatalf("invite %s: %d %s", c.name, r.status, r.body)
		}
		r.json(t, &c.invited)
		if want := "/api/assessments/" + lead.ID + "/respondents/" + c.invited.ID + "/answers"; r.header.Get("Location") != want {
			t.Errorf("invite Location: got %q, want %q", r.header.Get("Location"), want)
		}
		if i == 0 {
			// A retry after a lost reply gets the same colleague back.
			var again api.RespondentInvited
			e.do("POST", invitePath, lead.Token, api.InviteRespondent{Name: c.name, Role: c.role}, key...).json(t, &again)
			if again.ID != c.invited.ID || again.Token != c.invited.Token {
				t.Errorf("invite replay: got %s, want %s", again.ID, c.invited.ID)
			}
		}
	}
	// A colleague's token is not the lead's.
	for _, path := range []string{"/api/assessments/" + lead.ID, "/api/assessments/" + lead.ID + "/consolidation", invitePath} {
		if r := e.do("GET", path, colleagues[0].invited.Token, nil); r.status != http.StatusNotFound {
			t.Errorf("GET %s with a colleague's token: got %d, want 404", path, r.status)
		}
	}

	// Everyone answers at once, each into their own answers.
	var wg sync.WaitGroup
	for _, c := range colleagues {
		wg.Add(1)
		go func(c *colleague) {
			defer wg.Done()
			if r := e.do("PUT", respondentPath(lead, c.invited), c.invited.Token, e.everyAnswer(c.level, "private view of "+c.name)); r.status != http.StatusOK {
				t.Errorf("save by %s: %d %s", c.name, r.status, r.body)
			}
		}(c)
	}
	wg.Wait()

	// A colleague reads and changes only their own answers.
	sue, mo := colleagues[1], colleagues[2]
	var own api.RespondentAnswers
	r := e.do("GET", respondentPath(lead, sue.invited), sue.invited.Token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("own answers: %d %s", r.status, r.body)
	}
	r.json(t, &own)
	if len(own.Answers) != len(b.Questions()) || !strings.HasPrefix(own.Routed[0], "resources.") {
		t.Errorf("section 151 officer's view: %d answers, routed %v; want every answer and resources first", len(own.Answers), own.Routed)
	}
	if strings.Contains(string(r.body), "private view of "+mo.name) {
		t.Error("a colleague's view shows another colleague's note")
	}
	for _, m := range []string{"GET", "PUT"} {
		var body any
		if m == "PUT" {
			body = e.everyAnswer(4, "overwrite")
		}
		if r := e.do(m, respondentPath(lead, mo.invited), sue.invited.Token, body); r.status != http.StatusNotFound {
			t.Errorf("%s another colleague's answers: got %d, want 404", m, r.status)
		}
		if r := e.do(m, respondentPath(lead, mo.invited), lead.Token, body); r.status != http.StatusNotFound {
			t.Errorf("%s a colleague's answers with the lead's token: got %d, want 404", m, r.status)
		}
	}
	first := b.Questions()[0].ID
	change := api.SaveAnswers{Answers: map[string]api.AnswerChange{first: {Score: api.Given(intp(4))}}}
	if r := e.do("PUT", "/api/assessments/"+lead.ID+"/answers", sue.invited.Token, change); r.status != http.StatusNotFound {
		t.Errorf("council's answers with a colleague's token: got %d, want 404", r.status)
	}

	// The lead sees the spread and the suggested answer.
	var c api.Consolidation
	r = e.do("GET", "/api/assessments/"+lead.ID+"/consolidation", lead.Token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("consolidation: %d %s", r.status, r.body)
	}
	r.json(t, &c)
	if c.Rule != "median-rounded-down" || len(c.Respondents) != 4 || len(c.Questions) != len(b.Questions()) {
		t.Fatalf("consolidation: rule %q, %d respondents, %d questions", c.Rule, len(c.Respondents), len(c.Questions))
	}
	q0 := c.Questions[0]
	if len(q0.Responses) != 4 || q0.Spread != 2 || !q0.Divergent || q0.Suggested == nil || q0.Suggested.Score == nil || *q0.Suggested.Score != 2 {
		t.Errorf("question %s: got %d responses, spread %d, divergent %v, suggested %+v; want 4, 2, true, level 2 (median of 1 2 2 3)",
			q0.Question, len(q0.Responses), q0.Spread, q0.Divergent, q0.Suggested)
	}
	for _, ag := range c.Areas {
		if ag.AllAnswered == 0 || ag.Agreed != 0 || len(ag.Disagreed) != ag.AllAnswered {
			t.Errorf("area %s agreement: %+v, want every question answered by all and disagreed", ag.Area, ag)
		}
	}

	// A council answer that differs from every colleague needs a reason,
	// and without one nothing is written.
	var rev api.Assessment
	e.do("GET", "/api/assessments/"+lead.ID, lead.Token, nil).json(t, &rev)
	if r := e.do("PUT", "/api/assessments/"+lead.ID+"/answers", lead.Token, change); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "answers."+first+".why") {
		t.Errorf("council answer unlike every colleague's, no reason: got %d %s, want 422 naming why", r.status, r.body)
	}
	var after api.Assessment
	e.do("GET", "/api/assessments/"+lead.ID, lead.Token, nil).json(t, &after)
	if after.Revision != rev.Revision || len(after.Answers) != 0 {
		t.Errorf("a refused consolidation wrote: revision %d → %d, %d answers", rev.Revision, after.Revision, len(after.Answers))
	}
	why := "The chief executive confirmed the partners signed the heads of terms"
	withWhy := api.SaveAnswers{Answers: map[string]api.AnswerChange{first: {Score: api.Given(intp(4)), Why: &why}}}
	if r := e.do("PUT", "/api/assessments/"+lead.ID+"/answers", lead.Token, withWhy); r.status != http.StatusOK {
		t.Fatalf("council answer with a reason: %d %s", r.status, r.body)
	}
	// The rest take the suggestion (a level some colleague gave: no reason needed).
	rest := api.SaveAnswers{Answers: map[string]api.AnswerChange{}}
	for _, q := range c.Questions[1:] {
		rest.Answers[q.Question] = api.AnswerChange{Score: api.Given(q.Suggested.Score)}
	}
	if r := e.do("PUT", "/api/assessments/"+lead.ID+"/answers", lead.Token, rest); r.status != http.StatusOK {
		t.Fatalf("council answers as suggested: %d %s", r.status, r.body)
	}
	e.submit(lead)

	// The council's own report shows its agreement with itself (levels 1
	// to 3 everywhere: a spread of 2, so no agreement anywhere).
	var sc api.Score
	r = e.do("GET", "/api/assessments/"+lead.ID+"/score", lead.Token, nil)
	if r.json(t, &sc); r.status != http.StatusOK || sc.Agreement == nil {
		t.Fatalf("the lead's report: %d, agreement %+v, want it", r.status, sc.Agreement)
	}
	if sc.Agreement.Respondents != 4 || len(sc.Agreement.Areas) != len(b.Areas) {
		t.Errorf("the lead's report: %d respondents, %d areas; want 4, %d", sc.Agreement.Respondents, len(sc.Agreement.Areas), len(b.Areas))
	}
	for i, ag := range sc.Agreement.Areas {
		if n := len(b.Areas[i].Questions); ag.AllAnswered != n || ag.Agreed != 0 || len(ag.Disagreed) != n || ag.Disagreed[0].Lowest != 1 || ag.Disagreed[0].Highest != 3 {
			t.Errorf("report agreement in %s: %+v, want 0 of %d agreed, each from 1 to 3", ag.Area, ag, n)
		}
	}
	if r := e.do("GET", "/api/assessments/"+lead.ID+"/score", sue.invited.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("the council's report with a colleague's token: got %d, want 404", r.status)
	}
	csvOut := string(e.do("GET", "/api/assessments/"+lead.ID+"/score.csv", lead.Token, nil).body)

	// Partners see the council's answers only.
	var cmp api.Comparison
	r = e.do("GET", "/api/partnerships/"+p.ID+"/comparison", brent.Token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("comparison: %d %s", r.status, r.body)
	}
	r.json(t, &cmp)
	for _, q := range cmp.Questions {
		if q.ID == first {
			if got := q.Scores["Lewisham"]; got == nil || *got != 4 {
				t.Errorf("Lewisham's answer to %s in the comparison: got %v, want the council's 4", first, got)
			}
		}
	}
	outs := map[string]string{"comparison JSON": string(r.body)}
	for what, path := range map[string]string{
		"comparison CSV": "/api/partnerships/" + p.ID + "/comparison.csv",
		"workshop CSV":   "/api/partnerships/" + p.ID + "/workshop.csv",
		"partnership":    "/api/partnerships/" + p.ID,
	} {
		for _, tok := range []string{brent.Token, p.AdminToken} {
			r := e.do("GET", path, tok, nil)
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d %s", what, r.status, r.body)
			}
			outs[what] += string(r.body)
		}
	}
	for what, path := range map[string]string{
		"comparison page": "/partnerships/" + p.ID + "/comparison",
		"board page":      "/partnerships/" + p.ID + "/board",
		"workshop page":   "/partnerships/" + p.ID + "/workshop",
		// A partner's own view, from its own assessment.
		"member's comparison page": "/assessments/" + brent.ID + "/comparison",
		"member's board page":      "/assessments/" + brent.ID + "/board",
	} {
		req, _ := http.NewRequest("GET", e.url+path, nil)
		req.Header.Set("Cookie", "rasp_p_"+p.ID+"="+p.AdminToken)
		if strings.HasPrefix(path, "/assessments/") {
			req.Header.Set("Cookie", "rasp_a_"+brent.ID+"="+brent.Token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %.300s", what, resp.StatusCode, body)
		}
		outs[what] = string(body)
	}
	outs["the council's own CSV"] = csvOut
	for what, out := range outs {
		// The council's agreement with itself is private to it (issue 19).
		for _, secret := range []string{`"agreement"`, `"disagreed"`, "respondents agreed", "disagreed on", "levels from 1 to 3", "How far your respondents"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s shows the council's agreement with itself (%q)", what, secret)
			}
		}
		for _, col := range colleagues {
			for _, secret := range []string{col.name, "private view of " + col.name, col.invited.ID} {
				if strings.Contains(out, secret) {
					t.Errorf("%s shows a colleague's %q", what, secret)
				}
			}
		}
		if strings.Contains(out, why) {
			t.Errorf("%s shows the lead's reason", what)
		}
	}

	// A removed colleague's link stops working and their answers go.
	if r := e.do("DELETE", "/api/assessments/"+lead.ID+"/respondents/"+mo.invited.ID, lead.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("remove: %d %s", r.status, r.body)
	}
	if r := e.do("GET", respondentPath(lead, mo.invited), mo.invited.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("removed colleague's link: got %d, want 404", r.status)
	}
	if r := e.do("DELETE", "/api/assessments/"+lead.ID+"/respondents/"+mo.invited.ID, lead.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("remove again: got %d, want 404", r.status)
	}
	var list api.Respondents
	e.do("GET", invitePath, lead.Token, nil).json(t, &list)
	if len(list.Respondents) != 3 {
		t.Errorf("respondents after a removal: got %d, want 3", len(list.Respondents))
	}
	// Erasing the assessment erases every colleague.
	if r := e.do("DELETE", "/api/assessments/"+lead.ID, lead.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if n := e.partitionCount(lead.ID); n != 0 {
		t.Errorf("items left after erasing an assessment with colleagues: got %d, want 0", n)
	}
	if r := e.do("GET", respondentPath(lead, sue.invited), sue.invited.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("colleague's link after the erasure: got %d, want 404", r.status)
	}
}

// An invitation with an address mails the colleague their own link, which
// works; bringing the council's private review into a partnership copies
// the council's answers, not its colleagues or their answers.
func TestRespondentMailAndBringIn(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "outbox")
	e := newEnvWith(t, func(c *config.Config) { c.OutboxDir, c.MailFrom = dir, "RASP <rasp@example.gov.uk>" })
	private := e.start(startBody("Merton", "coordinate"))
	var inv api.RespondentInvited
	r := e.do("POST", "/api/assessments/"+private.ID+"/respondents", private.Token, api.InviteRespondent{Name: "Sue Adeyemi", Role: "section-151-officer", Email: "sue@merton.gov.uk"})
	if r.json(t, &inv); r.status != http.StatusCreated || !inv.Mailed {
		t.Fatalf("invite with an address: %d %s", r.status, r.body)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("mails: got %d, want 1", len(files))
	}
	raw, _ := os.ReadFile(files[0])
	// The text part is quoted-printable: undo its soft line breaks and "=".
	raw = []byte(strings.ReplaceAll(strings.ReplaceAll(string(raw), "=\r\n", ""), "=3D", "="))
	link := regexp.MustCompile(`/assessments/[a-z2-7]{26}/respondents/[a-z2-7]{26}/resume\?token=[A-Za-z0-9_-]+`).FindString(string(raw))
	if !strings.Contains(string(raw), "sue@merton.gov.uk") || !strings.HasSuffix(link, inv.Token) {
		t.Fatalf("invitation mail lacks the address or the colleague's own link:\n%.600s", raw)
	}
	if r := e.do("PUT", respondentPath(private, inv), inv.Token, e.everyAnswer(1, "Merton finance view")); r.status != http.StatusOK {
		t.Fatalf("colleague's save: %d %s", r.status, r.body)
	}
	e.answerAll(private, func(bank.Question) *int { return intp(1) })
	e.submit(private)

	p := e.partnership("South West London", "Merton", "Sutton")
	s := seat(t, p, "Merton")
	var copied api.Started
	r = e.do("POST", "/api/assessments/"+private.ID+"/join", private.Token, api.BringIn{Partnership: p.ID, Seat: s.Seat, Invitation: s.Token})
	if r.json(t, &copied); r.status != http.StatusCreated || copied.Copied != len(library(t).Current().Questions()) {
		t.Fatalf("bring in: %d %s", r.status, r.body)
	}
	var list api.Respondents
	e.do("GET", "/api/assessments/"+copied.ID+"/respondents", copied.Token, nil).json(t, &list)
	if len(list.Respondents) != 0 {
		t.Errorf("colleagues brought into the partnership: got %d, want none", len(list.Respondents))
	}
	if r := e.do("GET", "/api/assessments/"+copied.ID+"/consolidation", copied.Token, nil); strings.Contains(string(r.body), "Merton finance view") || strings.Contains(string(r.body), "Sue Adeyemi") {
		t.Error("the copy shows the colleague's answer")
	}
	if r := e.do("GET", "/api/assessments/"+copied.ID+"/respondents/"+inv.ID+"/answers", inv.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("colleague's token on the copy: got %d, want 404", r.status)
	}
}
