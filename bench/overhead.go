package main

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/openrasp/rasp/shared/routes"
)

// route is one step of the journey, measured through its handler and
// through its bare loop. Iteration i of each side may need its own state
// (a fresh draft to submit), so both are indexed.
type route struct {
	name     string
	function string
	handler  func(i int) (call, error)
	bare     func(ctx context.Context, i int) error
}

// Timing compares a route's handler with its bare loop.
type Timing struct {
	Route      string  `json:"route"`
	Function   string  `json:"function"`
	N          int     `json:"n"`
	HandlerP50 float64 `json:"handlerP50Ms"`
	HandlerP95 float64 `json:"handlerP95Ms"`
	BareP50    float64 `json:"bareP50Ms"`
	BareP95    float64 `json:"bareP95Ms"`
	RatioP50   float64 `json:"ratioP50"`
	RatioP95   float64 `json:"ratioP95"`
	// PairedP50 is the median of handler/bare over each iteration's pair
	// (run back to back): steadier than RatioP50 when other work on the
	// machine comes and goes.
	PairedP50 float64 `json:"pairedRatioP50"`
}

// Capacity is what one call of a route costs in DynamoDB.
type Capacity struct {
	Route    string             `json:"route"`
	Handler  callCounts         `json:"handler"`
	Bare     callCounts         `json:"bare"`
	Reported map[string]float64 `json:"storeReported"` // from (*dynamo.Store).OnCapacity
	Scans    int                `json:"scans"`
}

// journeyRoutes sets up the state every route needs: iters iterations for
// each side (warm-up, timed runs and capacity runs).
func journeyRoutes(ctx context.Context, e *env, iters int) ([]route, error) {
	in, b := e.invoke, e.bank
	br := &bare{db: e.db, table: tableName, ver: b.Version}
	for _, q := range b.Questions() {
		br.qids = append(br.qids, q.ID)
	}
	for _, a := range b.Areas {
		br.areas = append(br.areas, a.ID)
	}
	slices.Sort(br.areas)

	// start: a new assessment, alone or joining a partnership.
	joiners, err := in.partnership(ctx, "Bench joiners")
	if err != nil {
		return nil, fmt.Errorf("set up start+join: %w", err)
	}
	start, err := in.prepare("POST", "/api/assessments", "", startBody("Bench council", ""), 201)
	if err != nil {
		return nil, fmt.Errorf("set up start: %w", err)
	}
	startJoin, err := in.prepare("POST", "/api/assessments", "", startBody("Bench council", joiners.JoinCode), 201)
	if err != nil {
		return nil, fmt.Errorf("set up start+join: %w", err)
	}

	// save one area: the same area of one draft per side, again and again;
	// the area with the most questions, the largest item.
	area, most := "", 0
	for _, a := range b.Areas {
		if len(a.Questions) > most {
			area, most = a.ID, len(a.Questions)
		}
	}
	body := areaBody(b, area, 2)
	savers, err := in.drafts(ctx, b, 2, "Bench saver", "", false)
	if err != nil {
		return nil, fmt.Errorf("set up save: %w", err)
	}
	save, err := in.prepare("PUT", "/api/assessments/"+savers[0].ID+"/answers", savers[0].Token, body, 200)
	if err != nil {
		return nil, fmt.Errorf("set up save: %w", err)
	}

	// first save: the same area, but the first save of it, on a fresh
	// draft per iteration and side (a transaction that creates the item):
	// what each area's save is in a completed assessment's journey.
	fresh, err := in.started(ctx, 2*iters, "Bench first saver")
	if err != nil {
		return nil, fmt.Errorf("set up first save: %w", err)
	}
	freshH, freshB := fresh[:iters], fresh[iters:]

	// submit: a complete draft per iteration and side, members of a
	// partnership so the submit also writes the score snapshot that
	// comparisons read.
	submitters, err := in.partnership(ctx, "Bench submitters")
	if err != nil {
		return nil, fmt.Errorf("set up submit: %w", err)
	}
	subs, err := in.drafts(ctx, b, 2*iters, "Bench submitter", submitters.JoinCode, false)
	if err != nil {
		return nil, fmt.Errorf("set up submit: %w", err)
	}
	subH, subB := subs[:iters], subs[iters:]

	// score: a submitted assessment.
	scored, err := in.drafts(ctx, b, 1, "Bench scored", "", true)
	if err != nil {
		return nil, fmt.Errorf("set up score: %w", err)
	}
	score, err := in.prepare("GET", "/api/assessments/"+scored[0].ID+"/score", scored[0].Token, nil, 200)
	if err != nil {
		return nil, fmt.Errorf("set up score: %w", err)
	}

	// compare: partnerships whose round 1 every member has submitted; a
	// member council views the comparison.
	comparison := func(councils int) (call, string, error) {
		p, err := in.partnership(ctx, fmt.Sprintf("Bench %d councils", councils))
		if err != nil {
			return call{}, "", err
		}
		members, err := in.drafts(ctx, b, councils, fmt.Sprintf("Council of %d", councils), p.JoinCode, true)
		if err != nil {
			return call{}, "", err
		}
		c, err := in.prepare("GET", "/api/partnerships/"+p.ID+"/comparison", members[0].Token, nil, 200)
		return c, p.ID, err
	}
	compare3, p3, err := comparison(3)
	if err != nil {
		return nil, fmt.Errorf("set up compare 3: %w", err)
	}
	compare50, p50, err := comparison(50)
	if err != nil {
		return nil, fmt.Errorf("set up compare 50: %w", err)
	}

	same := func(c call) func(int) (call, error) { return func(int) (call, error) { return c, nil } }
	return []route{
		{name: "start", function: routes.FnStart, handler: same(start),
			bare: func(ctx context.Context, _ int) error { return br.start(ctx, "Bench council", "") }},
		{name: "start+join", function: routes.FnStart, handler: same(startJoin),
			bare: func(ctx context.Context, _ int) error { return br.start(ctx, "Bench council", joiners.JoinCode) }},
		{name: "save one area", function: routes.FnAnswers, handler: same(save),
			bare: func(ctx context.Context, _ int) error { return br.saveArea(ctx, savers[1].ID, area, body) }},
		{name: "first save of an area", function: routes.FnAnswers,
			handler: func(i int) (call, error) {
				return in.prepare("PUT", "/api/assessments/"+freshH[i].ID+"/answers", freshH[i].Token, body, 200)
			},
			bare: func(ctx context.Context, i int) error { return br.saveArea(ctx, freshB[i].ID, area, body) }},
		{name: "submit", function: routes.FnAnswers,
			handler: func(i int) (call, error) {
				return in.prepare("POST", "/api/assessments/"+subH[i].ID+"/submit", subH[i].Token, nil, 200)
			},
			bare: func(ctx context.Context, i int) error { return br.submit(ctx, subB[i].ID) }},
		{name: "score", function: routes.FnScore, handler: same(score),
			bare: func(ctx context.Context, _ int) error { return br.score(ctx, scored[0].ID) }},
		{name: "compare 3", function: routes.FnCompare, handler: same(compare3),
			bare: func(ctx context.Context, _ int) error { return br.compare(ctx, p3) }},
		{name: "compare 50", function: routes.FnCompare, handler: same(compare50),
			bare: func(ctx context.Context, _ int) error { return br.compare(ctx, p50) }},
	}, nil
}

// measureOverhead times warm+n calls of each side, alternating which goes
// first so that drift in the machine's load falls on both alike, and keeps
// the last n.
func measureOverhead(ctx context.Context, rs []route, warm, n int) ([]Timing, error) {
	var out []Timing
	for _, r := range rs {
		runtime.GC()
		var hs, bs []time.Duration
		var pairs []float64
		for i := range warm + n {
			c, err := r.handler(i)
			if err != nil {
				return nil, err
			}
			timeHandler := func() (time.Duration, error) {
				t := time.Now()
				_, err := c.do(ctx)
				return time.Since(t), err
			}
			timeBare := func() (time.Duration, error) {
				t := time.Now()
				err := r.bare(ctx, i)
				return time.Since(t), err
			}
			var h, bd time.Duration
			if i%2 == 0 {
				if h, err = timeHandler(); err == nil {
					bd, err = timeBare()
				}
			} else {
				if bd, err = timeBare(); err == nil {
					h, err = timeHandler()
				}
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", r.name, err)
			}
			if i >= warm {
				hs, bs = append(hs, h), append(bs, bd)
				pairs = append(pairs, float64(h)/float64(bd))
			}
		}
		t := Timing{Route: r.name, Function: r.function, N: n,
			HandlerP50: ms(percentile(hs, 50)), HandlerP95: ms(percentile(hs, 95)),
			BareP50: ms(percentile(bs, 50)), BareP95: ms(percentile(bs, 95))}
		t.RatioP50, t.RatioP95 = round3(t.HandlerP50/t.BareP50), round3(t.HandlerP95/t.BareP95)
		slices.Sort(pairs)
		t.PairedP50 = round3(pairs[(len(pairs)-1)/2])
		out = append(out, t)
	}
	return out, nil
}

// measureCapacity runs each side k more times (iterations from..from+k-1)
// with the counting client on, and reports the mean per call.
func measureCapacity(ctx context.Context, e *env, rs []route, from, k int) ([]Capacity, error) {
	var out []Capacity
	for _, r := range rs {
		e.db.start()
		e.capacity.start()
		for i := from; i < from+k; i++ {
			c, err := r.handler(i)
			if err == nil {
				_, err = c.do(ctx)
			}
			if err != nil {
				e.db.stop()
				e.capacity.stop()
				return nil, fmt.Errorf("%s: %w", r.name, err)
			}
		}
		h, reported := e.db.stop(), e.capacity.stop()
		e.db.start()
		for i := from; i < from+k; i++ {
			if err := r.bare(ctx, i); err != nil {
				e.db.stop()
				return nil, fmt.Errorf("%s (bare): %w", r.name, err)
			}
		}
		bb := e.db.stop()
		for op := range reported {
			reported[op] = round3(reported[op] / float64(k))
		}
		out = append(out, Capacity{Route: r.name, Handler: perCall(h, k), Bare: perCall(bb, k), Reported: reported})
	}
	return out, nil
}

func perCall(c callCounts, k int) callCounts {
	f := func(x float64) float64 { return round3(x / float64(k)) }
	out := callCounts{Calls: map[string]int{}, RCU: f(c.RCU), WCU: f(c.WCU), TxWCU: f(c.TxWCU), IndexWCU: f(c.IndexWCU),
		LocalRCU: f(c.LocalRCU), LocalWCU: f(c.LocalWCU)}
	for op, v := range c.Calls {
		out.Calls[op] = (v + k/2) / k
	}
	return out
}

// percentile is the nearest-rank percentile.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) float64 { return round3(float64(d.Microseconds()) / 1000) }

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// writes counts the write calls of a measurement.
func writes(c callCounts) int {
	return c.Calls["PutItem"] + c.Calls["UpdateItem"] + c.Calls["DeleteItem"] + c.Calls["TransactWriteItems"]
}

func totalCalls(c callCounts) int {
	t := 0
	for _, v := range c.Calls {
		t += v
	}
	return t
}
