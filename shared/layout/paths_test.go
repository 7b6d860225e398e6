package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// pageRoots are the paths a hand-built link to an assessment's or a
// partnership's pages starts with.
var pageRoots = []string{"/assessments/", "/partnerships/"}

// handBuiltPaths reports, as "file:line in func", each string literal
// starting with a page root that is concatenated onto something or used as
// a fmt format with verbs: a path built by hand instead of by routes.Path.
func handBuiltPaths(fset *token.FileSet, name string, f *ast.File) []string {
	var out []string
	rooted := func(e ast.Expr) bool {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return false
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return false
		}
		for _, r := range pageRoots {
			if strings.HasPrefix(s, r) || strings.HasPrefix(s, "%s"+r) {
				return strings.HasPrefix(s, r) || strings.Contains(s, "%")
			}
		}
		return false
	}
	check := func(fn string, n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			hit := false
			switch e := n.(type) {
			case *ast.BinaryExpr:
				hit = e.Op == token.ADD && (rooted(e.X) || rooted(e.Y))
			case *ast.CallExpr:
				if sel, ok := e.Fun.(*ast.SelectorExpr); ok && len(e.Args) > 1 && strings.HasSuffix(sel.Sel.Name, "printf") {
					hit = rooted(e.Args[0])
				}
			}
			if hit {
				out = append(out, name+":"+strconv.Itoa(fset.Position(n.Pos()).Line)+" in "+fn)
				return false
			}
			return true
		})
	}
	for _, d := range f.Decls {
		fn := "(package level)"
		if fd, ok := d.(*ast.FuncDecl); ok {
			fn = fd.Name.Name
		}
		check(fn, d)
	}
	return out
}

// No Go file under shared/ (shared/routes and tests aside) builds a link to
// an assessment's or a partnership's pages by hand (issue 13): pages, mails
// and redirects take it from the route table with routes.Path, and the
// domain's mails from routes.Links through its own Links interfaces, so a
// route that moves cannot leave a dead link behind.
func TestNoHandBuiltPagePaths(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(filepath.Join("shared", strings.TrimPrefix(p, "..")))
		if d.IsDir() {
			if rel == "shared/routes" || d.Name() == "node_modules" || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, h := range handBuiltPaths(fset, rel, f) {
			t.Errorf("%s builds a page's path by hand; use routes.Path with the route's name", h)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The scan finds the shapes a hand-built path takes, and leaves alone a
// literal that is a whole path or one that merely mentions a root.
func TestHandBuiltPathsAreFound(t *testing.T) {
	t.Parallel()
	const src = `package x
import "fmt"
var whole = "/assessments/new"
func a(id string) string { return "/assessments/" + id + "/report" }
func b(base, id string) string { return base + "/partnerships/" + id }
func c(id string) string { return fmt.Sprintf("/partnerships/%s/share", id) }
func d(base string, n int) string { return fmt.Sprintf("%s/partnerships/%d", base, n) }
func e() string { return "see /assessments/ for more" + "." }
func f(id string) string { return fmt.Sprint("/assessments/", id) }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(handBuiltPaths(fset, "x.go", f), "; ")
	want := "x.go:4 in a; x.go:5 in b; x.go:6 in c; x.go:7 in d"
	if got != want {
		t.Errorf("handBuiltPaths = %q, want %q", got, want)
	}
}

// handBuiltInTemplate is an address in a template that glues an id onto a
// page root ("/assessments/{{.ID}}…") or a path onto a value
// ("{{.Register}}/new"), instead of taking it from {{path …}} or a field
// the handler filled from the route table.
var handBuiltInTemplate = regexp.MustCompile(`href="(/(assessments|partnerships)/\{\{|\{\{[^}]*\}\}/)`)

// TestNoHandBuiltPathsInTemplates keeps the pages' templates on the route
// table too: no template has a hand-built address left.
func TestNoHandBuiltPathsInTemplates(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../web/templates/*/*.html")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../web/templates/*.html")
	files = append(files, more...)
	if len(files) < 40 {
		t.Fatalf("only %d templates found: is the glob right?", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range handBuiltInTemplate.FindAll(b, -1) {
			t.Errorf("%s: hand-built address %q (use {{path \"routeName\" .ID}} or a path the handler fills from the route table)", f, m)
		}
	}
}
