// Package bankyaml reads the question bank from its YAML source (the
// questions folder). Only tests, the bank's compiler
// (go test ./shared/bank -run TestCompiledIsCurrent -update) and the
// development tools use it: the Lambdas read the compiled form
// (bank.Compiled), so none of them links the YAML parser or embeds the YAML
// (docs/performance.md).
package bankyaml

import (
	"bytes"
	"fmt"
	"io/fs"

	"gopkg.in/yaml.v3"

	"github.com/openrasp/rasp/questions"
	"github.com/openrasp/rasp/shared/bank"
)

// Decode parses one YAML file strictly: unknown keys are errors, so a
// misspelt field cannot silently drop content.
func Decode(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// Load reads and checks one version folder of fsys (bank.Load with Decode).
func Load(fsys fs.FS, dir string) (*bank.Bank, error) {
	return bank.Load(fsys, dir, Decode)
}

// LoadLibrary reads and checks every version folder of fsys.
func LoadLibrary(fsys fs.FS) (*bank.Library, error) {
	return bank.LoadLibrary(fsys, Decode)
}

// Embedded loads and checks every version folder in questions.FS.
func Embedded() (*bank.Library, error) {
	return LoadLibrary(questions.FS)
}

// MustEmbedded is Embedded for tests and tools: it panics if the bank is
// invalid.
func MustEmbedded() *bank.Library {
	l, err := Embedded()
	if err != nil {
		panic(fmt.Sprintf("load question bank: %v", err))
	}
	return l
}
