package web_test

import (
	"context"
	"fmt"
	"github.com/openrasp/rasp/shared/idempotency"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/partnership"
)

// TestScreenshots writes PNGs of the main pages at desktop and phone widths
// into screenshots/ at the repository root (`make screenshots`). It runs
// only with RASP_SCREENSHOTS=1.
func TestScreenshots(t *testing.T) {
	if os.Getenv("RASP_SCREENSHOTS") != "1" {
		t.Skip("set RASP_SCREENSHOTS=1 (make screenshots) to write screenshots")
	}
	needBrowser(t)
	e := newEnv(t)
	ctx := context.Background()
	p, err := e.deps.Partnerships.Create(ctx, partnership.CreateInput{Name: "Brent, Lewisham and Southwark shared ICT", Form: "collaborate", CadenceMonths: 6}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	var firstID, firstToken string
	for i, council := range []string{"Brent", "Lewisham", "Southwark"} {
		st, err := e.deps.Assessments.Start(ctx, assessment.StartInput{Council: council, Purpose: "readiness", Form: "collaborate", JoinCode: p.JoinCode,
			Respondent: assessment.Respondent{Name: "Sam Patel", Role: "Programme manager"}}, idempotency.Request{})
		if err != nil {
			t.Fatal(err)
		}
		answers := map[string]assessment.Answer{}
		for n, q := range library().Current().Questions() {
			s := (n*(i+2) + i) % 5
			if i == 0 && n%3 == 0 {
				s = min(s+2, 4)
			}
			a := assessment.Answer{Score: &s}
			if (n+i)%11 == 4 {
				a.Score = nil
			}
			answers[q.ID] = a
		}
		if _, err := e.deps.Assessments.SaveAnswers(ctx, e.lead(st.ID, st.Token), answers, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.deps.Assessments.Submit(ctx, e.lead(st.ID, st.Token)); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			firstID, firstToken = st.ID, st.Token
		}
	}
	// A draft to show an area page with answers and notes.
	draft, err := e.deps.Assessments.Start(ctx, assessment.StartInput{Council: "Camden", Purpose: "readiness", Form: "coordinate",
		Respondent: assessment.Respondent{Name: "Ada", Role: "Head of ICT"}}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	area := library().Current().Areas[1]
	answers := map[string]assessment.Answer{}
	for n, q := range area.Questions[:3] {
		s := n + 1
		answers[q.ID] = assessment.Answer{Score: &s, Note: "Discussed at the joint board in March."}
	}
	if _, err := e.deps.Assessments.SaveAnswers(ctx, e.lead(draft.ID, draft.Token), answers, nil); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join("..", "..", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	cookies := chromedp.ActionFunc(func(ctx context.Context) error {
		for _, c := range []struct{ name, path, value string }{
			{"rasp_a_" + firstID, "/assessments/" + firstID, firstToken},
			{"rasp_a_" + draft.ID, "/assessments/" + draft.ID, draft.Token},
			{"rasp_p_" + p.ID, "/partnerships/" + p.ID, p.AdminToken},
		} {
			if err := network.SetCookie(c.name, c.value).WithURL(e.url + c.path).WithPath(c.path).WithHTTPOnly(true).
				WithSameSite(network.CookieSameSiteStrict).Do(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	pages := []struct{ name, path string }{
		{"start", "/"},
		{"area", "/assessments/" + draft.ID + "/areas/" + area.ID},
		{"report", "/assessments/" + firstID + "/report"},
		{"comparison", "/partnerships/" + p.ID + "/comparison"},
	}
	for _, width := range []int64{1280, 375} {
		browser := newBrowser(t, int(width))
		tb := newTab(t, browser, fmt.Sprint(width), false)
		run := func(actions ...chromedp.Action) {
			t.Helper()
			c, cancel := context.WithTimeout(tb.ctx, 60*time.Second)
			defer cancel()
			if err := chromedp.Run(c, actions...); err != nil {
				t.Fatal(err)
			}
		}
		run(cookies, chromedp.EmulateViewport(width, 900))
		for _, pg := range pages {
			var png []byte
			run(chromedp.Navigate(e.url+pg.path), chromedp.FullScreenshot(&png, 100))
			name := filepath.Join(out, fmt.Sprintf("%s-%d.png", pg.name, width))
			if err := os.WriteFile(name, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s (%d bytes)", name, len(png))
		}
		if width != 1280 {
			continue
		}
		// The report as printed: the print stylesheet on A4, as a PDF and
		// as a picture of the print layout.
		var pdf, png []byte
		run(chromedp.Navigate(e.url+"/assessments/"+firstID+"/report"), chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPreferCSSPageSize(true).WithPrintBackground(true).Do(ctx)
			return err
		}))
		run(chromedp.EmulateViewport(680, 1100), emulation.SetEmulatedMedia().WithMedia("print"), chromedp.FullScreenshot(&png, 100),
			emulation.SetEmulatedMedia().WithMedia(""), chromedp.EmulateViewport(width, 900))
		for name, b := range map[string][]byte{"report-a4.pdf": pdf, "report-print.png": png} {
			if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s (%d bytes)", filepath.Join(out, name), len(b))
		}
	}
}
