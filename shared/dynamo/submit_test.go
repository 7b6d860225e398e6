package dynamo_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

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

// draftWithAreas is a stored draft with a first save in two areas, as read
// back.
func draftWithAreas(t *testing.T, store *dynamo.Store) *assessment.Assessment {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	a := &assessment.Assessment{ID: secret.NewID(), Council: "Brent", Respondent: assessment.Respondent{Name: "Sam", Role: "PM"},
		Purpose: assessment.Readiness, Form: "collaborate", Version: "v1", Status: assessment.Draft, TokenHash: secret.Hash(secret.NewToken()),
		CreatedAt: now, UpdatedAt: now}
	if err := store.Create(ctx, a, nil, nil); err != nil {
		t.Fatal(err)
	}
	answers := map[string]map[string]assessment.Answer{
		"ethos":  {"ethos.trust": {Score: intp(2)}},
		"vision": {"vision.political-backing": {Score: intp(1)}},
	}
	if _, err := store.SaveAnswers(ctx, a.ID, assessment.SaveRequest{Answers: answers}, now, map[string]int64{"ethos": assessment.NoItem, "vision": assessment.NoItem}, false); err != nil {
		t.Fatal(err)
	}
	read, err := store.Load(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return read
}

// saveOne saves one answer of an area at the revisions of a.
func saveOne(store *dynamo.Store, a *assessment.Assessment, area, qid string, score int) error {
	answers := map[string]map[string]assessment.Answer{area: {qid: {Score: intp(score)}}}
	_, err := store.SaveAnswers(context.Background(), a.ID, assessment.SaveRequest{Answers: answers}, time.Now().UTC(), a.Revisions, false)
	return err
}

// A submit that loses to a save on its second area gives back the seal it
// put on the first: the draft is saveable at once, with no hold left.
func TestRefusedSubmitLiftsItsSeals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamo.NewStore(ddbtest.Client(), ddbtest.NewTable(t))
	read := draftWithAreas(t, store)
	if err := saveOne(store, read, "vision", "vision.political-backing", 4); err != nil { // after the read
		t.Fatal(err)
	}
	// ethos is sealed first (key order), then vision's seal fails.
	if err := store.Submit(ctx, read, time.Now().UTC(), "stale", nil); !errors.Is(err, assessment.ErrConditionFailed) {
		t.Fatalf("submit on a stale read: got %v, want ErrConditionFailed", err)
	}
	got, err := store.Load(ctx, read.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != assessment.Draft || !got.HeldUntil.IsZero() {
		t.Fatalf("after a refused submit: status %s, held until %v; want a draft, not held", got.Status, got.HeldUntil)
	}
	if err := saveOne(store, got, "ethos", "ethos.trust", 3); err != nil {
		t.Errorf("save of the area the refused submit had sealed: %v", err)
	}
}

// dyingAPI stands for a submit whose process dies after sealing: the
// commit transaction (kept in commit) and every later call fail.
type dyingAPI struct {
	dynamo.API
	commit *dynamodb.TransactWriteItemsInput
}

var errDied = errors.New("connection reset by peer")

func (d *dyingAPI) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	d.commit = in
	return nil, errDied
}

func (d *dyingAPI) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	if d.commit != nil {
		return nil, errDied
	}
	return d.API.UpdateItem(ctx, in, opts...)
}

// A submit that died between sealing and committing holds saves off (503,
// not 409: the assessment is still a draft) until its lease ends; then Load
// aborts it and lifts its seals, saves go through, and the dead submit's
// commit, should it still arrive, fails. (The mutant
// testdata/mutants/submit-abort.patch drops the commit's abort condition.)
func TestDeadSubmitsSealsAreLiftedAndItCannotCommit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	table := ddbtest.NewTable(t)
	store := dynamo.NewStore(ddbtest.Client(), table)
	read := draftWithAreas(t, store)
	dying := &dyingAPI{API: ddbtest.Client()}
	if err := dynamo.NewStore(dying, table).Submit(ctx, read, time.Now().UTC(), "snap", nil); err == nil || dying.commit == nil {
		t.Fatalf("dying submit: got %v, want an error after sealing", err)
	}

	// Within the lease: a draft, held; saves are refused.
	got, err := store.Load(ctx, read.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != assessment.Draft || !got.HeldUntil.After(time.Now()) {
		t.Fatalf("within the lease: status %s, held until %v; want a held draft", got.Status, got.HeldUntil)
	}
	if err := saveOne(store, got, "vision", "vision.political-backing", 3); !errors.Is(err, assessment.ErrConditionFailed) {
		t.Fatalf("save of a sealed area: got %v, want ErrConditionFailed", err)
	}

	// After it: Load lifts the seals.
	short := dynamo.NewStore(ddbtest.Client(), table, dynamo.SubmitLease(time.Millisecond))
	time.Sleep(5 * time.Millisecond) // past the short lease
	got, err = short.Load(ctx, read.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != assessment.Draft || got.HeldUntil.After(time.Now()) {
		t.Fatalf("after the lease: status %s, held until %v; want a draft, not held", got.Status, got.HeldUntil)
	}
	if err := saveOne(store, got, "vision", "vision.political-backing", 3); err != nil {
		t.Fatalf("save after the dead submit's seals were lifted: %v", err)
	}
	if _, err := ddbtest.Client().TransactWriteItems(ctx, dying.commit); err == nil {
		t.Fatal("the dead submit's commit went through after its seals were lifted")
	}
	got, err = store.Load(ctx, read.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != assessment.Draft || *got.Answers["vision.political-backing"].Score != 3 {
		t.Fatalf("after the late commit: status %s, vision %v; want a draft with the acknowledged 3", got.Status, *got.Answers["vision.political-backing"].Score)
	}
	if err := store.Submit(ctx, got, time.Now().UTC(), "fresh", nil); err != nil {
		t.Fatalf("a new submit: %v", err)
	}
}

// lostReplyAPI commits the submit's transaction but loses the reply, as a
// timeout after the commit would.
type lostReplyAPI struct{ dynamo.API }

func (l lostReplyAPI) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if _, err := l.API.TransactWriteItems(ctx, in, opts...); err != nil {
		return nil, err
	}
	return nil, context.DeadlineExceeded
}

// A submit whose commit went through but whose reply was lost tries to
// abort, which a submitted assessment refuses: the seals stay, so no save
// can change what was submitted.
func TestSubmitWithALostReplyKeepsItsSeals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	table := ddbtest.NewTable(t)
	store := dynamo.NewStore(ddbtest.Client(), table, dynamo.SubmitLease(time.Millisecond))
	read := draftWithAreas(t, store)
	if err := dynamo.NewStore(lostReplyAPI{ddbtest.Client()}, table).Submit(ctx, read, time.Now().UTC(), "snap", nil); err == nil {
		t.Fatal("submit with a lost reply: got nil, want an error")
	}
	time.Sleep(5 * time.Millisecond) // past the short lease
	got, err := store.Load(ctx, read.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != assessment.Submitted {
		t.Fatalf("status %s, want submitted", got.Status)
	}
	for area, q := range map[string]string{"ethos": "ethos.trust", "vision": "vision.political-backing"} {
		if err := saveOne(store, read, area, q, 4); !errors.Is(err, assessment.ErrConditionFailed) {
			t.Errorf("save of %s after the submit: got %v, want ErrConditionFailed", area, err)
		}
	}
}

// countingAPI records the shape of every write.
type countingAPI struct {
	dynamo.API
	mu      sync.Mutex
	updates []string // keys' sort keys
	txSizes []int
}

func (c *countingAPI) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.mu.Lock()
	c.updates = append(c.updates, in.Key["sk"].(*types.AttributeValueMemberS).Value)
	c.mu.Unlock()
	return c.API.UpdateItem(ctx, in, opts...)
}

func (c *countingAPI) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.mu.Lock()
	c.txSizes = append(c.txSizes, len(in.TransactItems))
	c.mu.Unlock()
	return c.API.TransactWriteItems(ctx, in, opts...)
}

// Submit writes each area item once, outside any transaction (a
// transaction bills every item twice, issue 22), and commits META alone
// (with the membership, for a member) in one transaction.
func TestSubmitSealsAreasOutsideTheTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	table := ddbtest.NewTable(t)
	read := draftWithAreas(t, dynamo.NewStore(ddbtest.Client(), table))
	c := &countingAPI{API: ddbtest.Client()}
	if err := dynamo.NewStore(c, table).Submit(ctx, read, time.Now().UTC(), "snap", nil); err != nil {
		t.Fatal(err)
	}
	if want := []string{"AREA#ethos", "AREA#vision"}; !slices.Equal(c.updates, want) {
		t.Errorf("single-item updates: got %v, want %v", c.updates, want)
	}
	if !slices.Equal(c.txSizes, []int{1}) {
		t.Errorf("transactions: got sizes %v, want one of META alone", c.txSizes)
	}
}
