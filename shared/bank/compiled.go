package bank

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

// compiled is every version of the bank as loaded and validated from the
// YAML in questions/, written as JSON at development time. Decoding it is a
// fraction of the cost of parsing the YAML, which every Lambda would
// otherwise pay on each cold start. TestCompiledIsCurrent fails when it is
// not what the YAML gives; regenerate with
//
//	go test ./shared/bank -run TestCompiledIsCurrent -update
//
//go:embed compiled.json
var compiled []byte

// Compiled returns the library from its compiled form. The YAML stays the
// source of truth: the compiled form is checked against it by a test.
func Compiled() (*Library, error) {
	return fromJSON(compiled)
}

// MustCompiled is Compiled for main().
func MustCompiled() *Library {
	l, err := Compiled()
	if err != nil {
		panic(fmt.Sprintf("load compiled question bank: %v", err))
	}
	return l
}

// MarshalJSON writes every version, oldest first.
func (l *Library) MarshalJSON() ([]byte, error) {
	banks := make([]*Bank, 0, len(l.order))
	for _, v := range l.order {
		banks = append(banks, l.versions[v])
	}
	return json.Marshal(banks)
}

func fromJSON(data []byte) (*Library, error) {
	var banks []*Bank
	if err := json.Unmarshal(data, &banks); err != nil {
		return nil, fmt.Errorf("decode compiled question bank: %w", err)
	}
	if len(banks) == 0 {
		return nil, fmt.Errorf("compiled question bank has no versions")
	}
	l := &Library{versions: make(map[string]*Bank, len(banks))}
	for _, b := range banks {
		b.buildIndex()
		l.versions[b.Version] = b
		l.order = append(l.order, b.Version)
	}
	return l, nil
}
