// Package dynamo is RASP's DynamoDB storage: the client, the table
// provisioning used locally, and the store behind the domain interfaces.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/tabledef"
)

// NewClientFromConfig returns a DynamoDB client on a loaded configuration;
// endpoint is DynamoDB Local's, or empty in AWS.
func NewClientFromConfig(cfg aws.Config, endpoint string) *dynamodb.Client {
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
			// DynamoDB Local sends no CRC32 on some error replies; checking
			// it only logs warnings there.
			o.DisableValidateResponseChecksum = true
		}
	})
}

// MustAWSConfig is the SDK configuration of a Lambda, for main(): the
// region and the execution role's credentials from the environment Lambda
// sets (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN), with the store's retries (Retryer). That is all the SDK's
// LoadDefaultConfig finds in a Lambda; not linking it keeps its shared-file,
// SSO, STS and instance-metadata providers out of every zip
// (docs/performance.md). With an endpoint (DynamoDB Local) the region and
// credentials are fixed dummies, as awsdefault.Load's. A function that cannot configure
// itself cannot serve, and the panic shows in its start-up log.
func MustAWSConfig(_ context.Context, endpoint string) aws.Config {
	cfg, err := LambdaAWSConfig(os.Getenv, endpoint)
	if err != nil {
		panic(err)
	}
	return cfg
}

// LambdaAWSConfig builds MustAWSConfig's configuration from getenv.
func LambdaAWSConfig(getenv func(string) string, endpoint string) (aws.Config, error) {
	cfg := aws.Config{
		Region:  getenv("AWS_REGION"),
		Retryer: Retryer,
	}
	key, secret, session := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN")
	if endpoint != "" {
		cfg.Region, key, secret, session = "eu-west-2", "local", "local", ""
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("AWS config: AWS_REGION is not set")
	}
	if key == "" || secret == "" {
		return aws.Config{}, errors.New("AWS config: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
	}
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(key, secret, session))
	return cfg, nil
}

// Retryer: few, fast retries. Three attempts with at most 200 ms between
// them fit inside a call's deadline (Store CallTimeout, 3 s), which fits
// inside the request's (8 s) and the function's (10 s). A throttled request
// is better answered 503 + Retry-After than late.
func Retryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 3
		o.MaxBackoff = 200 * time.Millisecond
	})
}

// CreateTable creates the table described by def (idempotently) and turns
// on its TTL attribute. Used for DynamoDB Local; in AWS the CDK stack
// creates the table from the same description.
func CreateTable(ctx context.Context, db *dynamodb.Client, name string, def tabledef.Table) error {
	attrs := map[string]tabledef.AttrType{def.PartitionKey.Name: def.PartitionKey.Type, def.SortKey.Name: def.SortKey.Type}
	var gsis []types.GlobalSecondaryIndex
	for _, ix := range def.Indexes {
		attrs[ix.PartitionKey.Name] = ix.PartitionKey.Type
		keys := []types.KeySchemaElement{{AttributeName: aws.String(ix.PartitionKey.Name), KeyType: types.KeyTypeHash}}
		if ix.SortKey.Name != "" {
			attrs[ix.SortKey.Name] = ix.SortKey.Type
			keys = append(keys, types.KeySchemaElement{AttributeName: aws.String(ix.SortKey.Name), KeyType: types.KeyTypeRange})
		}
		proj := &types.Projection{ProjectionType: types.ProjectionType(ix.Projection)}
		if len(ix.NonKeyAttributes) > 0 {
			proj.NonKeyAttributes = ix.NonKeyAttributes
		}
		gsis = append(gsis, types.GlobalSecondaryIndex{IndexName: aws.String(ix.Name), KeySchema: keys, Projection: proj})
	}
	var defs []types.AttributeDefinition
	for n, t := range attrs {
		defs = append(defs, types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeType(t)})
	}
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: defs,
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(def.PartitionKey.Name), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(def.SortKey.Name), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: gsis,
	})
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("create table %s: %w", name, err)
	}
	w := dynamodb.NewTableExistsWaiter(db)
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 30*time.Second); err != nil {
		return fmt.Errorf("wait for table %s: %w", name, err)
	}
	if def.TTLAttribute == "" {
		return nil
	}
	// TTL is turned on whether this call made the table or found it, so a
	// table made before TTL was part of the definition (or by hand) gets it
	// too. Asking first keeps a second call from failing: DynamoDB refuses
	// to enable TTL that is already on.
	ttl, err := db.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(name)})
	if err != nil {
		return fmt.Errorf("read TTL of %s: %w", name, err)
	}
	if d := ttl.TimeToLiveDescription; d != nil && (d.TimeToLiveStatus == types.TimeToLiveStatusEnabled || d.TimeToLiveStatus == types.TimeToLiveStatusEnabling) {
		return nil
	}
	if _, err := db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(def.TTLAttribute), Enabled: aws.Bool(true),
		},
	}); err != nil {
		return fmt.Errorf("enable TTL on %s: %w", name, err)
	}
	return nil
}
