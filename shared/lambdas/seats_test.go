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
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
)

// seat returns p's invitation for council.
func seat(t *testing.T, p api.PartnershipCreated, council string) api.SeatInvitation {
	t.Helper()
	for _, s := range p.Seats {
		if s.Council == council {
			return s
		}
	}
	t.Fatalf("no seat for %s in %+v", council, p.Seats)
	return api.SeatInvitation{}
}

// areaScores is an assessment's own score per area, from its report.
func (e *env) areaScores(s api.Started) map[string]int {
	e.t.Helper()
	var sc api.Score
	r := e.do("GET", "/api/assessments/"+s.ID+"/score", s.Token, nil)
	if r.status != http.StatusOK {
		e.t.Fatalf("score: %d %s", r.status, r.body)
	}
	r.json(e.t, &sc)
	out := map[string]int{}
	for _, a := range sc.Areas {
		out[a.ID] = a.Score
	}
	return out
}

func (e *env) healthCheck(prev api.Started) api.Started {
	e.t.Helper()
	r := e.do("POST", "/api/assessments/"+prev.ID+"/health-check", prev.Token, nil)
	if r.status != http.StatusCreated {
		e.t.Fatalf("health-check: %d %s", r.status, r.body)
	}
	var s api.Started
	r.json(e.t, &s)
	return s
}

func (e *env) openRound(p api.PartnershipCreated, after int) response {
	e.t.Helper()
	return e.do("POST", "/api/partnerships/"+p.ID+"/rounds", p.AdminToken, api.OpenRound{Purpose: "health-check", After: after})
}

// The first acceptance item of issue 15: a health-check round expects
// every seat, stays sealed until each has submitted, and its trend is each
// seat's own change.
func TestHealthCheckRoundIsSealedUntilEverySeatSubmits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("South London shared ICT", "Southwark", "Brent", "Lewisham")
	first := map[string]int{"Southwark": 3, "Brent": 1, "Lewisham": 2}
	round1 := map[string]api.Started{}
	for _, c := range []string{"Southwark", "Brent", "Lewisham"} {
		s := e.join(p, c, "readiness")
		e.answerAll(s, func(bank.Question) *int { return intp(first[c]) })
		e.submit(s)
		round1[c] = s
	}
	if r := e.openRound(p, 1); r.status != http.StatusCreated {
		t.Fatalf("open round 2: %d %s", r.status, r.body)
	}
	// Brent alone starts and submits its health-check, improving.
	brent := e.healthCheck(round1["Brent"])
	e.answerAll(brent, func(bank.Question) *int { return intp(3) })
	e.submit(brent)
	for _, who := range []struct{ name, token string }{{"member", brent.Token}, {"admin", p.AdminToken}, {"seat", seat(t, p, "Lewisham").Token}} {
		r := e.do("GET", "/api/partnerships/"+p.ID+"/comparison?round=2", who.token, nil)
		var prob api.Problem
		r.json(t, &prob)
		if r.status != http.StatusConflict || prob.Expected == nil || *prob.Expected != 3 || prob.Submitted == nil || *prob.Submitted != 1 || prob.Round == nil || *prob.Round != 2 {
			t.Fatalf("%s: round 2 after one submit: got %d %s, want 409 expected 3 submitted 1", who.name, r.status, r.body)
		}
		var got []string
		for _, s := range prob.Seats {
			got = append(got, s.Council+map[bool]string{true: "+", false: "-"}[s.Submitted])
		}
		if want := []string{"Southwark-", "Brent+", "Lewisham-"}; !slices.Equal(got, want) {
			t.Errorf("%s: sealed seats: got %v, want %v", who.name, got, want)
		}
	}
	// The others follow: Southwark drops, Lewisham confirms its answers.
	southwark := e.healthCheck(round1["Southwark"])
	e.answerAll(southwark, func(bank.Question) *int { return intp(2) })
	e.submit(southwark)
	lewisham := e.healthCheck(round1["Lewisham"])
	e.answerAll(lewisham, func(bank.Question) *int { return intp(2) })
	e.submit(lewisham)

	var c api.Comparison
	r := e.do("GET", "/api/partnerships/"+p.ID+"/comparison?round=2", brent.Token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("round 2 after all submit: %d %s", r.status, r.body)
	}
	r.json(t, &c)
	if c.Trend == nil || !slices.Equal(c.Trend.Councils, []string{"Southwark", "Brent", "Lewisham"}) {
		t.Fatalf("trend: got %+v", c.Trend)
	}
	now := map[string]api.Started{"Southwark": southwark, "Brent": brent, "Lewisham": lewisham}
	for council, s := range now {
		before, after := e.areaScores(round1[council]), e.areaScores(s)
		for _, ta := range c.Trend.Areas {
			if got, want := ta.Change[council], after[ta.Area]-before[ta.Area]; got != want {
				t.Errorf("trend %s %s: got %+d, want the seat's own change %+d", council, ta.Area, got, want)
			}
		}
	}
	for _, ta := range c.Trend.Areas {
		lo1, lo2 := 101, 101
		for council := range now {
			lo1, lo2 = min(lo1, e.areaScores(round1[council])[ta.Area]), min(lo2, e.areaScores(now[council])[ta.Area])
		}
		if ta.MinDelta != lo2-lo1 {
			t.Errorf("minChange %s: got %+d, want %+d (lowest of the same seats)", ta.Area, ta.MinDelta, lo2-lo1)
		}
	}
	if len(c.Trend.Questions) != len(library(t).Current().Questions()) {
		t.Errorf("changed questions: got %d, want every question (every seat changed its scores)", len(c.Trend.Questions))
	}
}

// One active assessment per seat per round; council names are the same
// council whatever their case, spaces or invisible characters.
func TestSeatsAreOnePerCouncil(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("West London", "Brent", "Ealing")
	e.seatStart(p, seat(t, p, "Brent"), "")
	r := e.do("POST", "/api/partnerships/"+p.ID+"/seats/"+seat(t, p, "Brent").Seat+"/assessments", seat(t, p, "Brent").Token,
		api.StartSeatAssessment{Respondent: api.Respondent{Name: "Another", Role: "Officer"}})
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), "Brent already has an assessment for round 1") {
		t.Errorf("second start for a seat: got %d %s, want 409", r.status, r.body)
	}
	// A seat's token is only its own seat's.
	r = e.do("POST", "/api/partnerships/"+p.ID+"/seats/"+seat(t, p, "Ealing").Seat+"/assessments", seat(t, p, "Brent").Token,
		api.StartSeatAssessment{Respondent: api.Respondent{Name: "Sam", Role: "Officer"}})
	if r.status != http.StatusNotFound {
		t.Errorf("Brent's token on Ealing's seat: got %d, want 404", r.status)
	}
	before := e.itemCount()
	for _, twin := range []string{"brent", " Brent ", "BRENT", "Bre\u200bnt", "\u200fBrent", "Ｂｒｅｎｔ", "Brent\u00a0"} {
		in := api.CreatePartnership{Name: "Twins", IntendedForm: "collaborate", Councils: []api.NewSeat{{Name: "Brent"}, {Name: twin}}}
		r := e.do("POST", "/api/partnerships", "", in)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), `"field":"councils[1].name"`) {
			t.Errorf("seats Brent and %q: got %d %s, want 422 on councils[1].name", twin, r.status, r.body)
		}
	}
	in := api.CreatePartnership{Name: "Codes", IntendedForm: "collaborate", Councils: []api.NewSeat{{Name: "Southwark", GSSCode: "E0900002"}}}
	if r := e.do("POST", "/api/partnerships", "", in); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "councils[0].gssCode") {
		t.Errorf("bad GSS code: got %d %s, want 422", r.status, r.body)
	}
	if got := e.itemCount(); got != before {
		t.Errorf("refused creations wrote %d items", got-before)
	}
	in.Councils[0].GSSCode = "e09000028"
	if r := e.do("POST", "/api/partnerships", "", in); r.status != http.StatusCreated {
		t.Errorf("GSS code E09000028: got %d %s, want 201", r.status, r.body)
	}
}

// A member's own preferred form is the first difference; its report is
// scored on the partnership's form.
func TestMemberFormIsThePartnerships(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("North", "Barnet", "Enfield")
	barnet := e.seatStart(p, seat(t, p, "Barnet"), "coordinate")
	enfield := e.join(p, "Enfield", "readiness")
	for _, s := range []api.Started{barnet, enfield} {
		e.answerAll(s, func(q bank.Question) *int { return intp(2) })
		e.submit(s)
	}
	var sc api.Score
	e.do("GET", "/api/assessments/"+barnet.ID+"/score", barnet.Token, nil).json(t, &sc)
	if sc.IntendedForm != "collaborate" {
		t.Errorf("Barnet's report: scored on %q, want the partnership's collaborate", sc.IntendedForm)
	}
	var c api.Comparison
	e.do("GET", "/api/partnerships/"+p.ID+"/comparison", p.AdminToken, nil).json(t, &c)
	if len(c.Differences) == 0 || c.Differences[0].Question != "intendedForm" || !strings.Contains(c.Differences[0].Summary, "Barnet would go to Coordinate") {
		t.Errorf("first difference: got %+v", c.Differences)
	}
	// With a join code too: the council's pick is kept as its preference.
	q := e.partnership("Legacy")
	in := startBody("Camden", "cooperate")
	in.JoinCode = q.JoinCode
	s := e.start(in)
	var a api.Assessment
	e.do("GET", "/api/assessments/"+s.ID, s.Token, nil).json(t, &a)
	if a.IntendedForm != "collaborate" {
		t.Errorf("joined by code: form %q, want the partnership's", a.IntendedForm)
	}
}

// The join code of a partnership with seats is for prospective partners.
func TestJoinCodeIsForProspectivePartners(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("East", "Havering")
	in := startBody("Havering", "collaborate")
	in.JoinCode = p.JoinCode
	if r := e.do("POST", "/api/assessments", "", in); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), `"field":"joinCode"`) {
		t.Errorf("member by join code: got %d %s, want 422 on joinCode", r.status, r.body)
	}
	in.Purpose = "new-partner"
	if r := e.do("POST", "/api/assessments", "", in); r.status != http.StatusCreated {
		t.Errorf("prospective partner by join code: got %d %s", r.status, r.body)
	}
}

// A prospective partner is compared with the last complete round and never
// sees members' names or dates.
func TestProspectivePartnerSeesOnlyItself(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("Thames", "Kingston", "Richmond")
	var r1 []api.Started
	for _, c := range []string{"Kingston", "Richmond"} {
		s := e.submittedMember(p, c, 3)
		r1 = append(r1, s)
	}
	if r := e.openRound(p, 1); r.status != http.StatusCreated {
		t.Fatal(r.status)
	}
	// Round 2 is half finished: Kingston only, at 1.
	k2 := e.healthCheck(r1[0])
	e.answerAll(k2, func(bank.Question) *int { return intp(1) })
	e.submit(k2)
	prospect := e.join(p, "Sutton", "new-partner")
	e.answerAll(prospect, func(bank.Question) *int { return intp(3) })
	e.submit(prospect)

	r := e.do("GET", "/api/partnerships/"+p.ID+"/comparison", prospect.Token, nil)
	var c api.Comparison
	r.json(t, &c)
	if r.status != http.StatusOK || len(c.Prospective) != 1 || c.Prospective[0].ComparedWithRound != 1 {
		t.Fatalf("prospect's comparison: %d %s", r.status, r.body)
	}
	for _, a := range c.Prospective[0].Areas {
		if a.PartnershipMean != float64(e.areaScores(r1[0])[a.ID]) {
			t.Errorf("%s: partnership mean %v, want round 1's %d", a.ID, a.PartnershipMean, e.areaScores(r1[0])[a.ID])
		}
	}
	for _, path := range []string{"/api/partnerships/" + p.ID, "/api/partnerships/" + p.ID + "/comparison"} {
		body := string(e.do("GET", path, prospect.Token, nil).body)
		if strings.Contains(body, "Kingston") || strings.Contains(body, "Richmond") || strings.Contains(body, `"submittedAt":"`) && strings.Count(body, `"submittedAt":"`) > 1 {
			t.Errorf("%s shows members to a prospective partner: %s", path, body)
		}
	}
}

// A private, submitted self-review joins a partnership round without
// re-answering; the original stays as it was.
func TestPrivateReviewJoinsAPartnership(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := library(t).Current()
	private := e.start(startBody("Merton", "coordinate"))
	e.answerAll(private, func(bank.Question) *int { return intp(2) })
	e.submit(private)
	var before api.Assessment
	e.do("GET", "/api/assessments/"+private.ID, private.Token, nil).json(t, &before)

	p := e.partnership("South West London", "Merton", "Sutton")
	inv := seat(t, p, "Merton")
	body := api.BringIn{Partnership: p.ID, Seat: inv.Seat, Invitation: inv.Token}
	if r := e.do("POST", "/api/assessments/"+private.ID+"/join", private.Token, api.BringIn{Partnership: p.ID, Seat: inv.Seat, Invitation: seat(t, p, "Sutton").Token}); r.status != http.StatusNotFound {
		t.Errorf("bring in with another seat's invitation: got %d, want 404", r.status)
	}
	r := e.do("POST", "/api/assessments/"+private.ID+"/join", private.Token, body)
	var in api.Started
	r.json(t, &in)
	if r.status != http.StatusCreated || in.PartnershipID != p.ID || in.Round != 1 || in.Copied != len(b.Questions()) {
		t.Fatalf("bring in: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/assessments/"+private.ID+"/join", private.Token, body); r.status != http.StatusConflict {
		t.Errorf("bringing it in twice: got %d, want 409", r.status)
	}
	var copied api.Assessment
	e.do("GET", "/api/assessments/"+in.ID, in.Token, nil).json(t, &copied)
	if copied.Council != "Merton" || copied.IntendedForm != "collaborate" || copied.Status != "draft" {
		t.Errorf("copy: %+v", copied)
	}
	for id, a := range copied.Answers {
		if !a.Stale {
			t.Errorf("%s copied without the mark to confirm", id)
		}
	}
	var after api.Assessment
	e.do("GET", "/api/assessments/"+private.ID, private.Token, nil).json(t, &after)
	if after.Revision != before.Revision || after.PartnershipID != "" || after.Status != "submitted" || after.IntendedForm != "coordinate" {
		t.Errorf("the private original changed: before %+v, after %+v", before, after)
	}
	// Confirm and submit without re-answering: one save of the copied answers.
	e.answerAll(in, func(bank.Question) *int { return intp(2) })
	e.submit(in)
	var view api.Partnership
	e.do("GET", "/api/partnerships/"+p.ID, p.AdminToken, nil).json(t, &view)
	if len(view.Rounds[0].Members) != 1 || view.Rounds[0].Members[0].Status != "submitted" || view.Rounds[0].Members[0].PreferredForm != "coordinate" {
		t.Errorf("round 1 members: %+v", view.Rounds[0].Members)
	}
}

// A retried open-round request gets 409 and opens nothing.
func TestOpenRoundRetry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("Retry", "Barking")
	if r := e.openRound(p, 1); r.status != http.StatusCreated {
		t.Fatalf("open: %d %s", r.status, r.body)
	}
	if r := e.openRound(p, 1); r.status != http.StatusConflict {
		t.Errorf("retry: got %d %s, want 409", r.status, r.body)
	}
	var view api.Partnership
	e.do("GET", "/api/partnerships/"+p.ID, p.AdminToken, nil).json(t, &view)
	if len(view.Rounds) != 2 || view.CurrentRound != 2 {
		t.Errorf("rounds after a retry: got %d (current %d), want 2", len(view.Rounds), view.CurrentRound)
	}
	if !slices.Equal(view.Rounds[1].Expected, []string{seat(t, p, "Barking").Seat}) {
		t.Errorf("round 2 expects %v, want Barking's seat", view.Rounds[1].Expected)
	}
}

// A private self-review can be re-assessed, and its report shows the trend.
func TestPrivateReviewReassessed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := e.start(startBody("Croydon", "collaborate"))
	e.answerAll(first, func(bank.Question) *int { return intp(1) })
	e.submit(first)
	again := e.healthCheck(first)
	if again.PartnershipID != "" || again.Copied == 0 {
		t.Fatalf("re-assessment: %+v", again)
	}
	if r := e.do("POST", "/api/assessments/"+first.ID+"/health-check", first.Token, nil); r.status != http.StatusConflict {
		t.Errorf("second re-assessment of the same review: got %d, want 409", r.status)
	}
	vision := library(t).Current().Areas[0].ID
	e.answerAll(again, func(q bank.Question) *int {
		if q.Area == vision {
			return intp(4)
		}
		return intp(1)
	})
	e.submit(again)
	var sc api.Score
	e.do("GET", "/api/assessments/"+again.ID+"/score", again.Token, nil).json(t, &sc)
	if sc.Trend == nil || sc.Trend.Previous != first.ID {
		t.Fatalf("trend: %+v", sc.Trend)
	}
	for _, a := range sc.Trend.Areas {
		want := 0
		if a.ID == vision {
			want = e.areaScores(again)[vision] - e.areaScores(first)[vision]
		}
		if a.Change != want {
			t.Errorf("%s: change %+d, want %+d", a.ID, a.Change, want)
		}
	}
	if n := len(library(t).Current().Areas[0].Questions); len(sc.Trend.Questions) != n {
		t.Errorf("changed questions: got %d, want %d", len(sc.Trend.Questions), n)
	}
}

// The admin link and each invitation go to their addresses on creation;
// members hear when a round opens and when it unseals, the admin when a
// council submits.
func TestPartnershipMail(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "outbox")
	e := newEnvWith(t, func(c *config.Config) { c.OutboxDir, c.MailFrom = dir, "RASP <rasp@example.gov.uk>" })
	in := api.CreatePartnership{Name: "Kent shared legal", IntendedForm: "collaborate", ContactEmail: "admin@kent.gov.uk",
		Councils: []api.NewSeat{{Name: "Dover", Email: "lead@dover.gov.uk"}, {Name: "Thanet"}}}
	r := e.do("POST", "/api/partnerships", "", in)
	var p api.PartnershipCreated
	r.json(t, &p)
	if r.status != http.StatusCreated || !p.AdminMailed || !seat(t, p, "Dover").Mailed || seat(t, p, "Thanet").Mailed {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	mails := func() map[string][]string {
		files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		out := map[string][]string{}
		for _, f := range files {
			b, _ := os.ReadFile(f)
			s := string(b)
			to := strings.Trim(between(s, "To: ", "\r\n"), "<>")
			out[to] = append(out[to], between(s, "Subject: ", "\r\n"))
		}
		return out
	}
	got := mails()
	if len(got["admin@kent.gov.uk"]) != 1 || len(got["lead@dover.gov.uk"]) != 1 {
		t.Fatalf("after create: %v", got)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	var all string
	for _, f := range files {
		b, _ := os.ReadFile(f)
		all += string(b)
	}
	if !strings.Contains(all, p.AdminToken) || !strings.Contains(all, seat(t, p, "Dover").Token) {
		t.Errorf("the mails do not carry the admin link and Dover's invitation")
	}
	dover := e.submittedMember(p, "Dover", 2)
	if got := mails(); len(got["admin@kent.gov.uk"]) != 2 {
		t.Errorf("admin after Dover submits: %v", got["admin@kent.gov.uk"])
	}
	thanet := e.submittedMember(p, "Thanet", 2)
	_ = thanet
	got = mails()
	if n := len(got["lead@dover.gov.uk"]); n != 2 || !strings.Contains(got["lead@dover.gov.uk"][0]+got["lead@dover.gov.uk"][1], "comparison of round 1 is open") {
		t.Errorf("Dover after the round unsealed: %v", got["lead@dover.gov.uk"])
	}
	if r := e.openRound(p, 1); r.status != http.StatusCreated {
		t.Fatal(r.status)
	}
	got = mails()
	var opened string
	for _, s := range got["lead@dover.gov.uk"] {
		if strings.Contains(s, "round 2 is open") {
			opened = s
		}
	}
	if opened == "" {
		t.Errorf("Dover after round 2 opened: %v", got["lead@dover.gov.uk"])
	}
	_ = dover
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}

// "Send me a new link": a working link by mail, the old one revoked
// everywhere (membership included), and the same reply with nothing sent
// for an address that does not match.
func TestRecoverLink(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "outbox")
	e := newEnvWith(t, func(c *config.Config) { c.OutboxDir, c.MailFrom = dir, "RASP <rasp@example.gov.uk>" })
	p := e.partnership("Recover", "Bexley")
	var created api.PartnershipCreated
	in := api.CreatePartnership{Name: "Recover admin", IntendedForm: "collaborate", ContactEmail: "admin@bexley.gov.uk"}
	e.do("POST", "/api/partnerships", "", in).json(t, &created)
	r := e.do("POST", "/api/partnerships/"+p.ID+"/seats/"+seat(t, p, "Bexley").Seat+"/assessments", seat(t, p, "Bexley").Token,
		api.StartSeatAssessment{Respondent: api.Respondent{Name: "Sam", Role: "Lead", Email: "Sam@Bexley.gov.uk"}})
	var s api.Started
	r.json(t, &s)
	count := func() int { files, _ := filepath.Glob(filepath.Join(dir, "*.eml")); return len(files) }
	newest := func() string {
		files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		slices.Sort(files)
		b, _ := os.ReadFile(files[len(files)-1])
		return string(b)
	}
	before := count()
	wrong := e.do("POST", "/api/recover", "", api.Recover{Assessment: s.ID, Email: "someone@else.gov.uk"})
	if wrong.status != http.StatusAccepted || count() != before {
		t.Fatalf("unknown address: got %d and %d mails", wrong.status, count()-before)
	}
	right := e.do("POST", "/api/recover", "", api.Recover{Assessment: s.ID, Email: "sam@bexley.gov.uk"})
	if right.status != http.StatusAccepted || string(right.body) != string(wrong.body) || count() != before+1 {
		t.Fatalf("right address: got %d %s (and %d mails), want the same reply as %s", right.status, right.body, count()-before, wrong.body)
	}
	decoded, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(newest())))
	body := string(decoded)
	token := between(body, "/assessments/"+s.ID+"/resume?token=", "\r\n")
	if token == "" || token == s.Token {
		t.Fatalf("no new link in the mail:\n%s", body)
	}
	if r := e.do("GET", "/api/assessments/"+s.ID, s.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("old token on the assessment: got %d, want 404", r.status)
	}
	if r := e.do("GET", "/api/partnerships/"+p.ID, s.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("old token on the membership: got %d, want 404", r.status)
	}
	if r := e.do("GET", "/api/assessments/"+s.ID, token, nil); r.status != http.StatusOK {
		t.Errorf("new token: got %d, want 200", r.status)
	}
	if r := e.do("GET", "/api/partnerships/"+p.ID, token, nil); r.status != http.StatusOK {
		t.Errorf("new token on the membership: got %d, want 200", r.status)
	}
	// The partnership's admin link, by the contact address.
	before = count()
	if r := e.do("POST", "/api/recover", "", api.Recover{Partnership: created.ID, Email: "admin@bexley.gov.uk"}); r.status != http.StatusAccepted || count() != before+1 {
		t.Fatalf("admin recovery: %d, %d mails", r.status, count()-before)
	}
	if r := e.do("GET", "/api/partnerships/"+created.ID, created.AdminToken, nil); r.status != http.StatusNotFound {
		t.Errorf("old admin token: got %d, want 404", r.status)
	}
	if r := e.do("POST", "/api/recover", "", api.Recover{Email: "admin@bexley.gov.uk"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("no id: got %d, want 422", r.status)
	}
}
