package dynamo_test

import (
	"context"
	"errors"
	"github.com/openrasp/rasp/shared/idempotency"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/scoring"
	"github.com/openrasp/rasp/shared/secret"
)

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }
func b(v []byte) types.AttributeValue { return &types.AttributeValueMemberB{Value: v} }

// legacyPartnership writes, item by item, a partnership as the code before
// seats wrote it: a closed readiness round with Brent (twice, typed
// differently: an abandoned draft and a submit), Lewisham and a prospective
// partner, and an open health-check round with Brent only.
func legacyPartnership(t *testing.T, table string, lib *bank.Library) (pid string, members map[string]string) {
	t.Helper()
	ctx := context.Background()
	cur := lib.Current()
	snap := scoring.EncodeSnapshot(cur, func() scoring.Answers {
		out := scoring.Answers{}
		three := 3
		for _, q := range cur.Questions() {
			out[q.ID] = &three
		}
		return out
	}())
	pid = secret.NewID()
	ts := func(min int) string {
		return time.Date(2026, 6, 1, 9, min, 0, 0, time.UTC).Format(time.RFC3339Nano)
	}
	items := []map[string]types.AttributeValue{
		{"pk": s("P#" + pid), "sk": s("META"), "kind": s("partnership"), "id": s(pid), "name": s("South London shared ICT"), "form": s("collaborate"),
			"adminHash": b(secret.Hash("admin-" + pid)), "joinCode": s("ABCDEFGHJ"), "cadenceMonths": n("12"), "currentRound": n("2"), "createdAt": s(ts(0))},
		{"pk": s("P#" + pid), "sk": s("R#0001"), "kind": s("round"), "number": n("1"), "purpose": s("readiness"), "status": s("closed"), "openedAt": s(ts(0)), "closedAt": s(ts(30))},
		{"pk": s("P#" + pid), "sk": s("R#0002"), "kind": s("round"), "number": n("2"), "purpose": s("health-check"), "status": s("open"), "openedAt": s(ts(30))},
		{"pk": s("JOIN#ABCDEFGHJ"), "sk": s("JOIN"), "partnership": s(pid)},
	}
	members = map[string]string{}
	member := func(round int, council, status string, prospective bool, min int) {
		aid := secret.NewID()
		members[council+"/"+status+"/"+string(rune('0'+round))] = aid
		m := map[string]types.AttributeValue{"pk": s("P#" + pid), "sk": s("R#000" + string(rune('0'+round)) + "#M#" + aid), "kind": s("member"),
			"assessment": s(aid), "council": s(council), "status": s(status), "tokenHash": b(secret.Hash("token-" + aid)), "version": s(cur.Version), "joinedAt": s(ts(min))}
		a := map[string]types.AttributeValue{"pk": s("A#" + aid), "sk": s("META"), "kind": s("assessment"), "id": s(aid), "council": s(council),
			"name": s("Sam"), "role": s("Lead"), "purpose": s("readiness"), "form": s("collaborate"), "version": s(cur.Version), "status": s(status),
			"tokenHash": b(secret.Hash("token-" + aid)), "createdAt": s(ts(min)), "updatedAt": s(ts(min)), "partnership": s(pid), "round": n(string(rune('0' + round)))}
		if prospective {
			m["prospective"], a["prospective"] = &types.AttributeValueMemberBOOL{Value: true}, &types.AttributeValueMemberBOOL{Value: true}
		}
		if status == "submitted" {
			m["submittedAt"], m["scores"], a["submittedAt"] = s(ts(min+1)), s(snap), s(ts(min+1))
		}
		items = append(items, m, a)
	}
	member(1, "Brent", "draft", false, 1)
	member(1, " brent ", "submitted", false, 2)
	member(1, "Lewisham", "submitted", false, 3)
	member(1, "Croydon", "submitted", true, 4)
	member(2, "Brent", "submitted", false, 31)
	for _, it := range items {
		if _, err := ddbtest.Client().PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: it}); err != nil {
			t.Fatal(err)
		}
	}
	return pid, members
}

func TestMigrateSeats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	table := ddbtest.NewTable(t)
	store := dynamo.NewStore(ddbtest.Client(), table)
	lib := bankyaml.MustEmbedded()
	pid, members := legacyPartnership(t, table, lib)
	now := func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }

	before := ddbtest.ItemCount(t, table)
	plans, err := store.MigrateSeats(ctx, ddbtest.Client(), false, now())
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 1 || plans[0].Partnership != pid || len(plans[0].Seats) != 2 {
		t.Fatalf("dry run: got %+v, want one partnership with two seats", plans)
	}
	var got []string
	for _, ps := range plans[0].Seats {
		got = append(got, ps.Council)
		if ps.Invitation != "" {
			t.Errorf("dry run issued an invitation for %s", ps.Council)
		}
	}
	if want := []string{"Brent", "Lewisham"}; !slices.Equal(got, want) {
		t.Errorf("dry run seats: got %v, want %v", got, want)
	}
	if after := ddbtest.ItemCount(t, table); after != before {
		t.Errorf("dry run wrote %d items", after-before)
	}

	plans, err = store.MigrateSeats(ctx, ddbtest.Client(), true, now())
	if err != nil {
		t.Fatal(err)
	}
	p, err := store.LoadPartnership(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Seats) != 2 || p.Seats[0].Name != "Brent" || p.Seats[1].Name != "Lewisham" {
		t.Fatalf("seats after apply: %+v", p.Seats)
	}
	for _, r := range p.Rounds {
		for _, m := range r.Members {
			if want := map[bool]string{true: ""}[m.Prospective]; m.Prospective && m.Seat != want || !m.Prospective && m.Seat == "" {
				t.Errorf("round %d %s: seat %q", r.Number, m.Council, m.Seat)
			}
		}
	}
	if r2, _ := p.Round(2); len(r2.Expected) != 2 {
		t.Errorf("open round 2 expects %v, want both seats", r2.Expected)
	}
	// Old comparisons still open, and round 2 now waits for Lewisham.
	c, err := partnership.Compare(lib, p, partnership.AdminAccess, 1)
	if err != nil || !slices.Equal(c.Councils, []string{"Brent", "Lewisham"}) {
		t.Errorf("round 1 after migration: %v, councils %v", err, c.Councils)
	}
	var sealed *partnership.SealedError
	if _, err := partnership.Compare(lib, p, partnership.AdminAccess, 2); !errors.As(err, &sealed) || sealed.Expected != 2 || sealed.Submitted != 1 {
		t.Errorf("round 2 after migration: got %v, want sealed 1 of 2", err)
	}
	// The seat's invitation works; the join code is now for prospective partners.
	as := assessment.NewService(store, lib, now)
	resolver := &auth.Resolver{Assessments: store, Partnerships: store, Now: now}
	if _, err := resolver.Seat(ctx, pid, p.Seats[1].ID, plans[0].Seats[1].Invitation); err != nil {
		t.Errorf("Lewisham's new invitation: %v", err)
	}
	load := func(id string) *assessment.Assessment {
		a, err := store.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	lew := members["Lewisham/submitted/1"]
	hc, err := as.StartHealthCheck(ctx, load(lew), idempotency.Request{})
	if err != nil || hc.Round != 2 {
		t.Fatalf("Lewisham's health-check after migration: %+v %v", hc, err)
	}
	if a, _ := store.Load(ctx, hc.ID); a.Seat != p.Seats[1].ID {
		t.Errorf("health-check seat: got %q, want Lewisham's", a.Seat)
	}
	brent := members["Brent/submitted/2"]
	if _, err := as.StartHealthCheck(ctx, load(members[" brent /submitted/1"]), idempotency.Request{}); err == nil {
		t.Errorf("a second round-2 assessment for Brent's seat (it has %s): want conflict", brent)
	}
	// Running again changes nothing.
	mid := ddbtest.ItemCount(t, table)
	plans, err = store.MigrateSeats(ctx, ddbtest.Client(), true, now())
	if err != nil || len(plans) != 1 || plans[0].Skipped == "" {
		t.Errorf("second run: %+v %v", plans, err)
	}
	if got := ddbtest.ItemCount(t, table); got != mid {
		t.Errorf("second run wrote %d items", got-mid)
	}
}

// Submitted assessments from before retention get their due entry from
// the migration: counted on a dry run, written on apply, once.
func TestMigrateRetention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	table := ddbtest.NewTable(t)
	store := dynamo.NewStore(ddbtest.Client(), table)
	_, members := legacyPartnership(t, table, bankyaml.MustEmbedded())
	dueAt := func(id string) string {
		out, err := ddbtest.Client().GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table),
			Key: map[string]types.AttributeValue{"pk": s("A#" + id), "sk": s("META")}, ConsistentRead: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := out.Item["dueAt"].(*types.AttributeValueMemberS)
		if v == nil {
			return ""
		}
		return v.Value
	}
	submitted := []string{members[" brent /submitted/1"], members["Lewisham/submitted/1"], members["Croydon/submitted/1"], members["Brent/submitted/2"]}
	n, err := store.MigrateRetention(ctx, ddbtest.Client(), false)
	if err != nil || n != len(submitted) {
		t.Fatalf("dry run: %d, %v; want %d", n, err, len(submitted))
	}
	for _, id := range submitted {
		if got := dueAt(id); got != "" {
			t.Errorf("dry run wrote dueAt %s on %s", got, id)
		}
	}
	if n, err := store.MigrateRetention(ctx, ddbtest.Client(), true); err != nil || n != len(submitted) {
		t.Fatalf("apply: %d, %v; want %d", n, err, len(submitted))
	}
	// Brent's round-1 submit was at 09:03 on 1 June 2026 (legacyPartnership).
	want := reminders.RetentionDue(time.Date(2026, 6, 1, 9, 3, 0, 0, time.UTC)).Format(time.RFC3339Nano)
	if got := dueAt(members[" brent /submitted/1"]); got != want {
		t.Errorf("dueAt: got %s, want %s", got, want)
	}
	for _, id := range submitted {
		if dueAt(id) == "" {
			t.Errorf("%s: no due entry after apply", id)
		}
	}
	if got := dueAt(members["Brent/draft/1"]); got != "" {
		t.Errorf("a draft got dueAt %s", got)
	}
	if n, err := store.MigrateRetention(ctx, ddbtest.Client(), true); err != nil || n != 0 {
		t.Errorf("second apply: %d, %v; want 0", n, err)
	}
}
