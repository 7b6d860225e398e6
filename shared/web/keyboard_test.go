package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focused is the element that has the keyboard focus, and whether its
// focus indicator shows: GOV.UK draws it as an outline, a box shadow or the
// yellow focus background; a radio's on its label's ::before.
type focused struct {
	Tag, ID, Name, Type, Text, Href string
	Checked, Visible, OnScreen      bool
}

func (f focused) String() string {
	s := f.Tag
	if f.ID != "" {
		s += "#" + f.ID
	}
	if f.Href != "" {
		s += "[" + f.Href + "]"
	}
	if f.Text != "" {
		s += " " + fmt.Sprintf("%q", f.Text)
	}
	return s
}

const focusedJS = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body) return {Tag: "body"};
	const shows = s => (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && !/rgba\(0, 0, 0, 0\)|transparent/.test(s.outlineColor)) ||
		(s.boxShadow && s.boxShadow !== "none") || s.backgroundColor === "rgb(255, 221, 0)";
	let visible = shows(getComputedStyle(el));
	let box = el.getBoundingClientRect();
	if ((el.type === "radio" || el.type === "checkbox") && el.labels && el.labels[0]) {
		visible = shows(getComputedStyle(el.labels[0], "::before"));
		box = el.labels[0].getBoundingClientRect();
	}
	return {Tag: el.tagName.toLowerCase(), ID: el.id, Name: el.name || "", Type: el.type || "", Checked: !!el.checked,
		Text: (el.innerText || el.value || "").trim().replace(/\s+/g, " ").slice(0, 60), Href: el.getAttribute("href") || "",
		Visible: visible, OnScreen: box.width > 0 && box.height > 0};
})()`

// keyboard walks pages with the Tab key alone, as someone who cannot use
// a mouse would, and notes every stop whose focus does not show.
type keyboard struct {
	*journey
	tb       *tab
	problems []string
	stops    map[string][]string // page → the stops in Tab order
	page     string
}

func (k *keyboard) on(page string) { k.page = page }

// next presses Tab and returns the stop it lands on.
func (k *keyboard) next() focused {
	k.t.Helper()
	var f focused
	k.run(k.tb, chromedp.KeyEvent(kb.Tab))
	k.eval(k.tb, focusedJS, &f)
	if f.Tag == "body" {
		return f
	}
	k.stops[k.page] = append(k.stops[k.page], f.String())
	if !f.Visible || !f.OnScreen {
		k.problems = append(k.problems, fmt.Sprintf("%s: focus on %s does not show (visible %v, on screen %v)", k.page, f, f.Visible, f.OnScreen))
	}
	return f
}

// until tabs to the first stop that match accepts, acting on the stops on
// the way (typing into a field, choosing a radio), and fails after limit.
func (k *keyboard) until(limit int, match func(focused) bool, act func(focused)) {
	k.t.Helper()
	for range limit {
		f := k.next()
		if match(f) {
			return
		}
		if act != nil {
			act(f)
		}
	}
	k.fatalf(k.tb, "%s: no matching stop after %d presses of Tab: %s", k.page, limit, strings.Join(k.stops[k.page], " → "))
}

// press presses a key that leads to another page.
func (k *keyboard) press(key string, status int) {
	k.t.Helper()
	k.navigate(k.tb, status, chromedp.KeyEvent(key))
}

func (k *keyboard) typeText(s string) { k.t.Helper(); k.run(k.tb, chromedp.KeyEvent(s)) }

func href(suffix string) func(focused) bool {
	return func(f focused) bool { return f.Tag == "a" && strings.HasSuffix(f.Href, suffix) }
}

func submitButton(f focused) bool {
	return f.Tag == "button" && f.Type == "submit"
}

// TestKeyboardWalk goes from the start page through an area, the report
// and sharing it read-only with the keyboard alone: the first stop is the
// skip link, every stop's focus shows, and each step is reached by Tab and
// taken by Enter or Space.
func TestKeyboardWalk(t *testing.T) {
	axe := needBrowser(t)
	t.Parallel()
	e := newEnv(t)
	browser := newBrowser(t, 1280)
	k := &keyboard{journey: &journey{t: t, base: e.url, axe: axe, weights: map[string][2]int{}}, tb: newTab(t, browser, "keyboard", false), stops: map[string][]string{}}

	k.on("start")
	k.open(k.tb, "/", http.StatusOK)
	if f := k.next(); f.Href != "#main-content" {
		t.Errorf("first Tab stop on the start page: %s, want the skip link", f)
	}
	k.until(40, href("/assessments/new"), nil)
	k.press(kb.Enter, http.StatusOK)

	k.on("new assessment")
	values := map[string]string{"council": "Keyboard Council", "name": "Kim Keys", "role": "Programme manager"}
	chosen := map[string]bool{}
	k.until(60, submitButton, func(f focused) {
		if v, ok := values[f.ID]; ok {
			k.typeText(v)
		}
		if f.Type == "radio" && !chosen[f.Name] {
			k.run(k.tb, chromedp.KeyEvent(" "))
			chosen[f.Name] = true
		}
	})
	k.press(kb.Enter, http.StatusOK)

	k.on("private link")
	k.until(30, func(f focused) bool { return f.Tag == "a" && strings.Contains(f.Text, "Continue") }, nil)
	k.press(kb.Enter, http.StatusOK)
	id := idFromURL(k.location(k.tb))

	// Every area, answered from the keyboard: Space chooses the first
	// level of each question Tab reaches.
	for a := range library().Current().Areas {
		k.on("task list")
		k.until(40, func(f focused) bool {
			return f.Tag == "a" && strings.Contains(f.Href, "/areas/") && !strings.Contains(k.doneAreas(), f.Href)
		}, nil)
		k.press(kb.Enter, http.StatusOK)
		k.on(fmt.Sprintf("area %d", a+1))
		chosen := map[string]bool{}
		k.until(200, func(f focused) bool { return submitButton(f) && strings.Contains(f.Text, "Save and continue") }, func(f focused) {
			if f.Type == "radio" && !chosen[f.Name] {
				k.run(k.tb, chromedp.KeyEvent(" "))
				chosen[f.Name] = true
			}
		})
		k.press(kb.Enter, http.StatusOK)
	}
	k.on("task list, all done")
	k.until(60, href("/check"), nil)
	k.press(kb.Enter, http.StatusOK)
	k.on("check answers")
	k.until(400, submitButton, nil)
	k.press(kb.Enter, http.StatusOK)

	k.on("report")
	if !strings.HasSuffix(k.location(k.tb), "/assessments/"+id+"/report") {
		k.fatalf(k.tb, "after submitting: at %s, want the report", k.location(k.tb))
	}
	k.until(400, href("/share"), nil)
	k.press(kb.Enter, http.StatusOK)

	k.on("share report")
	// The skip link takes the next Tab past the header and the back link,
	// into the form.
	if f := k.next(); f.Href != "#main-content" {
		t.Errorf("first Tab stop on the share page: %s, want the skip link", f)
	}
	k.run(k.tb, chromedp.KeyEvent(kb.Enter))
	if f := k.next(); f.ID != "label" {
		t.Errorf("after the skip link, Tab lands on %s, want the first field of the form", f)
	}
	k.typeText("Audit committee")
	k.until(10, submitButton, nil)
	k.press(kb.Enter, http.StatusOK)
	k.on("read-only link made")
	k.until(20, func(f focused) bool { return f.Tag == "a" && strings.Contains(f.Text, "Back to the live links") }, nil)
	k.press(kb.Enter, http.StatusOK)
	k.on("share report with a live link")
	k.until(40, func(f focused) bool { return submitButton(f) && strings.HasPrefix(f.Text, "Revoke") }, nil)
	k.press(kb.Enter, http.StatusOK)
	if got := k.text(k.tb, "main"); !strings.Contains(got, "The link is revoked") {
		t.Errorf("after revoking from the keyboard: %q", got)
	}

	for _, page := range []string{"start", "new assessment", "area 1", "report", "share report", "share report with a live link"} {
		t.Logf("Tab order, %s: %s", page, strings.Join(k.stops[page], " → "))
	}
	for _, p := range k.problems {
		t.Error(p)
	}
}

// doneAreas is the text of the task list's completed rows, to skip them.
func (k *keyboard) doneAreas() string {
	var s string
	k.eval(k.tb, `[...document.querySelectorAll(".govuk-task-list__item")].filter(li => /Completed/.test(li.innerText)).map(li => (li.querySelector("a")||{}).getAttribute ? li.querySelector("a").getAttribute("href") : "").join(" ")`, &s)
	return s
}
