package assessment_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/memstore"
	"github.com/openrasp/rasp/shared/scoring"
)

// These tests run the service's rules on the memory store (unit tier: no
// Java, milliseconds); shared/storetest holds that store to DynamoDB's
// conditions.

var ctx = context.Background()

func library(t *testing.T) *bank.Library {
	t.Helper()
	lib, err := bank.Compiled()
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

func intp(i int) *int { return &i }

func started(t *testing.T, svc *assessment.Service, store assessment.Store) *assessment.Assessment {
	t.Helper()
	out, err := svc.Start(ctx, assessment.StartInput{Council: "Brent", Respondent: assessment.Respondent{Name: "Sam Lee", Role: "Programme manager"},
		Purpose: assessment.Readiness, Form: "collaborate"}, idempotency.Request{})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	a, err := store.Load(ctx, out.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// every answers every question of b with score (nil: don't know).
func every(b *bank.Bank, score *int) map[string]assessment.Answer {
	out := map[string]assessment.Answer{}
	for _, q := range b.Questions() {
		out[q.ID] = assessment.Answer{Score: score}
	}
	return out
}

func reload(t *testing.T, store assessment.Store, id string) *assessment.Assessment {
	t.Helper()
	a, err := store.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestStartSaveSubmitScore(t *testing.T) {
	t.Parallel()
	lib := library(t)
	cases := []struct {
		name  string
		score *int
	}{
		{"every question at the top level", intp(4)},
		{"every question at the bottom level", intp(0)},
		{"every question don't know", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			store := memstore.New()
			svc := assessment.NewService(store, lib, time.Now)
			a := started(t, svc, store)
			b, _ := svc.Bank(a.Version)
			if _, err := svc.SaveAnswers(ctx, a, every(b, c.score), nil); err != nil {
				t.Fatalf("save: %v", err)
			}
			a = reload(t, store, a.ID)
			if got := assessment.ProgressOf(b, a); got.Answered != got.Total {
				t.Fatalf("progress after answering everything: got %d of %d", got.Answered, got.Total)
			}
			sub, err := svc.Submit(ctx, a)
			if err != nil || sub.Status != assessment.Submitted {
				t.Fatalf("submit: got %+v, %v, want submitted", sub, err)
			}
			a = reload(t, store, a.ID)
			if a.Status != assessment.Submitted {
				t.Errorf("stored status: got %s, want submitted", a.Status)
			}
			report := assessment.Report(b, a)
			if report.Provisional {
				t.Errorf("the report of a submitted assessment is provisional")
			}
			want := assessment.Report(b, &assessment.Assessment{ID: a.ID, Council: a.Council, Version: a.Version, Form: a.Form, Purpose: a.Purpose, Status: assessment.Submitted, Answers: every(b, c.score)})
			if report.Readiness != want.Readiness {
				t.Errorf("readiness: got %v, want %v", report.Readiness, want.Readiness)
			}
			// Submitting again returns the same result.
			again, err := svc.Submit(ctx, a)
			if err != nil || !again.SubmittedAt.Equal(sub.SubmittedAt) {
				t.Errorf("second submit: got %+v, %v, want the first's time %v", again, err, sub.SubmittedAt)
			}
		})
	}
}

func TestSaveRefusals(t *testing.T) {
	t.Parallel()
	lib := library(t)
	cases := []struct {
		name    string
		prepare func(t *testing.T, svc *assessment.Service, store assessment.Store, a *assessment.Assessment) *int64
		answers func(b *bank.Bank) map[string]assessment.Answer
		want    failure.Code
	}{
		{"unknown question", nil,
			func(*bank.Bank) map[string]assessment.Answer {
				return map[string]assessment.Answer{"vision.no-such-question": {Score: intp(2)}}
			}, failure.Invalid},
		{"score out of range", nil,
			func(b *bank.Bank) map[string]assessment.Answer {
				return map[string]assessment.Answer{b.Questions()[0].ID: {Score: intp(9)}}
			}, failure.Invalid},
		{"stale If-Match", func(t *testing.T, svc *assessment.Service, store assessment.Store, a *assessment.Assessment) *int64 {
			b, _ := svc.Bank(a.Version)
			if _, err := svc.SaveAnswers(ctx, a, map[string]assessment.Answer{b.Questions()[1].ID: {Score: intp(1)}}, nil); err != nil {
				t.Fatal(err)
			}
			stale := int64(0)
			return &stale
		}, func(b *bank.Bank) map[string]assessment.Answer {
			return map[string]assessment.Answer{b.Questions()[0].ID: {Score: intp(2)}}
		}, failure.PreconditionFailed},
		{"after submit", func(t *testing.T, svc *assessment.Service, store assessment.Store, a *assessment.Assessment) *int64 {
			b, _ := svc.Bank(a.Version)
			if _, err := svc.SaveAnswers(ctx, a, every(b, intp(1)), nil); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Submit(ctx, reload(t, store, a.ID)); err != nil {
				t.Fatal(err)
			}
			return nil
		}, func(b *bank.Bank) map[string]assessment.Answer {
			return map[string]assessment.Answer{b.Questions()[0].ID: {Score: intp(2)}}
		}, failure.Conflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			store := memstore.New()
			svc := assessment.NewService(store, lib, time.Now)
			a := started(t, svc, store)
			b, _ := svc.Bank(a.Version)
			var ifMatch *int64
			if c.prepare != nil {
				ifMatch = c.prepare(t, svc, store, a)
			}
			before := reload(t, store, a.ID)
			_, err := svc.SaveAnswers(ctx, before, c.answers(b), ifMatch)
			if got := failure.CodeOf(err); err == nil || got != c.want {
				t.Fatalf("got %v (%s), want %s", err, got, c.want)
			}
			after := reload(t, store, a.ID)
			if !reflect.DeepEqual(after.Answers, before.Answers) || !reflect.DeepEqual(after.Revisions, before.Revisions) {
				t.Errorf("a refused save wrote: revisions before %v, after %v", before.Revisions, after.Revisions)
			}
		})
	}
}

// racingStore lets one save land between the service's read and its first
// submit, as a second tab would.
type racingStore struct {
	*memstore.Store
	mu        sync.Mutex
	race      func()
	snapshots []string
	holds     int
}

func (s *racingStore) Submit(ctx context.Context, a *assessment.Assessment, now time.Time, snapshot string, shared map[string]string) error {
	s.mu.Lock()
	race := s.race
	s.race = nil
	s.snapshots = append(s.snapshots, snapshot)
	s.mu.Unlock()
	if race != nil {
		race()
	}
	return s.Store.Submit(ctx, a, now, snapshot, shared)
}

func (s *racingStore) HoldForSubmit(ctx context.Context, a *assessment.Assessment, until time.Time) error {
	s.mu.Lock()
	s.holds++
	s.mu.Unlock()
	return s.Store.HoldForSubmit(ctx, a, until)
}

// A save racing a submit: the submit's revision check refuses the stale
// read, the service holds saves, reads again and submits a snapshot that
// includes the late answer.
func TestSubmitRacingASave(t *testing.T) {
	t.Parallel()
	lib := library(t)
	store := &racingStore{Store: memstore.New()}
	svc := assessment.NewService(store, lib, time.Now)
	a := started(t, svc, store)
	b, _ := svc.Bank(a.Version)
	if _, err := svc.SaveAnswers(ctx, a, every(b, intp(1)), nil); err != nil {
		t.Fatal(err)
	}
	read := reload(t, store, a.ID)
	late := b.Questions()[0].ID
	store.race = func() {
		if _, err := svc.SaveAnswers(ctx, reload(t, store, a.ID), map[string]assessment.Answer{late: {Score: intp(4)}}, nil); err != nil {
			t.Errorf("the racing save: %v", err)
		}
	}
	if _, err := svc.Submit(ctx, read); err != nil {
		t.Fatalf("submit: %v", err)
	}
	final := reload(t, store, a.ID)
	if final.Status != assessment.Submitted || *final.Answers[late].Score != 4 {
		t.Fatalf("after the race: status %s, late answer %v, want submitted with the late 4", final.Status, *final.Answers[late].Score)
	}
	want := scoring.EncodeResponses(b, assessment.Responses(final.Answers))
	if n := len(store.snapshots); n != 2 || store.snapshots[1] != want || store.snapshots[0] == want {
		t.Errorf("snapshots submitted: got %d %q, want a refused stale one then %q", n, store.snapshots, want)
	}
	if store.holds != 1 {
		t.Errorf("holds: got %d, want 1 (saves held off after the first lost race)", store.holds)
	}
}

func TestSubmitIncompleteListsTheMissing(t *testing.T) {
	t.Parallel()
	store := memstore.New()
	svc := assessment.NewService(store, library(t), time.Now)
	a := started(t, svc, store)
	b, _ := svc.Bank(a.Version)
	answers := every(b, intp(2))
	first := b.Questions()[0].ID
	delete(answers, first)
	if _, err := svc.SaveAnswers(ctx, a, answers, nil); err != nil {
		t.Fatal(err)
	}
	_, err := svc.Submit(ctx, reload(t, store, a.ID))
	var fields []failure.FieldError
	if fe, ok := failure.As(err); ok {
		fields = fe.Fields
	}
	if failure.CodeOf(err) != failure.Invalid || len(fields) != 1 || fields[0].Field != "answers."+first {
		t.Errorf("submit with one unanswered: got %v %+v, want invalid naming answers.%s", err, fields, first)
	}
	if got := reload(t, store, a.ID); got.Status != assessment.Draft {
		t.Errorf("status: got %s, want draft", got.Status)
	}
}

// An assessment keeps the language it was started in, English when none
// was given; a language RASP does not speak is refused on the lang field.
func TestStartKeepsTheLanguage(t *testing.T) {
	t.Parallel()
	store := memstore.New()
	svc := assessment.NewService(store, library(t), time.Now)
	in := func(l locale.Lang) assessment.StartInput {
		return assessment.StartInput{Council: "Gwynedd", Respondent: assessment.Respondent{Name: "Elin Jones", Role: "Rheolwr rhaglen"},
			Purpose: assessment.Readiness, Form: "collaborate", Lang: l}
	}
	for _, c := range []struct {
		give, want locale.Lang
	}{{locale.Welsh, locale.Welsh}, {locale.English, locale.English}, {"", locale.English}} {
		out, err := svc.Start(ctx, in(c.give), idempotency.Request{})
		if err != nil {
			t.Fatalf("start in %q: %v", c.give, err)
		}
		if a := reload(t, store, out.ID); a.Lang != c.want {
			t.Errorf("started in %q: got language %q, want %q", c.give, a.Lang, c.want)
		}
	}
	_, err := svc.Start(ctx, in("fr"), idempotency.Request{})
	fe, ok := failure.As(err)
	if !ok || fe.Code != failure.Invalid || len(fe.Fields) != 1 || fe.Fields[0].Field != "lang" {
		t.Errorf("start in fr: got %v, want invalid on lang", err)
	}
}
