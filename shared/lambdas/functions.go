package lambdas

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/httpapi"
	"github.com/openrasp/rasp/shared/lambdas/answers"
	"github.com/openrasp/rasp/shared/lambdas/compare"
	"github.com/openrasp/rasp/shared/lambdas/score"
	"github.com/openrasp/rasp/shared/lambdas/start"
	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/web"
)

// Start, Answers, Score, Compare and Web build each function's router from
// the shared dependencies, exactly as its main.go does from its own.
func Start(d Deps) *httpapi.Router {
	return start.New(start.Deps{Store: d.Store, Auth: d.Auth, Assessments: d.Assessments, Partnerships: d.Partnerships, Viewers: d.Viewers, Bank: d.Bank, Log: d.Log,
		BaseURL: d.Config.BaseURL, Deadline: d.Config.RequestTimeout, CORS: httpapi.CORS{Origins: d.Config.CORSOrigins}, HealthTimeout: d.Config.HealthTimeout,
		Limiter: d.Limiter, Edge: d.Config.Edge})
}

func Answers(d Deps) *httpapi.Router {
	return answers.New(answers.Deps{Auth: d.Auth, Assessments: d.Assessments, Viewers: d.Viewers, Log: d.Log, Deadline: d.Config.RequestTimeout, CORS: httpapi.CORS{Origins: d.Config.CORSOrigins}, Edge: d.Config.Edge})
}

func Score(d Deps) *httpapi.Router {
	return score.New(score.Deps{Auth: d.Auth, Bank: d.Bank, Log: d.Log, Deadline: d.Config.RequestTimeout, CORS: httpapi.CORS{Origins: d.Config.CORSOrigins}, Edge: d.Config.Edge})
}

func Compare(d Deps) *httpapi.Router {
	return compare.New(compare.Deps{Auth: d.Auth, Bank: d.Bank, Log: d.Log, Deadline: d.Config.RequestTimeout, CORS: httpapi.CORS{Origins: d.Config.CORSOrigins}, Edge: d.Config.Edge})
}

func Web(d Deps) *httpapi.Router {
	return web.MustNew(web.Options{
		Assessments: d.Assessments, Partnerships: d.Partnerships, Viewers: d.Viewers, Bank: d.Bank, Mailer: d.Mailer,
		BaseURL: d.Config.BaseURL, Log: d.Log, Auth: d.Auth, Reminders: d.Reminders, Deadline: d.Config.RequestTimeout, CORS: httpapi.CORS{Origins: d.Config.CORSOrigins}, Now: d.Now,
		Limiter: d.Limiter, Edge: d.Config.Edge,
	}).Router()
}

// HTTPFunctions returns the Lambda handler of every HTTP function, for the
// local gateway and for tests that go through it.
func HTTPFunctions(d Deps) map[string]localgateway.LambdaHandler {
	return map[string]localgateway.LambdaHandler{
		routes.FnStart:   Start(d).Handle,
		routes.FnAnswers: Answers(d).Handle,
		routes.FnScore:   Score(d).Handle,
		routes.FnCompare: Compare(d).Handle,
		routes.FnWeb:     Web(d).Handle,
	}
}

// Reminders is the reminders function's handler on the shared dependencies.
func Reminders(d Deps) func(ctx context.Context, payload json.RawMessage) (reminders.Report, error) {
	return reminders.Handler(d.Reminders, d.Log, d.Now)
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
