package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/chromedp"

	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/web"
)

// englishFragments are the texts of the English catalogue that must not
// show on a Welsh page: each text split at its placeholders and markup, the
// pieces of two words or more, or one word of six letters or more, that
// the Welsh catalogue does not use too and the allow-list does not name.
func englishFragments(t *testing.T) []string {
	t.Helper()
	allow := web.ReadList(t, "testdata/welsh-allow.txt")
	welsh := strings.Join(slices.Collect(mapValues(locale.Messages().Entries(locale.Welsh))), "\n")
	split := regexp.MustCompile(`\{\{[^}]*\}\}|<[^>]*>|&#[0-9]+;`)
	var out []string
	for _, text := range locale.Messages().Entries(locale.English) {
		for _, f := range split.Split(text, -1) {
			f = strings.Trim(f, " .,:;()‘’'“”—–-")
			words := strings.Fields(f)
			if len(words) == 0 || (len(words) == 1 && len([]rune(f)) < 6) || strings.Contains(welsh, f) || slices.Contains(allow, f) {
				continue
			}
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// containsPhrase reports whether text holds phrase as whole words: not
// inside a longer word ("council" is not in "councillor"). It is the check
// every Welsh page makes for each of some thousands of English fragments,
// so it looks with strings.Index rather than a regular expression each.
func containsPhrase(text, phrase string) bool {
	for i := 0; phrase != ""; {
		j := strings.Index(text[i:], phrase)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(phrase)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (start == 0 || !unicode.IsLetter(before)) && (end == len(text) || !unicode.IsLetter(after)) {
			return true
		}
		i = start + 1
	}
	return false
}

func mapValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// bankTexts are the English texts of the current question bank (its
// areas, questions, levels, guidance, actions and evidence, forms, prompts
// and roles), longest first: a Welsh page shows the bank's Welsh, so none
// of them may be on it.
func bankTexts() []string {
	b := library().Current()
	var out []string
	for _, a := range b.Areas {
		out = append(out, a.Title, a.Description)
		for _, q := range a.Questions {
			out = append(out, q.Text, q.Guidance)
			if q.MayNotApply != nil {
				out = append(out, q.MayNotApply.When)
			}
			out = append(out, q.Levels[:]...)
			// The report's actions and evidence are the bank's too.
			out = append(out, q.Action)
			for _, act := range q.Actions {
				out = append(out, act.Do, act.Evidence)
			}
			out = append(out, q.Prompts...)
		}
	}
	for _, f := range b.Forms {
		out = append(out, f.Title, f.Description)
	}
	for _, r := range b.Roles {
		out = append(out, r.Label)
	}
	out = slices.DeleteFunc(out, func(s string) bool { return strings.TrimSpace(s) == "" })
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// noEnglish fails when the page shown has English on it (englishOn)
// anywhere outside the link marked lang="en-GB" that leads to the English
// page.
func (j *journey) noEnglish(tb *tab, name string, fragments []string) {
	j.t.Helper()
	var text string
	j.eval(tb, `(() => { const b = document.body.cloneNode(true); b.querySelectorAll('[lang]:not([lang="cy"])').forEach(e => e.remove()); return document.title + "\n" + b.textContent; })()`, &text)
	text = strings.Join(strings.Fields(text), " ")
	for _, s := range englishOn(text, fragments) {
		j.t.Errorf("%s (Welsh): English %q on the page", name, s)
	}
}

// TestBrowserWelshJourney chooses Cymraeg with the link at the top of the
// start page (JavaScript off) and goes through an assessment in Welsh: the
// start form with its errors, the private link, the task list, every area
// page, an area with errors, check your answers and submit. Every page is
// lang="cy", passes axe-core and shows no text of the English catalogue
// and none of bank v2's English (questions, levels, guidance, area and
// form names): the pages show the bank's Welsh. The report after
// submitting is checked the same way.
func TestBrowserWelshJourney(t *testing.T) {
	axe := needBrowser(t)
	t.Parallel()
	e := newEnv(t)
	fragments := englishFragments(t)
	if len(fragments) < 100 {
		t.Fatalf("only %d English fragments to look for", len(fragments))
	}
	j := &journey{t: t, base: e.url, axe: axe, weights: map[string][2]int{}}
	browser := newBrowser(t, 1280)
	tb := newTab(t, browser, "Gwynedd", true)

	j.open(tb, "/", http.StatusOK)
	j.click(tb, `a[hreflang="cy"]`, http.StatusOK)
	j.lang = locale.Welsh
	if got := j.location(tb); got != e.url+"/" {
		t.Fatalf("after choosing Cymraeg: at %s, want the start page again", got)
	}
	visit := func(name string) {
		j.t.Helper()
		j.check(tb, name)
		j.noEnglish(tb, name, fragments)
	}
	visit("start")
	// The first font of the stack has ŵ and ŷ (and the other Welsh vowels).
	var fontOK bool
	j.eval(tb, `(() => { const f = getComputedStyle(document.body).fontFamily.split(",")[0].trim(); return document.fonts.check("19px " + f, "ŵŷâêîôûïŴŶ"); })()`, &fontOK)
	if !fontOK {
		t.Errorf("document.fonts.check: the first font of the stack does not render ŵ and ŷ")
	}
	for _, p := range []struct {
		path   string
		status int
	}{{"/accessibility", 200}, {"/cookies", 200}, {"/no-such-page", 404}} {
		j.open(tb, p.path, p.status)
		visit(p.path)
	}

	j.open(tb, "/", http.StatusOK)
	j.click(tb, "a.govuk-button--start", http.StatusOK)
	visit("new assessment")
	j.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
	visit("new assessment with errors")
	if got := j.text(tb, ".govuk-error-summary__list"); !strings.Contains(got, "Rhowch enw eich cyngor") {
		j.fatalf(tb, "error summary %q", got)
	}
	j.run(tb, fill(map[string]string{"council": "Cyngor Gwynedd", "name": "Siân Williams", "role": "Rheolwr rhaglen"}),
		chromedp.Click("#purpose", chromedp.ByQuery), chromedp.Click("#intendedForm-5", chromedp.ByQuery))
	j.click(tb, "form button.govuk-button", http.StatusOK)
	visit("private link")
	j.click(tb, "a.govuk-button", http.StatusOK)
	visit("task list")

	j.click(tb, ".govuk-task-list__item:nth-child(1) a.govuk-task-list__link", http.StatusOK)
	visit("area")
	// The paragraph with "siŵr" renders in one font: the stack's first
	// font has ŵ, so no fallback font was needed for it.
	var ids []cdp.NodeID
	j.run(tb, chromedp.NodeIDs("#area-intro", &ids, chromedp.ByQuery))
	var fonts []*css.PlatformFontUsage
	j.run(tb, chromedp.ActionFunc(func(ctx context.Context) error {
		if err := css.Enable().Do(ctx); err != nil {
			return err
		}
		var err error
		fonts, err = css.GetPlatformFontsForNode(ids[0]).Do(ctx)
		return err
	}))
	if !strings.Contains(j.text(tb, "#area-intro"), "ŵ") || len(fonts) != 1 {
		var names []string
		for _, f := range fonts {
			names = append(names, f.FamilyName)
		}
		t.Errorf("the Welsh paragraph with ŵ renders in %v, want one font", names)
	} else {
		t.Logf("ŵ renders in %s", fonts[0].FamilyName)
	}
	var firstNote string
	j.eval(tb, `document.querySelector("textarea").id`, &firstNote)
	j.run(tb, chromedp.SendKeys("#"+firstNote, "Papur i’r bwrdd ym mis Mai", chromedp.ByQuery))
	j.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
	visit("area with errors")
	j.answerArea(tb, func(q int) string { return level(q % 5) })
	visit("task list after saving")
	for a := 1; a < 5; a++ {
		j.click(tb, ".govuk-task-list__item:nth-child("+string(rune('1'+a))+") a.govuk-task-list__link", http.StatusOK)
		visit("area " + string(rune('1'+a)))
		j.answerArea(tb, func(q int) string {
			if (a+q)%6 == 0 {
				return "-unknown"
			}
			return level((a + q) % 5)
		})
	}
	j.click(tb, `a[href$="/check"]`, http.StatusOK)
	visit("check answers")
	j.click(tb, "form button.govuk-button", http.StatusOK)
	if !strings.HasSuffix(j.location(tb), "/report") {
		j.fatalf(tb, "after submit: at %s, want the report", j.location(tb))
	}
	visit("report")
	if errs := tb.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
	t.Logf("checked in Welsh: %s", strings.Join(j.checked, ", "))
}

// TestBrowserWelshPartnership creates a partnership in Welsh (JavaScript
// off): the form, its errors and the page that shows the join code and the
// admin link. Two councils join by the code and submit; the partnership
// page is seen while its comparison is sealed and the sealed page in its
// place, then both once the comparison opens. Every page is lang="cy",
// passes axe-core and shows no text of the English catalogue or of bank
// v2's English.
func TestBrowserWelshPartnership(t *testing.T) {
	axe := needBrowser(t)
	t.Parallel()
	e := newEnv(t)
	fragments := englishFragments(t)
	j := &journey{t: t, base: e.url, axe: axe, weights: map[string][2]int{}}
	browser := newBrowser(t, 1280)
	tb := newTab(t, browser, "Ceredigion", true)
	j.open(tb, "/", http.StatusOK)
	j.click(tb, `a[hreflang="cy"]`, http.StatusOK)
	j.lang = locale.Welsh
	visit := func(name string) {
		j.t.Helper()
		j.check(tb, name)
		j.noEnglish(tb, name, fragments)
	}

	j.open(tb, "/partnerships/new", http.StatusOK)
	visit("new partnership")
	j.run(tb, fill(map[string]string{"councils-0-gssCode": "X1"}))
	j.click(tb, "form button.govuk-button", http.StatusUnprocessableEntity)
	visit("new partnership with errors")
	if got := j.text(tb, ".govuk-error-summary__list"); !strings.Contains(got, "Rhowch enw’r bartneriaeth") || !strings.Contains(got, "Rhowch y cod GSS") {
		j.fatalf(tb, "error summary %q", got)
	}
	j.run(tb, fill(map[string]string{"name": "TGCh a rennir gan Geredigion a Phowys", "councils-0-gssCode": ""}),
		chromedp.Click("#intendedForm-5", chromedp.ByQuery))
	j.click(tb, "form button.govuk-button", http.StatusOK)
	visit("partnership created")
	code := strings.TrimSpace(j.text(tb, "#join-code"))
	j.click(tb, "a.govuk-button", http.StatusOK)
	visit("partnership")
	pid := strings.TrimPrefix(j.location(tb), e.url+"/partnerships/")

	created := partnership.Created{JoinCode: code}
	submit := func(m member) {
		t.Helper()
		if r := e.request("POST", "/assessments/"+m.id+"/submit", url.Values{}, "Cookie", m.cookie()); r.status != http.StatusSeeOther && r.status != http.StatusFound {
			t.Fatalf("submit %s: %d\n%.600s", m.council, r.status, r.body)
		}
	}
	ceredigion := e.joinWithNote(created, "Cyngor Sir Ceredigion", 3, "Nodyn y cyngor")
	powys := e.joinWithNote(created, "Cyngor Sir Powys", 1, "")
	submit(ceredigion)
	j.open(tb, "/partnerships/"+pid, http.StatusOK)
	visit("partnership, sealed")
	if got := j.text(tb, "#sealed-1"); !strings.Contains(got, "Mae’r gymhariaeth dan sêl: mae 1 o 2 cyngor wedi cyflwyno") || !strings.Contains(got, "Cyngor Sir Powys") {
		j.fatalf(tb, "sealed notice %q", got)
	}
	j.open(tb, "/partnerships/"+pid+"/comparison?round=1", http.StatusOK)
	visit("sealed comparison")
	if got := j.text(tb, "h1"); got != "Mae’r gymhariaeth dan sêl" {
		j.fatalf(tb, "sealed page heading %q", got)
	}
	submit(powys)
	j.open(tb, "/partnerships/"+pid, http.StatusOK)
	visit("partnership, open")
	j.click(tb, `a[href$="/comparison?round=1"]`, http.StatusOK)
	visit("comparison")
	if got := j.text(tb, "#board-heading"); got != "Crynodeb i’r bwrdd" {
		j.fatalf(tb, "comparison: board summary heading %q", got)
	}
	if errs := tb.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
	t.Logf("checked in Welsh: %s", strings.Join(j.checked, ", "))
}

func TestContainsPhrase(t *testing.T) {
	tests := []struct {
		text, phrase string
		want         bool
	}{
		{"Your council’s report", "council", true},
		{"Ask a councillor", "council", false},
		{"councillors and the council", "council", true},
		{"Ymunwch â’r bartneriaeth", "partner", false},
		{"Check answers.", "Check answers", true},
		{"", "report", false},
	}
	for _, tc := range tests {
		if got := containsPhrase(tc.text, tc.phrase); got != tc.want {
			t.Errorf("containsPhrase(%q, %q) = %v, want %v", tc.text, tc.phrase, got, tc.want)
		}
	}
}
