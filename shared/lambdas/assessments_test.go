package lambdas_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/bank"
)

func intp(i int) *int       { return &i }
func strp(s string) *string { return &s }

func startBody(council, form string) api.StartAssessment {
	return api.StartAssessment{Council: council, Respondent: api.Respondent{Name: "Sam Patel", Role: "Programme manager"},
		Purpose: "readiness", IntendedForm: form}
}

func (e *env) start(in api.StartAssessment) api.Started {
	e.t.Helper()
	r := e.do("POST", "/api/assessments", "", in)
	if r.status != http.StatusCreated {
		e.t.Fatalf("start: got %d %s, want 201", r.status, r.body)
	}
	var s api.Started
	r.json(e.t, &s)
	return s
}

// areaAnswers answers every question of one area with score(q).
func areaAnswers(b *bank.Bank, area string, score func(bank.Question) *int) api.SaveAnswers {
	out := api.SaveAnswers{Answers: map[string]api.AnswerChange{}}
	a, _ := b.Area(area)
	for _, q := range a.Questions {
		out.Answers[q.ID] = api.AnswerChange{Score: api.Given(score(q))}
	}
	return out
}

func (e *env) answerAll(s api.Started, score func(bank.Question) *int) {
	e.t.Helper()
	for _, area := range library(e.t).Current().Areas {
		r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, areaAnswers(library(e.t).Current(), area.ID, score))
		if r.status != http.StatusOK {
			e.t.Fatalf("save %s: got %d %s", area.ID, r.status, r.body)
		}
	}
}

func TestJourney(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := library(t).Current()
	s := e.start(startBody("Southwark", "collaborate"))
	if s.Status != "draft" || s.QuestionVersion != b.Version || len(s.Token) < 43 {
		t.Fatalf("start: got %+v", s)
	}

	// Provisional score while draft.
	var sc api.Score
	e.do("GET", "/api/assessments/"+s.ID+"/score", s.Token, nil).json(t, &sc)
	if !sc.Provisional || sc.Readiness != "not-ready" {
		t.Errorf("draft score: got provisional=%v readiness=%s, want true not-ready", sc.Provisional, sc.Readiness)
	}

	// Submit before answering everything: 422 listing the missing ids.
	r := e.do("POST", "/api/assessments/"+s.ID+"/submit", s.Token, nil)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "answers.vision.") {
		t.Fatalf("early submit: got %d %s, want 422 listing missing questions", r.status, r.body)
	}

	e.answerAll(s, func(q bank.Question) *int {
		if q.Area == "risk" {
			return nil // don't know
		}
		return intp(4)
	})
	var got api.Assessment
	r = e.do("GET", "/api/assessments/"+s.ID, s.Token, nil)
	r.json(t, &got)
	if got.Progress.Answered != got.Progress.Total || got.Revision != int64(len(b.Areas)) {
		t.Errorf("progress: got %d/%d revision %d, want all answered, revision %d", got.Progress.Answered, got.Progress.Total, got.Revision, len(b.Areas))
	}
	// The client asked for gzip, so the tag names the gzip variant.
	if want := fmt.Sprintf("%q", fmt.Sprint(got.Revision)+"-gzip"); r.header.Get("Etag") != want {
		t.Errorf("etag: got %s, want %s", r.header.Get("Etag"), want)
	}

	// If-Match with a stale revision → 412; with the current one → 200.
	one := api.SaveAnswers{Answers: map[string]api.AnswerChange{"vision.political-backing": {Score: api.Given(intp(3)), Note: strp("Leaders agreed at cabinet")}}}
	if r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, one, "If-Match", `"1"`); r.status != http.StatusPreconditionFailed {
		t.Errorf("stale If-Match: got %d %s, want 412", r.status, r.body)
	}
	if r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, one, "If-Match", fmt.Sprintf("%q", fmt.Sprint(got.Revision))); r.status != http.StatusOK {
		t.Errorf("current If-Match: got %d %s, want 200", r.status, r.body)
	}

	var sub api.Submitted
	r = e.do("POST", "/api/assessments/"+s.ID+"/submit", s.Token, nil)
	r.json(t, &sub)
	if r.status != http.StatusOK || sub.Status != "submitted" {
		t.Fatalf("submit: got %d %s", r.status, r.body)
	}
	// Idempotent.
	var again api.Submitted
	e.do("POST", "/api/assessments/"+s.ID+"/submit", s.Token, nil).json(t, &again)
	if !again.SubmittedAt.Equal(sub.SubmittedAt) {
		t.Errorf("second submit: got %v, want %v", again.SubmittedAt, sub.SubmittedAt)
	}
	// Answers are frozen.
	if r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, one); r.status != http.StatusConflict {
		t.Errorf("save after submit: got %d, want 409", r.status)
	}

	e.do("GET", "/api/assessments/"+s.ID+"/score", s.Token, nil).json(t, &sc)
	if sc.Provisional || len(sc.Areas) != 5 {
		t.Fatalf("score: got %+v", sc)
	}
	for _, a := range sc.Areas {
		wantBand := "strength"
		if a.ID == "risk" {
			wantBand = "weakness"
		}
		if a.Band != wantBand {
			t.Errorf("area %s: got score %d band %s, want band %s", a.ID, a.Score, a.Band, wantBand)
		}
	}
	riskArea, _ := b.Area("risk")
	if len(sc.Unknown) != len(riskArea.Questions) {
		t.Errorf("unknown: got %d, want %d", len(sc.Unknown), len(riskArea.Questions))
	}
	// v2: "don't know" on a must-have (information governance, in risk) is
	// not ready, whatever the other answers, and it blocks every form.
	if sc.Model != "v2" || sc.Readiness != "not-ready" || sc.Verdict == nil {
		t.Fatalf("readiness: got model %s %s, verdict %v; want v2 not-ready with a verdict", sc.Model, sc.Readiness, sc.Verdict)
	}
	v := sc.Verdict
	if len(v.Blockers) != 1 || v.Blockers[0].Question != "risk.information-governance" || !v.Blockers[0].FindOut || v.Blockers[0].Action == "" {
		t.Errorf("blockers: got %+v, want risk.information-governance to find out, with an action", v.Blockers)
	}
	if v.DeepestReadyForm != "co-exist" || v.NextForm == nil || v.NextForm.Form != "communicate" || len(v.Forms) != 6 {
		t.Errorf("deepest ready %q, next %+v, %d forms; want co-exist, communicate blocked, 6 forms", v.DeepestReadyForm, v.NextForm, len(v.Forms))
	}
	if v.Profile != "readiness" || len(v.MustHaves) != 9 {
		t.Errorf("profile %s with %d must-haves, want readiness with the 9 of collaborate", v.Profile, len(v.MustHaves))
	}

	r = e.do("GET", "/api/assessments/"+s.ID+"/score.csv", s.Token, nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "Leaders agreed at cabinet") {
		t.Errorf("csv: got %d %.200s", r.status, r.body)
	}

	// Erasure removes every item.
	if r := e.do("DELETE", "/api/assessments/"+s.ID, s.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete: got %d %s", r.status, r.body)
	}
	if n := e.itemCount(); n != 0 {
		t.Errorf("items after delete: got %d, want 0", n)
	}
	if r := e.do("GET", "/api/assessments/"+s.ID, s.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("get after delete: got %d, want 404", r.status)
	}
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := startBody("Brent", "combine")
	first := e.do("POST", "/api/assessments", "", body, "Idempotency-Key", "k-123")
	second := e.do("POST", "/api/assessments", "", body, "Idempotency-Key", "k-123")
	var a, b api.Started
	first.json(t, &a)
	second.json(t, &b)
	if first.status != 201 || second.status != 201 || a.ID != b.ID || a.Token != b.Token {
		t.Fatalf("replay: got %d %+v and %d %+v, want the same assessment", first.status, a, second.status, b)
	}
	if r := e.do("GET", "/api/assessments/"+b.ID, b.Token, nil); r.status != 200 {
		t.Errorf("replayed token: got %d, want 200", r.status)
	}
	items := e.itemCount()
	body.Council = "Lewisham"
	if r := e.do("POST", "/api/assessments", "", body, "Idempotency-Key", "k-123"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("same key, other body: got %d %s, want 422", r.status, r.body)
	}
	if got := e.itemCount(); got != items {
		t.Errorf("items: got %d, want %d", got, items)
	}
}

func TestExpiredDraftIsGone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.start(startBody("Camden", "cooperate"))
	e.now.Add(181 * 24 * 3600 * 1e9)
	if r := e.do("GET", "/api/assessments/"+s.ID, s.Token, nil); r.status != http.StatusNotFound {
		t.Errorf("after 181 days untouched: got %d, want 404", r.status)
	}
}

// Many tabs saving different answers at once: every acknowledged answer
// must be in the submitted assessment.
func TestConcurrentSavesThenSubmit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := library(t).Current()
	s := e.start(startBody("Haringey", "coordinate"))
	qs := b.Questions()
	var wg sync.WaitGroup
	acked := make([]bool, len(qs))
	for g := 0; g < 50; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < len(qs); i += 50 {
				body := api.SaveAnswers{Answers: map[string]api.AnswerChange{qs[i].ID: {Score: api.Given(intp(i % 5)), Note: strp(fmt.Sprintf("tab %d", g))}}}
				if r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, body); r.status == http.StatusOK {
					acked[i] = true
				} else {
					t.Errorf("save %s: got %d %s", qs[i].ID, r.status, r.body)
				}
			}
		}(g)
	}
	wg.Wait()
	if r := e.do("POST", "/api/assessments/"+s.ID+"/submit", s.Token, nil); r.status != http.StatusOK {
		t.Fatalf("submit: got %d %s", r.status, r.body)
	}
	var got api.Assessment
	e.do("GET", "/api/assessments/"+s.ID, s.Token, nil).json(t, &got)
	for i, q := range qs {
		a, ok := got.Answers[q.ID]
		if acked[i] && (!ok || a.Score == nil || *a.Score != i%5) {
			t.Errorf("%s: acknowledged %d, stored %+v", q.ID, i%5, a)
		}
	}
}

// Saves racing a submit: each save is either in the submitted assessment
// (200) or refused whole (409 once submitted, 503 + Retry-After while the
// submit holds the draft); none is lost or half-applied.
func TestConcurrentSubmitAndSave(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := library(t).Current()
	s := e.start(startBody("Islington", "collaborate"))
	e.answerAll(s, func(bank.Question) *int { return intp(1) })
	var wg sync.WaitGroup
	type result struct {
		area   string
		status int
	}
	results := make(chan result, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			area := b.Areas[i%len(b.Areas)].ID
			// Two areas per save: a transaction that must not half-apply.
			other := b.Areas[(i+1)%len(b.Areas)].ID
			body := areaAnswers(b, area, func(bank.Question) *int { return intp(3) })
			for id, a := range areaAnswers(b, other, func(bank.Question) *int { return intp(3) }).Answers {
				body.Answers[id] = a
			}
			r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, body)
			if r.status == http.StatusServiceUnavailable && r.header.Get("Retry-After") == "" {
				t.Errorf("save refused by the submit's hold without Retry-After: %s", r.body)
			}
			results <- result{area, r.status}
		}(i)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if r := e.do("POST", "/api/assessments/"+s.ID+"/submit", s.Token, nil); r.status != http.StatusOK {
			t.Errorf("submit: got %d %s", r.status, r.body)
		}
	}()
	wg.Wait()
	close(results)
	var got api.Assessment
	e.do("GET", "/api/assessments/"+s.ID, s.Token, nil).json(t, &got)
	if got.Status != "submitted" {
		t.Fatalf("status: got %s", got.Status)
	}
	for r := range results {
		switch r.status {
		case http.StatusOK:
			a, _ := b.Area(r.area)
			for _, q := range a.Questions {
				if s := got.Answers[q.ID].Score; s == nil || *s != 3 {
					t.Errorf("acknowledged save of %s lost: %s = %v", r.area, q.ID, s)
				}
			}
		case http.StatusConflict, http.StatusServiceUnavailable:
		default:
			t.Errorf("save: got %d, want 200, 409 or 503", r.status)
		}
	}
	// Within each area the answers are all 1 or all 3: never half-applied.
	for _, area := range b.Areas {
		first := got.Answers[area.Questions[0].ID].Score
		for _, q := range area.Questions {
			if *got.Answers[q.ID].Score != *first {
				t.Errorf("area %s half-applied", area.ID)
				break
			}
		}
	}
}

// An area's first save is one transaction: the area (here 1–2 KB of
// answers with notes: 4 WCU as a transactional write in AWS) and the check
// that the assessment is still a draft (2 WCU), 6 WCU in AWS, which
// DynamoDB Local reports as 12 (it counts a transactional write at 4 WCU
// per KB, AWS at 2). Every later save of the area is one UpdateItem of at
// most 2 WCU, and scoring is one Query.
func TestCapacity(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := library(t).Current()
	s := e.start(startBody("Lewisham", "collaborate"))
	var mu sync.Mutex
	ops := map[string][]types.ConsumedCapacity{}
	e.store.OnCapacity(func(op string, cc []types.ConsumedCapacity) {
		mu.Lock()
		ops[op] = append(ops[op], cc...)
		mu.Unlock()
	})
	for _, c := range []struct {
		name    string
		maxWCU  float64
		comment string
	}{
		{"first save", 12, "Evidence: board minutes of March; see the programme plan."},
		{"later save", 2, "Evidence: board minutes of April; see the revised plan."},
	} {
		mu.Lock()
		ops = map[string][]types.ConsumedCapacity{}
		mu.Unlock()
		for _, area := range b.Areas {
			body := areaAnswers(b, area.ID, func(q bank.Question) *int { return intp(2) })
			for id, a := range body.Answers {
				a.Note = strp(c.comment)
				body.Answers[id] = a
			}
			if r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, body); r.status != 200 {
				t.Fatalf("save: %d %s", r.status, r.body)
			}
		}
		mu.Lock()
		saves := ops["SaveAnswers"]
		mu.Unlock()
		if len(saves) != len(b.Areas) {
			t.Fatalf("%s: got %d writes, want one per area (%d)", c.name, len(saves), len(b.Areas))
		}
		for _, cc := range saves {
			if cc.CapacityUnits == nil || *cc.CapacityUnits > c.maxWCU {
				t.Errorf("%s of one area: got %v WCU, want ≤ %v", c.name, aws.ToFloat64(cc.CapacityUnits), c.maxWCU)
			}
		}
	}
	mu.Lock()
	ops = map[string][]types.ConsumedCapacity{}
	mu.Unlock()
	e.do("GET", "/api/assessments/"+s.ID+"/score", s.Token, nil)
	mu.Lock()
	defer mu.Unlock()
	if len(ops) != 1 || len(ops["Load"]) != 1 {
		t.Errorf("score: got calls %v, want exactly one Query (Load)", keys(ops))
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

var _ = context.Background

// Issue 14: a submit completes while four clients keep saving (for up to
// 10 s), and every save acknowledged before it is in what was submitted.
// Without the submit's hold the saves can win every retry (503 "answers
// keep changing").
func TestSubmitWinsUnderContinuousSaves(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := library(t).Current()
	s := e.start(startBody("Waltham Forest", "coordinate"))
	e.answerAll(s, func(bank.Question) *int { return intp(1) })
	// Each client owns one question, each in another area.
	var mine []string
	seen := map[string]bool{}
	for _, q := range b.Questions() {
		if !seen[q.Area] && len(mine) < 4 {
			seen[q.Area] = true
			mine = append(mine, q.ID)
		}
	}
	var mu sync.Mutex
	lastAcked := map[string]string{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	end := time.Now().Add(10 * time.Second) // a bound on the workload, not an assertion
	for c, q := range mine {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if time.Now().After(end) {
					return
				}
				note := fmt.Sprintf("client %d save %d", c, i)
				r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, api.SaveAnswers{Answers: map[string]api.AnswerChange{q: {Note: &note}}})
				switch r.status {
				case http.StatusOK:
					mu.Lock()
					lastAcked[q] = note
					mu.Unlock()
				case http.StatusConflict:
					return // submitted
				case http.StatusServiceUnavailable:
					// held by the submit: retry, as Retry-After says
				default:
					t.Errorf("save %s: %d %s", q, r.status, r.body)
					return
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond) // let the saves get going
	r := e.do("POST", "/api/assessments/"+s.ID+"/submit", s.Token, nil)
	if r.status != http.StatusOK {
		t.Errorf("submit under continuous saves: got %d %s, want 200", r.status, r.body)
		close(stop)
	}
	wg.Wait() // after a submit, every client's next save is 409
	var got api.Assessment
	e.do("GET", "/api/assessments/"+s.ID, s.Token, nil).json(t, &got)
	if got.Status != "submitted" {
		t.Fatalf("status %q, want submitted", got.Status)
	}
	for _, q := range mine {
		if a := got.Answers[q]; lastAcked[q] != "" && a.Note != lastAcked[q] {
			t.Errorf("%s: last acknowledged note %q, submitted %q", q, lastAcked[q], a.Note)
		}
	}
}
