// Command score is the score Lambda: see shared/routes for the routes it owns.
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
	lambda.Start(lambdas.Score(deps).Handle)
}
