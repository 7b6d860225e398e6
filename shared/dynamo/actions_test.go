package dynamo_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/secret"
)

// callCounter counts the DynamoDB calls the store makes, by name. Its Scan
// exists so a store reaching for one by a type assertion would be seen.
type callCounter struct {
	dynamo.API
	mu    sync.Mutex
	calls map[string]int
}

func (c *callCounter) note(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[op]++
}

func (c *callCounter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.calls {
		n += v
	}
	return n
}

func (c *callCounter) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.note("Query")
	return c.API.Query(ctx, in, opts...)
}

func (c *callCounter) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.note("GetItem")
	return c.API.GetItem(ctx, in, opts...)
}

func (c *callCounter) Scan(ctx context.Context, in *dynamodb.ScanInput, opts ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	c.note("Scan")
	return nil, errors.New("the store must not scan")
}

func newPartnership(t *testing.T, store *dynamo.Store, now time.Time, seats ...string) *partnership.Partnership {
	t.Helper()
	p := &partnership.Partnership{ID: secret.NewID(), Name: "South London shared ICT", Form: "collaborate", AdminHash: secret.Hash(secret.NewToken()),
		JoinCode: secret.NewJoinCode(), CadenceMonths: 12, CurrentRound: 1, CreatedAt: now,
		Rounds: []partnership.Round{{Number: 1, Purpose: partnership.Readiness, Status: partnership.Open, OpenedAt: now}}}
	for i, name := range seats {
		p.Seats = append(p.Seats, partnership.Seat{ID: secret.NewID(), Name: name, TokenHash: secret.Hash(secret.NewToken()), AddedAt: now, Position: i})
	}
	if err := store.CreatePartnership(context.Background(), p, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

// A partnership's actions are in its partition: loading it (what every
// comparison and register read does) is one Query, no GetItem, no Scan,
// and brings the actions with their notes.
func TestPartnershipWithActionsIsOneQuery(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	table := ddbtest.NewTable(t)
	writer := dynamo.NewStore(ddbtest.Client(), table)
	now := time.Now().UTC().Truncate(time.Millisecond)
	p := newPartnership(t, writer, now, "Southwark", "Brent")
	due, _ := time.Parse(action.DateLayout, "2027-03-31")
	for i, title := range []string{"Appoint a communications specialist", "Hire a change manager"} {
		a := action.Action{ID: secret.NewID(), Title: title, Questions: []string{"vision.political-backing"}, OwnerSeats: []string{p.Seats[i].ID},
			Owner: "Sam Jones", Due: due, Status: action.Planned, Round: 1, CreatedAt: now.Add(time.Duration(i) * time.Second), UpdatedAt: now, Rev: 1,
			Notes: []action.Note{{At: now, Text: "Started", By: "Brent"}}}
		if err := writer.CreateAction(ctx, p.ID, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	counter := &callCounter{API: ddbtest.Client()}
	reader := dynamo.NewStore(counter, table)
	got, err := reader.LoadPartnership(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counter.calls["Query"] != 1 || counter.total() != 1 {
		t.Errorf("loading a partnership with actions: got calls %v, want one Query", counter.calls)
	}
	if len(got.Actions) != 2 || got.Actions[0].Title != "Appoint a communications specialist" || len(got.Actions[1].Notes) != 1 ||
		got.Actions[1].Notes[0].Text != "Started" || !got.Actions[0].Due.Equal(due) || got.Actions[0].Owner != "Sam Jones" {
		t.Errorf("actions read back: got %+v", got.Actions)
	}
}

// A change is conditioned on the revision read (two editors never
// overwrite each other unseen), and an action cannot be created for a
// partnership that was erased.
func TestPutActionConditions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamo.NewStore(ddbtest.Client(), ddbtest.NewTable(t))
	now := time.Now().UTC().Truncate(time.Millisecond)
	p := newPartnership(t, store, now, "Southwark")
	a := action.Action{ID: secret.NewID(), Title: "Agree a shared vision", Due: now, Status: action.Planned, Round: 1, CreatedAt: now, UpdatedAt: now, Rev: 1}
	if err := store.CreateAction(ctx, p.ID, a, nil); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateAction(ctx, p.ID, a, nil); failure.CodeOf(err) == "" {
		t.Errorf("creating the same action twice: got %v, want an error", err)
	}
	first, second := a, a
	first.Rev, first.Status = 2, action.InProgress
	second.Rev, second.Status = 2, action.Dropped
	if err := store.PutAction(ctx, p.ID, first); err != nil {
		t.Fatalf("first change: %v", err)
	}
	if err := store.PutAction(ctx, p.ID, second); failure.CodeOf(err) != failure.Conflict {
		t.Errorf("second change from the same read: got %v, want conflict", err)
	}
	got, err := store.LoadPartnership(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Actions[0].Status != action.InProgress {
		t.Errorf("after a refused change: status %s, want in-progress", got.Actions[0].Status)
	}
	if err := store.DeletePartnership(ctx, got); err != nil {
		t.Fatal(err)
	}
	late := a
	late.ID = secret.NewID()
	if err := store.CreateAction(ctx, p.ID, late, nil); failure.CodeOf(err) != failure.NotFound {
		t.Errorf("action for an erased partnership: got %v, want not_found", err)
	}
	if _, err := store.LoadPartnership(ctx, p.ID); failure.CodeOf(err) != failure.NotFound {
		t.Errorf("erased partnership still loads: %v", err)
	}
}
