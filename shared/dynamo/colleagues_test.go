package dynamo_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
)

type colleagueWorld struct {
	ctx   context.Context
	store *dynamo.Store
	table string
	svc   *assessment.Service
	b     *bank.Bank
}

func newColleagueWorld(t *testing.T) *colleagueWorld {
	t.Helper()
	table := ddbtest.NewTable(t)
	store := dynamo.NewStore(ddbtest.Client(), table)
	lib := bank.MustCompiled()
	return &colleagueWorld{ctx: context.Background(), store: store, table: table, svc: assessment.NewService(store, lib, time.Now), b: lib.Current()}
}

func (w *colleagueWorld) start(t *testing.T) *assessment.Assessment {
	t.Helper()
	st, err := w.svc.Start(w.ctx, assessment.StartInput{Council: "Lewisham", Respondent: assessment.Respondent{Name: "Sam", Role: "Programme manager"},
		Purpose: assessment.Readiness, Form: "collaborate"}, idempotency.Request{})
	if err != nil {
		t.Fatal(err)
	}
	return w.load(t, st.ID)
}

func (w *colleagueWorld) load(t *testing.T, id string) *assessment.Assessment {
	t.Helper()
	a, err := w.store.Load(w.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (w *colleagueWorld) invite(t *testing.T, a *assessment.Assessment, name, role string) assessment.Invited {
	t.Helper()
	inv, err := w.svc.Invite(w.ctx, a, assessment.InviteInput{Name: name, Role: role}, idempotency.Request{})
	if err != nil {
		t.Fatalf("invite %s: %v", name, err)
	}
	return inv
}

// partition counts the items left under A#<id>.
func (w *colleagueWorld) partition(t *testing.T, id string) int {
	t.Helper()
	out, err := ddbtest.Client().Query(w.ctx, &dynamodb.QueryInput{TableName: aws.String(w.table), KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "A#" + id}}, ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Items)
}

// areaEdits answers every question of area with level and a sentence-long
// note, as a colleague typing a typical area does.
func areaEdits(b *bank.Bank, area string, level int) map[string]assessment.Edit {
	out := map[string]assessment.Edit{}
	ar, _ := b.Area(area)
	for _, q := range ar.Questions {
		l, note := level, "Our finance team has discussed this with the partners this spring."
		out[q.ID] = assessment.Edit{SetScore: true, Score: &l, Note: &note}
	}
	return out
}

// A colleague's save of a whole typical area, first save included, is one
// UpdateItem of at most 2 WCU; loading the assessment with every
// colleague's answers stays one Query.
func TestColleagueSaveIsOneWriteOfAtMostTwoWCU(t *testing.T) {
	t.Parallel()
	w := newColleagueWorld(t)
	a := w.start(t)
	inv := w.invite(t, a, "Alex", "section-151-officer")
	w.invite(t, a, "Jo", "monitoring-officer")

	type call struct {
		op  string
		wcu float64
	}
	var mu sync.Mutex
	var calls []call
	w.store.OnCapacity(func(op string, cc []types.ConsumedCapacity) {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range cc {
			calls = append(calls, call{op, aws.ToFloat64(c.CapacityUnits)})
		}
	})
	for _, area := range w.b.Areas {
		calls = nil
		a = w.load(t, a.ID)
		if n := len(calls); n != 1 || calls[0].op != "Load" {
			t.Fatalf("load with colleagues: got %v, want one Query", calls)
		}
		calls = nil
		if _, err := w.svc.SaveColleague(w.ctx, a, inv.ID, areaEdits(w.b, area.ID, 2)); err != nil {
			t.Fatalf("save %s: %v", area.ID, err)
		}
		if len(calls) != 1 || calls[0].op != "SaveColleague" {
			t.Fatalf("first save of %s: got %v, want one SaveColleague write", area.ID, calls)
		}
		// ≤ 2 WCU for a typical area: the largest area has 20 questions.
		if calls[0].wcu > 2 && len(area.Questions) <= 15 {
			t.Errorf("first save of %s (%d questions): got %.1f WCU, want ≤ 2", area.ID, len(area.Questions), calls[0].wcu)
		}
		t.Logf("%s (%d questions): %.1f WCU", area.ID, len(area.Questions), calls[0].wcu)
	}
	got := w.load(t, a.ID)
	c, ok := got.Colleague(inv.ID)
	if !ok || len(c.Answers) != len(w.b.Questions()) {
		t.Fatalf("colleague's answers after saving every area: got %v answers, want %d", len(c.Answers), len(w.b.Questions()))
	}
	if len(got.Answers) != 0 {
		t.Errorf("council's answers: got %d, want none (a colleague's answers are their own)", len(got.Answers))
	}
}

// Erasing the assessment while colleagues save and the lead invites leaves
// nothing behind: a save either lands before the erasure (and is erased
// with it) or fails its condition; an invitation made after the erasure's
// read makes the erasure read again.
func TestDeleteRacingColleaguesLeavesNothing(t *testing.T) {
	t.Parallel()
	w := newColleagueWorld(t)
	const tries = 30
	for try := 0; try < tries; try++ {
		a := w.start(t)
		invs := []assessment.Invited{w.invite(t, a, "Alex", "section-151-officer"), w.invite(t, a, "Jo", "lead-member")}
		var wg sync.WaitGroup
		for i, inv := range invs {
			wg.Add(1)
			go func(cid, area string) {
				defer wg.Done()
				read, err := w.store.Load(w.ctx, a.ID)
				if err != nil {
					return // erased already
				}
				_, err = w.svc.SaveColleague(w.ctx, read, cid, areaEdits(w.b, area, 3))
				if err != nil && failure.CodeOf(err) != failure.NotFound {
					t.Errorf("save: got %v, want success or not_found", err)
				}
			}(inv.ID, w.b.Areas[i].ID)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			read, err := w.store.Load(w.ctx, a.ID)
			if err != nil {
				return
			}
			_, err = w.svc.Invite(w.ctx, read, assessment.InviteInput{Name: "Kim", Role: "hr-lead"}, idempotency.Request{})
			if err != nil && failure.CodeOf(err) != failure.Conflict {
				t.Errorf("invite: got %v, want success or conflict", err)
			}
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.svc.Delete(w.ctx, a); err != nil {
				t.Errorf("delete: %v", err)
			}
		}()
		wg.Wait()
		if n := w.partition(t, a.ID); n != 0 {
			t.Errorf("try %d: got %d items left after the erasure, want 0", try, n)
		}
	}
}

// Removing a colleague erases their answers and their link: a save with
// the assessment as read before the removal fails instead of re-creating
// an item.
func TestRemoveColleagueErasesTheirAnswers(t *testing.T) {
	t.Parallel()
	w := newColleagueWorld(t)
	a := w.start(t)
	keep := w.invite(t, a, "Alex", "section-151-officer")
	gone := w.invite(t, a, "Jo", "monitoring-officer")
	read := w.load(t, a.ID)
	for _, cid := range []string{keep.ID, gone.ID} {
		if _, err := w.svc.SaveColleague(w.ctx, read, cid, areaEdits(w.b, "governance", 1)); err != nil {
			t.Fatal(err)
		}
	}
	before := w.partition(t, a.ID)
	if err := w.svc.RemoveColleague(w.ctx, w.load(t, a.ID), gone.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := w.partition(t, a.ID), before-1-len(w.b.Areas); got != want {
		t.Errorf("items after removing one colleague: got %d, want %d", got, want)
	}
	_, err := w.svc.SaveColleague(w.ctx, read, gone.ID, areaEdits(w.b, "governance", 4))
	if failure.CodeOf(err) != failure.NotFound {
		t.Errorf("save by a removed colleague: got %v, want not_found", err)
	}
	got := w.load(t, a.ID)
	if _, ok := got.Colleague(gone.ID); ok {
		t.Error("removed colleague still loads")
	}
	if c, ok := got.Colleague(keep.ID); !ok || len(c.Answers) == 0 {
		t.Error("the other colleague's answers went with the removal")
	}
	for _, item := range w.items(t, a.ID) {
		if strings.Contains(fmt.Sprint(item), gone.ID) {
			t.Errorf("item of the removed colleague left: %v", item["sk"])
		}
	}
	if err := w.svc.RemoveColleague(w.ctx, got, gone.ID); failure.CodeOf(err) != failure.NotFound {
		t.Errorf("removing again: got %v, want not_found", err)
	}
	if err := w.store.SaveColleague(w.ctx, a.ID, gone.ID, map[string]map[string]assessment.Answer{"governance": {"governance.exit": {}}}, nil, time.Now()); !errors.Is(err, assessment.ErrConditionFailed) {
		t.Errorf("store save for a removed colleague: got %v, want ErrConditionFailed", err)
	}
}

func (w *colleagueWorld) items(t *testing.T, id string) []map[string]types.AttributeValue {
	t.Helper()
	out, err := ddbtest.Client().Query(w.ctx, &dynamodb.QueryInput{TableName: aws.String(w.table), KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "A#" + id}}, ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Items
}
