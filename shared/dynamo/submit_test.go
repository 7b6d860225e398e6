package dynamo_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/secret"
)

func TestMain(m *testing.M) { os.Exit(ddbtest.Main(m)) }

func intp(i int) *int { return &i }

// Submit commits only if no area changed since the assessment was read: an
// answer saved between the read and the submit makes the transaction fail,
// so the service reads again and the snapshot includes it. (The mutant
// testdata/mutants/submit-revision.patch removes that condition.)
func TestSubmitRefusesAStaleRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamo.NewStore(ddbtest.Client(), ddbtest.NewTable(t))
	now := time.Now().UTC().Truncate(time.Millisecond)
	a := &assessment.Assessment{ID: secret.NewID(), Council: "Brent", Respondent: assessment.Respondent{Name: "Sam", Role: "PM"},
		Purpose: assessment.Readiness, Form: "collaborate", Version: "v1", Status: assessment.Draft, TokenHash: secret.Hash(secret.NewToken()),
		CreatedAt: now, UpdatedAt: now}
	if err := store.Create(ctx, a, nil, nil); err != nil {
		t.Fatal(err)
	}
	save := func(score int, current map[string]int64) {
		t.Helper()
		answers := map[string]map[string]assessment.Answer{"vision": {"vision.political-backing": {Score: intp(score)}}}
		if _, err := store.SaveAnswers(ctx, a.ID, assessment.SaveRequest{Answers: answers}, now, current, false); err != nil {
			t.Fatalf("save %d: %v", score, err)
		}
	}
	save(1, map[string]int64{"vision": assessment.NoItem})
	read, err := store.Load(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	save(4, read.Revisions) // lands after the read, before the submit

	err = store.Submit(ctx, read, now, "stale snapshot", nil)
	if !errors.Is(err, assessment.ErrConditionFailed) {
		t.Fatalf("submit on a stale read: got %v, want ErrConditionFailed", err)
	}
	got, err := store.Load(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != assessment.Draft {
		t.Errorf("status after a refused submit: got %s, want draft", got.Status)
	}
	if err := store.Submit(ctx, got, now, "fresh snapshot", nil); err != nil {
		t.Errorf("submit on a fresh read: got %v, want nil", err)
	}
}
