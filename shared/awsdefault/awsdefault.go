// Package awsdefault loads the AWS SDK's default configuration chain
// (environment, shared files, SSO, STS, instance metadata) for the programs
// that run outside Lambda: the local runner, the bench and the tests. The
// Lambdas build their configuration from the environment Lambda sets
// (dynamo.MustAWSConfig) and never link this package, which keeps the SDK's
// config loader and its SSO and STS clients out of every zip
// (docs/performance.md, issue 22).
package awsdefault

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/openrasp/rasp/shared/dynamo"
)

// Load loads the SDK configuration with the store's retries. With an
// endpoint (DynamoDB Local) it uses static dummy credentials and a fixed
// region, so no AWS account is needed.
func Load(ctx context.Context, endpoint string) (aws.Config, error) {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithRetryer(dynamo.Retryer),
	}
	if endpoint != "" {
		opts = append(opts,
			awsconfig.WithRegion("eu-west-2"),
			awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS config: %w", err)
	}
	return cfg, nil
}

// NewClient returns a DynamoDB client on Load's configuration; endpoint is
// DynamoDB Local's, or empty for AWS.
func NewClient(ctx context.Context, endpoint string) (*dynamodb.Client, error) {
	cfg, err := Load(ctx, endpoint)
	if err != nil {
		return nil, err
	}
	return dynamo.NewClientFromConfig(cfg, endpoint), nil
}
