// Command bench measures RASP on DynamoDB Local in one run (`make bench`):
// handler overhead against bare SDK loops, DynamoDB calls and capacity per
// route, the cost of 1,000 completed assessments, a cold start under the Lambda Runtime Interface Emulator per
// function, scoring at scale and a bounded loopback load test. It prints a
// table and writes bench/results.json; docs/performance.md explains both.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

// Results is bench/results.json.
type Results struct {
	Machine     Machine     `json:"machine"`
	StartedAt   time.Time   `json:"startedAt"`
	DurationS   float64     `json:"durationSeconds"`
	Settings    Settings    `json:"settings"`
	Overhead    []Timing    `json:"overhead,omitempty"`
	Capacity    []Capacity  `json:"capacity,omitempty"`
	Cost        *Cost       `json:"cost,omitempty"`
	ColdStart   []ColdStart `json:"coldStart,omitempty"`
	Scale       []GoBench   `json:"scale,omitempty"`
	Load        *Load       `json:"load,omitempty"`
	Goals       []Goal      `json:"goals"`
	Unavailable []string    `json:"unavailable,omitempty"`
}

// Settings are the knobs of the run.
type Settings struct {
	N        int     `json:"iterationsPerSide"`
	Warmup   int     `json:"warmup"`
	CapRuns  int     `json:"capacityRuns"`
	ColdRuns int     `json:"coldStartRuns"`
	Users    int     `json:"loadUsers"`
	LoadS    float64 `json:"loadSeconds"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var st Settings
	flag.IntVar(&st.N, "n", 300, "timed calls per route, for the handler and again for the bare loop")
	flag.IntVar(&st.Warmup, "warmup", 20, "untimed calls per route and side first")
	flag.IntVar(&st.CapRuns, "capacity-runs", 3, "calls per route and side with the counting client")
	flag.IntVar(&st.ColdRuns, "cold-runs", 10, "cold starts per function")
	flag.IntVar(&st.Users, "users", 20, "concurrent users in the load test")
	loadFor := flag.Duration("duration", 30*time.Second, "length of the load test")
	skip := flag.String("skip", "", "comma-separated parts to leave out: overhead, coldstart, scale, load")
	outPath := flag.String("out", "bench/results.json", "where to write the results (relative to the module root)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the overhead part to this file")
	docs := flag.String("docs", "", "measure nothing: render the tables of docs/performance.md from this recorded run (e.g. bench/recorded.json)")
	flag.Parse()
	if *docs != "" {
		return writeDocs(*docs)
	}
	st.LoadS = loadFor.Seconds()
	skipped := map[string]bool{}
	for _, p := range strings.Split(*skip, ",") {
		skipped[strings.TrimSpace(p)] = true
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 9*time.Minute)
	defer cancel()

	begin := time.Now()
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	res := &Results{Machine: machineInfo(), StartedAt: begin.UTC()}
	printMachine(res.Machine)

	phase := func(name string) func() {
		fmt.Fprintf(os.Stderr, "· %s …\n", name)
		t := time.Now()
		return func() { fmt.Fprintf(os.Stderr, "  %s: %.1f s\n", name, time.Since(t).Seconds()) }
	}

	done := phase("DynamoDB Local")
	e, err := startEnv(ctx, root)
	if err != nil {
		return err
	}
	defer e.stop()
	done()

	if !skipped["overhead"] {
		done = phase("set-up of the journey routes")
		iters := st.Warmup + st.N + st.CapRuns
		rs, err := journeyRoutes(ctx, e, iters)
		if err != nil {
			return err
		}
		done()
		done = phase("overhead: handler vs bare")
		stopProfile, err := startProfile(*cpuProfile)
		if err != nil {
			return err
		}
		res.Overhead, err = measureOverhead(ctx, rs, st.Warmup, st.N)
		stopProfile()
		if err != nil {
			return err
		}
		done()
		done = phase("capacity and calls")
		if res.Capacity, err = measureCapacity(ctx, e, rs, st.Warmup+st.N, st.CapRuns); err != nil {
			return err
		}
		done()
		if res.Cost, err = costModel(res.Overhead, res.Capacity); err != nil {
			return err
		}
	} else {
		res.Unavailable = append(res.Unavailable, "overhead, capacity and cost (skipped)")
	}

	if !skipped["coldstart"] {
		done = phase("cold start")
		if res.ColdStart, err = measureColdStarts(ctx, e, st.ColdRuns); err != nil {
			return err
		}
		done()
	}

	if !skipped["scale"] {
		done = phase("scale (go test -bench " + scalePackage + ")")
		if res.Scale, err = runScale(ctx, root); err != nil {
			return err
		}
		done()
	}

	if !skipped["load"] {
		done = phase(fmt.Sprintf("load: %d users for %s", st.Users, loadFor))
		if res.Load, err = runLoad(ctx, e, st.Users, *loadFor); err != nil {
			return err
		}
		done()
	}

	res.Settings = st
	res.Goals = goals(res)
	res.DurationS = round3(time.Since(begin).Seconds())
	printResults(os.Stdout, res)

	path := *outPath
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	raw, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("\nWrote %s in %.0f s.\n", path, res.DurationS)
	return nil
}

// writeDocs renders the tables of docs/performance.md from a recorded run,
// leaving the prose around them as written.
func writeDocs(recorded string) error {
	path, doc, rendered, err := renderedDocs(recorded)
	if err != nil {
		return err
	}
	if rendered == doc {
		return nil
	}
	return os.WriteFile(path, []byte(rendered), 0o644)
}

// renderedDocs reads docs/performance.md and the recorded run (a path
// relative to the module root, or absolute) and returns the document's path,
// its text, and its text with the tables rendered from the run.
func renderedDocs(recorded string) (path, doc, rendered string, err error) {
	root, err := moduleRoot()
	if err != nil {
		return "", "", "", err
	}
	if !filepath.IsAbs(recorded) {
		recorded = filepath.Join(root, recorded)
	}
	raw, err := os.ReadFile(recorded)
	if err != nil {
		return "", "", "", err
	}
	var r Results
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", "", "", fmt.Errorf("%s: %w", recorded, err)
	}
	path = filepath.Join(root, "docs", "performance.md")
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", "", err
	}
	rendered, err = renderDocs(string(b), &r)
	return path, string(b), rendered, err
}

// startProfile starts a CPU profile into path ("" does nothing).
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
