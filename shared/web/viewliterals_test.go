package web

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// englishInGoFile lists the literals of the web package's Go that look like
// words a reader would meet but are not: each with why. The list may only
// shrink: a literal not on it fails, and so does a listed one no longer
// found (take it off the list).
const englishInGoFile = "testdata/english-in-go.txt"

// codeLike is a literal that is a name for the code, not for a reader: an
// identifier, a catalogue key, a CSS class or a path, a camelCase field
// name, a CSS url() of a pattern; or one with no word at all (a format like
// "%s → %s").
var codeLike = regexp.MustCompile(`^[a-z0-9._/#?=&{}:%*+\-\[\]]*$|^[a-z]+(?:[A-Z0-9][a-z0-9]*)+$|^[a-z]+(?:\.[A-Za-z0-9]+)+$|^url\(#[a-z-]+\)$`)

// wordsIn reports whether s holds words a reader would read: a word of two
// letters or more once the allowed names are taken out, and not code.
func wordsIn(s string, allow []string) bool {
	if codeLike.MatchString(s) {
		return false
	}
	for _, a := range allow {
		s = strings.ReplaceAll(s, a, " ")
	}
	return wordRE.MatchString(s)
}

// viewLiteral is a literal found, as the allow-list names it: the file's
// base name and the literal quoted as Go would.
type viewLiteral struct{ file, text string }

func (v viewLiteral) String() string { return v.file + ": " + strconv.Quote(v.text) }

// viewLiterals finds the string literals of f that would reach a page as
// written: a field of one of the package's own types (a view, a row, an
// option), a value set on a field, a function's result, a form error
// (add) and a text appended to a list; looking through concatenation and
// fmt.Sprint's family, but not into other calls, whose literal arguments
// are catalogue keys, placeholder names and route names. Errors for the
// log (fmt.Errorf, errors.New) are not for a reader; the domain's messages
// (failure.*) are httpapi's TestEveryDomainMessageHasItsWelsh.
func viewLiterals(fset *token.FileSet, f *ast.File, allow []string) []viewLiteral {
	var out []viewLiteral
	file := filepath.Base(fset.Position(f.Pos()).Filename)
	var text func(e ast.Expr)
	text = func(e ast.Expr) {
		switch e := e.(type) {
		case *ast.BasicLit:
			if s, err := strconv.Unquote(e.Value); err == nil && e.Kind == token.STRING && wordsIn(s, allow) {
				out = append(out, viewLiteral{file, s})
			}
		case *ast.BinaryExpr:
			if e.Op == token.ADD { // not a comparison
				text(e.X)
				text(e.Y)
			}
		case *ast.ParenExpr:
			text(e.X)
		case *ast.KeyValueExpr:
			text(e.Value)
		case *ast.CallExpr:
			if sel, ok := e.Fun.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "fmt" && strings.HasPrefix(sel.Sel.Name, "Sprint") {
					for _, a := range e.Args {
						text(a)
					}
				}
			}
		}
	}
	local := func(t ast.Expr) bool {
		switch t := t.(type) {
		case nil, *ast.Ident: // nil: a type left out inside a literal
			return true
		case *ast.ArrayType:
			_, ok := t.Elt.(*ast.Ident)
			return ok
		case *ast.MapType:
			_, ok := t.Value.(*ast.Ident)
			return ok
		}
		return false
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			if local(n.Type) {
				for _, e := range n.Elts {
					text(e)
				}
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if _, ok := l.(*ast.SelectorExpr); ok && i < len(n.Rhs) {
					text(n.Rhs[i])
				}
			}
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				text(r)
			}
		case *ast.CallExpr:
			switch fn := n.Fun.(type) {
			case *ast.SelectorExpr:
				if fn.Sel.Name == "add" && len(n.Args) == 2 {
					text(n.Args[1])
				}
			case *ast.Ident:
				if fn.Name == "append" {
					for _, a := range n.Args[1:] {
						text(a)
					}
				}
			}
		}
		return true
	})
	return out
}

// TestNoEnglishWrittenIntoViews fails on words written into the web
// package's Go for a page (a label, a status, a form error) instead of
// taken from the catalogues, where a Welsh reader would meet them in
// English. TestNoEnglishWrittenIntoTemplates does the same for templates.
func TestNoEnglishWrittenIntoViews(t *testing.T) {
	allow := readList(t, "testdata/welsh-allow.txt")
	var known []viewLiteral
	for _, l := range readList(t, englishInGoFile) {
		file, lit, ok := strings.Cut(strings.SplitN(l, " #", 2)[0], ": ")
		s, err := strconv.Unquote(strings.TrimSpace(lit))
		if !ok || err != nil {
			t.Fatalf("%s: %q is not file.go: \"literal\" # why", englishInGoFile, l)
		}
		known = append(known, viewLiteral{file, s})
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var seen []viewLiteral
	for _, p := range files {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, viewLiterals(fset, f, allow)...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d files scanned: is the scan right?", len(files))
	}
	for _, v := range seen {
		if !slices.Contains(known, v) {
			t.Errorf("%s is English written into the Go for a page: take it from the catalogues (tr, tl)", v)
		}
	}
	for _, k := range known {
		if !slices.Contains(seen, k) {
			t.Errorf("%s is listed in %s but not found any more: take it off the list", k, englishInGoFile)
		}
	}
}

// TestViewLiteralsFindsText keeps the scanner honest: each case is a
// literal a Welsh reader would meet in English, or none.
func TestViewLiteralsFindsText(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"a view's field", `x := row{Label: "Withdrawn"}`, []string{"Withdrawn"}},
		{"a list of options", `x := []option{{Value: "a", Label: "Other role"}}`, []string{"Other role"}},
		{"a field set", `st.Status = "In progress"`, []string{"In progress"}},
		{"a result", `return "don't know"`, []string{"don't know"}},
		{"a form error", `fe.add("name", "Enter a name")`, []string{"Enter a name"}},
		{"glued on", `fe.add("code", msg+". Ask the administrator")`, []string{". Ask the administrator"}},
		{"appended, formatted", `who = append(who, fmt.Sprintf("%s was %d", c, n))`, []string{"%s was %d"}},
		{"from the catalogue", `fe.add("name", tr(req, "error.name", "Council", c))`, nil},
		{"code", `x := row{Class: "govuk-tag--green", Key: "actions.status.done", ID: "ownerSeats", Fill: "url(#rasp-pattern-weakness)", Move: "%s → %s"}`, nil},
		{"an error for the log", `return fmt.Errorf("web: parse %s: %w", n, err)`, nil},
		{"another package's type", `r := httpapi.Header{Name: "Content Type"}`, nil},
		{"a comparison", `return s.family == "Viewer"`, nil},
		{"an allowed name", `x := row{Label: "RASP"}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "case.go", fmt.Sprintf("package web\nfunc f() {\n%s\n}\n", tc.src), 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range viewLiterals(fset, f, []string{"RASP"}) {
				got = append(got, v.text)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
