package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sync"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/routes"
)

// invoker calls the functions' Lambda handlers in-process with the event
// API Gateway would send (built by the local gateway's own Event).
type invoker struct {
	table []routes.Route
	fns   map[string]localgateway.LambdaHandler
}

// call is one prepared invocation: the handler and its event.
type call struct {
	fn    localgateway.LambdaHandler
	ev    events.APIGatewayV2HTTPRequest
	route string
	want  int
}

func (c call) do(ctx context.Context) (events.APIGatewayV2HTTPResponse, error) {
	resp, err := c.fn(ctx, c.ev)
	if err != nil {
		return resp, fmt.Errorf("%s: %w", c.route, err)
	}
	if resp.StatusCode != c.want {
		return resp, fmt.Errorf("%s: got %d %s, want %d", c.route, resp.StatusCode, resp.Body, c.want)
	}
	return resp, nil
}

// prepare builds the event of a request; want is the success status.
func (in *invoker) prepare(method, path, token string, body any, want int) (call, error) {
	route, ev, err := buildEvent(in.table, method, path, token, body)
	if err != nil {
		return call{}, err
	}
	fn := in.fns[route.Function]
	if fn == nil {
		return call{}, fmt.Errorf("%s %s: function %s is not wired", method, path, route.Function)
	}
	return call{fn: fn, ev: ev, route: route.Name, want: want}, nil
}

// buildEvent builds the API Gateway event of a request, as the local
// gateway does.
func buildEvent(table []routes.Route, method, path, token string, body any) (routes.Route, events.APIGatewayV2HTTPRequest, error) {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return routes.Route{}, events.APIGatewayV2HTTPRequest{}, err
		}
	}
	r := httptest.NewRequest(method, "http://127.0.0.1"+path, bytes.NewReader(raw))
	if raw != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	route, params, ok := routes.Match(table, method, r.URL.EscapedPath())
	if !ok {
		return routes.Route{}, events.APIGatewayV2HTTPRequest{}, fmt.Errorf("%s %s: no route", method, path)
	}
	return route, localgateway.Event(r, route, params, raw), nil
}

// do sends one request and decodes the reply into out (when not nil).
func (in *invoker) do(ctx context.Context, method, path, token string, body any, want int, out any) error {
	c, err := in.prepare(method, path, token, body, want)
	if err != nil {
		return err
	}
	resp, err := c.do(ctx)
	if err != nil {
		return err
	}
	if out != nil {
		return json.Unmarshal([]byte(resp.Body), out)
	}
	return nil
}

func startBody(council, joinCode string) api.StartAssessment {
	return api.StartAssessment{Council: council, Respondent: api.Respondent{Name: "Sam Patel", Role: "Programme manager"},
		Purpose: "readiness", IntendedForm: "collaborate", JoinCode: joinCode}
}

// benchNote is on every answer: notes make area items larger than 1 KB, the
// case the "≤ 2 WCU per save" goal is about.
const benchNote = "Evidence: board minutes of March; see the programme plan."

// areaBody answers every question of an area; seed varies the scores.
func areaBody(b *bank.Bank, area string, seed int) api.SaveAnswers {
	out := api.SaveAnswers{Answers: map[string]api.AnswerChange{}}
	a, _ := b.Area(area)
	note := benchNote
	for i, q := range a.Questions {
		s := (seed + i) % 5
		out.Answers[q.ID] = api.AnswerChange{Score: api.Given(&s), Note: &note}
	}
	return out
}

func (in *invoker) start(ctx context.Context, council, joinCode string) (api.Started, error) {
	var s api.Started
	err := in.do(ctx, "POST", "/api/assessments", "", startBody(council, joinCode), 201, &s)
	return s, err
}

// complete answers every area of an assessment.
func (in *invoker) complete(ctx context.Context, b *bank.Bank, s api.Started, seed int) error {
	for _, area := range b.Areas {
		if err := in.do(ctx, "PUT", "/api/assessments/"+s.ID+"/answers", s.Token, areaBody(b, area.ID, seed), 200, nil); err != nil {
			return err
		}
	}
	return nil
}

func (in *invoker) submit(ctx context.Context, s api.Started) error {
	return in.do(ctx, "POST", "/api/assessments/"+s.ID+"/submit", s.Token, nil, 200, nil)
}

func (in *invoker) partnership(ctx context.Context, name string) (api.PartnershipCreated, error) {
	var p api.PartnershipCreated
	err := in.do(ctx, "POST", "/api/partnerships", "", api.CreatePartnership{Name: name, IntendedForm: "collaborate"}, 201, &p)
	return p, err
}

// started starts n drafts with no answer yet, a few at a time.
func (in *invoker) started(ctx context.Context, n int, prefix string) ([]api.Started, error) {
	return fewAtATime(n, func(i int) (api.Started, error) {
		return in.start(ctx, fmt.Sprintf("%s %03d", prefix, i+1), "")
	})
}

// drafts starts n complete drafts (joined to a partnership when joinCode is
// set), a few at a time.
func (in *invoker) drafts(ctx context.Context, b *bank.Bank, n int, prefix, joinCode string, submit bool) ([]api.Started, error) {
	return fewAtATime(n, func(i int) (api.Started, error) {
		s, err := in.start(ctx, fmt.Sprintf("%s %03d", prefix, i+1), joinCode)
		if err == nil {
			err = in.complete(ctx, b, s, i)
		}
		if err == nil && submit {
			err = in.submit(ctx, s)
		}
		return s, err
	})
}

// fewAtATime runs one for 0..n-1, four at once, and returns the results in
// order, or the first error by index.
func fewAtATime(n int, one func(i int) (api.Started, error)) ([]api.Started, error) {
	out := make([]api.Started, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i], errs[i] = one(i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
