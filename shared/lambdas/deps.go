// Package lambdas builds the HTTP handlers of each Lambda function from the
// route table. functions/<name>/main.go and the local gateway call the same
// constructors, so what runs locally is what deploys.
package lambdas

import (
	"context"
	"log/slog"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/reminders"
)

// Deps are the dependencies shared by the functions, built once per cold start.
type Deps struct {
	Config       config.Config
	Log          *slog.Logger
	Store        *dynamo.Store
	Bank         *bank.Library
	Assessments  *assessment.Service
	Partnerships *partnership.Service
	Now          func() time.Time
	// Mailer sends e-mail: SES in AWS, .eml files in OUTBOX_DIR locally.
	Mailer mail.Mailer
	// Reminders is the reminders job; the web function serves its stop links.
	Reminders *reminders.Job
}

// NewDeps wires the services on the configured table.
func NewDeps(ctx context.Context, cfg config.Config, log *slog.Logger) (Deps, error) {
	awsCfg, err := dynamo.LoadAWSConfig(ctx, cfg.DynamoDBEndpoint)
	if err != nil {
		return Deps{}, err
	}
	lib, err := bank.Compiled()
	if err != nil {
		return Deps{}, err
	}
	d := Wire(cfg, log, dynamo.NewStore(dynamo.NewClientFromConfig(awsCfg, cfg.DynamoDBEndpoint), cfg.Table), lib, time.Now)
	if d.Mailer == nil {
		d = d.withMailer(mail.SESFromConfig(awsCfg, cfg.MailFrom))
	}
	return d, nil
}

// MustDeps is NewDeps for main().
func MustDeps(ctx context.Context, cfg config.Config, log *slog.Logger) Deps {
	d, err := NewDeps(ctx, cfg, log)
	if err != nil {
		log.Error("start-up failed", slog.String("error", err.Error()))
		panic(err)
	}
	return d
}

// Wire builds the services from their parts (tests pass a fixed clock).
// With OutboxDir set, mail goes to .eml files there; otherwise NewDeps adds SES.
func Wire(cfg config.Config, log *slog.Logger, store *dynamo.Store, lib *bank.Library, now func() time.Time) Deps {
	d := Deps{
		Config: cfg, Log: log, Store: store, Bank: lib, Now: now,
		Assessments:  assessment.NewService(store, lib, now),
		Partnerships: partnership.NewService(store, lib, now),
	}
	var m mail.Mailer
	if cfg.OutboxDir != "" {
		m = mail.NewOutbox(cfg.OutboxDir, cfg.MailFrom, now)
	}
	return d.withMailer(m)
}
