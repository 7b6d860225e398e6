package web

import (
	"fmt"
	"html/template"
	"strings"
)

// funcs are the template helpers.
var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	// path is routes.Path of a named route: {{path "webReport" .ID}}.
	"path":  path,
	"slug":  slug,
	"lower": strings.ToLower,
	// join lists names with commas.
	"join":      func(s []string) string { return strings.Join(s, ", ") },
	"thousands": thousands,
	// pct clamps a score to 0..100 for the chart's width classes.
	"pct": func(n int) int { return min(max(n, 0), 100) },
	// dateParts are the three fields of the GOV.UK date input, in order.
	"dateParts": func() []datePart { return dateInputParts },
	// dict builds a map for passing several values to a partial.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	// cond is a ternary for labels that differ on the first row of a list.
	"cond": func(c bool, yes, no string) string {
		if c {
			return yes
		}
		return no
	},
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}

// datePart is one field of the GOV.UK date input: its name suffix, label and
// width class (2 characters for day and month, 4 for the year).
type datePart struct {
	Name, Label string // Label is a catalogue key
	Width       int
}

var dateInputParts = []datePart{{"day", "date.day", 2}, {"month", "date.month", 2}, {"year", "date.year", 4}}
