package main

import (
	"fmt"
	"math"

	"github.com/openrasp/rasp/shared/routes"
)

// List prices, eu-west-2 (Europe, London), USD, on-demand, first pricing
// tier, no free tier; recorded 2026-11-23. The price pages render their
// regional tables with JavaScript and could not be read from this machine,
// so these are the well-known list prices from the pages named below,
// checked for plausibility against the us-east-1 figures those pages and
// AWS's whitepapers show; re-check them when the pages can be read:
//   - "Amazon API Gateway pricing" (aws.amazon.com/api-gateway/pricing),
//     HTTP APIs, first 300 million requests a month: $1.00 per million in
//     us-east-1; $1.11 per million in eu-west-2 (the figure in issue 10).
//   - "AWS Lambda pricing" (aws.amazon.com/lambda/pricing): $0.20 per
//     million requests; Arm duration $0.0000133334 per GB-second (first
//     7.5 billion GB-s a month), the same in eu-west-2 as in us-east-1.
//   - "Amazon DynamoDB pricing for on-demand capacity"
//     (aws.amazon.com/dynamodb/pricing/on-demand), Standard table class:
//     London was $1.4846 per million write request units and $0.2970 per
//     million read request units before the on-demand price cut of
//     1 November 2024 (-50 %), hence $0.7423 and $0.1485.
//
// Request units are those worked out by AWS's rules from the item sizes
// (see countingDB), not DynamoDB Local's own figures.
const (
	priceHTTPAPIPerMillion   = 1.11
	priceLambdaReqPerMillion = 0.20
	priceLambdaArmGBSecond   = 0.0000133334
	priceWRUPerMillion       = 0.7423
	priceRRUPerMillion       = 0.1485
)

// functionMemoryMB mirrors the memory of each function in the infra stack
// (infra/stack.go, functionSpecs). The bench must not import infra (it
// pulls in jsii), so the numbers are copied here until they move to a
// shared package; keep the two in step.
var functionMemoryMB = map[string]int{
	routes.FnStart:     256,
	routes.FnAnswers:   256,
	routes.FnScore:     256,
	routes.FnCompare:   256,
	routes.FnWeb:       256,
	routes.FnReminders: 256,
}

// journeyStep is one route of a completed assessment, and how many times.
type journeyStep struct {
	Route string `json:"route"`
	Times int    `json:"times"`
}

// completedAssessment is what one council does: start (joining its
// partnership), save each of the five areas once, submit, read its score
// and view the comparison (3 councils) once.
var completedAssessment = []journeyStep{
	{"start+join", 1}, {"save one area", 5}, {"submit", 1}, {"score", 1}, {"compare 3", 1},
}

// firstSaveRoute is the save the model's "save each area once" is in a
// real journey: the area's first save, a transaction that creates its item.
// The model above prices the cheaper later save (as the recorded runs
// did); Cost.FirstSaves prices the journey with first saves instead.
const firstSaveRoute = "first save of an area"

// CostLine is one route's cost within 1,000 completed assessments.
type CostLine struct {
	Route      string  `json:"route"`
	Requests   int     `json:"requests"`
	BilledMs   float64 `json:"billedMsPerRequest"`
	MemoryMB   int     `json:"memoryMB"`
	WRU        float64 `json:"wruPerRequest"`
	RRU        float64 `json:"rruPerRequest"`
	HTTPAPI    float64 `json:"httpApiUSD"`
	LambdaReq  float64 `json:"lambdaRequestsUSD"`
	LambdaTime float64 `json:"lambdaDurationUSD"`
	DynamoDB   float64 `json:"dynamodbUSD"`
	Total      float64 `json:"totalUSD"`
}

// Cost is the cost model for 1,000 completed assessments.
type Cost struct {
	Prices     map[string]float64 `json:"prices"`
	PricesNote string             `json:"pricesNote"`
	Lines      []CostLine         `json:"lines"`
	HTTPAPI    float64            `json:"httpApiUSD"`
	LambdaReq  float64            `json:"lambdaRequestsUSD"`
	LambdaTime float64            `json:"lambdaDurationUSD"`
	DynamoDB   float64            `json:"dynamodbUSD"`
	Total      float64            `json:"totalUSD"`
	// FirstSaves is the line of the five saves when each is its area's first
	// save, and TotalWithFirstSaves the total with it in place of the
	// "save one area" line (when that route was measured).
	FirstSaves          *CostLine `json:"firstSaves,omitempty"`
	TotalWithFirstSaves float64   `json:"totalWithFirstSavesUSD,omitempty"`
}

// costModel prices 1,000 completed assessments from the measured handler
// p50 (billed per started millisecond) and the request units per route.
func costModel(timings []Timing, caps []Capacity) (*Cost, error) {
	byTiming := map[string]Timing{}
	for _, t := range timings {
		byTiming[t.Route] = t
	}
	byCap := map[string]Capacity{}
	for _, c := range caps {
		byCap[c.Route] = c
	}
	c := &Cost{
		Prices: map[string]float64{
			"httpApiPerMillionRequests":    priceHTTPAPIPerMillion,
			"lambdaPerMillionRequests":     priceLambdaReqPerMillion,
			"lambdaArmPerGBSecond":         priceLambdaArmGBSecond,
			"dynamodbPerMillionWriteUnits": priceWRUPerMillion,
			"dynamodbPerMillionReadUnits":  priceRRUPerMillion,
		},
		PricesNote: "eu-west-2 list prices (see bench/cost.go for sources and date); duration is the handler p50 measured here, on DynamoDB Local; request units by AWS's rules from item sizes",
	}
	line := func(route string, times int) (CostLine, bool) {
		t, ok1 := byTiming[route]
		k, ok2 := byCap[route]
		if !ok1 || !ok2 {
			return CostLine{}, false
		}
		mem := functionMemoryMB[t.Function]
		reqs := times * 1000
		l := CostLine{Route: route, Requests: reqs, BilledMs: math.Ceil(t.HandlerP50), MemoryMB: mem, WRU: k.Handler.WCU, RRU: k.Handler.RCU}
		l.HTTPAPI = float64(reqs) * priceHTTPAPIPerMillion / 1e6
		l.LambdaReq = float64(reqs) * priceLambdaReqPerMillion / 1e6
		l.LambdaTime = float64(reqs) * l.BilledMs / 1000 * float64(mem) / 1024 * priceLambdaArmGBSecond
		l.DynamoDB = float64(reqs) * (l.WRU*priceWRUPerMillion + l.RRU*priceRRUPerMillion) / 1e6
		l.Total = l.HTTPAPI + l.LambdaReq + l.LambdaTime + l.DynamoDB
		return l, true
	}
	for _, step := range completedAssessment {
		l, ok := line(step.Route, step.Times)
		if !ok {
			return nil, fmt.Errorf("cost: route %s was not measured", step.Route)
		}
		c.HTTPAPI += l.HTTPAPI
		c.LambdaReq += l.LambdaReq
		c.LambdaTime += l.LambdaTime
		c.DynamoDB += l.DynamoDB
		c.Total += l.Total
		c.Lines = append(c.Lines, l)
	}
	for _, l := range c.Lines {
		if l.Route != "save one area" {
			continue
		}
		if first, ok := line(firstSaveRoute, l.Requests/1000); ok {
			c.FirstSaves = &first
			c.TotalWithFirstSaves = c.Total - l.Total + first.Total
		}
	}
	return c, nil
}
