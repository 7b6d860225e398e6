package dynamo_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/secret"
	"github.com/openrasp/rasp/shared/tabledef"
)

// A table made before TTL was part of its definition (or by hand) must get
// TTL when CreateTable finds it, or abandoned drafts' items would never be
// removed; and a second call must not fail because TTL is already on.
func TestCreateTableTurnsOnTTLOnATableItFinds(t *testing.T) {
	ctx := context.Background()
	db := ddbtest.Client()
	def := tabledef.Rasp()
	name := "pre" + secret.NewID()[:8]
	if _, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(def.PartitionKey.Name), AttributeType: types.ScalarAttributeType(def.PartitionKey.Type)},
			{AttributeName: aws.String(def.SortKey.Name), AttributeType: types.ScalarAttributeType(def.SortKey.Type)},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(def.PartitionKey.Name), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(def.SortKey.Name), KeyType: types.KeyTypeRange},
		},
	}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := dynamo.CreateTable(ctx, db, name, def); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
		out, err := db.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		d := out.TimeToLiveDescription
		if d == nil || d.TimeToLiveStatus != types.TimeToLiveStatusEnabled || aws.ToString(d.AttributeName) != def.TTLAttribute {
			t.Fatalf("call %d: TTL is %+v, want enabled on %s", i+1, d, def.TTLAttribute)
		}
	}
}
