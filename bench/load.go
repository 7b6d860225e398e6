package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/lambdas"
	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/routes"
)

// Load is the result of the loopback load test.
type Load struct {
	Users           int         `json:"users"`
	DurationS       float64     `json:"durationSeconds"`
	Requests        int         `json:"requests"`
	Journeys        int         `json:"journeysCompleted"`
	Throughput      float64     `json:"requestsPerSecond"`
	JourneysPerS    float64     `json:"journeysPerSecond"`
	P50             float64     `json:"p50Ms"`
	P99             float64     `json:"p99Ms"`
	PerRoute        []LoadRoute `json:"perRoute"`
	Errors          int         `json:"errors"`
	ErrorSamples    []string    `json:"errorSamples,omitempty"`
	Assessments     int         `json:"assessmentsStarted"`
	AnswersAcked    int         `json:"answersAcknowledged"`
	AnswersPresent  int         `json:"answersPresent"`
	SubmitsAcked    int         `json:"submitsAcknowledged"`
	SubmitsPresent  int         `json:"submitsPresent"`
	VerifyFailures  []string    `json:"verifyFailures,omitempty"`
	AllAckedPresent bool        `json:"allAcknowledgedPresent"`
}

// LoadRoute is the latency of one route under load.
type LoadRoute struct {
	Route    string  `json:"route"`
	Requests int     `json:"requests"`
	P50      float64 `json:"p50Ms"`
	P99      float64 `json:"p99Ms"`
}

// loadJourney is what the service acknowledged to one user.
type loadJourney struct {
	started   api.Started
	acked     map[string]api.Answer // question id → answer acknowledged by a 200
	submitted bool
}

type sample struct {
	route string
	d     time.Duration
	err   error
}

// runLoad serves the local gateway on loopback and has users complete
// assessments (start, five area saves, submit, score) for d; then reads
// every assessment back and checks that each acknowledged answer is there.
func runLoad(ctx context.Context, e *env, users int, d time.Duration) (*Load, error) {
	gw := &localgateway.Gateway{Routes: routes.Table(), Functions: lambdas.HTTPFunctions(e.deps), Log: e.deps.Log}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: gw, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	defer srv.Close()
	base := "http://" + l.Addr().String()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: users * 2, MaxIdleConnsPerHost: users * 2, IdleConnTimeout: time.Minute}}
	defer client.CloseIdleConnections()

	var (
		mu       sync.Mutex
		samples  []sample
		journeys []*loadJourney
	)
	record := func(s sample) {
		mu.Lock()
		samples = append(samples, s)
		mu.Unlock()
	}
	send := func(route, method, path, token string, body any, want int, out any) error {
		var raw []byte
		if body != nil {
			raw, _ = json.Marshal(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(raw))
		if err != nil {
			return err
		}
		if raw != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		t := time.Now()
		resp, err := client.Do(req)
		var got []byte
		if err == nil {
			got, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if err == nil && resp.StatusCode != want {
				err = fmt.Errorf("%s %s: got %d %.200s", method, route, resp.StatusCode, got)
			}
		}
		record(sample{route: route, d: time.Since(t), err: err})
		if err == nil && out != nil {
			err = json.Unmarshal(got, out)
		}
		return err
	}

	b := e.bank
	begin := time.Now()
	deadline := begin.Add(d)
	var wg sync.WaitGroup
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; time.Now().Before(deadline); k++ {
				j := &loadJourney{acked: map[string]api.Answer{}}
				if err := send("start", "POST", "/api/assessments", "", startBody(fmt.Sprintf("Load %02d-%04d", u, k), ""), 201, &j.started); err != nil {
					continue
				}
				mu.Lock()
				journeys = append(journeys, j)
				mu.Unlock()
				id, token := j.started.ID, j.started.Token
				ok := true
				for _, area := range b.Areas {
					if !time.Now().Before(deadline) {
						ok = false
						break
					}
					body := areaBody(b, area.ID, u*1000+k)
					if err := send("save one area", "PUT", "/api/assessments/"+id+"/answers", token, body, 200, nil); err != nil {
						ok = false
						break
					}
					mu.Lock()
					for q, a := range body.Answers {
						j.acked[q] = api.Answer{Score: a.Score.Value, Note: *a.Note}
					}
					mu.Unlock()
				}
				if !ok || !time.Now().Before(deadline) {
					continue
				}
				if send("submit", "POST", "/api/assessments/"+id+"/submit", token, nil, 200, nil) != nil {
					continue
				}
				mu.Lock()
				j.submitted = true
				mu.Unlock()
				_ = send("score", "GET", "/api/assessments/"+id+"/score", token, nil, 200, nil)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)

	res := &Load{Users: users, DurationS: round3(elapsed.Seconds()), Requests: len(samples), Assessments: len(journeys)}
	byRoute := map[string][]time.Duration{}
	var all []time.Duration
	for _, s := range samples {
		if s.err != nil {
			res.Errors++
			if len(res.ErrorSamples) < 5 {
				res.ErrorSamples = append(res.ErrorSamples, s.err.Error())
			}
			continue
		}
		all = append(all, s.d)
		byRoute[s.route] = append(byRoute[s.route], s.d)
	}
	res.Journeys = len(byRoute["score"])
	res.Throughput = round3(float64(res.Requests) / elapsed.Seconds())
	res.JourneysPerS = round3(float64(res.Journeys) / elapsed.Seconds())
	res.P50, res.P99 = ms(percentile(all, 50)), ms(percentile(all, 99))
	for _, r := range []string{"start", "save one area", "submit", "score"} {
		res.PerRoute = append(res.PerRoute, LoadRoute{Route: r, Requests: len(byRoute[r]),
			P50: ms(percentile(byRoute[r], 50)), P99: ms(percentile(byRoute[r], 99))})
	}
	if err := verifyLoad(ctx, e, journeys, res); err != nil {
		return nil, err
	}
	return res, nil
}

// verifyLoad reads every assessment back and checks the acknowledged
// answers and submits are all there.
func verifyLoad(ctx context.Context, e *env, journeys []*loadJourney, res *Load) error {
	fail := func(format string, a ...any) {
		if len(res.VerifyFailures) < 10 {
			res.VerifyFailures = append(res.VerifyFailures, fmt.Sprintf(format, a...))
		}
	}
	for _, j := range journeys {
		res.AnswersAcked += len(j.acked)
		if j.submitted {
			res.SubmitsAcked++
		}
		var got api.Assessment
		err := e.invoke.do(ctx, "GET", "/api/assessments/"+j.started.ID, j.started.Token, nil, 200, &got)
		if errors.Is(err, context.Canceled) {
			return err
		}
		if err != nil {
			fail("%s: %v", j.started.ID, err)
			continue
		}
		for q, want := range j.acked {
			have, ok := got.Answers[q]
			if ok && equalScore(have.Score, want.Score) && have.Note == want.Note {
				res.AnswersPresent++
			} else {
				fail("%s: answer %s acknowledged but not stored", j.started.ID, q)
			}
		}
		if j.submitted {
			if got.Status == "submitted" {
				res.SubmitsPresent++
			} else {
				fail("%s: submit acknowledged but status is %s", j.started.ID, got.Status)
			}
		}
	}
	res.AllAckedPresent = res.AnswersPresent == res.AnswersAcked && res.SubmitsPresent == res.SubmitsAcked
	return nil
}

func equalScore(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
