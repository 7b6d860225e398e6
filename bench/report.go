package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/openrasp/rasp/shared/rie"
)

// Machine describes where the numbers were taken.
type Machine struct {
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Go         string `json:"go"`
	OS         string `json:"os"`
	Java       string `json:"java"`
	LoadAvg    string `json:"loadAverageAtStart"`
	// Commit is the checkout measured (git rev-parse HEAD, "+ changes" when
	// the work tree differs from it), so a recorded run names its code.
	Commit string `json:"commit"`
}

func machineInfo() Machine {
	m := Machine{Cores: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version(),
		OS: runtime.GOOS + "/" + runtime.GOARCH, CPU: "unknown", Java: "unknown"}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAvg = strings.Join(f[:3], " ")
		}
	}
	if out, err := exec.Command("java", "-version").CombinedOutput(); err == nil {
		m.Java = firstLine(string(out))
	}
	m.Commit = "unknown"
	if out, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output(); err == nil {
		m.Commit = strings.TrimSpace(string(out))
		if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
			m.Commit += " + changes"
		}
	}
	return m
}

func printMachine(m Machine) {
	fmt.Printf("RASP bench on %s, %d cores (GOMAXPROCS %d), %s %s, %s; load average %s\n\n",
		m.CPU, m.Cores, m.GOMAXPROCS, m.Go, m.OS, m.Java, m.LoadAvg)
}

// Goal is one target of issue 10 and whether this run met it.
type Goal struct {
	Goal     string `json:"goal"`
	Measured string `json:"measured"`
	Met      bool   `json:"met"`
}

const (
	goalRatio     = 1.15
	goalSaveWCU   = 2.0
	goalCostUSD   = 0.03
	goalZipBytes  = 5_000_000 // as make build checks (ZIP_LIMIT)
	goalColdRatio = 1.5       // init + first invoke, to the empty Go Lambda's in the same run
	goalCompareMs = 5.0
)

func goals(r *Results) []Goal {
	var g []Goal
	add := func(goal string, met bool, format string, a ...any) {
		g = append(g, Goal{Goal: goal, Measured: fmt.Sprintf(format, a...), Met: met})
	}
	if len(r.Overhead) > 0 {
		worst := r.Overhead[0]
		var over []string
		for _, t := range r.Overhead {
			if t.RatioP50 > worst.RatioP50 {
				worst = t
			}
			if t.RatioP50 > goalRatio {
				over = append(over, fmt.Sprintf("%s %.2f×", t.Route, t.RatioP50))
			}
		}
		m := fmt.Sprintf("worst %s %.2f×", worst.Route, worst.RatioP50)
		if len(over) > 0 {
			m = "over: " + strings.Join(over, ", ")
		}
		add("handler/bare p50 ≤ 1.15× on every route", len(over) == 0, "%s", m)
	}
	caps := map[string]Capacity{}
	scans := 0
	for _, c := range r.Capacity {
		caps[c.Route] = c
		scans += c.Handler.Calls["Scan"]
	}
	if c, ok := caps["save one area"]; ok {
		w := writes(c.Handler)
		add("save one area = 1 write ≤ 2 WCU", w == 1 && c.Handler.WCU <= goalSaveWCU, "%d write, %.0f WRU (%s)", w, c.Handler.WCU, callList(c.Handler))
	}
	if c, ok := caps["score"]; ok {
		add("score = 1 Query", totalCalls(c.Handler) == 1 && c.Handler.Calls["Query"] == 1, "%s", callList(c.Handler))
	}
	for _, name := range []string{"compare 3", "compare 50"} {
		if c, ok := caps[name]; ok {
			add(name+": 1 Query per round viewed", totalCalls(c.Handler) == 1 && c.Handler.Calls["Query"] == 1, "%s, %.0f RRU", callList(c.Handler), c.Handler.RCU)
		}
	}
	if len(r.Capacity) > 0 {
		add("0 Scans", scans == 0, "%d (dynamo.API has no Scan method)", scans)
	}
	if r.Cost != nil {
		add("≤ $0.03 per 1,000 completed assessments", r.Cost.Total <= goalCostUSD, "$%.4f (DynamoDB $%.4f, HTTP API $%.4f, Lambda $%.4f)",
			r.Cost.Total, r.Cost.DynamoDB, r.Cost.HTTPAPI, r.Cost.LambdaReq+r.Cost.LambdaTime)
		// The same journey as a council makes it: each area's save is its
		// first, which creates the area item.
		if r.Cost.FirstSaves != nil {
			add("≤ $0.03 per 1,000, each area's save priced as its first", r.Cost.TotalWithFirstSaves <= goalCostUSD, "$%.4f", r.Cost.TotalWithFirstSaves)
		}
	}
	for _, c := range r.ColdStart {
		switch c.Function {
		case floorName:
			continue
		case controlName:
			// The control sleeps 20 ms in init: if it passed, the goal could not fail.
			add("control (20 ms sleep in init) is reported over 1.5× the floor", c.Status == "ok" && c.Ratio > goalColdRatio,
				"%.2f× (%.1f ms)", c.Ratio, c.MedianMs)
			continue
		}
		switch {
		case c.ZipBytes > 0:
			add(c.Function+": zipped bootstrap ≤ 5 MB", c.ZipBytes <= goalZipBytes, "%.2f MB", float64(c.ZipBytes)/1e6)
		default:
			add(c.Function+": zipped bootstrap ≤ 5 MB", false, "missing (no build/%s.zip)", c.Function)
		}
		if c.Status == "ok" {
			add(c.Function+": cold start (init + first invoke, emulator) ≤ 1.5× the floor", c.Ratio <= goalColdRatio,
				"%.2f× (%.1f ms = init %.1f + invoke %.1f)", c.Ratio, c.MedianMs, c.InitMs, c.InvokeMs)
		} else {
			add(c.Function+": cold start (init + first invoke, emulator) ≤ 1.5× the floor", false, "%s: %s", c.Status, c.Detail)
		}
	}
	for _, b := range r.Scale {
		if strings.HasPrefix(b.Name, "BenchmarkCompare400x60") {
			add("compare 400 councils × 60 questions < 5 ms", b.NsPerOp/1e6 < goalCompareMs, "%.2f ms, %d allocs", b.NsPerOp/1e6, b.AllocsPerOp)
		}
	}
	if l := r.Load; l != nil {
		add("load: 0 errors", l.Errors == 0, "%d errors in %d requests", l.Errors, l.Requests)
		add("load: every acknowledged answer present afterwards", l.AllAckedPresent, "%d/%d answers, %d/%d submits",
			l.AnswersPresent, l.AnswersAcked, l.SubmitsPresent, l.SubmitsAcked)
	}
	return g
}

func callList(c callCounts) string {
	ops := make([]string, 0, len(c.Calls))
	for op := range c.Calls {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	var parts []string
	for _, op := range ops {
		parts = append(parts, fmt.Sprintf("%s %d", op, c.Calls[op]))
	}
	if len(parts) == 0 {
		return "no calls"
	}
	return strings.Join(parts, ", ")
}

func mark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

// section is one part of the report: a few lines of explanation and a
// table. The same sections print as text (make bench) and as Markdown into
// docs/performance.md (make bench-record), so the document cannot drift from
// the recorded run.
type section struct {
	Name   string   // marker in docs/performance.md: <!-- bench:Name --> … <!-- /bench:Name -->
	Intro  []string // lines before the table
	Header []string
	Rows   [][]string
	After  []string // lines after the table
}

func sections(r *Results) []section {
	st := r.Settings
	f := fmt.Sprintf
	m := r.Machine
	out := []section{{Name: "run", Header: []string{"", ""}, Rows: [][]string{
		{"started", r.StartedAt.Format("2006-01-02 15:04 UTC")},
		{"code", m.Commit},
		{"machine", f("%s, %d cores (GOMAXPROCS %d), %s", m.CPU, m.Cores, m.GOMAXPROCS, m.OS)},
		{"Go, Java", f("%s; %s", m.Go, m.Java)},
		{"load average at the start", m.LoadAvg},
		{"settings", f("n=%d per side after %d warm-up, %d capacity runs, %d cold starts per function, %d users for %.0f s", st.N, st.Warmup, st.CapRuns, st.ColdRuns, st.Users, st.LoadS)},
		{"duration", f("%.0f s", r.DurationS)},
	}}}

	if len(r.Overhead) > 0 {
		s := section{Name: "overhead",
			Intro: []string{f("1. Overhead: full handler (event in → response out, in-process) vs bare SDK loop, same DynamoDB calls; n=%d each, after %d warm-up (ms)", st.N, st.Warmup),
				"   (handler and bare alternate; paired p50 = median of handler/bare per back-to-back pair)"},
			Header: []string{"route", "function", "handler p50", "p95", "bare p50", "p95", "ratio p50", "p95", "paired p50", "≤ 1.15×"}}
		for _, o := range r.Overhead {
			s.Rows = append(s.Rows, []string{o.Route, o.Function, f("%.3f", o.HandlerP50), f("%.3f", o.HandlerP95), f("%.3f", o.BareP50), f("%.3f", o.BareP95),
				f("%.2f×", o.RatioP50), f("%.2f×", o.RatioP95), f("%.2f×", o.PairedP50), mark(o.RatioP50 <= goalRatio)})
		}
		out = append(out, s)
	}

	if len(r.Capacity) > 0 {
		s := section{Name: "capacity",
			Intro: []string{"2. DynamoDB per request: calls through a counting dynamo.API wrapper; request units by AWS's rules from item sizes",
				"   (transactions 2× per item, index writes 1×), with what DynamoDB Local reports (ReturnConsumedCapacity=TOTAL) beside them"},
			Header: []string{"route", "calls", "RRU", "WRU", "in transactions", "index", "bare loop RRU/WRU", "Local RCU/WCU", "store OnCapacity (Local)"}}
		for _, c := range r.Capacity {
			s.Rows = append(s.Rows, []string{c.Route, callList(c.Handler), f("%.1f", c.Handler.RCU), f("%.1f", c.Handler.WCU), f("%.1f", c.Handler.TxWCU),
				f("%.1f", c.Handler.IndexWCU), f("%.1f / %.1f", c.Bare.RCU, c.Bare.WCU), f("%.1f / %.1f", c.Handler.LocalRCU, c.Handler.LocalWCU), unitList(c.Reported)})
		}
		out = append(out, s)
	}

	if c := r.Cost; c != nil {
		s := section{Name: "cost",
			Intro: []string{"3. Cost per 1,000 completed assessments (start+join, 5 area saves, submit, score, 1 comparison view), eu-west-2, USD",
				f("   prices: HTTP API $%.2f/M requests; Lambda $%.2f/M requests + arm64 $%.10f/GB-s; DynamoDB on-demand $%.4f/M WRU, $%.4f/M RRU",
					priceHTTPAPIPerMillion, priceLambdaReqPerMillion, priceLambdaArmGBSecond, priceWRUPerMillion, priceRRUPerMillion),
				"   (list prices recorded 2026-11-23, sources in bench/cost.go; Lambda billed per started ms of the measured handler p50; WRU/RRU from section 2)"},
			Header: []string{"route", "requests", "billed ms", "MB", "WRU/req", "RRU/req", "HTTP API", "Lambda req", "Lambda GB-s", "DynamoDB", "total"}}
		for _, l := range c.Lines {
			s.Rows = append(s.Rows, []string{l.Route, f("%d", l.Requests), f("%.0f", l.BilledMs), f("%d", l.MemoryMB), f("%.1f", l.WRU), f("%.1f", l.RRU),
				f("%.5f", l.HTTPAPI), f("%.5f", l.LambdaReq), f("%.5f", l.LambdaTime), f("%.5f", l.DynamoDB), f("%.5f", l.Total)})
		}
		s.Rows = append(s.Rows, []string{"total", "", "", "", "", "", f("%.5f", c.HTTPAPI), f("%.5f", c.LambdaReq), f("%.5f", c.LambdaTime), f("%.5f", c.DynamoDB),
			f("%.5f %s goal ≤ $0.03", c.Total, mark(c.Total <= goalCostUSD))})
		if l := c.FirstSaves; l != nil {
			s.Rows = append(s.Rows, []string{l.Route, f("%d", l.Requests), f("%.0f", l.BilledMs), f("%d", l.MemoryMB), f("%.1f", l.WRU), f("%.1f", l.RRU),
				f("%.5f", l.HTTPAPI), f("%.5f", l.LambdaReq), f("%.5f", l.LambdaTime), f("%.5f", l.DynamoDB), f("%.5f", l.Total)},
				[]string{"total, first saves", "", "", "", "", "", "", "", "", "", f("%.5f %s goal ≤ $0.03", c.TotalWithFirstSaves, mark(c.TotalWithFirstSaves <= goalCostUSD))})
			s.After = append(s.After, "   (the last two rows: each area's save priced as its first, a transaction that creates the area item, in place of \"save one area\")")
		}
		out = append(out, s)
	}

	if len(r.ColdStart) > 0 {
		s := section{Name: "coldstart",
			Intro: []string{f("4. Cold start under AWS's Lambda Runtime Interface Emulator (%s): host-arch (%s) builds with the release flags;", rie.Version, r.Machine.OS),
				f("   init and invoke are the emulator's own INIT REPORT and INVOKE RTDONE durations (median of %d fresh emulators, taken round-robin);", st.ColdRuns),
				"   goal: init + first invoke ≤ 1.5× the empty Go Lambda (floor) of the same run. Zip: build/<fn>.zip (arm64)."},
			Header: []string{"function", "zip MB", "≤ 5 MB", "first event", "init ms", "invoke ms", "cold ms", "min", "max", "× floor", "≤ 1.5×"}}
		for _, c := range r.ColdStart {
			zip := "-"
			if c.ZipBytes > 0 {
				zip = f("%.2f", float64(c.ZipBytes)/1e6)
			}
			zipOK := mark(c.ZipBytes > 0 && c.ZipBytes <= goalZipBytes)
			name := c.Function
			switch c.Function {
			case floorName:
				name, zipOK = "(floor: empty Go Lambda)", ""
			case controlName:
				name, zipOK = "(control: floor + 20 ms init, must fail)", ""
			}
			if c.Status != "ok" {
				s.Rows = append(s.Rows, []string{name, zip, zipOK, c.Status + ": " + c.Detail, "", "", "", "", "", "", mark(false)})
				continue
			}
			s.Rows = append(s.Rows, []string{name, zip, zipOK, c.Event, f("%.1f", c.InitMs), f("%.1f", c.InvokeMs), f("%.1f", c.MedianMs),
				f("%.1f", c.MinMs), f("%.1f", c.MaxMs), f("%.2f", c.Ratio), mark(c.Ratio <= goalColdRatio)})
		}
		out = append(out, s)
	}

	if len(r.Scale) > 0 {
		s := section{Name: "scale", Intro: []string{f("5. Scale: go test -run '^$' -bench . -benchmem %s", scalePackage)},
			Header: []string{"benchmark", "iterations", "ms/op", "B/op", "allocs/op"}}
		for _, b := range r.Scale {
			s.Rows = append(s.Rows, []string{b.Name, f("%d", b.Iterations), f("%.3f", b.NsPerOp/1e6), f("%d", b.BytesPerOp), f("%d", b.AllocsPerOp)})
		}
		out = append(out, s)
	}

	if l := r.Load; l != nil {
		s := section{Name: "load",
			Intro: []string{f("6. Load: %d users completing assessments (start, 5 saves, submit, score) through the local gateway on loopback for %.0f s", l.Users, l.DurationS),
				f("   %d requests, %.1f req/s, %d journeys completed (%.1f/s), p50 %.1f ms, p99 %.1f ms, %d errors",
					l.Requests, l.Throughput, l.Journeys, l.JourneysPerS, l.P50, l.P99, l.Errors)},
			Header: []string{"route", "requests", "p50 ms", "p99 ms"}}
		for _, p := range l.PerRoute {
			s.Rows = append(s.Rows, []string{p.Route, f("%d", p.Requests), f("%.1f", p.P50), f("%.1f", p.P99)})
		}
		s.After = append(s.After, f("   read back: %d/%d acknowledged answers and %d/%d submits present in %d assessments %s",
			l.AnswersPresent, l.AnswersAcked, l.SubmitsPresent, l.SubmitsAcked, l.Assessments, mark(l.AllAckedPresent)))
		for _, e := range l.ErrorSamples {
			s.After = append(s.After, "   error: "+e)
		}
		for _, m := range l.VerifyFailures {
			s.After = append(s.After, "   missing: "+m)
		}
		out = append(out, s)
	}

	g := section{Name: "goals", Intro: []string{"Goals"}, Header: []string{"met", "goal", "measured"}}
	for _, x := range r.Goals {
		g.Rows = append(g.Rows, []string{mark(x.Met), x.Goal, x.Measured})
	}
	for _, u := range r.Unavailable {
		g.After = append(g.After, "not measured: "+u)
	}
	return append(out, g)
}

// printResults prints the report as aligned text.
func printResults(w io.Writer, r *Results) {
	for _, s := range sections(r) {
		if s.Name == "run" {
			continue // printMachine said it before the run
		}
		for _, l := range s.Intro {
			fmt.Fprintln(w, l)
		}
		t := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(t, strings.Join(s.Header, "\t"))
		for _, row := range s.Rows {
			fmt.Fprintln(t, strings.Join(row, "\t"))
		}
		t.Flush()
		for _, l := range s.After {
			fmt.Fprintln(w, l)
		}
		fmt.Fprintln(w)
	}
}

// markdown renders one section as a Markdown table with its notes.
func (s section) markdown() string {
	var b strings.Builder
	cell := func(v string) string { return strings.ReplaceAll(strings.TrimSpace(v), "|", "\\|") }
	for _, l := range s.Intro {
		b.WriteString(strings.TrimSpace(l) + "\n")
	}
	b.WriteString("\n|")
	for _, h := range s.Header {
		b.WriteString(" " + cell(h) + " |")
	}
	b.WriteString("\n|")
	for range s.Header {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, row := range s.Rows {
		b.WriteString("|")
		for _, v := range row {
			b.WriteString(" " + cell(v) + " |")
		}
		b.WriteString("\n")
	}
	if len(s.After) > 0 {
		b.WriteString("\n")
		for _, l := range s.After {
			b.WriteString(strings.TrimSpace(l) + "\n")
		}
	}
	return b.String()
}

// renderDocs replaces each <!-- bench:NAME --> … <!-- /bench:NAME --> block of
// doc with the section of that name, from the recorded run r. A marker with no
// section in r, or a section with no marker, is an error: the document and
// the run must describe the same things.
func renderDocs(doc string, r *Results) (string, error) {
	for _, s := range sections(r) {
		open, end := "<!-- bench:"+s.Name+" -->\n", "<!-- /bench:"+s.Name+" -->"
		i := strings.Index(doc, open)
		j := strings.Index(doc, end)
		if i < 0 || j < i {
			return "", fmt.Errorf("docs: no %q … %q block", strings.TrimSpace(open), end)
		}
		doc = doc[:i+len(open)] + s.markdown() + doc[j:]
	}
	for rest := doc; ; {
		i := strings.Index(rest, "<!-- bench:")
		if i < 0 {
			break
		}
		name, _, _ := strings.Cut(rest[i+len("<!-- bench:"):], " ")
		if !slices.ContainsFunc(sections(r), func(s section) bool { return s.Name == name }) {
			return "", fmt.Errorf("docs: block %q has no section in the recorded run", name)
		}
		rest = rest[i+1:]
	}
	return doc, nil
}

func unitList(m map[string]float64) string {
	ops := make([]string, 0, len(m))
	for op := range m {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	var parts []string
	for _, op := range ops {
		parts = append(parts, fmt.Sprintf("%s %.1f", op, m[op]))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}
