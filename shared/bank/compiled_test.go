package bank_test

import (
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/locale"
)

var update = flag.Bool("update", false, "rewrite the compiled folder from the YAML in questions/")

// The compiled form the functions load is exactly what the YAML gives, and
// decodes back to the same library.
func TestCompiledIsCurrent(t *testing.T) {
	fromYAML, err := bankyaml.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	want, err := fromYAML.CompiledFiles()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		old, _ := filepath.Glob(filepath.Join(bank.CompiledDir, "*.json"))
		for _, f := range old {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.MkdirAll(bank.CompiledDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range want {
			if err := os.WriteFile(filepath.Join(bank.CompiledDir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	const stale = "the compiled question bank is stale: run go test ./shared/bank -run TestCompiledIsCurrent -update"
	files, err := filepath.Glob(filepath.Join(bank.CompiledDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if got, w := names, slices.Sorted(maps.Keys(want)); !slices.Equal(got, w) {
		t.Fatalf("%s: files %v, want %v", stale, got, w)
	}
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(bank.CompiledDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(data) {
			t.Fatalf("%s: %s differs", stale, name)
		}
	}
	lib, err := bank.Compiled()
	if err != nil {
		t.Fatal(err)
	}
	again, err := lib.CompiledFiles()
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(again, want, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Fatal("the compiled library, written again, differs from the one loaded from YAML")
	}
	if got, w := lib.Versions(), fromYAML.Versions(); !slices.Equal(got, w) {
		t.Errorf("versions %v, want %v", got, w)
	}
	for _, v := range lib.Versions() {
		b, _ := lib.Get(v)
		y, _ := fromYAML.Get(v)
		if got, w := b.Languages(), y.Languages(); !slices.Equal(got, w) {
			t.Errorf("%s: languages %v, want %v", v, got, w)
		}
		for _, l := range y.Languages() {
			q, yq := b.In(l).Questions(), y.In(l).Questions()
			if len(q) != len(yq) || q[0].Text != yq[0].Text || q[len(q)-1].Guidance != yq[len(yq)-1].Guidance {
				t.Errorf("%s in %s: the compiled questions differ from the YAML's", v, l)
			}
			if b.In(l).Language() != l || b.In(l).In(locale.English) != b {
				t.Errorf("%s in %s: In gives language %s, and back to English %p, want %p", v, l, b.In(l).Language(), b.In(l).In(locale.English), b)
			}
		}
	}
	if q, ok := lib.Current().Question(lib.Current().Questions()[0].ID); !ok || q.Text == "" {
		t.Errorf("lookup in the compiled library: got %+v, %v", q, ok)
	}
	if _, ok := lib.Get("v0"); ok {
		t.Error("Get(v0) found a version")
	}
}
