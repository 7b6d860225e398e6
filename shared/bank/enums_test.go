package bank_test

import (
	"slices"
	"testing"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
)

// Every embedded version lists exactly the continuum declared in Go, in
// order, so the document's enum and the validator agree with the data.
func TestFormsAreTheDeclaredSet(t *testing.T) {
	l := bankyaml.MustEmbedded()
	for _, v := range l.Versions() {
		b, _ := l.Get(v)
		var got []string
		for _, f := range b.Forms {
			got = append(got, f.ID)
		}
		if want := bank.FormID("").Values(); !slices.Equal(got, want) {
			t.Errorf("%s forms = %v, want %v", v, got, want)
		}
	}
}
