package reminders

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Handler is the reminders function, invoked every morning by EventBridge
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
func Handler(job *Job, log *slog.Logger, now func() time.Time) func(ctx context.Context, payload json.RawMessage) (Report, error) {
	return func(ctx context.Context, payload json.RawMessage) (Report, error) {
		start := time.Now()
		var ev events.EventBridgeEvent
		if len(bytes.TrimSpace(payload)) > 0 {
			if err := json.Unmarshal(payload, &ev); err != nil {
				log.WarnContext(ctx, "reminders: payload is not an EventBridge event; running anyway")
			}
		}
		if ev.Source == SESSource {
			// A bounce or complaint from the SES configuration set, not
			// the schedule: record it, send nothing.
			n, err := job.RecordMailEvent(ctx, ev.Detail, now().UTC())
			log.LogAttrs(ctx, slog.LevelInfo, "mail event", slog.String("function", "reminders"), slog.String("detailType", ev.DetailType),
				slog.String("eventId", ev.ID), slog.Int("suppressed", n), slog.Bool("failed", err != nil))
			return Report{Suppressions: n}, err
		}
		rep, err := job.Run(ctx, now().UTC())
		attrs := []slog.Attr{
			slog.String("function", "reminders"),
			slog.String("source", ev.Source),
			slog.String("eventId", ev.ID),
			slog.Int("due", rep.Due), slog.Int("sent", rep.Sent), slog.Int("rescheduled", rep.Rescheduled),
			slog.Int("expired", rep.Expired), slog.Int("closed", rep.Closed), slog.Int("skipped", rep.Skipped), slog.Int("failed", rep.Failed),
			slog.Int("rejected", rep.Rejected), slog.Int("suppressed", rep.Suppressed), slog.Int("errors", rep.Errors), slog.Bool("more", rep.More),
			slog.Float64("durationMs", float64(time.Since(start).Microseconds())/1000),
		}
		if err != nil {
			log.LogAttrs(ctx, slog.LevelError, "reminders run failed", append(attrs, slog.String("error", err.Error()))...)
			return rep, err
		}
		log.LogAttrs(ctx, slog.LevelInfo, "reminders run", attrs...)
		Metrics(ctx, log, rep, time.Now())
		if rep.Failed > 0 || rep.Errors > 0 {
			return rep, fmt.Errorf("reminders: %d sends failed and %d store calls failed; they stay due for the next run", rep.Failed, rep.Errors)
		}
		return rep, nil
	}
}

// The run's CloudWatch metrics, which the stack's alarms watch
// (infra/stack.go).
const (
	MetricNamespace = "RASP"
	// MetricLeftOver is 1 when a run left due entries for the next one
	// (its budget ran out, or a batch stayed due), else 0.
	MetricLeftOver = "RemindersLeftOver"
	// MetricSent counts the mails a run sent.
	MetricSent = "RemindersSent"
	// MetricDimension names the function the metrics are of.
	MetricDimension = "Function"
)

// Metrics logs rep's metrics as one line in CloudWatch Embedded Metric
// Format, which Lambda's log pipeline turns into metrics without a
// PutMetricData call, an SDK client or a permission
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
func Metrics(ctx context.Context, log *slog.Logger, rep Report, at time.Time) {
	left := 0
	if rep.More {
		left = 1
	}
	directive := map[string]any{
		"Namespace":  MetricNamespace,
		"Dimensions": [][]string{{MetricDimension}},
		"Metrics":    []map[string]string{{"Name": MetricLeftOver, "Unit": "Count"}, {"Name": MetricSent, "Unit": "Count"}},
	}
	log.LogAttrs(ctx, slog.LevelInfo, "reminders metrics",
		slog.Group("_aws", slog.Int64("Timestamp", at.UnixMilli()), slog.Any("CloudWatchMetrics", []any{directive})),
		slog.String(MetricDimension, "reminders"), slog.Int(MetricLeftOver, left), slog.Int(MetricSent, rep.Sent))
}

// SESSource is the EventBridge source of SES's sending events: the stack's
// configuration set publishes bounces and complaints to the default bus,
// and a rule sends them here.
const SESSource = "aws.ses"

// sesEvent is the part of an SES sending event we read
// (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html).
type sesEvent struct {
	EventType string `json:"eventType"`
	Bounce    *struct {
		BounceType        string      `json:"bounceType"`
		BouncedRecipients []recipient `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint *struct {
		ComplainedRecipients []recipient `json:"complainedRecipients"`
	} `json:"complaint"`
}

type recipient struct {
	EmailAddress string `json:"emailAddress"`
}

// RecordMailEvent puts on the suppression list the recipients of a
// permanent bounce or of a complaint, and returns how many. A transient
// bounce (a full mailbox) suppresses nobody: SES publishes one only after
// its own retries, and the next reminder may well arrive.
func (j *Job) RecordMailEvent(ctx context.Context, detail json.RawMessage, now time.Time) (int, error) {
	var ev sesEvent
	if err := json.Unmarshal(detail, &ev); err != nil {
		return 0, fmt.Errorf("reminders: SES event: %w", err)
	}
	var to []recipient
	reason := ""
	switch {
	case ev.EventType == "Bounce" && ev.Bounce != nil && ev.Bounce.BounceType == "Permanent":
		to, reason = ev.Bounce.BouncedRecipients, "bounce"
	case ev.EventType == "Complaint" && ev.Complaint != nil:
		to, reason = ev.Complaint.ComplainedRecipients, "complaint"
	}
	n := 0
	for _, r := range to {
		if r.EmailAddress == "" {
			continue
		}
		if err := j.store.Suppress(ctx, r.EmailAddress, reason, now); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
