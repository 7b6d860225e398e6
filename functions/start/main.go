// Command start is the start Lambda: see shared/routes for the routes it owns.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/lambdas"
	"github.com/openrasp/rasp/shared/logging"
)

func main() {
	deps := lambdas.MustDeps(context.Background(), config.MustFromEnv(), logging.New())
	lambda.Start(lambdas.Start(deps).Handle)
}
