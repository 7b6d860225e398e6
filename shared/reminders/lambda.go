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
		rep, err := job.Run(ctx, now().UTC())
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
