package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/mail"
)

// englishLeft is each text of the English catalogue's keys with prefix
// that m still holds: a placeholder splits a text, and only pieces long
// enough to be words of ours (not a name or a link) count.
func englishLeft(m mail.Message, prefixes ...string) []string {
	c := locale.Messages()
	cy := c.Entries(locale.Welsh)
	var left []string
	for k, en := range c.Entries(locale.English) {
		keep := false
		for _, p := range prefixes {
			keep = keep || strings.HasPrefix(k, p)
		}
		if !keep || en == cy[k] {
			continue
		}
		for _, piece := range regexp.MustCompile(`\{\{[^}]*\}\}`).Split(en, -1) {
			piece = strings.TrimSpace(piece)
			if len(piece) >= 12 && (strings.Contains(m.Subject, piece) || strings.Contains(m.Text, piece) || strings.Contains(m.HTML, piece)) {
				left = append(left, k+": "+piece)
			}
		}
	}
	return left
}

// A council that starts on the Welsh pages has a Welsh assessment: its
// private link, and the new link it asks for later, come in Welsh, with no
// English text of the catalogue left in them.
func TestWelshAssessmentMailsInWelsh(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.deps.WithMailer(e.mail) // the services mail through the test's outbox
	form := startForm("Cyngor Gwynedd")
	form.Set("email", "elin@gwynedd.llyw.cymru")
	id, c := e.started(form, "Cookie", locale.CookieName+"=cy")
	if got := e.lead(id, c.Value).Lang; got != locale.Welsh {
		t.Fatalf("assessment started on the Welsh pages: language %q, want cy", got)
	}
	if err := e.deps.Assessments.Recover(context.Background(), id, "elin@gwynedd.llyw.cymru"); err != nil {
		t.Fatal(err)
	}
	msgs := e.mail.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d mails, want the private link and the recovered link", len(msgs))
	}
	cat := locale.Messages()
	for i, want := range []string{"mail.privateLink.subject", "mail.recovered.subject"} {
		m := msgs[i]
		if m.Subject != cat.T(locale.Welsh, want, nil) || m.Lang != locale.Welsh {
			t.Errorf("mail %d: subject %q in %q, want %q in cy", i, m.Subject, m.Lang, cat.T(locale.Welsh, want, nil))
		}
		if !strings.Contains(m.Text, "Cyngor Gwynedd") || !strings.Contains(m.Text, "/assessments/"+id+"/resume?token=") {
			t.Errorf("mail %d names no council or link:\n%s", i, m.Text)
		}
		if left := englishLeft(m, "mail.", "common.privateLinkRule"); len(left) > 0 {
			t.Errorf("mail %d (%s) has English left: %v\n%s", i, m.Subject, left, m.Text)
		}
	}
	if !strings.Contains(msgs[0].Text, cat.T(locale.Welsh, "common.privateLinkRule", nil)) {
		t.Errorf("the Welsh mail does not say the Welsh rule about the link:\n%s", msgs[0].Text)
	}
}

// The API starts an assessment and creates a partnership in the language
// of Accept-Language, English without one; the reply's shape is unchanged.
func TestAPIStartTakesAcceptLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := func(path, body, acceptLanguage string) map[string]any {
		t.Helper()
		req, err := http.NewRequest("POST", e.url+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if acceptLanguage != "" {
			req.Header.Set("Accept-Language", acceptLanguage)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("POST %s: status %d, %v", path, resp.StatusCode, err)
		}
		if _, ok := out["lang"]; ok {
			t.Errorf("POST %s: the reply grew a lang field", path)
		}
		return out
	}
	start := `{"council":"Ceredigion","respondent":{"name":"Siân Evans","role":"Pennaeth"},"purpose":"readiness","intendedForm":"collaborate"}`
	for _, c := range []struct {
		header string
		want   locale.Lang
	}{{"cy-GB, en;q=0.5", locale.Welsh}, {"", locale.English}, {"fr", locale.English}} {
		out := post("/api/assessments", start, c.header)
		if got := e.lead(out["id"].(string), out["token"].(string)).Lang; got != c.want {
			t.Errorf("API start with Accept-Language %q: language %q, want %q", c.header, got, c.want)
		}
		p := post("/api/partnerships", `{"name":"Partneriaeth y Gorllewin","intendedForm":"collaborate"}`, c.header)
		if got := e.admin(p["id"].(string), p["adminToken"].(string)).Lang; got != c.want {
			t.Errorf("API partnership with Accept-Language %q: language %q, want %q", c.header, got, c.want)
		}
	}
}
