// Command reminders is the reminders Lambda, invoked daily by EventBridge
// Scheduler: see shared/reminders for what it sends. It owns no routes.
package main

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/logging"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/mail/ses"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/reminders/wording"
)

// main is wiring only: it builds what this function needs once per cold
// start and hands the handler to the runtime.
func main() {
	ctx := context.Background()
	cfg := config.MustFromEnv()
	log := logging.New()
	aws := dynamo.MustAWSConfig(ctx, cfg.DynamoDBEndpoint)
	store := dynamo.NewStore(dynamo.NewAPIFromConfig(aws, cfg.DynamoDBEndpoint), cfg.Table, dynamo.CallTimeout(cfg.CallTimeout))
	// Every mail skips addresses that bounced or complained; SES reports
	// those through the configuration set, and the stack routes its events
	// to this function.
	mailer := mail.Suppressing(ses.FromConfig(aws, cfg.MailFrom).WithConfigurationSet(cfg.SESConfigurationSet), store)
	job := reminders.New(store, mailer, wording.Must(), log, reminders.Options{
		BaseURL: cfg.BaseURL, Batch: cfg.ReminderBatch, Budget: cfg.ReminderBudget,
	})
	lambda.Start(reminders.Handler(job, log, time.Now))
}
