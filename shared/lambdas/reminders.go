package lambdas

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/reminders"
)

// Reminders is the reminders function, invoked every morning by EventBridge
// Scheduler: it sends the reminders due now and returns the run's report.
//
// The payload is taken raw because a schedule may deliver its default
// notification (an EventBridge-shaped event), a configured input or
// nothing; it is read, if at all, for the log only. The time is always the
// function's own clock, so no payload can make drafts expire early.
//
// It returns an error when sends failed or the store failed: the
// asynchronous invocation is then retried (safe: claims make every mail go
// once) and the function's error alarm sees it.
func Reminders(d Deps) func(ctx context.Context, payload json.RawMessage) (reminders.Report, error) {
	return func(ctx context.Context, payload json.RawMessage) (reminders.Report, error) {
		start := time.Now()
		var ev events.EventBridgeEvent
		if len(bytes.TrimSpace(payload)) > 0 {
			if err := json.Unmarshal(payload, &ev); err != nil {
				d.Log.WarnContext(ctx, "reminders: payload is not an EventBridge event; running anyway")
			}
		}
		rep, err := d.Reminders.Run(ctx, d.Now().UTC())
		attrs := []slog.Attr{
			slog.String("function", "reminders"),
			slog.String("source", ev.Source),
			slog.String("eventId", ev.ID),
			slog.Int("due", rep.Due), slog.Int("sent", rep.Sent), slog.Int("rescheduled", rep.Rescheduled),
			slog.Int("expired", rep.Expired), slog.Int("skipped", rep.Skipped), slog.Int("failed", rep.Failed),
			slog.Int("rejected", rep.Rejected), slog.Int("errors", rep.Errors), slog.Bool("more", rep.More),
			slog.Float64("durationMs", float64(time.Since(start).Microseconds())/1000),
		}
		if err != nil {
			d.Log.LogAttrs(ctx, slog.LevelError, "reminders run failed", append(attrs, slog.String("error", err.Error()))...)
			return rep, err
		}
		d.Log.LogAttrs(ctx, slog.LevelInfo, "reminders run", attrs...)
		if rep.Failed > 0 || rep.Errors > 0 {
			return rep, fmt.Errorf("reminders: %d sends failed and %d store calls failed; they stay due for the next run", rep.Failed, rep.Errors)
		}
		return rep, nil
	}
}

// withMailer sets the mailer and the reminders job that sends with it.
func (d Deps) withMailer(m mail.Mailer) Deps {
	d.Mailer = m
	d.Reminders = reminders.New(d.Store, m, d.Log, reminders.Options{
		BaseURL: d.Config.BaseURL, Batch: d.Config.ReminderBatch, Budget: d.Config.ReminderBudget,
	})
	return d
}

// RemindOnce runs the reminders function once, as the schedule would, with
// the clock set to now (`make remind`, NOW=... to pretend it is another
// day). It writes the report to w.
func RemindOnce(ctx context.Context, d Deps, now time.Time, w io.Writer) error {
	d.Now = func() time.Time { return now }
	payload, err := json.Marshal(events.EventBridgeEvent{Version: "0", ID: "local", DetailType: "Scheduled Event",
		Source: "aws.scheduler", Time: now.UTC(), Resources: []string{}, Detail: json.RawMessage(`"{}"`)})
	if err != nil {
		return err
	}
	rep, runErr := Reminders(d)(ctx, payload)
	out, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "reminders at %s:\n%s\n", now.UTC().Format(time.RFC3339), out)
	if d.Config.OutboxDir != "" && rep.Sent > 0 {
		fmt.Fprintf(w, "mail written to %s\n", d.Config.OutboxDir)
	}
	return runErr
}
