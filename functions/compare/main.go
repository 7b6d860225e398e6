// Command compare is the compare Lambda: a partnership's rounds and the
// comparison of a round, JSON and CSV (routes owned by FnCompare). It only
// reads: the store is handed over as the auth package's partnership loader.
package main

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/lambdas/compare"
	"github.com/openrasp/rasp/shared/logging"
)

// main is wiring only: it builds what this function needs once per cold
// start and hands the handler to the runtime.
func main() {
	ctx := context.Background()
	cfg := config.MustFromEnv()
	aws := dynamo.MustAWSConfig(ctx, cfg.DynamoDBEndpoint)
	store := dynamo.NewStore(dynamo.NewAPIFromConfig(aws, cfg.DynamoDBEndpoint), cfg.Table, dynamo.CallTimeout(cfg.CallTimeout))
	resolver := &auth.Resolver{Partnerships: store, Now: time.Now}
	lambda.Start(compare.New(compare.Deps{Auth: resolver, Bank: bank.MustCompiled(), Log: logging.New(), Deadline: cfg.RequestTimeout, CORS: httpapi.CORS{Origins: cfg.CORSOrigins}, Edge: cfg.Edge}).Handle)
}
