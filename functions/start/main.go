// Command start is the start Lambda: health, the question bank, the OpenAPI
// document, and everything that creates (routes owned by FnStart).
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
	"github.com/openrasp/rasp/shared/lambdas/start"
	"github.com/openrasp/rasp/shared/logging"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/mail/ses"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/ratelimit"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/viewer"
)

// main is wiring only: it builds what this function needs once per cold
// start and hands the handler to the runtime.
func main() {
	ctx := context.Background()
	cfg := config.MustFromEnv()
	aws := dynamo.MustAWSConfig(ctx, cfg.DynamoDBEndpoint)
	store := dynamo.NewStore(dynamo.NewAPIFromConfig(aws, cfg.DynamoDBEndpoint), cfg.Table, dynamo.CallTimeout(cfg.CallTimeout))
	lib := bank.MustCompiled()
	log := logging.New()
	// Creating a partnership mails the admin link and invitations, and
	// "send me a new link" mails the link: through SES, skipping addresses
	// that bounced or complained.
	mailer := mail.Suppressing(ses.FromConfig(aws, cfg.MailFrom).WithConfigurationSet(cfg.SESConfigurationSet), store)
	lambda.Start(start.New(start.Deps{
		Store:         store,
		Auth:          &auth.Resolver{Assessments: store, Partnerships: store, Now: time.Now},
		Assessments:   assessment.NewService(store, lib, time.Now).WithMail(mailer, routes.Links{Origin: cfg.BaseURL}, log),
		Partnerships:  partnership.NewService(store, lib, time.Now).WithMail(mailer, routes.Links{Origin: cfg.BaseURL}, log),
		Viewers:       viewer.NewService(store, time.Now),
		Bank:          lib,
		Log:           log,
		BaseURL:       cfg.BaseURL,
		Deadline:      cfg.RequestTimeout,
		CORS:          httpapi.CORS{Origins: cfg.CORSOrigins},
		HealthTimeout: cfg.HealthTimeout,
		Limiter:       ratelimit.New(store, time.Now, cfg.RateLimits),
		Edge:          cfg.Edge,
	}).Handle)
}
