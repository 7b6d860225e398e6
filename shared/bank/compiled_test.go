package bank_test

import (
	"flag"
	"os"
	"reflect"
	"testing"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
)

var update = flag.Bool("update", false, "rewrite compiled.json from the YAML in questions/")

// The compiled form the functions load is exactly what the YAML gives.
func TestCompiledIsCurrent(t *testing.T) {
	fromYAML, err := bankyaml.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	want, err := fromYAML.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile("compiled.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("compiled.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("compiled.json is stale: run go test ./shared/bank -run TestCompiledIsCurrent -update")
	}
	lib, err := bank.Compiled()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(lib, fromYAML) {
		t.Fatal("the compiled library differs from the one loaded from YAML")
	}
	if q, ok := lib.Current().Question(lib.Current().Questions()[0].ID); !ok || q.Text == "" {
		t.Errorf("lookup in the compiled library: got %+v, %v", q, ok)
	}
}
