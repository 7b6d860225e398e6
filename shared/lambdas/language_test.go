package lambdas_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/locale"
)

// GET /api/questions answers in the reader's language (Accept-Language),
// says which (Content-Language), varies on it, and tags each language's
// representation with its own ETag.
func TestQuestionsInWelsh(t *testing.T) {
	t.Parallel()
	lib := library(t)
	if !lib.Current().HasLanguage(locale.Welsh) {
		t.Fatalf("the current bank %s has no Welsh", lib.Current().Version)
	}
	e := newEnv(t)
	cyBank := lib.Current().In(locale.Welsh)

	get := func(headers ...string) (response, api.QuestionBank) {
		t.Helper()
		r := e.do("GET", "/api/questions", "", nil, headers...)
		if r.status != http.StatusOK && r.status != http.StatusNotModified {
			t.Fatalf("GET /api/questions %v: %d %s", headers, r.status, r.body)
		}
		var qb api.QuestionBank
		if r.status == http.StatusOK {
			if err := json.Unmarshal(r.body, &qb); err != nil {
				t.Fatal(err)
			}
		}
		return r, qb
	}

	en, enBank := get()
	cy, welsh := get("Accept-Language", "cy-GB, cy;q=0.9, en;q=0.5")
	fallback, _ := get("Accept-Language", "fr-FR, de")
	for _, c := range []struct {
		name, got, want string
	}{
		{"English Content-Language", en.header.Get("Content-Language"), "en-GB"},
		{"Welsh Content-Language", cy.header.Get("Content-Language"), "cy"},
		{"French falls back to English", fallback.header.Get("Content-Language"), "en-GB"},
		{"English Vary", en.header.Get("Vary"), "Accept-Language, Accept-Encoding"},
		{"Welsh Vary", cy.header.Get("Vary"), "Accept-Language, Accept-Encoding"},
		{"English first area", enBank.Areas[0].Title, lib.Current().Areas[0].Title},
		{"Welsh first area", welsh.Areas[0].Title, "Gweledigaeth a rennir"},
		{"Welsh form title", welsh.Forms[1].Title, "Cyfathrebu"},
		{"Welsh first question", welsh.Areas[0].Questions[0].Text, cyBank.Areas[0].Questions[0].Text},
		{"Welsh level 4", welsh.Areas[1].Questions[2].Levels[4], cyBank.Areas[1].Questions[2].Levels[4]},
		{"Welsh form", welsh.Forms[5].Compromise, cyBank.Forms[5].Compromise},
		{"same ids", welsh.Areas[4].Questions[3].ID, enBank.Areas[4].Questions[3].ID},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if welsh.Areas[0].Title == enBank.Areas[0].Title || welsh.Areas[0].Questions[0].Guidance == enBank.Areas[0].Questions[0].Guidance {
		t.Errorf("Welsh reply has English text: %q", welsh.Areas[0].Title)
	}
	if welsh.Version != enBank.Version || len(welsh.Areas) != len(enBank.Areas) || welsh.Areas[2].Questions[1].Weight != enBank.Areas[2].Questions[1].Weight {
		t.Error("the Welsh reply must have the English reply's version, areas and weights")
	}

	enTag, cyTag := en.header.Get("ETag"), cy.header.Get("ETag")
	if enTag == "" || cyTag == "" || strings.TrimSuffix(enTag, `-gzip"`) == strings.TrimSuffix(cyTag, `-gzip"`) {
		t.Fatalf("ETags: en %s, cy %s; want one per language", enTag, cyTag)
	}
	if r, _ := get("Accept-Language", "cy", "If-None-Match", cyTag); r.status != http.StatusNotModified {
		t.Errorf("Welsh with the Welsh ETag: %d, want 304", r.status)
	}
	if r, qb := get("If-None-Match", cyTag); r.status != http.StatusOK || qb.Areas[0].Title != enBank.Areas[0].Title {
		t.Errorf("English with the Welsh ETag: %d, want 200 with the English text", r.status)
	}
	if r, _ := get("Accept-Language", "cy", "If-None-Match", enTag); r.status != http.StatusOK {
		t.Errorf("Welsh with the English ETag: %d, want 200", r.status)
	}

	// v1 has no Welsh: it answers in English and says so.
	r := e.do("GET", "/api/questions?version=v1", "", nil, "Accept-Language", "cy")
	var old api.QuestionBank
	r.json(t, &old)
	v1en, _ := lib.Get("v1")
	if r.header.Get("Content-Language") != "en-GB" || old.Areas[0].Title != v1en.Areas[0].Title {
		t.Errorf("v1 asked for in Welsh: Content-Language %q, title %q; want en-GB and the English", r.header.Get("Content-Language"), old.Areas[0].Title)
	}
	if !slices.Equal(old.Languages, []string{"en"}) || !slices.Equal(welsh.Languages, []string{"en", "cy"}) {
		t.Errorf("languages: v1 %v, v2 %v; want [en] and [en cy]", old.Languages, welsh.Languages)
	}
}
