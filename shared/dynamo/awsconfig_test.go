package dynamo_test

import (
	"context"
	"testing"

	"github.com/openrasp/rasp/shared/dynamo"
)

// A Lambda's configuration comes from the variables Lambda sets: the region
// and the execution role's session credentials; DynamoDB Local gets dummies;
// a function missing either refuses to start.
func TestLambdaAWSConfigReadsLambdasEnvironment(t *testing.T) {
	t.Parallel()
	lambda := map[string]string{"AWS_REGION": "eu-west-2", "AWS_ACCESS_KEY_ID": "ASIAEXAMPLE",
		"AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "session"}
	cases := []struct {
		name                          string
		env                           map[string]string
		endpoint                      string
		wantErr                       bool
		wantRegion, wantKey, wantSess string
	}{
		{name: "lambda", env: lambda, wantRegion: "eu-west-2", wantKey: "ASIAEXAMPLE", wantSess: "session"},
		{name: "dynamodb local", env: nil, endpoint: "http://127.0.0.1:8000", wantRegion: "eu-west-2", wantKey: "local"},
		{name: "no region", env: map[string]string{"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}, wantErr: true},
		{name: "no credentials", env: map[string]string{"AWS_REGION": "eu-west-2"}, wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := dynamo.LambdaAWSConfig(func(k string) string { return c.env[k] }, c.endpoint)
			if c.wantErr {
				if err == nil {
					t.Fatal("got nil error, want a refusal")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			creds, err := cfg.Credentials.Retrieve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Region != c.wantRegion || creds.AccessKeyID != c.wantKey || creds.SessionToken != c.wantSess {
				t.Errorf("region %q, key %q, session %q; want %q, %q, %q", cfg.Region, creds.AccessKeyID, creds.SessionToken, c.wantRegion, c.wantKey, c.wantSess)
			}
			if cfg.Retryer == nil || cfg.Retryer().MaxAttempts() != 3 {
				t.Error("want the store's retryer (3 attempts)")
			}
		})
	}
}
