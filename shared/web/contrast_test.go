package web_test

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The contrast test reads the colours of the chart, the tags and the
// patterns from the compiled stylesheet and computes their WCAG contrast
// ratio: 4.5:1 for text (success criterion 1.4.3) and 3:1 for the parts of
// a graphic needed to understand it (1.4.11). The formula is WCAG 2.2's
// relative luminance (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance)
// and contrast ratio (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio).
// axe-core marks these "incomplete": it cannot see through gradients.

const compiledCSS = "static/dist/app.css"

type rgba struct{ r, g, b, a float64 }

// over blends a translucent colour onto an opaque background.
func (c rgba) over(bg rgba) rgba {
	return rgba{c.r*c.a + bg.r*(1-c.a), c.g*c.a + bg.g*(1-c.a), c.b*c.a + bg.b*(1-c.a), 1}
}

func (c rgba) String() string {
	return fmt.Sprintf("#%02x%02x%02x", int(math.Round(c.r*255)), int(math.Round(c.g*255)), int(math.Round(c.b*255)))
}

func luminance(c rgba) float64 {
	lin := func(v float64) float64 {
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

func contrast(a, b rgba) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

var colourRE = regexp.MustCompile(`#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)|\b(?:white|black|transparent)\b`)

// colours are the colours in a declaration's value, in order; transparent
// ones are left out (they show the background).
func colours(t *testing.T, value string) []rgba {
	t.Helper()
	var out []rgba
	for _, tok := range colourRE.FindAllString(value, -1) {
		c, ok := parseColour(tok)
		if !ok {
			t.Fatalf("cannot read colour %q in %q", tok, value)
		}
		if c.a > 0 {
			out = append(out, c)
		}
	}
	return out
}

func parseColour(s string) (rgba, bool) {
	switch s {
	case "white":
		return rgba{1, 1, 1, 1}, true
	case "black":
		return rgba{0, 0, 0, 1}, true
	case "transparent":
		return rgba{}, true
	}
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 || len(h) == 4 {
			var b strings.Builder
			for _, c := range h {
				b.WriteString(strings.Repeat(string(c), 2))
			}
			h = b.String()
		}
		if len(h) == 6 {
			h += "ff"
		}
		if len(h) != 8 {
			return rgba{}, false
		}
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return rgba{}, false
		}
		return rgba{float64(v>>24&255) / 255, float64(v>>16&255) / 255, float64(v>>8&255) / 255, float64(v&255) / 255}, true
	}
	inner := s[strings.Index(s, "(")+1 : len(s)-1]
	parts := strings.FieldsFunc(inner, func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
	if len(parts) < 3 {
		return rgba{}, false
	}
	c := rgba{a: 1}
	for i, p := range parts[:min(len(parts), 4)] {
		v, err := strconv.ParseFloat(strings.TrimSuffix(p, "%"), 64)
		if err != nil {
			return rgba{}, false
		}
		if strings.HasSuffix(p, "%") {
			v /= 100
		} else if i < 3 {
			v /= 255
		}
		switch i {
		case 0:
			c.r = v
		case 1:
			c.g = v
		case 2:
			c.b = v
		case 3:
			c.a = v
		}
	}
	return c, true
}

// stylesheet maps each selector to its declarations, later rules winning,
// as in the cascade for rules of equal specificity. At-rule blocks (media
// queries) are read as if they applied: print styles must pass too.
type stylesheet map[string]map[string]string

func parseCSS(css string) stylesheet {
	sheet := stylesheet{}
	var walk func(s string)
	walk = func(s string) {
		for {
			open := strings.IndexByte(s, '{')
			if open < 0 {
				return
			}
			prelude := strings.TrimSpace(s[:open])
			if i := strings.LastIndexAny(prelude, ";}"); i >= 0 {
				prelude = strings.TrimSpace(prelude[i+1:])
			}
			depth, end := 0, -1
			for i := open; i < len(s); i++ {
				switch s[i] {
				case '{':
					depth++
				case '}':
					depth--
				}
				if depth == 0 {
					end = i
					break
				}
			}
			if end < 0 {
				return
			}
			body := s[open+1 : end]
			if strings.HasPrefix(prelude, "@") {
				walk(body)
			} else {
				for _, sel := range strings.Split(prelude, ",") {
					sel = strings.TrimSpace(sel)
					if sheet[sel] == nil {
						sheet[sel] = map[string]string{}
					}
					for _, decl := range strings.Split(body, ";") {
						k, v, ok := strings.Cut(decl, ":")
						if ok {
							sheet[sel][strings.TrimSpace(k)] = strings.TrimSpace(strings.TrimSuffix(v, "!important"))
						}
					}
				}
			}
			s = s[end+1:]
		}
	}
	walk(css)
	return sheet
}

// colour is the one colour of a selector's property (the first, for a
// border shorthand); missing is a failure, so renaming a class in the
// stylesheet cannot pass unnoticed.
func (s stylesheet) colour(t *testing.T, sel, prop string) rgba {
	t.Helper()
	cs := s.colours(t, sel, prop)
	if len(cs) == 0 {
		t.Fatalf("%s has no colour in %s", sel, prop)
	}
	return cs[0]
}

func (s stylesheet) colours(t *testing.T, sel, prop string) []rgba {
	t.Helper()
	decls, ok := s[sel]
	if !ok {
		t.Fatalf("the stylesheet has no rule for %s", sel)
	}
	v, ok := decls[prop]
	if !ok {
		t.Fatalf("%s has no %s", sel, prop)
	}
	return colours(t, v)
}

// background is every colour a text can sit on: the background colour and
// each colour of a pattern (blended onto the background when translucent).
func (s stylesheet) background(t *testing.T, sel string) []rgba {
	t.Helper()
	white := rgba{1, 1, 1, 1}
	base := white
	decls := s[sel]
	if decls == nil {
		t.Fatalf("the stylesheet has no rule for %s", sel)
	}
	for _, prop := range []string{"background-color", "background"} {
		if v, ok := decls[prop]; ok {
			if cs := colours(t, v); len(cs) > 0 {
				base = cs[0].over(white)
			}
		}
	}
	out := []rgba{base}
	if v, ok := decls["background-image"]; ok {
		for _, c := range colours(t, v) {
			out = append(out, c.over(base))
		}
	}
	return out
}

func TestContrast(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(compiledCSS)
	if err != nil {
		t.Skipf("%s is not built (make css): %v", compiledCSS, err)
	}
	css := parseCSS(string(b))
	white := rgba{1, 1, 1, 1}
	type pair struct {
		what   string
		fg, bg rgba
		min    float64
	}
	var pairs []pair
	text := func(what string, fg rgba, bgs ...rgba) {
		for _, bg := range bgs {
			pairs = append(pairs, pair{what, fg, bg, 4.5})
		}
	}
	graphic := func(what string, fg rgba, bgs ...rgba) {
		for _, bg := range bgs {
			pairs = append(pairs, pair{what, fg, bg, 3})
		}
	}

	// Tags: every GOV.UK tag colour in the stylesheet, and our bands.
	var tags []string
	for sel := range css {
		if regexp.MustCompile(`^\.govuk-tag--[a-z]+$`).MatchString(sel) {
			tags = append(tags, sel)
		}
	}
	sort.Strings(tags)
	if len(tags) < 5 {
		t.Fatalf("found %d GOV.UK tag colours in the stylesheet, want the usual ten", len(tags))
	}
	for _, sel := range tags {
		text(sel, css.colour(t, sel, "color"), css.background(t, sel)...)
	}
	band := css.colour(t, ".rasp-band", "color")
	text(".rasp-band--strength", css.colour(t, ".rasp-band--strength", "color"), css.background(t, ".rasp-band--strength")...)
	text(".rasp-band--developing", band, css.background(t, ".rasp-band--developing")...)
	text(".rasp-band--weakness", band, css.background(t, ".rasp-band--weakness")...)

	// The comparison's heat-map: the score is printed on each cell.
	for _, sel := range []string{".rasp-heat--0", ".rasp-heat--1", ".rasp-heat--2", ".rasp-heat--3", ".rasp-heat--4", ".rasp-heat--unknown"} {
		text(sel, css.colour(t, sel, "color"), css.background(t, sel)...)
	}

	// The report's chart: its text on the page, then its graphics.
	text(".rasp-chart__label", css.colour(t, ".rasp-chart__label", "color"), white)
	text(".rasp-chart__axis", css.colour(t, ".rasp-chart__axis", "color"), white)
	track := css.colour(t, ".rasp-chart__track", "background-color")
	grid := css.colours(t, ".rasp-chart__track", "background-image")
	graphic("chart track border on the page", css.colour(t, ".rasp-chart__track", "border"), white, track)
	for _, g := range grid {
		graphic("chart grid line on the track", g, track)
	}
	edge := css.colour(t, ".rasp-chart__bar", "border")
	graphic("bar edge on the track", edge, track)
	strength := css.colour(t, ".rasp-chart__bar--strength", "background")
	graphic("strength bar on the track", strength, track)
	dev := css.background(t, ".rasp-chart__bar--developing")
	graphic("developing stripe on its ground", dev[1], dev[0])
	weak := css.background(t, ".rasp-chart__bar--weakness")
	graphic("weakness dot on its ground", weak[1], weak[0])
	target := css.colour(t, ".rasp-chart__target", "border-left")
	graphic("target line over the track and every bar", target, track, strength, dev[0], dev[1], weak[0], weak[1])
	graphic("key swatch edge on the page", css.colour(t, ".rasp-chart__swatch", "border"), white)
	graphic("key target on the page", css.colour(t, ".rasp-chart__swatch--target", "border-left"), white)

	var report strings.Builder
	for _, p := range pairs {
		r := contrast(p.fg, p.bg)
		fmt.Fprintf(&report, "%-48s %s on %s %5.2f:1 (at least %.1f)\n", p.what, p.fg, p.bg, r, p.min)
		if r < p.min {
			t.Errorf("%s: %s on %s is %.2f:1, want at least %.1f:1", p.what, p.fg, p.bg, r, p.min)
		}
	}
	t.Logf("%d colour pairs:\n%s", len(pairs), report.String())
}

// TestContrastFormula checks the formula against ratios WCAG's own
// examples and tools give: black on white is 21:1, and on white #767676 is
// the lightest grey that passes 4.5:1 (4.54:1) while #777 fails (4.48:1).
func TestContrastFormula(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fg, bg string
		want   float64
	}{
		{"#000", "#fff", 21},
		{"#777", "#ffffff", 4.48},
		{"#767676", "white", 4.54},
		{"rgba(0,0,0,0)", "#fff", 1},
	} {
		fg, _ := parseColour(tc.fg)
		bg, _ := parseColour(tc.bg)
		if got := contrast(fg.over(bg), bg); math.Abs(got-tc.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.2f, want %.2f", tc.fg, tc.bg, got, tc.want)
		}
	}
	sheet := parseCSS(`.a{color:#111}@media print{.a,.b{color:rgba(10,20,30,.5)!important}}`)
	if got := sheet[".b"]["color"]; got != "rgba(10,20,30,.5)" {
		t.Errorf("parseCSS: .b color = %q", got)
	}
}
