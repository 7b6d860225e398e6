// Command web is the web Lambda: the HTML pages (see shared/routes/web.go).
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
	lambda.Start(lambdas.Web(deps).Handle)
}
