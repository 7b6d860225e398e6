// Command web is the web Lambda: the HTML pages (shared/routes/web.go) and
// the stop links of reminder mails. It sends the private-link mail, so it
// links SES (docs/design.md D7).
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
	"github.com/openrasp/rasp/shared/logging"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/mail/ses"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/ratelimit"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/viewer"
	"github.com/openrasp/rasp/shared/web"
)

// main is wiring only: it builds what this function needs once per cold
// start and hands the handler to the runtime.
func main() {
	ctx := context.Background()
	cfg := config.MustFromEnv()
	log := logging.New()
	aws := dynamo.MustAWSConfig(ctx, cfg.DynamoDBEndpoint)
	store := dynamo.NewStore(dynamo.NewAPIFromConfig(aws, cfg.DynamoDBEndpoint), cfg.Table, dynamo.CallTimeout(cfg.CallTimeout))
	lib := bank.MustCompiled()
	// Every mail skips addresses that bounced or complained.
	mailer := mail.Suppressing(ses.FromConfig(aws, cfg.MailFrom).WithConfigurationSet(cfg.SESConfigurationSet), store)
	lambda.Start(web.MustNew(web.Options{
		// The pages create partnerships and recover links, which mail.
		Assessments:  assessment.NewService(store, lib, time.Now).WithMail(mailer, routes.Links{Origin: cfg.BaseURL}, log),
		Partnerships: partnership.NewService(store, lib, time.Now).WithMail(mailer, routes.Links{Origin: cfg.BaseURL}, log),
		Viewers:      viewer.NewService(store, time.Now),
		Bank:         lib,
		Mailer:       mailer,
		BaseURL:      cfg.BaseURL,
		Log:          log,
		Auth:         &auth.Resolver{Assessments: store, Partnerships: store, Now: time.Now},
		// Stopping needs no mailer; the job here only serves the stop links.
		Reminders: reminders.New(store, nil, nil, log, reminders.Options{BaseURL: cfg.BaseURL}),
		Deadline:  cfg.RequestTimeout,
		CORS:      httpapi.CORS{Origins: cfg.CORSOrigins},
		Limiter:   ratelimit.New(store, time.Now, cfg.RateLimits),
		Edge:      cfg.Edge,
	}).Router().Handle)
}
