package web

import (
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template/parse"
)

// untranslatedFile lists the templates still holding English written into
// the template instead of taken from the catalogues. The list may only
// shrink: a template not on it that gains a literal fails, and so does a
// listed template that no longer has one (take it off the list).
const untranslatedFile = "testdata/untranslated-templates.txt"

var (
	tagRE = regexp.MustCompile(`(?s)<!--.*?-->|<[^>]*>`)
	// readable are the attributes a reader hears or sees.
	readableRE = regexp.MustCompile(`(?i)\b(?:alt|title|aria-label|placeholder)="([^"]*)"`)
	entityRE   = regexp.MustCompile(`&#?[A-Za-z0-9]+;`)
	wordRE     = regexp.MustCompile(`\p{L}{2,}`)
)

// literalWords returns the words a reader would meet in a template's own
// text (not in its actions): text between tags, readable attribute values,
// and the quoted choices of cond and plural.
func literalWords(t *testing.T, name, text string, allow []string) []string {
	t.Helper()
	tree := parse.New(name)
	tree.Mode = parse.SkipFuncCheck | parse.ParseComments
	trees := map[string]*parse.Tree{}
	if _, err := tree.Parse(text, "{{", "}}", trees); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	// The text is flattened first, each action standing as a space, so
	// that a tag with actions inside its attributes is still one tag.
	var flat strings.Builder
	var out []string
	words := func(s string) {
		for _, a := range allow {
			s = strings.ReplaceAll(s, a, " ")
		}
		out = append(out, wordRE.FindAllString(s, -1)...)
	}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.TextNode:
			flat.Write(n.Text)
		case *parse.ActionNode:
			flat.WriteString(" ")
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			if id, ok := n.Args[0].(*parse.IdentifierNode); ok && (id.Ident == "cond" || id.Ident == "plural") {
				for _, a := range n.Args[1:] {
					if s, ok := a.(*parse.StringNode); ok {
						words(s.Text)
					}
				}
			}
			for _, a := range n.Args {
				if p, ok := a.(*parse.PipeNode); ok {
					walk(p)
				}
			}
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			flat.WriteString(" ")
			walk(n.Pipe)
		}
	}
	for _, tr := range trees {
		walk(tr.Root)
		flat.WriteString(" ")
	}
	s := flat.String()
	for _, m := range readableRE.FindAllStringSubmatch(s, -1) {
		words(m[1])
	}
	words(entityRE.ReplaceAllString(tagRE.ReplaceAllString(s, " "), " "))
	return out
}

// ReadList is readList for the external web_test package, whose Welsh
// page checks read the same allow-list (testdata/welsh-allow.txt).
var ReadList = readList

// readList is a list file's lines, without blank lines and # comments.
func readList(t *testing.T, file string) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// TestNoEnglishWrittenIntoTemplates fails on a word of text written into a
// page template instead of taken from the catalogues, where a Welsh reader
// would meet it in English. Names, acronyms and the other language's name
// are in testdata/welsh-allow.txt.
func TestNoEnglishWrittenIntoTemplates(t *testing.T) {
	allow := readList(t, "testdata/welsh-allow.txt")
	known := readList(t, untranslatedFile)
	var seen []string
	err := fs.WalkDir(templateFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := fs.ReadFile(templateFS, p)
		if err != nil {
			return err
		}
		seen = append(seen, p)
		got := literalWords(t, p, string(b), allow)
		switch listed := slices.Contains(known, p); {
		case len(got) > 0 && !listed:
			t.Errorf("%s has English written into it, not taken from the catalogues: %q", p, slices.Compact(got))
		case len(got) == 0 && listed:
			t.Errorf("%s has no English written into it any more: take it off %s", p, untranslatedFile)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range known {
		if !slices.Contains(seen, k) {
			t.Errorf("%s lists %s, which is not a template", untranslatedFile, k)
		}
	}
}

// TestLiteralWordsFindsText keeps the scanner honest: each case holds
// English a Welsh reader would meet, or none.
func TestLiteralWordsFindsText(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"text between tags", `<p class="govuk-body">Your report</p>`, []string{"Your", "report"}},
		{"readable attribute", `<img alt="Chart of scores" src="x.png">`, []string{"Chart", "of", "scores"}},
		{"inside if", `{{if .X}}<span>Done</span>{{else}}{{t "k"}}{{end}}`, []string{"Done"}},
		{"plural choices", `{{plural .N "council" "councils"}}`, []string{"council", "councils"}},
		{"catalogue only", `<p class="govuk-body">{{t "report.title" "Name" .Name}}</p>`, nil},
		{"entities and markup", `<span aria-hidden="true">&rarr;</span> {{.X}} &ndash; 3`, nil},
		{"allowed name", `<abbr>RASP</abbr>`, nil},
		{"comment", `<!-- why this is here -->{{/* and this */}}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := literalWords(t, tc.name, tc.text, []string{"RASP"}); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
