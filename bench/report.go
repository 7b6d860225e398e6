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
	goalZipBytes  = 5 << 20
	goalColdRatio = 1.5 // init + first invoke, to the empty Go Lambda's in the same run
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
			add(c.Function+": zipped bootstrap ≤ 5 MB", c.ZipBytes <= goalZipBytes, "%.2f MB", float64(c.ZipBytes)/(1<<20))
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

func printResults(w io.Writer, r *Results) {
	tw := func() *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }
	st := r.Settings

	if len(r.Overhead) > 0 {
		fmt.Fprintf(w, "1. Overhead: full handler (event in → response out, in-process) vs bare SDK loop, same DynamoDB calls; n=%d each, after %d warm-up (ms)\n", st.N, st.Warmup)
		fmt.Fprintln(w, "   (handler and bare alternate; paired p50 = median of handler/bare per back-to-back pair)")
		t := tw()
		fmt.Fprintln(t, "route\tfunction\thandler p50\tp95\tbare p50\tp95\tratio p50\tp95\tpaired p50\t≤ 1.15×")
		for _, o := range r.Overhead {
			fmt.Fprintf(t, "%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f×\t%.2f×\t%.2f×\t%s\n", o.Route, o.Function, o.HandlerP50, o.HandlerP95,
				o.BareP50, o.BareP95, o.RatioP50, o.RatioP95, o.PairedP50, mark(o.RatioP50 <= goalRatio))
		}
		t.Flush()
		fmt.Fprintln(w)
	}

	if len(r.Capacity) > 0 {
		fmt.Fprintln(w, "2. DynamoDB per request: calls through a counting dynamo.API wrapper; request units by AWS's rules from item sizes")
		fmt.Fprintln(w, "   (transactions 2× per item, index writes 1×), with what DynamoDB Local reports (ReturnConsumedCapacity=TOTAL) beside them")
		t := tw()
		fmt.Fprintln(t, "route\tcalls\tRRU\tWRU\tin transactions\tindex\tbare loop RRU/WRU\tLocal RCU/WCU\tstore OnCapacity (Local)")
		for _, c := range r.Capacity {
			fmt.Fprintf(t, "%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f / %.1f\t%.1f / %.1f\t%s\n", c.Route, callList(c.Handler), c.Handler.RCU, c.Handler.WCU,
				c.Handler.TxWCU, c.Handler.IndexWCU, c.Bare.RCU, c.Bare.WCU, c.Handler.LocalRCU, c.Handler.LocalWCU, unitList(c.Reported))
		}
		t.Flush()
		fmt.Fprintln(w)
	}

	if c := r.Cost; c != nil {
		fmt.Fprintln(w, "3. Cost per 1,000 completed assessments (start+join, 5 area saves, submit, score, 1 comparison view), eu-west-2, USD")
		fmt.Fprintf(w, "   prices: HTTP API $%.2f/M requests; Lambda $%.2f/M requests + arm64 $%.10f/GB-s; DynamoDB on-demand $%.4f/M WRU, $%.4f/M RRU\n",
			priceHTTPAPIPerMillion, priceLambdaReqPerMillion, priceLambdaArmGBSecond, priceWRUPerMillion, priceRRUPerMillion)
		fmt.Fprintln(w, "   (list prices recorded 2026-11-23, sources in bench/cost.go; Lambda billed per started ms of the measured handler p50; WRU/RRU from section 2)")
		t := tw()
		fmt.Fprintln(t, "route\trequests\tbilled ms\tMB\tWRU/req\tRRU/req\tHTTP API\tLambda req\tLambda GB-s\tDynamoDB\ttotal")
		for _, l := range c.Lines {
			fmt.Fprintf(t, "%s\t%d\t%.0f\t%d\t%.1f\t%.1f\t%.5f\t%.5f\t%.5f\t%.5f\t%.5f\n", l.Route, l.Requests, l.BilledMs, l.MemoryMB,
				l.WRU, l.RRU, l.HTTPAPI, l.LambdaReq, l.LambdaTime, l.DynamoDB, l.Total)
		}
		fmt.Fprintf(t, "total\t\t\t\t\t\t%.5f\t%.5f\t%.5f\t%.5f\t%.5f  %s goal ≤ $0.03\n", c.HTTPAPI, c.LambdaReq, c.LambdaTime, c.DynamoDB, c.Total, mark(c.Total <= goalCostUSD))
		t.Flush()
		fmt.Fprintln(w)
	}

	if len(r.ColdStart) > 0 {
		fmt.Fprintf(w, "4. Cold start under AWS's Lambda Runtime Interface Emulator (%s): host-arch (%s) builds with the release flags;\n", rie.Version, runtime.GOARCH)
		fmt.Fprintf(w, "   init and invoke are the emulator's own INIT REPORT and INVOKE RTDONE durations (median of %d fresh emulators);\n", st.ColdRuns)
		fmt.Fprintln(w, "   goal: init + first invoke ≤ 1.5× the empty Go Lambda (floor) of the same run. Zip: build/<fn>.zip (arm64).")
		t := tw()
		fmt.Fprintln(t, "function\tzip MB\t≤ 5 MB\tfirst event\tinit ms\tinvoke ms\tcold ms\tmin\tmax\t× floor\t≤ 1.5×")
		for _, c := range r.ColdStart {
			zip := "-"
			if c.ZipBytes > 0 {
				zip = fmt.Sprintf("%.2f", float64(c.ZipBytes)/(1<<20))
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
				fmt.Fprintf(t, "%s\t%s\t%s\t%s: %s\t\t\t\t\t\t\t%s\n", name, zip, zipOK, c.Status, c.Detail, mark(false))
				continue
			}
			fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.2f\t%s\n", name, zip, zipOK,
				c.Event, c.InitMs, c.InvokeMs, c.MedianMs, c.MinMs, c.MaxMs, c.Ratio, mark(c.Ratio <= goalColdRatio))
		}
		t.Flush()
		fmt.Fprintln(w)
	}

	if len(r.Scale) > 0 {
		fmt.Fprintf(w, "5. Scale: go test -run '^$' -bench . -benchmem %s\n", scalePackage)
		t := tw()
		fmt.Fprintln(t, "benchmark\titerations\tms/op\tB/op\tallocs/op")
		for _, b := range r.Scale {
			fmt.Fprintf(t, "%s\t%d\t%.3f\t%d\t%d\n", b.Name, b.Iterations, b.NsPerOp/1e6, b.BytesPerOp, b.AllocsPerOp)
		}
		t.Flush()
		fmt.Fprintln(w)
	}

	if l := r.Load; l != nil {
		fmt.Fprintf(w, "6. Load: %d users completing assessments (start, 5 saves, submit, score) through the local gateway on loopback for %.0f s\n", l.Users, l.DurationS)
		fmt.Fprintf(w, "   %d requests, %.1f req/s, %d journeys completed (%.1f/s), p50 %.1f ms, p99 %.1f ms, %d errors\n",
			l.Requests, l.Throughput, l.Journeys, l.JourneysPerS, l.P50, l.P99, l.Errors)
		t := tw()
		fmt.Fprintln(t, "   route\trequests\tp50 ms\tp99 ms")
		for _, p := range l.PerRoute {
			fmt.Fprintf(t, "   %s\t%d\t%.1f\t%.1f\n", p.Route, p.Requests, p.P50, p.P99)
		}
		t.Flush()
		fmt.Fprintf(w, "   read back: %d/%d acknowledged answers and %d/%d submits present in %d assessments %s\n",
			l.AnswersPresent, l.AnswersAcked, l.SubmitsPresent, l.SubmitsAcked, l.Assessments, mark(l.AllAckedPresent))
		for _, e := range l.ErrorSamples {
			fmt.Fprintf(w, "   error: %s\n", e)
		}
		for _, f := range l.VerifyFailures {
			fmt.Fprintf(w, "   missing: %s\n", f)
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintln(w, "Goals")
	t := tw()
	for _, g := range r.Goals {
		fmt.Fprintf(t, "%s\t%s\t%s\n", mark(g.Met), g.Goal, g.Measured)
	}
	t.Flush()
	for _, u := range r.Unavailable {
		fmt.Fprintf(w, "not measured: %s\n", u)
	}
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
