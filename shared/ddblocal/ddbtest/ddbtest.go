// Package ddbtest runs integration tests against a real DynamoDB Local:
// one server per test package (started in TestMain), one fresh table per test.
package ddbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/awsdefault"
	"github.com/openrasp/rasp/shared/ddblocal"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/tabledef"
)

var (
	server *ddblocal.Server
	client *dynamodb.Client
)

// Main starts DynamoDB Local in memory, runs the tests and stops it.
// Use it as: func TestMain(m *testing.M) { os.Exit(ddbtest.Main(m)) }
func Main(m *testing.M) int {
	ctx := context.Background()
	var err error
	server, err = ddblocal.Start(ctx, ddblocal.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ddbtest:", err)
		return 1
	}
	defer server.Stop()
	client, err = awsdefault.NewClient(ctx, server.Endpoint)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ddbtest:", err)
		return 1
	}
	return m.Run()
}

// Endpoint is the running server's URL, for tests that put a fault proxy
// in front of it.
func Endpoint() string { return server.Endpoint }

// Client is a client for the running server.
func Client() *dynamodb.Client { return client }

// NewTable creates a table with the service's definition and a unique name,
// so tests in one package can run in parallel without seeing each other.
func NewTable(t testing.TB) string {
	t.Helper()
	if client == nil {
		t.Fatal("ddbtest: call ddbtest.Main from TestMain")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "t" + hex.EncodeToString(b)
	if err := dynamo.CreateTable(context.Background(), client, name, tabledef.Rasp()); err != nil {
		t.Fatalf("create table: %v", err)
	}
	return name
}

// ItemCount counts every item of a test table with a consistent Scan, so a
// test can show that a refused request wrote nothing. Only tests scan.
// Two kinds of operational record are left out, as neither holds data of
// the request: rate-limit counters (a refused request still counts towards
// its client's limit, or guessing would be free; a hash and a number, D8),
// counted by RateCounters; and the erasure log (what was erased, by id
// only, for a re-erasure after a restore), counted by ErasureLog.
func ItemCount(t testing.TB, table string) int {
	t.Helper()
	return count(t, table, "attribute_not_exists(kind) OR (kind <> :rate AND kind <> :erasure)")
}

// ErasureLog counts the entries of a test table's erasure log.
func ErasureLog(t testing.TB, table string) int {
	t.Helper()
	return count(t, table, "kind = :erasure")
}

// RateCounters counts the rate-limit counters of a test table.
func RateCounters(t testing.TB, table string) int {
	t.Helper()
	return count(t, table, "kind = :rate")
}

func count(t testing.TB, table, filter string) int {
	t.Helper()
	in := &dynamodb.ScanInput{TableName: aws.String(table), Select: types.SelectCount, ConsistentRead: aws.Bool(true),
		FilterExpression:          aws.String(filter),
		ExpressionAttributeValues: map[string]types.AttributeValue{}}
	// DynamoDB refuses values the expression does not use.
	for name, v := range map[string]string{":rate": "rate-limit", ":erasure": "erasure-log"} {
		if strings.Contains(filter, name) {
			in.ExpressionAttributeValues[name] = &types.AttributeValueMemberS{Value: v}
		}
	}
	n := 0
	for {
		out, err := client.Scan(context.Background(), in)
		if err != nil {
			t.Fatalf("count items: %v", err)
		}
		n += int(out.Count)
		if out.LastEvaluatedKey == nil {
			return n
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
