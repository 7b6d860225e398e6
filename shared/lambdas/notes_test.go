package lambdas_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/lambdas"
	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/routes"
)

// countingAPI records the DynamoDB calls the store makes, so a test can say
// how many a request cost. Scan is listed so that a store reaching for one
// (dynamo.API has none) would be seen.
type countingAPI struct {
	dynamo.API
	mu    sync.Mutex
	calls []string
}

func (c *countingAPI) note(s string) { c.mu.Lock(); c.calls = append(c.calls, s); c.mu.Unlock() }

func (c *countingAPI) reset() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = nil
	return out
}

func (c *countingAPI) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	pk := ""
	if v, ok := in.ExpressionAttributeValues[":pk"].(*types.AttributeValueMemberS); ok {
		pk = v.Value
	}
	c.note("Query " + aws.ToString(in.IndexName) + pk)
	return c.API.Query(ctx, in, opts...)
}

func (c *countingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.note("GetItem")
	return c.API.GetItem(ctx, in, opts...)
}

func (c *countingAPI) Scan(context.Context, *dynamodb.ScanInput, ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	c.note("Scan")
	return &dynamodb.ScanOutput{}, nil
}

// newCountingEnv is newEnv with every DynamoDB call counted.
func newCountingEnv(t *testing.T) (*env, *countingAPI) {
	t.Helper()
	table := ddbtest.NewTable(t)
	counting := &countingAPI{API: ddbtest.Client()}
	store := dynamo.NewStore(counting, table)
	c := &clock{t: time.Now().UTC()}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	deps := lambdas.Wire(config.Config{Table: table, BaseURL: "http://127.0.0.1"}, log, store, library(t), c.Now)
	gw := &localgateway.Gateway{Routes: routes.Table(), Functions: lambdas.HTTPFunctions(deps), Log: log}
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	return &env{t: t, url: srv.URL, table: table, deps: deps, store: store, now: c}, counting
}

// noted answers every question at score, with a note on the first question
// of the bank.
func (e *env) noted(s api.Started, score int, note string) {
	e.t.Helper()
	e.answerAll(s, func(bank.Question) *int { return intp(score) })
	first := library(e.t).Current().Questions()[0].ID
	r := e.do("PUT", "/api/assessments/"+s.ID+"/answers", s.Token, api.SaveAnswers{Answers: map[string]api.AnswerChange{first: {Note: &note}}})
	if r.status != http.StatusOK {
		e.t.Fatalf("save note: %d %s", r.status, r.body)
	}
}

// Issue 18: a note shared by one council appears for its partners; a note
// not shared appears nowhere outside that council (JSON, CSV), and the
// choice can change until the comparison opens, never after.
func TestSharedNotes(t *testing.T) {
	t.Parallel()
	e, calls := newCountingEnv(t)
	p := e.partnership("Notes partnership", "Southwark", "Brent", "Lewisham")
	southwark, brent, lewisham := e.join(p, "Southwark", "readiness"), e.join(p, "Brent", "readiness"), e.join(p, "Lewisham", "readiness")
	const shared, private, later = "Cabinet backed it in March", "Our leader is wavering, keep this to us", "Lewisham note never shared"
	e.noted(southwark, 3, shared)
	e.noted(brent, 1, private)
	e.noted(lewisham, 4, later)

	if r := e.do("POST", "/api/assessments/"+southwark.ID+"/submit", southwark.Token, api.Submit{ShareNotes: true}); r.status != http.StatusOK {
		t.Fatalf("submit sharing: %d %s", r.status, r.body)
	}
	e.submit(brent) // no body: not shared, as before the choice existed

	// Brent changes its mind twice while the round is sealed.
	share := func(s api.Started, on bool) response {
		return e.do("PUT", "/api/assessments/"+s.ID+"/note-sharing", s.Token, api.ShareNotes{Shared: &on})
	}
	var ns api.NoteSharing
	r := share(brent, true)
	if r.status != http.StatusOK {
		t.Fatalf("share while sealed: %d %s", r.status, r.body)
	}
	if r.json(t, &ns); !ns.Shared || ns.Notes != 1 {
		t.Errorf("share reply: got %+v, want shared with 1 note", ns)
	}
	if r := share(brent, false); r.status != http.StatusOK {
		t.Fatalf("stop sharing while sealed: %d %s", r.status, r.body)
	}
	if r := e.do("PUT", "/api/assessments/"+brent.ID+"/note-sharing", brent.Token, `{}`); r.status != http.StatusUnprocessableEntity {
		t.Errorf("no choice given: got %d %s, want 422", r.status, r.body)
	}
	if r := share(lewisham, true); r.status != http.StatusConflict {
		t.Errorf("share a draft: got %d %s, want 409", r.status, r.body)
	}
	if r := e.do("POST", "/api/assessments/"+lewisham.ID+"/submit", lewisham.Token, `{"shareNotes":"yes"}`); r.status != http.StatusUnprocessableEntity {
		t.Errorf("submit with a wrong shareNotes: got %d %s, want 422", r.status, r.body)
	}
	e.submit(lewisham)
	if r := share(brent, true); r.status != http.StatusConflict {
		t.Errorf("share after the comparison opened: got %d %s, want 409", r.status, r.body)
	}

	calls.reset()
	r = e.do("GET", "/api/partnerships/"+p.ID+"/comparison", brent.Token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("comparison: %d %s", r.status, r.body)
	}
	if got := calls.reset(); len(got) != 1 || got[0] != "Query P#"+p.ID {
		t.Errorf("comparison with shared notes: got DynamoDB calls %q, want one Query of P#%s", got, p.ID)
	}
	var c api.Comparison
	r.json(t, &c)
	first := library(t).Current().Questions()[0].ID
	for _, q := range c.Questions {
		if q.ID == first {
			if got := q.Notes["Southwark"]; got != shared {
				t.Errorf("Southwark's shared note: got %q, want %q", got, shared)
			}
			if len(q.Notes) != 1 {
				t.Errorf("notes on %s: got %v, want Southwark's only", first, q.Notes)
			}
		}
	}
	body := string(r.body)
	if !strings.Contains(body, shared) {
		t.Errorf("comparison JSON lacks the shared note")
	}
	csv := e.do("GET", "/api/partnerships/"+p.ID+"/comparison.csv", p.AdminToken, nil)
	if !strings.Contains(string(csv.body), shared) {
		t.Errorf("comparison CSV lacks the shared note")
	}
	workshop := e.do("GET", "/api/partnerships/"+p.ID+"/workshop.csv", brent.Token, nil)
	if workshop.status != http.StatusOK || !strings.Contains(string(workshop.body), shared) {
		t.Errorf("workshop CSV: %d, want Southwark's shared note in it", workshop.status)
	}
	var parsed api.Comparison
	r.json(t, &parsed)
	if parsed.Board == nil || parsed.Board.Round != 1 {
		t.Errorf("comparison JSON: no board object")
	}
	for _, out := range []string{body, string(csv.body), string(workshop.body), string(e.do("GET", "/api/partnerships/"+p.ID, p.AdminToken, nil).body)} {
		for _, secret := range []string{private, later} {
			if strings.Contains(out, secret) {
				t.Errorf("an unshared note left its council: %q in %.200s…", secret, out)
			}
		}
	}

	// The council itself still reads its own note; its partners never did.
	if own := e.do("GET", "/api/assessments/"+brent.ID, brent.Token, nil); !strings.Contains(string(own.body), private) {
		t.Errorf("Brent's own assessment lacks its note")
	}

	// Erasing the assessment erases the copy with its membership.
	if r := e.do("DELETE", "/api/assessments/"+southwark.ID, southwark.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	items, err := ddbtest.Client().Query(context.Background(), &dynamodb.QueryInput{TableName: &e.table,
		KeyConditionExpression: aws.String("pk = :pk"), ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "P#" + p.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items.Items {
		if _, ok := it["notes"]; ok {
			t.Errorf("item %v still holds notes after the erasure", it["sk"])
		}
	}
}
