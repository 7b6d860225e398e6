package bank

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/openrasp/rasp/shared/locale"
)

// TestCompiledDecodesOnFirstUse: Compiled decodes the current version in
// English only; an older version and the Welsh words are decoded when
// first asked for, and then give Welsh.
func TestCompiledDecodesOnFirstUse(t *testing.T) {
	lib, err := Compiled()
	if err != nil {
		t.Fatal(err)
	}
	if len(lib.order) < 2 {
		t.Fatalf("versions %v: want an older version to test with", lib.order)
	}
	current := lib.compiled[lib.order[len(lib.order)-1]]
	if current.b == nil {
		t.Fatal("the current version is not decoded by Compiled")
	}
	older := lib.compiled[lib.order[0]]
	if older.b != nil {
		t.Errorf("%s is decoded before any use", lib.order[0])
	}
	cy, ok := current.b.languages.copies[locale.Welsh]
	if !ok {
		t.Fatal("the current version has no Welsh")
	}
	if cy.t != nil || cy.built != nil {
		t.Error("the Welsh is decoded before any use")
	}
	b := lib.Current()
	if !b.HasLanguage(locale.Welsh) || cy.built != nil {
		t.Error("HasLanguage(cy) must say yes without decoding the Welsh")
	}
	w := b.In(locale.Welsh)
	if w.Language() != locale.Welsh || w.Areas[0].Title == b.Areas[0].Title || cy.built != w {
		t.Errorf("In(cy): language %s, first area %q (English %q)", w.Language(), w.Areas[0].Title, b.Areas[0].Title)
	}
	if _, ok := lib.Get(lib.order[0]); !ok || older.b == nil {
		t.Errorf("Get(%s) did not decode it", lib.order[0])
	}
}

// TestCompiledRefusesStrayFiles: a compiled folder with a file that is not
// a version, a translation into an unknown language or of a missing
// version, or broken JSON in the current version is an error at load.
func TestCompiledRefusesStrayFiles(t *testing.T) {
	good := []byte(`{"Version":"v1"}`)
	for name, fsys := range map[string]fstest.MapFS{
		"not JSON":      {"c/v1.json": {Data: good}, "c/notes.txt": {}},
		"not a version": {"c/v1.json": {Data: good}, "c/bank.json": {Data: good}},
		"English":       {"c/v1.json": {Data: good}, "c/v1.en.json": {Data: good}},
		"unknown lang":  {"c/v1.json": {Data: good}, "c/v1.fr.json": {Data: good}},
		"no version":    {"c/v1.json": {Data: good}, "c/v2.cy.json": {Data: good}},
		"empty":         {"c": {Mode: fs.ModeDir}},
		"broken":        {"c/v1.json": {Data: []byte(`{"Version":`)}},
	} {
		if _, err := fromCompiled(fsys, "c"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// BenchmarkCompiled is what a function pays for the bank at start-up.
func BenchmarkCompiled(b *testing.B) {
	for b.Loop() {
		if _, err := Compiled(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompiledWelsh adds the first Welsh page's decoding.
func BenchmarkCompiledWelsh(b *testing.B) {
	for b.Loop() {
		lib, err := Compiled()
		if err != nil {
			b.Fatal(err)
		}
		lib.Current().In(locale.Welsh)
	}
}
