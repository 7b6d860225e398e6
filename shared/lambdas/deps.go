// Package lambdas assembles every function at once, for the local gateway
// (functions/local) and the tests that drive the whole service through it.
// A deployed function never imports it: functions/<name>/main.go wires only
// what that function needs from the per-function packages (start, answers,
// score, compare under this folder; shared/web; shared/reminders), so local
// runs the same handlers as AWS.
package lambdas

import (
	"context"
	"log/slog"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/awsdefault"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/mail/ses"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/ratelimit"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/reminders/wording"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/viewer"
)

// Deps are every function's dependencies together.
type Deps struct {
	Config       config.Config
	Log          *slog.Logger
	Store        *dynamo.Store
	Bank         *bank.Library
	Auth         *auth.Resolver
	Assessments  *assessment.Service
	Partnerships *partnership.Service
	// Viewers makes and revokes read-only links (issue 20).
	Viewers *viewer.Service
	Now     func() time.Time
	// Mailer sends e-mail: SES in AWS, .eml files in OUTBOX_DIR locally.
	Mailer mail.Mailer
	// Reminders is the reminders job; the web function serves its stop links.
	Reminders *reminders.Job
	// Limiter applies the rate limits (docs/design.md D8).
	Limiter *ratelimit.Limiter
}

// NewDeps wires the services on the configured table (the local runner).
func NewDeps(ctx context.Context, cfg config.Config, log *slog.Logger) (Deps, error) {
	awsCfg, err := awsdefault.Load(ctx, cfg.DynamoDBEndpoint)
	if err != nil {
		return Deps{}, err
	}
	lib, err := bank.Compiled()
	if err != nil {
		return Deps{}, err
	}
	d := Wire(cfg, log, dynamo.NewStore(dynamo.NewAPIFromConfig(awsCfg, cfg.DynamoDBEndpoint), cfg.Table, dynamo.CallTimeout(cfg.CallTimeout)), lib, time.Now)
	if d.Mailer == nil {
		d = d.WithMailer(ses.FromConfig(awsCfg, cfg.MailFrom).WithConfigurationSet(cfg.SESConfigurationSet))
	}
	return d, nil
}

// Wire builds the services from their parts (tests pass a fixed clock).
// With OutboxDir set, mail goes to .eml files there; otherwise NewDeps adds SES.
func Wire(cfg config.Config, log *slog.Logger, store *dynamo.Store, lib *bank.Library, now func() time.Time) Deps {
	d := Deps{
		Config: cfg, Log: log, Store: store, Bank: lib, Now: now,
		Auth:         &auth.Resolver{Assessments: store, Partnerships: store, Now: now},
		Assessments:  assessment.NewService(store, lib, now),
		Partnerships: partnership.NewService(store, lib, now),
		Viewers:      viewer.NewService(store, now),
		Limiter:      ratelimit.New(store, now, cfg.RateLimits),
	}
	// A member's submit tells the admin, and may unseal the round.
	d.Assessments.OnSubmit(func(ctx context.Context, a *assessment.Assessment) {
		if a.PartnershipID != "" {
			d.Partnerships.NotifySubmitted(ctx, a.PartnershipID, a.Round, a.ID)
		}
	})
	var m mail.Mailer
	if cfg.OutboxDir != "" {
		m = mail.NewOutbox(cfg.OutboxDir, cfg.MailFrom, now)
	}
	return d.WithMailer(m)
}

// WithMailer sets the mailer and the reminders job that sends with it.
// Every sender skips addresses on the suppression list.
func (d Deps) WithMailer(m mail.Mailer) Deps {
	m = mail.Suppressing(m, d.Store)
	d.Mailer = m
	if m != nil {
		d.Partnerships.WithMail(m, routes.Links{Origin: d.Config.BaseURL}, d.Log)
		d.Assessments.WithMail(m, routes.Links{Origin: d.Config.BaseURL}, d.Log)
	}
	d.Reminders = reminders.New(d.Store, m, wording.Must(), d.Log, reminders.Options{
		BaseURL: d.Config.BaseURL, Batch: d.Config.ReminderBatch, Budget: d.Config.ReminderBudget,
	})
	return d
}
