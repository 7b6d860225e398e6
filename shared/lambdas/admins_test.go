package lambdas_test

import (
	"io"
	"mime/quotedprintable"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/config"
)

// Issue 15, a second administrator and hand-over: an admin adds another
// (their own link, mailed when an address is given), each link is its own
// credential (recovery rotates only the one whose address matched), a
// removed admin's link stops working, the last admin cannot be removed,
// members cannot add admins, and every change is in the acts log members
// read.
func TestSecondAdminAndHandOver(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "outbox")
	e := newEnvWith(t, func(c *config.Config) { c.OutboxDir, c.MailFrom = dir, "RASP <rasp@example.gov.uk>" })
	var p api.PartnershipCreated
	r := e.do("POST", "/api/partnerships", "", api.CreatePartnership{Name: "Kent shared legal", IntendedForm: "collaborate",
		ContactEmail: "pmo@dover.gov.uk", Councils: []api.NewSeat{{Name: "Dover"}, {Name: "Thanet"}}})
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	r.json(t, &p)
	admins := "/api/partnerships/" + p.ID + "/admins"
	mails := func() []string {
		files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		slices.Sort(files)
		var out []string
		for _, f := range files {
			b, _ := os.ReadFile(f)
			decoded, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(string(b))))
			out = append(out, string(decoded))
		}
		return out
	}
	dover := p.Seats[0]
	member := e.seatStart(p, dover, "")

	// Bad input and anyone but an admin are refused, writing nothing; the
	// only admin cannot remove themself.
	before := e.itemCount()
	if r := e.do("POST", admins, p.AdminToken, api.NewAdmin{Email: "not an address"}); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), `"field":"email"`) {
		t.Errorf("bad address: got %d %s, want 422 on email", r.status, r.body)
	}
	for name, token := range map[string]string{"member": member.Token, "seat": dover.Token} {
		if r := e.do("POST", admins, token, api.NewAdmin{Name: "Mallory"}); r.status != http.StatusForbidden {
			t.Errorf("a %s adds an admin: got %d %s, want 403", name, r.status, r.body)
		}
	}
	r = e.do("DELETE", admins+"/first", p.AdminToken, nil)
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), "only administrator") {
		t.Errorf("remove the only admin: got %d %s, want 409 saying why", r.status, r.body)
	}
	if got := e.itemCount(); got != before {
		t.Errorf("refused requests wrote %d items", got-before)
	}

	// A second admin without an address: the link is shown once and works.
	r = e.do("POST", admins, p.AdminToken, nil, "Idempotency-Key", "deputy")
	if r.status != http.StatusCreated {
		t.Fatalf("add a deputy: %d %s", r.status, r.body)
	}
	var deputy api.AdminAdded
	r.json(t, &deputy)
	var again api.AdminAdded
	e.do("POST", admins, p.AdminToken, nil, "Idempotency-Key", "deputy").json(t, &again)
	if again != deputy || deputy.Mailed || !strings.HasSuffix(deputy.Link, "/partnerships/"+p.ID+"/admin?token="+deputy.Token) {
		t.Errorf("deputy: got %+v, retried %+v; want the same, not mailed, with its link", deputy, again)
	}
	// The successor, with an address: mailed.
	sent := len(mails())
	r = e.do("POST", admins, deputy.Token, api.NewAdmin{Name: "Priya Shah", Role: "Head of legal", Email: "priya@thanet.gov.uk"})
	if r.status != http.StatusCreated {
		t.Fatalf("the deputy adds a successor: %d %s", r.status, r.body)
	}
	var successor api.AdminAdded
	r.json(t, &successor)
	if m := mails(); !successor.Mailed || len(m) != sent+1 || !strings.Contains(m[len(m)-1], "/partnerships/"+p.ID+"/admin?token="+successor.Token) {
		t.Errorf("successor's link: mailed %v, %d mails", successor.Mailed, len(m)-sent)
	}
	view := e.partnershipView(p.ID, successor.Token)
	if len(view.Admins) != 3 || !view.Admins[2].You || view.Admins[2].Email != "priya@thanet.gov.uk" {
		t.Errorf("admins as the successor sees them: %+v", view.Admins)
	}
	// The second admin can act: open a round.
	if r := e.do("POST", "/api/partnerships/"+p.ID+"/rounds", deputy.Token, api.OpenRound{Purpose: "health-check", After: 1}); r.status != http.StatusCreated {
		t.Fatalf("open round 2: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/partnerships/"+p.ID+"/rounds/2/close", successor.Token, nil); r.status != http.StatusOK {
		t.Errorf("the successor closes round 2: %d %s", r.status, r.body)
	}

	// Recovery by the successor's address rotates only the successor's link.
	sent = len(mails())
	if r := e.do("POST", "/api/recover", "", api.Recover{Partnership: p.ID, Email: "Priya@Thanet.gov.uk"}); r.status != http.StatusAccepted {
		t.Fatalf("recover: %d %s", r.status, r.body)
	}
	m := mails()
	if len(m) != sent+1 {
		t.Fatalf("recovery sent %d mails, want 1", len(m)-sent)
	}
	fresh := between(m[len(m)-1], "/partnerships/"+p.ID+"/admin?token=", "\r\n")
	for _, c := range []struct {
		who, token string
		want       int
	}{{"successor's old link", successor.Token, 404}, {"successor's new link", fresh, 200}, {"first admin", p.AdminToken, 200}, {"deputy", deputy.Token, 200}} {
		if r := e.do("GET", "/api/partnerships/"+p.ID, c.token, nil); c.token == "" || r.status != c.want {
			t.Errorf("%s after recovery: got %d, want %d", c.who, r.status, c.want)
		}
	}

	// Hand-over: the first admin removes themself; their link stops
	// working and the contact address passes to the successor.
	if r := e.do("DELETE", admins+"/first", p.AdminToken, nil); r.status != http.StatusNoContent {
		t.Fatalf("the first admin removes themself: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/partnerships/"+p.ID, p.AdminToken, nil); r.status != http.StatusNotFound {
		t.Errorf("a removed admin's link: got %d, want 404", r.status)
	}
	if r := e.do("DELETE", admins+"/"+deputy.ID, deputy.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("the deputy removes themself: %d %s", r.status, r.body)
	}
	if r := e.do("DELETE", admins+"/"+deputy.ID, fresh, nil); r.status != http.StatusNotFound {
		t.Errorf("remove a removed admin: got %d, want 404", r.status)
	}
	r = e.do("DELETE", admins+"/"+successor.ID, fresh, nil)
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), "only administrator") {
		t.Errorf("remove the last admin: got %d %s, want 409", r.status, r.body)
	}
	view = e.partnershipView(p.ID, fresh)
	if len(view.Admins) != 1 || view.Admins[0].ID != successor.ID {
		t.Errorf("admins after the hand-over: %+v", view.Admins)
	}
	// The old contact gets no more recovery mail; the successor's address works.
	sent = len(mails())
	e.do("POST", "/api/recover", "", api.Recover{Partnership: p.ID, Email: "pmo@dover.gov.uk"})
	if got := len(mails()) - sent; got != 0 {
		t.Errorf("recovery to the removed admin's address sent %d mails", got)
	}

	// Members read every act, dated, and nothing of the admins themselves.
	view = e.partnershipView(p.ID, member.Token)
	want := []string{"add-admin:", "add-admin:", "open-round:", "close-round:", "remove-admin:", "remove-admin:"}
	if got := acts(view); !slices.Equal(got, want) {
		t.Errorf("acts log a member reads: got %v, want %v", got, want)
	}
	for _, a := range view.Acts {
		if a.At.IsZero() || a.Text == "" {
			t.Errorf("act %+v: want a date and words", a)
		}
	}
	if view.Admins != nil || strings.Contains(string(e.do("GET", "/api/partnerships/"+p.ID, member.Token, nil).body), "priya") {
		t.Errorf("a member sees the admins: %+v", view.Admins)
	}
}
