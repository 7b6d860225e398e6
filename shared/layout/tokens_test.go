package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// root is the module's folder, two up from this package.
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// goFiles parses every Go file of the module (tests included: a test that
// compares tokens by hand would hide the same bug), skipping caches and
// node_modules.
func goFiles(t *testing.T) map[string]*ast.File {
	t.Helper()
	out := map[string]*ast.File{}
	fset := token.NewFileSet()
	base := root(t)
	err := filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != base || d.Name() == "node_modules" || d.Name() == "cdk.out") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(base, path)
		out[filepath.ToSlash(rel)] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Only shared/auth compares credentials (docs/design.md D1): no other file
// imports crypto/subtle, and auth.Proves is called only by the auth package
// itself and by the reminders' stop links (a capability of their own,
// proved against the hashes on the item they stop).
func TestOnlyAuthComparesTokens(t *testing.T) {
	t.Parallel()
	allowedProves := map[string]bool{"shared/reminders/stop.go": true}
	files := goFiles(t)
	if len(files) < 50 {
		t.Fatalf("parsed %d files; want the whole module", len(files))
	}
	for name, f := range files {
		inAuth := strings.HasPrefix(name, "shared/auth/")
		authName := ""
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path == "crypto/subtle" && !inAuth {
				t.Errorf("%s imports crypto/subtle: compare tokens with shared/auth", name)
			}
			if path == module+"shared/auth" {
				authName = "auth"
				if imp.Name != nil {
					authName = imp.Name.Name
				}
			}
		}
		if authName == "" || allowedProves[name] {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == authName && sel.Sel.Name == "Proves" {
				t.Errorf("%s calls auth.Proves: let the auth middleware resolve the credential (Route.Auth)", name)
			}
			return true
		})
	}
}
