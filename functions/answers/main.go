// Command answers is the answers Lambda: read, save, submit and erase an
// assessment (routes owned by FnAnswers).
package main

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/lambdas/answers"
	"github.com/openrasp/rasp/shared/logging"
	"github.com/openrasp/rasp/shared/viewer"
)

// main is wiring only: it builds what this function needs once per cold
// start and hands the handler to the runtime.
func main() {
	ctx := context.Background()
	cfg := config.MustFromEnv()
	aws := dynamo.MustAWSConfig(ctx, cfg.DynamoDBEndpoint)
	store := dynamo.NewStore(dynamo.NewAPIFromConfig(aws, cfg.DynamoDBEndpoint), cfg.Table, dynamo.CallTimeout(cfg.CallTimeout))
	// Partnerships: changing whether notes are shared depends on whether
	// the round's comparison is still sealed.
	resolver := &auth.Resolver{Assessments: store, Partnerships: store, Now: time.Now}
	service := assessment.NewService(store, bank.MustCompiled(), time.Now)
	lambda.Start(answers.New(answers.Deps{Auth: resolver, Assessments: service, Viewers: viewer.NewService(store, time.Now), Log: logging.New(), Deadline: cfg.RequestTimeout, CORS: httpapi.CORS{Origins: cfg.CORSOrigins}, Edge: cfg.Edge}).Handle)
}
