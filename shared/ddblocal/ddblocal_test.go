package ddblocal_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/awsdefault"
	"github.com/openrasp/rasp/shared/ddblocal"
)

// Two local tools on one data folder share one server (make run beside
// make remind), and the owner restarts the server when it dies, with its
// data.
func TestSharedServerIsReusedAndRestarted(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	owner, err := ddblocal.Shared(ctx, ddblocal.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Stop()
	other, err := ddblocal.Shared(ctx, ddblocal.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !other.Attached() || other.Endpoint != owner.Endpoint || owner.Attached() {
		t.Fatalf("second tool: attached %v at %s, want the owner's %s", other.Attached(), other.Endpoint, owner.Endpoint)
	}
	db, err := awsdefault.NewClient(ctx, owner.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("kept"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest}); err != nil {
		t.Fatal(err)
	}
	// The attached tool's Stop leaves the server to its owner.
	other.Stop()
	if _, err := db.ListTables(ctx, &dynamodb.ListTablesInput{}); err != nil {
		t.Fatalf("after the attached tool stopped: %v", err)
	}

	if err := owner.Kill(); err != nil {
		t.Fatal(err)
	}
	var tables []string
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		out, err := db.ListTables(ctx, &dynamodb.ListTablesInput{})
		if err == nil && owner.Restarts() == 1 {
			tables = out.TableNames
			break
		}
	}
	if owner.Restarts() != 1 || len(tables) != 1 || tables[0] != "kept" {
		t.Fatalf("after a crash: %d restarts, tables %v; want 1 restart and the table kept", owner.Restarts(), tables)
	}
}
