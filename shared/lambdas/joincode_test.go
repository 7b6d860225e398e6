package lambdas_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
)

// joinWith starts a prospective partner's assessment with a code.
func (e *env) joinWith(code string) response {
	e.t.Helper()
	in := startBody("Barnet", "collaborate")
	in.Purpose, in.JoinCode = "new-partner", code
	return e.do("POST", "/api/assessments", "", in)
}

// Join codes are stored only as keys: shown once at creation, never
// readable in the table; a rotation shows a new one once and the old one
// stops working at once.
func TestJoinCodesAreStoredOnlyAsKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("North London", "Camden", "Islington")
	for _, form := range []string{p.JoinCode, strings.ReplaceAll(p.JoinCode, "-", "")} {
		if where := itemHolding(t, e.table, form); where != "" {
			t.Errorf("the join code %q is readable in item %s", form, where)
		}
	}
	if r := e.joinWith(p.JoinCode); r.status != http.StatusCreated {
		t.Fatalf("join with the code: got %d %s", r.status, r.body)
	}

	r := e.do("POST", "/api/partnerships/"+p.ID+"/join-code", p.AdminToken, nil)
	var rotated api.JoinCodeRotated
	r.json(t, &rotated)
	if r.status != http.StatusOK || rotated.JoinCode == "" || rotated.JoinCode == p.JoinCode {
		t.Fatalf("rotate: got %d %s", r.status, r.body)
	}
	if where := itemHolding(t, e.table, strings.ReplaceAll(rotated.JoinCode, "-", "")); where != "" {
		t.Errorf("the new code is readable in item %s", where)
	}
	if r := e.joinWith(p.JoinCode); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "joinCode") {
		t.Errorf("old code after rotation: got %d %s, want 422 on joinCode", r.status, r.body)
	}
	if r := e.joinWith(rotated.JoinCode); r.status != http.StatusCreated {
		t.Errorf("new code: got %d %s", r.status, r.body)
	}
	// Only the administrator rotates.
	camden := seat(t, p, "Camden")
	if r := e.do("POST", "/api/partnerships/"+p.ID+"/join-code", camden.Token, nil); r.status == http.StatusOK {
		t.Errorf("a seat's token rotated the join code")
	}
}

// A partnership from before keys kept its code in clear (META joinCode and
// JOIN#<code>): the code still works, and a rotation removes both.
func TestJoinCodeInClearFromBeforeKeysIsRotatedAway(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.partnership("South London", "Lambeth", "Wandsworth")
	const legacy = "K7MQ2PXWD"
	ctx := context.Background()
	db := ddbtest.Client()
	// What the code before keys wrote: the code on META, and its item.
	if _, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &e.table,
		Key:              map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "P#" + p.ID}, "sk": &types.AttributeValueMemberS{Value: "META"}},
		UpdateExpression: aws.String("SET joinCode = :c REMOVE joinKey"), ExpressionAttributeValues: map[string]types.AttributeValue{":c": &types.AttributeValueMemberS{Value: "K7M-Q2P-XWD"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &e.table, Item: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "JOIN#" + legacy}, "sk": &types.AttributeValueMemberS{Value: "JOIN"},
		"partnership": &types.AttributeValueMemberS{Value: p.ID}}}); err != nil {
		t.Fatal(err)
	}
	if r := e.joinWith("k7m q2p xwd"); r.status != http.StatusCreated {
		t.Fatalf("join with a code in clear: got %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/partnerships/"+p.ID+"/join-code", p.AdminToken, nil); r.status != http.StatusOK {
		t.Fatalf("rotate: got %d %s", r.status, r.body)
	}
	if where := itemHolding(t, e.table, legacy); where != "" {
		t.Errorf("after rotation the old code is still in item %s", where)
	}
	if where := itemHolding(t, e.table, "K7M-Q2P-XWD"); where != "" {
		t.Errorf("after rotation the old code is still in item %s", where)
	}
	if r := e.joinWith(legacy); r.status != http.StatusUnprocessableEntity {
		t.Errorf("old code after rotation: got %d %s, want 422", r.status, r.body)
	}
}
