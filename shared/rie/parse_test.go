package rie

import (
	"os"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	log, err := os.ReadFile("testdata/emulator.log") // a real run of bench/floor, two events
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		log     string
		events  int
		initMs  float64
		invokes []float64
		wantErr string
	}{
		{name: "cold then warm", log: string(log), events: 2, initMs: 13.012, invokes: []float64{2.064, 1.444}},
		{name: "only the first", log: string(log), events: 1, initMs: 13.012, invokes: []float64{2.064}},
		{name: "an invoke missing", log: string(log), events: 3, wantErr: "2 of 3 INVOKE RTDONE"},
		{name: "no init", log: "INVOKE RTDONE(status: success, produced bytes: 0, duration: 1.0ms)", events: 1, wantErr: "no INIT REPORT"},
		{name: "failed invoke", log: "INIT REPORT(durationMs: 5.5)\nINVOKE RTDONE(status: error, produced bytes: 0, duration: 1.0ms)",
			events: 1, wantErr: "status error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run, err := parse(tt.log, tt.events)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parse: got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if run.InitMs != tt.initMs {
				t.Errorf("InitMs = %v, want %v", run.InitMs, tt.initMs)
			}
			if len(run.Invocations) != len(tt.invokes) {
				t.Fatalf("%d invocations, want %d", len(run.Invocations), len(tt.invokes))
			}
			for i, want := range tt.invokes {
				if got := run.Invocations[i].Ms; got != want {
					t.Errorf("invocation %d: %v ms, want %v", i, got, want)
				}
			}
			if got, want := run.ColdMs(), tt.initMs+tt.invokes[0]; got != want {
				t.Errorf("ColdMs = %v, want %v", got, want)
			}
		})
	}
}

// The Makefile installs the emulator at the version this package names.
func TestMakefilePinsTheSameVersion(t *testing.T) {
	b, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	if want := "RIE_VERSION := " + Version + "\n"; !strings.Contains(string(b), want) {
		t.Errorf("Makefile does not contain %q", want)
	}
}
