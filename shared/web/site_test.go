package web

import (
	"testing"

	"github.com/openrasp/rasp/shared/locale"
)

// TestEveryPageParses parses every page template in every language, as
// New no longer does (pages are parsed on first use, issue 22): a broken
// template fails here, not when someone first opens its page.
func TestEveryPageParses(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range locale.Supported {
		if got := len(s.byLang[l].pages); got != 0 {
			t.Errorf("%s: %d pages parsed by New, want 0 (parsed on first use)", l, got)
		}
	}
	if len(s.names) < 40 {
		t.Fatalf("%d page templates found, want every file of templates/pages", len(s.names))
	}
	if err := s.parseAll(); err != nil {
		t.Fatal(err)
	}
	for _, l := range locale.Supported {
		for name := range s.names {
			tpl, err := s.template(l, name)
			if err != nil {
				t.Fatal(err)
			}
			if tpl.Lookup("layout") == nil || tpl.Lookup("content") == nil {
				t.Errorf("%s %s: want the layout and the page's content defined", l, name)
			}
			if again, _ := s.template(l, name); again != tpl {
				t.Errorf("%s %s: parsed twice, want the first parse reused", l, name)
			}
		}
	}
	if _, err := s.template(locale.English, "no-such-page"); err == nil {
		t.Error("template(no-such-page): want an error")
	}
}

// BenchmarkColdSite is the web function's share of a cold start: New and
// the first page it renders (docs/performance.md).
func BenchmarkColdSite(b *testing.B) {
	for b.Loop() {
		s, err := New(Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.template(locale.English, "start"); err != nil {
			b.Fatal(err)
		}
	}
}
