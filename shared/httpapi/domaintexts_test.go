package httpapi_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/locale"
)

// domainMessage is one message a package under shared/ writes for a
// reader: where it is, and its English.
type domainMessage struct {
	at, text string
	args     bool // formatted with values: the catalogue cannot look it up
}

// domainMessages finds the messages of failure.New, failure.Fields and
// failure.FieldError{Message: …} written as literals in the packages under
// root, tests aside. Internal and unavailable errors are not counted: the
// reader sees a plain 500 or 503 page, never their text.
func domainMessages(t *testing.T, root string) []domainMessage {
	t.Helper()
	fset := token.NewFileSet()
	var out []domainMessage
	lit := func(e ast.Expr) (string, bool) {
		b, ok := e.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			at := func() string { return fset.Position(n.Pos()).String() }
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "failure" {
					return true
				}
				switch sel.Sel.Name {
				case "New":
					if len(n.Args) < 2 {
						return true
					}
					if code, ok := n.Args[0].(*ast.SelectorExpr); ok && (code.Sel.Name == "Internal" || code.Sel.Name == "Unavailable") {
						return true
					}
					if s, ok := lit(n.Args[1]); ok {
						out = append(out, domainMessage{at: at(), text: s, args: len(n.Args) > 2})
					}
				case "Fields":
					if s, ok := lit(n.Args[0]); ok {
						out = append(out, domainMessage{at: at(), text: s})
					}
				}
			case *ast.CompositeLit:
				sel, ok := n.Type.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "FieldError" {
					return true
				}
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Message" {
							if s, ok := lit(kv.Value); ok {
								out = append(out, domainMessage{at: at(), text: s})
							}
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every message the domain writes for a reader has its Welsh in the
// catalogues (issue 21): a literal the lookup cannot find, or one built
// with fmt verbs (say it with failure.Said or failure.Quoting instead),
// would reach a Welsh page or problem document in English.
func TestEveryDomainMessageHasItsWelsh(t *testing.T) {
	t.Parallel()
	msgs := domainMessages(t, "..")
	if len(msgs) < 50 {
		t.Fatalf("only %d domain messages found: is the scan right?", len(msgs))
	}
	for _, m := range msgs {
		switch {
		case m.args:
			t.Errorf("%s: %q is formatted with values, so it cannot be said in Welsh; use failure.Said with a catalogue key", m.at, m.text)
		case httpapi.ErrorText(locale.Welsh, m.text) == m.text:
			t.Errorf("%s: %q has no Welsh: add it to the catalogues under an error.* key", m.at, m.text)
		}
	}
}
