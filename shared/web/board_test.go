package web_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"github.com/openrasp/rasp/shared/idempotency"
	"html"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/partnership"
)

// boardCouncils are the seeds' three councils.
var boardCouncils = []string{"Southwark", "Brent", "Lewisham"}

// boardSeed is a submitted three-council partnership with divergent
// questions, three shared weaknesses, a note shared by Southwark and one
// kept by Brent.
type boardSeed struct {
	p         partnership.Created
	members   []member
	divergent []bank.Question
	shared    []bank.Question
}

const (
	boardSharedNote  = "Our cabinet backed it in March; minutes attached to the board paper"
	boardPrivateNote = "Brent keeps this: the leader is wavering"
)

// seedBoard answers so that the n questions with the longest level
// wordings (the hardest to fit on a page) are divergent, at levels 0, 2
// and 4; three others are shared weaknesses at 1; the rest are aligned at 3.
func seedBoard(t *testing.T, e *env, n int) boardSeed {
	t.Helper()
	ctx := context.Background()
	p, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: "South London shared ICT", Form: "collaborate", CadenceMonths: 12}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	qs := slices.Clone(library().Current().Questions())
	words := func(q bank.Question) int { return len(q.Levels[0]) + len(q.Levels[2]) + len(q.Levels[4]) }
	slices.SortStableFunc(qs, func(a, b bank.Question) int { return cmp.Compare(words(b), words(a)) })
	d := boardSeed{p: p, divergent: qs[:n], shared: qs[n : n+3]}
	level := map[string][]int{}
	for _, q := range d.divergent {
		level[q.ID] = []int{0, 2, 4}
	}
	for _, q := range d.shared {
		level[q.ID] = []int{1, 1, 1}
	}
	for i, council := range boardCouncils {
		st, err := e.deps.Assessments.Start(ctx, assessment.StartInput{Council: council, Purpose: "readiness", Form: "collaborate", JoinCode: p.JoinCode,
			Respondent: assessment.Respondent{Name: "Sam", Role: "Programme manager"}}, idempotency.Request{})
		if err != nil {
			t.Fatal(err)
		}
		answers := map[string]assessment.Answer{}
		for _, q := range library().Current().Questions() {
			s := 3
			if l, ok := level[q.ID]; ok {
				s = l[i]
			}
			answers[q.ID] = assessment.Answer{Score: &s}
		}
		note := d.divergent[0].ID
		switch council {
		case "Southwark":
			answers[note] = assessment.Answer{Score: answers[note].Score, Note: boardSharedNote}
		case "Brent":
			answers[note] = assessment.Answer{Score: answers[note].Score, Note: boardPrivateNote}
		}
		if _, err := e.deps.Assessments.SaveAnswers(ctx, e.lead(st.ID, st.Token), answers, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.deps.Assessments.SubmitSharing(ctx, e.lead(st.ID, st.Token), council == "Southwark"); err != nil {
			t.Fatal(err)
		}
		d.members = append(d.members, member{council: council, id: st.ID, token: st.Token})
	}
	return d
}

// pdfPages counts the pages of a PDF: each page object has /Type /Page
// (the page tree has /Type /Pages).
func pdfPages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
}

// Issue 18: for three councils with 12 divergent questions the board
// summary names each with every council's wording and prints on one A4 page
// in headless Chromium; the pages have no axe-core violations.
func TestBoardPrintsOnOneA4Page(t *testing.T) {
	axe := needBrowser(t)
	t.Parallel()
	e := newEnv(t)
	d := seedBoard(t, e, 12)
	admin := "rasp_p_" + d.p.ID + "=" + d.p.AdminToken
	// Five actions past their date: the board names the three most overdue
	// and links to the register for the rest, still on one page.
	var late []string
	for i := range 5 {
		title := fmt.Sprintf("Action %d: appoint a communications specialist and brief every service manager on the shared service before go-live", i+1)
		role, due := "Head of ICT and the change manager of the shared service", fmt.Sprintf("2026-0%d-15", 5-i)
		p := e.admin(d.p.ID, d.p.AdminToken)
		if _, err := e.deps.Partnerships.CreateAction(context.Background(), p, partnership.ActorOf(p, partnership.AdminAccess, ""),
			action.Input{Title: &title, OwnerRole: &role, Due: &due}, idempotency.Request{}); err != nil {
			t.Fatal(err)
		}
		late = append(late, title)
	}

	// The JSON has the board as its own object, with each council's words.
	req, _ := http.NewRequest("GET", e.url+"/api/partnerships/"+d.p.ID+"/comparison", nil)
	req.Header.Set("Authorization", "Bearer "+d.p.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var c api.Comparison
	err = json.NewDecoder(resp.Body).Decode(&c)
	resp.Body.Close()
	if err != nil || c.Board == nil {
		t.Fatalf("comparison JSON: %v, board %v", err, c.Board)
	}
	if c.Board.DivergentTotal != 12 || len(c.Board.Divergent) != 12 || len(c.Board.SharedWeaknesses) != 3 {
		t.Errorf("board: %d divergent of %d, %d shared weaknesses; want 12 of 12 and 3", len(c.Board.Divergent), c.Board.DivergentTotal, len(c.Board.SharedWeaknesses))
	}
	byID := map[string]bank.Question{}
	for _, q := range d.divergent {
		byID[q.ID] = q
	}
	for _, bq := range c.Board.Divergent {
		q, ok := byID[bq.Question]
		if !ok || len(bq.Answers) != 3 {
			t.Errorf("board question %s: not one of the divergent, or %d answers", bq.Question, len(bq.Answers))
			continue
		}
		for i, a := range bq.Answers {
			if want := q.Levels[[]int{0, 2, 4}[i]]; a.Council != boardCouncils[i] || a.Wording != want {
				t.Errorf("%s, %s: got %q %q, want %q", bq.Question, boardCouncils[i], a.Council, a.Wording, want)
			}
		}
	}

	board := e.request("GET", "/partnerships/"+d.p.ID+"/board?round=1", nil, "Cookie", admin)
	text := html.UnescapeString(board.body)
	for _, q := range d.divergent {
		for _, l := range []int{0, 2, 4} {
			if !strings.Contains(text, q.Text) || !strings.Contains(text, q.Levels[l]) {
				t.Errorf("board page: %s or its level %d wording missing", q.ID, l)
			}
		}
	}
	if !strings.Contains(text, "Printed on "+time.Now().Format("2 January 2006")) {
		t.Errorf("board page: no printed date")
	}
	for i, title := range late {
		if shown := strings.Contains(text, title); shown != (i >= 2) {
			t.Errorf("board page: overdue %q shown %v, want the three most overdue only", title, shown)
		}
	}
	if !strings.Contains(text, "5 overdue, 0 done without improving the score") || !strings.Contains(board.body, `href="/partnerships/`+d.p.ID+`/actions?round=1"`) {
		t.Errorf("board page: no count of the overdue actions with a link to the register")
	}
	if f := c.Board.FollowUp; f.OverdueTotal != 5 || len(f.Overdue) != 3 {
		t.Errorf("board JSON: %d overdue of %d, want 3 of 5", len(f.Overdue), f.OverdueTotal)
	}

	browser := newBrowser(t, 1280)
	tb := newTab(t, browser, "board", false)
	j := &journey{t: t, base: e.url, axe: axe, weights: map[string][2]int{}}
	j.run(tb, chromedp.Navigate(e.url+"/partnerships/"+d.p.ID+"/admin?token="+d.p.AdminToken))
	var pdf []byte
	for _, view := range []struct{ name, path string }{
		{"board summary", "/partnerships/" + d.p.ID + "/board?round=1"},
		{"comparison with board", "/partnerships/" + d.p.ID + "/comparison?round=1"},
		{"workshop pack", "/partnerships/" + d.p.ID + "/workshop?round=1"},
		{"member board summary", "/assessments/" + d.members[1].id + "/board?round=1"},
		{"member workshop pack", "/assessments/" + d.members[1].id + "/workshop?round=1"},
	} {
		if strings.HasPrefix(view.path, "/assessments/") {
			j.run(tb, chromedp.Navigate(e.url+"/assessments/"+d.members[1].id+"/resume?token="+d.members[1].token))
		}
		j.open(tb, view.path, http.StatusOK)
		j.check(tb, view.name)
		if view.name == "board summary" {
			j.run(tb, chromedp.ActionFunc(func(ctx context.Context) error {
				var err error
				pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).WithPreferCSSPageSize(true).Do(ctx)
				return err
			}))
			// Printed, nothing on the board is under 9 pt (12 CSS px):
			// 7 pt fitted the page but was too small to read.
			var small struct {
				Px    float64
				Where string
			}
			j.run(tb, emulation.SetEmulatedMedia().WithMedia("print"), chromedp.Evaluate(`(() => {
				let min = 1e9, at = "";
				for (const el of document.querySelectorAll(".rasp-board *")) {
					const s = getComputedStyle(el);
					const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
					if (!own || s.display === "none" || el.closest("[class*=visually-hidden]") || el.getClientRects().length === 0) continue;
					const px = parseFloat(s.fontSize);
					if (px < min) { min = px; at = el.tagName + "." + el.className + ": " + el.textContent.trim().slice(0, 40); }
				}
				return {px: min, where: at};
			})()`, &small), emulation.SetEmulatedMedia().WithMedia(""))
			if pt := small.Px * 0.75; pt < 9 {
				t.Errorf("printed board: %.1f pt text (%s), want nothing under 9 pt", pt, small.Where)
			}
		}
	}
	// The pages that ask about notes: a member's check page (the choice at
	// submit) and its partnership page while the round is sealed (the form).
	ctx := context.Background()
	p2, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: "Notes choice", Form: "collaborate", CadenceMonths: 12}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	done, draft := e.joinWithNote(p2, "Bath", 3, "A note"), e.joinWithNote(p2, "Bristol", 2, "")
	if _, err := e.deps.Assessments.SubmitSharing(ctx, e.lead(done.id, done.token), true); err != nil {
		t.Fatal(err)
	}
	for _, view := range []struct {
		name string
		m    member
		path string
	}{
		{"check answers with the notes choice", draft, "/assessments/" + draft.id + "/check"},
		{"member partnership with the notes form", done, "/assessments/" + done.id + "/partnership"},
	} {
		j.run(tb, chromedp.Navigate(e.url+"/assessments/"+view.m.id+"/resume?token="+view.m.token))
		j.open(tb, view.path, http.StatusOK)
		if !strings.Contains(j.text(tb, "main"), "Share your notes with the partner councils?") {
			t.Errorf("%s: no choice about notes", view.name)
		}
		j.check(tb, view.name)
	}

	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("print to PDF gave %d bytes, not a PDF", len(pdf))
	}
	if out := os.Getenv("RASP_BOARD_PDF"); out != "" {
		_ = os.WriteFile(out, pdf, 0o644) // to look at while tuning the print styles
	}
	if n := pdfPages(pdf); n != 1 {
		t.Errorf("the board summary prints on %d A4 pages, want 1", n)
	}
}

// With more than 12 divergent questions the board lists the top 12 and
// links to the rest; the workshop pack orders must-haves first and shows
// a shared note, never an unshared one, on the page and in its CSV.
func TestBoardTopTwelveAndWorkshopPack(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := seedBoard(t, e, 15)
	admin := "rasp_p_" + d.p.ID + "=" + d.p.AdminToken
	r := e.request("GET", "/partnerships/"+d.p.ID+"/board?round=1", nil, "Cookie", admin)
	if r.status != http.StatusOK || !strings.Contains(r.body, "the 12 most important of 15") || !strings.Contains(r.body, "See all 15 divergent questions") ||
		!strings.Contains(r.body, `href="/partnerships/`+d.p.ID+`/comparison?round=1#differences"`) {
		t.Errorf("board with 15 divergent: want the top 12 and a link to the rest\n%.3000s", r.body)
	}
	if got := strings.Count(r.body, "<td class=\"govuk-table__cell\">"); got != 12*3 {
		t.Errorf("board with 15 divergent: %d answer cells, want %d", got, 12*3)
	}

	b := library().Current()
	for _, path := range []string{"/partnerships/" + d.p.ID + "/workshop?round=1", "/assessments/" + d.members[2].id + "/workshop?round=1"} {
		cookie := admin
		if strings.HasPrefix(path, "/assessments/") {
			cookie = d.members[2].cookie()
		}
		r := e.request("GET", path, nil, "Cookie", cookie)
		body := html.UnescapeString(r.body)
		if r.status != http.StatusOK || !strings.Contains(body, boardSharedNote) || strings.Contains(body, "wavering") {
			t.Fatalf("%s: %d; want Southwark's note and never Brent's\n%.1500s", path, r.status, r.body)
		}
		// Agenda order: every must-have item before every other.
		items := regexp.MustCompile(`<h2 class="govuk-heading-s">\d+\. ([^<]+)</h2>\s*<p class="govuk-body-s">[^<]*<strong class="govuk-tag [^"]+">[^<]+</strong>( <strong class="govuk-tag govuk-tag--red">Must-have</strong>)?`).FindAllStringSubmatch(body, -1)
		if len(items) < 18 {
			t.Fatalf("%s: %d agenda items, want the 15 divergent and 3 shared weaknesses at least", path, len(items))
		}
		seenOther := false
		for _, it := range items {
			if it[2] == "" {
				seenOther = true
			} else if seenOther {
				t.Errorf("%s: must-have %q after an item that is not one", path, it[1])
			}
		}
		for _, q := range d.divergent[:1] {
			if len(q.Prompts) > 0 && !strings.Contains(body, q.Prompts[0]) {
				t.Errorf("%s: the bank's discussion prompt for %s is missing", path, q.ID)
			}
		}
		if !strings.Contains(body, "Decision:") || !strings.Contains(body, "Owner:") || !strings.Contains(body, "What reaching it takes:") {
			t.Errorf("%s: no capture column or next step", path)
		}
	}
	csv := e.request("GET", "/partnerships/"+d.p.ID+"/workshop.csv?round=1", nil, "Cookie", admin)
	if csv.status != http.StatusOK || !strings.HasPrefix(csv.body, "round,item,area,question_id") || !strings.Contains(csv.body, boardSharedNote) || strings.Contains(csv.body, "wavering") {
		t.Errorf("workshop CSV: %d; want the header, Southwark's note and never Brent's\n%.600s", csv.status, csv.body)
	}
	if !strings.Contains(csv.body, b.Areas[0].Title) || !strings.Contains(csv.header.Get("Content-Disposition"), "rasp-workshop-round-1.csv") {
		t.Errorf("workshop CSV: no area title or file name")
	}
	doc := e.request("GET", "/partnerships/"+d.p.ID+"/board.html?round=1", nil, "Cookie", admin)
	if doc.status != http.StatusOK || !strings.Contains(doc.header.Get("Content-Disposition"), "attachment") || strings.Contains(doc.body, "<link") ||
		strings.Contains(doc.body, "class=") || !strings.Contains(doc.body, "<table") {
		t.Errorf("board document: %d %q; want a plain HTML download with a table\n%.600s", doc.status, doc.header.Get("Content-Disposition"), doc.body)
	}
	// A prospective partner and a stranger get nothing.
	if r := e.request("GET", "/partnerships/"+d.p.ID+"/workshop?round=1", nil); r.status != http.StatusUnauthorized && r.status != http.StatusNotFound && r.status != http.StatusSeeOther {
		t.Errorf("workshop without a credential: %d", r.status)
	}
}
