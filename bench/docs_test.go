package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsMatchTheRecordedRun: every table of docs/performance.md between
// bench markers is the one bench/recorded.json renders, so the document
// quotes the recorded run and nothing else (make bench-record writes both).
func TestDocsMatchTheRecordedRun(t *testing.T) {
	_, doc, rendered, err := renderedDocs(filepath.Join("bench", "recorded.json"))
	if err != nil {
		t.Fatal(err)
	}
	if rendered != doc {
		t.Errorf("docs/performance.md has tables that are not bench/recorded.json's: run `go run ./bench -docs bench/recorded.json` (or make bench-record)")
	}
}

func TestRenderDocs(t *testing.T) {
	r := &Results{Goals: []Goal{{Goal: "g", Measured: "m", Met: true}}}
	block := func(name, body string) string {
		return "<!-- bench:" + name + " -->\n" + body + "<!-- /bench:" + name + " -->"
	}
	run := sections(r)[0].markdown()
	goals := sections(r)[1].markdown()
	tests := []struct {
		name, doc, want, err string
	}{
		{name: "tables replaced, prose kept",
			doc:  "# Title\n\nwhy\n" + block("run", "old\n") + "\nmore prose\n" + block("goals", "stale table\n") + "\nend\n",
			want: "# Title\n\nwhy\n" + block("run", run) + "\nmore prose\n" + block("goals", goals) + "\nend\n"},
		{name: "a section without its block", doc: block("run", "") + "\n", err: `no "<!-- bench:goals -->"`},
		{name: "a block without its section", doc: block("run", "") + block("goals", "") + block("load", ""), err: `block "load" has no section`},
		{name: "an end before the start", doc: "<!-- /bench:run -->" + block("run", "") + block("goals", ""), err: "bench:run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := renderDocs(tt.doc, r)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
