// Command reminders is the reminders Lambda, invoked daily by EventBridge
// Scheduler: see shared/reminders for what it sends.
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
	lambda.Start(lambdas.Reminders(deps))
}
