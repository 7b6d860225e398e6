package reminders_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/reminders"
)

// The metrics line is valid Embedded Metric Format: a directive naming the
// namespace, the dimension and each metric, whose values sit at the root.
func TestMetricsAreEmbeddedMetricFormat(t *testing.T) {
	for _, tt := range []struct {
		rep      reminders.Report
		wantLeft float64
	}{
		{reminders.Report{Sent: 4, More: true}, 1},
		{reminders.Report{Sent: 0}, 0},
	} {
		var buf bytes.Buffer
		reminders.Metrics(context.Background(), slog.New(slog.NewJSONHandler(&buf, nil)), tt.rep, time.UnixMilli(1800000000000))
		var line struct {
			AWS struct {
				Timestamp         int64
				CloudWatchMetrics []struct {
					Namespace  string
					Dimensions [][]string
					Metrics    []struct{ Name, Unit string }
				}
			} `json:"_aws"`
			Function string
			Left     float64 `json:"RemindersLeftOver"`
			Sent     float64 `json:"RemindersSent"`
		}
		if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
			t.Fatalf("%s: %v", buf.Bytes(), err)
		}
		d := line.AWS.CloudWatchMetrics
		if line.AWS.Timestamp != 1800000000000 || len(d) != 1 || d[0].Namespace != reminders.MetricNamespace ||
			len(d[0].Dimensions) != 1 || d[0].Dimensions[0][0] != reminders.MetricDimension || len(d[0].Metrics) != 2 {
			t.Fatalf("directive: %s", buf.Bytes())
		}
		if line.Function != "reminders" || line.Left != tt.wantLeft || line.Sent != float64(tt.rep.Sent) {
			t.Errorf("values: got %s, want left %v sent %d", buf.Bytes(), tt.wantLeft, tt.rep.Sent)
		}
	}
}
