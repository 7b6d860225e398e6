package lambdas_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/config"
)

// mailsTo reads the mails in dir addressed to addr, with quoted-printable
// soft breaks undone so that links read whole.
func mailsTo(t *testing.T, dir, addr string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	var out []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(strings.ReplaceAll(string(raw), "=\r\n", ""), "=3D", "=")
		if strings.Contains(text, "To: "+addr) || strings.Contains(text, "To: <"+addr+">") {
			out = append(out, text)
		}
	}
	return out
}

// Issue 19: the lead routes questions to a colleague in place of the
// bank's suggestion, shares the spread with one colleague only, a colleague
// gets a new link by address, and the lead hands over to a colleague.
func TestLeadRoutesSharesAndHandsOver(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "outbox")
	e := newEnvWith(t, func(c *config.Config) { c.OutboxDir, c.MailFrom = dir, "RASP <rasp@example.gov.uk>" })
	b := library(t).Current()
	in := startBody("Merton", "coordinate")
	in.Respondent.Email = "sam@merton.gov.uk"
	lead := e.start(in)
	base := "/api/assessments/" + lead.ID + "/respondents"
	invite := func(name, role, email string) api.RespondentInvited {
		var inv api.RespondentInvited
		r := e.do("POST", base, lead.Token, api.InviteRespondent{Name: name, Role: role, Email: email})
		if r.json(t, &inv); r.status != http.StatusCreated {
			t.Fatalf("invite %s: %d %s", name, r.status, r.body)
		}
		return inv
	}
	sue := invite("Sue Adeyemi", "section-151-officer", "sue@merton.gov.uk")
	mo := invite("Mo Clarke", "monitoring-officer", "")
	own := func(c api.RespondentInvited, token string) (api.RespondentAnswers, int) {
		var out api.RespondentAnswers
		r := e.do("GET", base+"/"+c.ID+"/answers", token, nil)
		if r.status == http.StatusOK {
			r.json(t, &out)
		}
		return out, r.status
	}

	// The bank's suggestion for the role, until the lead chooses.
	got, _ := own(sue, sue.Token)
	var suggested []string
	for _, q := range b.Questions() {
		if b.RoutedTo(q) == "section-151-officer" {
			suggested = append(suggested, q.ID)
		}
	}
	if len(suggested) == 0 || !slices.Equal(got.Routed, suggested) {
		t.Fatalf("routed before the lead chose: got %v, want %v", got.Routed, suggested)
	}

	// Bad changes are refused with the field named and change nothing.
	for _, bad := range []any{
		`{}`,
		`{"routed":["no-such-area"]}`,
		`{"routed":["governance"],"routedDefault":true}`,
		`{"seesSpread":null}`,
	} {
		if r := e.do("PATCH", base+"/"+sue.ID, lead.Token, bad); r.status != http.StatusUnprocessableEntity {
			t.Errorf("PATCH %v: got %d %s, want 422", bad, r.status, r.body)
		}
	}
	if r := e.do("PATCH", base+"/"+sue.ID, mo.Token, `{"seesSpread":true}`); r.status != http.StatusNotFound {
		t.Errorf("a colleague changing a colleague: got %d, want 404", r.status)
	}
	if got, _ := own(sue, sue.Token); !slices.Equal(got.Routed, suggested) {
		t.Errorf("routed after refused changes: got %v, want %v", got.Routed, suggested)
	}

	// The lead routes the governance area and one other question to Sue.
	routed := []string{"governance", "vision.political-backing"}
	var summary api.RespondentSummary
	r := e.do("PATCH", base+"/"+sue.ID, lead.Token, api.UpdateRespondent{Routed: &routed})
	if r.json(t, &summary); r.status != http.StatusOK || summary.RoutedBy != "lead" || !slices.Equal(summary.RoutedIDs, routed) {
		t.Fatalf("route to Sue: %d %s", r.status, r.body)
	}
	var want []string
	for _, q := range b.Questions() {
		if q.Area == "governance" || q.ID == "vision.political-backing" {
			want = append(want, q.ID)
		}
	}
	if got, _ := own(sue, sue.Token); !slices.Equal(got.Routed, want) || summary.Routed != len(want) {
		t.Errorf("routed by the lead: got %v (%d), want %v", got.Routed, summary.Routed, want)
	}
	// Putting the suggestion back.
	summary = api.RespondentSummary{}
	r = e.do("PATCH", base+"/"+sue.ID, lead.Token, `{"routedDefault":true}`)
	if r.json(t, &summary); r.status != http.StatusOK || summary.RoutedBy != "suggestion" || summary.RoutedIDs != nil {
		t.Errorf("suggestion back: %d %s", r.status, r.body)
	}
	if got, _ := own(sue, sue.Token); !slices.Equal(got.Routed, suggested) {
		t.Errorf("routed after the suggestion came back: got %v, want %v", got.Routed, suggested)
	}

	// The spread: nobody sees it until the lead shares it, and then only
	// the colleague it was shared with, never the council's answers.
	if r := e.do("PUT", respondentPath(lead, sue), sue.Token, e.everyAnswer(3, "Sue's finance view")); r.status != http.StatusOK {
		t.Fatalf("Sue's save: %d %s", r.status, r.body)
	}
	for _, c := range []api.RespondentInvited{sue, mo} {
		if r := e.do("GET", base+"/"+c.ID+"/spread", c.Token, nil); r.status != http.StatusForbidden {
			t.Errorf("%s's spread before sharing: got %d, want 403", c.Name, r.status)
		}
	}
	yes := true
	if r := e.do("PATCH", base+"/"+mo.ID, lead.Token, api.UpdateRespondent{SeesSpread: &yes}); r.status != http.StatusOK {
		t.Fatalf("share with Mo: %d %s", r.status, r.body)
	}
	var spread api.Consolidation
	r = e.do("GET", base+"/"+mo.ID+"/spread", mo.Token, nil)
	if r.json(t, &spread); r.status != http.StatusOK || !strings.Contains(string(r.body), "Sue's finance view") {
		t.Fatalf("Mo's spread: %d %.300s", r.status, r.body)
	}
	for _, q := range spread.Questions {
		if q.Council != nil || q.Suggested != nil {
			t.Fatalf("the spread shows the council's answer or the suggestion on %s", q.Question)
		}
	}
	if r := e.do("GET", base+"/"+sue.ID+"/spread", sue.Token, nil); r.status != http.StatusForbidden {
		t.Errorf("Sue's spread (not shared with her): got %d, want 403", r.status)
	}
	if r := e.do("GET", base+"/"+sue.ID+"/spread", mo.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("Mo's token on Sue's spread: got %d, want 404", r.status)
	}

	// A colleague asks for a new link with the address the lead gave.
	for _, email := range []string{"nobody@merton.gov.uk", "SUE@merton.gov.uk"} {
		if r := e.do("POST", "/api/recover", "", api.Recover{Assessment: lead.ID, Email: email}); r.status != http.StatusAccepted {
			t.Fatalf("recover for %s: %d %s", email, r.status, r.body)
		}
	}
	mails := mailsTo(t, dir, "sue@merton.gov.uk")
	link := regexp.MustCompile(`/assessments/` + lead.ID + `/respondents/` + sue.ID + `/resume\?token=([A-Za-z0-9_-]+)`)
	var fresh string
	for _, m := range mails {
		if strings.Contains(m, "new private link") {
			if found := link.FindStringSubmatch(m); found != nil {
				fresh = found[1]
			}
		}
	}
	if fresh == "" || fresh == sue.Token {
		t.Fatalf("no new link mailed to Sue (%d mails to her)", len(mails))
	}
	if len(mailsTo(t, dir, "nobody@merton.gov.uk")) != 0 {
		t.Error("a mail went to an address not on file")
	}
	if _, status := own(sue, sue.Token); status != http.StatusNotFound {
		t.Errorf("Sue's old link: got %d, want 404", status)
	}
	if _, status := own(sue, fresh); status != http.StatusOK {
		t.Errorf("Sue's new link: got %d, want 200", status)
	}
	if _, status := own(mo, mo.Token); status != http.StatusOK {
		t.Errorf("Mo's link after Sue's recovery: got %d, want 200", status)
	}
	if r := e.do("GET", "/api/assessments/"+lead.ID, lead.Token, nil); r.status != http.StatusOK {
		t.Errorf("the lead's link after Sue's recovery: got %d, want 200", r.status)
	}

	// The lead hands over to Sue: a new lead token, mailed to her; the old
	// lead's link stops working; Sue's own answers and link stay.
	if r := e.do("POST", "/api/assessments/"+lead.ID+"/lead", lead.Token, api.HandOverLead{Respondent: strings.Repeat("a", 26)}); r.status != http.StatusNotFound {
		t.Errorf("hand over to nobody: got %d, want 404", r.status)
	}
	if r := e.do("POST", "/api/assessments/"+lead.ID+"/lead", mo.Token, api.HandOverLead{Respondent: mo.ID}); r.status != http.StatusNotFound {
		t.Errorf("a colleague taking the lead: got %d, want 404", r.status)
	}
	var handed api.LeadHandedOver
	r = e.do("POST", "/api/assessments/"+lead.ID+"/lead", lead.Token, api.HandOverLead{Respondent: sue.ID})
	if r.json(t, &handed); r.status != http.StatusOK || handed.Token == "" || !handed.Mailed || handed.Lead.Name != "Sue Adeyemi" {
		t.Fatalf("hand over: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/assessments/"+lead.ID, lead.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("the old lead's link: got %d, want 404", r.status)
	}
	var a api.Assessment
	r = e.do("GET", "/api/assessments/"+lead.ID, handed.Token, nil)
	if r.json(t, &a); r.status != http.StatusOK || a.Respondent.Name != "Sue Adeyemi" || a.Respondent.Email != "sue@merton.gov.uk" {
		t.Errorf("the new lead's link: %d %.300s", r.status, r.body)
	}
	if got, status := own(sue, fresh); status != http.StatusOK || got.Answered != len(b.Questions()) {
		t.Errorf("Sue's own answers after the hand-over: %d, %d answered", status, got.Answered)
	}
	var leadMail bool
	for _, m := range mailsTo(t, dir, "sue@merton.gov.uk") {
		leadMail = leadMail || strings.Contains(m, "/assessments/"+lead.ID+"/resume?token="+handed.Token)
	}
	if !leadMail {
		t.Error("the new lead's link was not mailed to Sue")
	}
	// The old lead's address is no longer on file: recovery with it sends nothing.
	before := len(mailsTo(t, dir, "sam@merton.gov.uk"))
	e.do("POST", "/api/recover", "", api.Recover{Assessment: lead.ID, Email: "sam@merton.gov.uk"})
	if got := len(mailsTo(t, dir, "sam@merton.gov.uk")); got != before {
		t.Errorf("mails to the old lead after the hand-over: got %d, want %d", got, before)
	}
}
