package lambdas_test

import (
	"context"
	"github.com/openrasp/rasp/shared/idempotency"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/openrasp/rasp/questions"
	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/lambdas"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/scoring"
)

// v1Only is the question bank as it was before v2 landed.
func v1Only(t *testing.T) *bank.Library {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(questions.FS, "v1", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(questions.FS, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	l, err := bankyaml.LoadLibrary(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Items written before v2 landed, read by the service after it: v1
// assessments keep v1 text and scoring, a v1 draft stays on v1, and a
// health-check from a v1 assessment starts on v2 with mapped answers to confirm.
func TestV1AssessmentsAfterV2(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	old := lambdas.Wire(config.Config{Table: e.table, BaseURL: "http://127.0.0.1"}, slog.New(slog.NewJSONHandler(io.Discard, nil)), e.store, v1Only(t), e.now.Now)
	v1, _ := old.Bank.Get("v1")

	p, err := old.Partnerships.Create(ctx, partnership.CreateInput{Name: "Tri-borough revenues", Form: "collaborate", CadenceMonths: partnership.DefaultCadenceMonths}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	start := func(council string) assessment.Started {
		st, err := old.Assessments.Start(ctx, assessment.StartInput{Council: council, Purpose: "readiness", Form: "collaborate", JoinCode: p.JoinCode,
			Respondent: assessment.Respondent{Name: "Sam", Role: "Programme manager"}}, idempotency.Request{})
		if err != nil || st.Version != "v1" {
			t.Fatalf("start on v1: %+v, %v", st, err)
		}
		return st
	}
	sub := start("Brent")
	answers := map[string]assessment.Answer{}
	for _, q := range v1.Questions() {
		answers[q.ID] = assessment.Answer{Score: intp(3)}
	}
	answers["vision.best-practice"] = assessment.Answer{Score: intp(1)} // merged in v2 with two questions at 3
	answers["ethos.trust"] = assessment.Answer{Score: intp(4), Note: "Kept every promise this year"}
	if _, err := old.Assessments.SaveAnswers(ctx, mustGet(t, old, sub), answers, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Assessments.Submit(ctx, mustGet(t, old, sub)); err != nil {
		t.Fatal(err)
	}
	draft := start("Lewisham")
	if _, err := old.Assessments.SaveAnswers(ctx, mustGet(t, old, draft), map[string]assessment.Answer{"ethos.trust": {Score: intp(2)}}, nil); err != nil {
		t.Fatal(err)
	}

	// v2 has landed: e is the service with both versions.
	var sc api.Score
	if r := e.do("GET", "/api/assessments/"+sub.ID+"/score", sub.Token, nil); r.status != http.StatusOK {
		t.Fatalf("v1 score: %d %s", r.status, r.body)
	} else {
		r.json(t, &sc)
	}
	if sc.QuestionVersion != "v1" || sc.Model != "v1" || sc.Verdict != nil || sc.Areas[0].Target == 0 {
		t.Errorf("v1 score: version %s model %s verdict %v target %d; want v1 scoring with area targets", sc.QuestionVersion, sc.Model, sc.Verdict, sc.Areas[0].Target)
	}
	want := assessment.Report(v1, mustGet(t, old, sub))
	if sc.Overall != want.Overall || sc.Readiness != want.Readiness {
		t.Errorf("v1 score after v2: overall %d %s, want %d %s as before", sc.Overall, sc.Readiness, want.Overall, want.Readiness)
	}

	// The v1 draft stays on v1: v1 ids save, v2 ids do not.
	if r := e.do("PUT", "/api/assessments/"+draft.ID+"/answers", draft.Token, api.SaveAnswers{Answers: map[string]api.AnswerChange{"ethos.partnership-of-equals": {Score: api.Given(intp(2))}}}); r.status != http.StatusOK {
		t.Errorf("save a v1 answer to a v1 draft: %d %s", r.status, r.body)
	}
	if r := e.do("PUT", "/api/assessments/"+draft.ID+"/answers", draft.Token, api.SaveAnswers{Answers: map[string]api.AnswerChange{"ethos.fair-influence": {Score: api.Given(intp(2))}}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("save a v2 answer to a v1 draft: %d, want 422", r.status)
	}
	var got api.Assessment
	e.do("GET", "/api/assessments/"+draft.ID, draft.Token, nil).json(t, &got)
	if got.QuestionVersion != "v1" || got.Progress.Total != 54 {
		t.Errorf("v1 draft: version %s with %d questions, want v1 with 54", got.QuestionVersion, got.Progress.Total)
	}

	// A health-check from the v1 assessment starts on v2 with the mapped
	// answers flagged to confirm.
	admin, err := e.deps.Auth.Partnership(ctx, p.ID, p.AdminToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.deps.Partnerships.OpenRound(ctx, admin.Partnership, partnership.AdminAccess, partnership.RoundInput{Purpose: partnership.HealthCheck}, idempotency.Request{}); err != nil {
		t.Fatal(err)
	}
	var hc api.Started
	hcStarted := func() assessment.Started { return assessment.Started{ID: hc.ID, Token: hc.Token} }
	if r := e.do("POST", "/api/assessments/"+sub.ID+"/health-check", sub.Token, nil); r.status != http.StatusCreated {
		t.Fatalf("health-check: %d %s", r.status, r.body)
	} else {
		r.json(t, &hc)
	}
	v2 := library(t).Current()
	if hc.QuestionVersion != "v2" || hc.Copied != len(scoring.MappedQuestions(v2)) {
		t.Errorf("health-check: version %s copied %d, want v2 with the %d mapped questions", hc.QuestionVersion, hc.Copied, len(scoring.MappedQuestions(v2)))
	}
	var h api.Assessment
	e.do("GET", "/api/assessments/"+hc.ID, hc.Token, nil).json(t, &h)
	if a := h.Answers["ethos.trust-in-partners"]; !a.Stale || a.Score == nil || *a.Score != 4 || a.Note != "Kept every promise this year" {
		t.Errorf("ethos.trust → ethos.trust-in-partners: got %+v, want 4, stale, with its note", a)
	}
	if a := h.Answers["vision.common-practice"]; a.Score == nil || *a.Score != 1 {
		t.Errorf("three v1 questions merged into vision.common-practice: got %+v, want the weakest (1)", a)
	}
	if _, ok := h.Answers["risk.cyber-resilience"]; ok {
		t.Error("risk.cyber-resilience is new in v2 but has an answer")
	}

	// Lewisham never submitted round 1; Brent submits its v2 health-check.
	// The trend against the v1 round uses the mapped questions only, scored
	// under v2, and says so.
	all := map[string]assessment.Answer{}
	for _, q := range v2.Questions() {
		all[q.ID] = assessment.Answer{Score: intp(3)}
	}
	if _, err := e.deps.Assessments.SaveAnswers(ctx, mustGet(t, e.deps, hcStarted()), all, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.deps.Assessments.Submit(ctx, mustGet(t, e.deps, hcStarted())); err != nil {
		t.Fatal(err)
	}
	var c api.Comparison
	if r := e.do("GET", "/api/partnerships/"+p.ID+"/comparison?round=2", p.AdminToken, nil); r.status != http.StatusOK {
		t.Fatalf("comparison: %d %s", r.status, r.body)
	} else {
		r.json(t, &c)
	}
	mapped := len(scoring.MappedQuestions(v2))
	if c.Verdict == nil || !c.Verdict.MappedOnly || c.Verdict.Scored != mapped || c.Trend == nil || !c.Trend.MappedOnly {
		t.Fatalf("comparison across versions: verdict %+v, trend %+v; want mapped-only (%d questions) with a mapped-only trend", c.Verdict, c.Trend, mapped)
	}
	if got := c.Verdict.Statuses["risk.cyber-resilience"]["Brent"]; got != "not-required" {
		t.Errorf("risk.cyber-resilience (not mapped) status %q, want not-required", got)
	}
	// A health-check round asks for 4 (proven) on six collaborate must-haves.
	if c.Verdict.Verdict != "not-ready" || len(c.Verdict.HeldBackBy) != 1 || c.Verdict.HeldBackBy[0].Council != "Brent" || len(c.Verdict.HeldBackBy[0].Blockers) != 6 {
		t.Errorf("partnership verdict %q held back by %+v, want not-ready, Brent on 6 must-haves", c.Verdict.Verdict, c.Verdict.HeldBackBy)
	}
}

func mustGet(t *testing.T, d lambdas.Deps, s assessment.Started) *assessment.Assessment {
	t.Helper()
	a, err := d.Auth.Assessment(context.Background(), s.ID, s.Token)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A not-applicable answer needs the profile's permission and a reason; it
// is left out of the scores and listed on the report.
func TestNotApplicableAnswers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.start(startBody("Cardiff", "collaborate"))
	na := func(id, reason string, score *int) api.SaveAnswers {
		return api.SaveAnswers{Answers: map[string]api.AnswerChange{id: {NotApplicable: true, Reason: reason, Score: api.Given(score)}}}
	}
	for _, tc := range []struct {
		name  string
		body  api.SaveAnswers
		field string
	}{
		{"a must-have", na("governance.legal-basis", "We share nothing formally", nil), "answers.governance.legal-basis.notApplicable"},
		{"not allowed for the question", na("vision.political-backing", "Not for us", nil), "answers.vision.political-backing.notApplicable"},
		{"no reason", na("governance.welsh-language", "  ", nil), "answers.governance.welsh-language.reason"},
		{"with a score", na("governance.welsh-language", "Our council is in England.", intp(2)), "answers.governance.welsh-language.score"},
		{"a reason without not applicable", api.SaveAnswers{Answers: map[string]api.AnswerChange{"governance.welsh-language": {Score: api.Given(intp(1)), Reason: "why"}}}, "answers.governance.welsh-language.reason"},
	} {
		r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, tc.body)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), `"`+tc.field+`"`) {
			t.Errorf("%s: got %d %s, want 422 naming %s", tc.name, r.status, r.body, tc.field)
		}
	}
	if n := e.itemCount(); n != 1 {
		t.Errorf("after refused answers: %d items, want only the assessment's meta (nothing written)", n)
	}
	if r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, na("governance.welsh-language", " Our council is in England. ", nil)); r.status != http.StatusOK {
		t.Fatalf("allowed not applicable: %d %s", r.status, r.body)
	}
	var got api.Assessment
	e.do("GET", "/api/assessments/"+s.ID, s.Token, nil).json(t, &got)
	if a := got.Answers["governance.welsh-language"]; !a.NotApplicable || a.Reason != "Our council is in England." || a.Score != nil {
		t.Errorf("stored answer %+v, want not applicable with the trimmed reason", a)
	}
	var sc api.Score
	e.do("GET", "/api/assessments/"+s.ID+"/score", s.Token, nil).json(t, &sc)
	if sc.Verdict == nil || len(sc.Verdict.NotApplicable) != 1 || sc.Verdict.NotApplicable[0].Reason != "Our council is in England." {
		t.Fatalf("score: verdict %+v, want the not-applicable answer listed", sc.Verdict)
	}
	for _, s := range sc.Verdict.WorkOnFirst {
		if s.Question == "governance.welsh-language" {
			t.Error("a not-applicable answer is listed as a shortfall")
		}
	}
	if sc.Verdict.Applicable != len(library(t).Current().Questions())-1 {
		t.Errorf("applicable %d, want every question but the not-applicable one", sc.Verdict.Applicable)
	}
}
