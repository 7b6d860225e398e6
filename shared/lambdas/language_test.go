package lambdas_test

import (
	"io/fs"
	"path"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	"encoding/json"
	"github.com/openrasp/rasp/questions"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/locale"
)

// GET /api/questions answers in the reader's language (Accept-Language),
// says which (Content-Language), varies on it, and tags each language's
// representation with its own ETag.
func TestQuestionsInWelsh(t *testing.T) {
	t.Parallel()
	lib := withWelsh(t)
	if !lib.Current().HasLanguage(locale.Welsh) {
		t.Fatalf("the current bank %s has no Welsh", lib.Current().Version)
	}
	e := newEnvOnBank(t, ddbtest.NewTable(t), lib, nil)
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
		{"Welsh first area", welsh.Areas[0].Title, cyBank.Areas[0].Title},
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

// withWelsh is the embedded bank with a stand-in Welsh for v2: each English
// text marked "Cy: ", until the real translation lands.
func withWelsh(t *testing.T) *bank.Library {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(questions.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(questions.FS, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cy := func(s any) string { return "Cy: " + s.(string) }
	for name, f := range fsys {
		dir, file := path.Split(name)
		if dir != "v2/" {
			continue
		}
		var in map[string]any
		if err := yaml.Unmarshal(f.Data, &in); err != nil {
			t.Fatal(err)
		}
		out := map[string]any{}
		switch file {
		case "bank.yaml":
			var roles []any
			for _, r := range in["respondents"].(map[string]any)["roles"].([]any) {
				r := r.(map[string]any)
				roles = append(roles, map[string]any{"id": r["id"], "label": cy(r["label"])})
			}
			out["roles"] = roles
		case "forms.yaml":
			var forms []any
			for _, f := range in["forms"].([]any) {
				f := f.(map[string]any)
				forms = append(forms, map[string]any{"id": f["id"], "title": cy(f["title"]), "description": cy(f["description"]),
					"compromise": cy(f["compromise"]), "benefit": cy(f["benefit"])})
			}
			out["forms"] = forms
		default:
			out["id"], out["title"], out["description"] = in["id"], cy(in["title"]), cy(in["description"])
			var qs []any
			for _, q := range in["questions"].([]any) {
				q := q.(map[string]any)
				tq := map[string]any{"id": q["id"], "text": cy(q["text"]), "guidance": cy(q["guidance"])}
				var levels, prompts []string
				for _, l := range q["levels"].([]any) {
					levels = append(levels, cy(l))
				}
				tq["levels"] = levels
				if ps, ok := q["prompts"].([]any); ok {
					for _, p := range ps {
						prompts = append(prompts, cy(p))
					}
					tq["prompts"] = prompts
				}
				if m, ok := q["may_not_apply"].(map[string]any); ok {
					tq["may_not_apply"] = map[string]any{"when": cy(m["when"])}
				}
				if as, ok := q["actions"].(map[string]any); ok {
					actions := map[string]any{}
					for band, a := range as {
						a := a.(map[string]any)
						actions[band] = map[string]any{"do": cy(a["do"]), "evidence": cy(a["evidence"])}
					}
					tq["actions"] = actions
				}
				qs = append(qs, tq)
			}
			out["questions"] = qs
		}
		data, err := yaml.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		fsys["v2/cy/"+file] = &fstest.MapFile{Data: data}
	}
	l, err := bankyaml.LoadLibrary(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
