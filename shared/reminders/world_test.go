package reminders_test

import (
	"context"
	"errors"
	"github.com/openrasp/rasp/shared/idempotency"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	rmail "github.com/openrasp/rasp/shared/mail"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/reminders"
	"github.com/openrasp/rasp/shared/reminders/wording"
)

func TestMain(m *testing.M) { os.Exit(ddbtest.Main(m)) }

const day = 24 * time.Hour

// now is the tests' fixed clock: 09:00 on 1 December 2036, years ahead of
// the real clock on purpose. The table has TTL on expiresAt and DynamoDB
// Local runs a periodic TTL deletion job (TimeToLiveDeletionJobScheduler in
// its jar), so on a clock near today's a draft "abandoned 181 days ago" has
// an expiresAt already past in real time and could vanish at a random
// moment of a long run, before the job expires it (the test saw Expired 0
// under load).
var now = time.Date(2036, 12, 1, 9, 0, 0, 0, time.UTC)

var library = sync.OnceValue(bankyaml.MustEmbedded)

// clock is the services' clock, set by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// countingAPI records every DynamoDB call the store makes. It has a Scan
// method so that a store reaching for one (by a type assertion) would be
// seen; dynamo.API itself has no Scan.
type countingAPI struct {
	dynamo.API
	mu    sync.Mutex
	calls []string
}

func (c *countingAPI) note(call string) { c.mu.Lock(); c.calls = append(c.calls, call); c.mu.Unlock() }

func (c *countingAPI) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	if in.IndexName != nil {
		c.note("Query " + *in.IndexName + ": " + aws.ToString(in.KeyConditionExpression))
	} else {
		c.note("Query table: " + aws.ToString(in.KeyConditionExpression))
	}
	return c.API.Query(ctx, in, opts...)
}

func (c *countingAPI) Scan(ctx context.Context, in *dynamodb.ScanInput, opts ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	c.note("Scan")
	return nil, errors.New("the store must not scan")
}

func (c *countingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.note("GetItem")
	return c.API.GetItem(ctx, in, opts...)
}

func (c *countingAPI) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.note("UpdateItem")
	return c.API.UpdateItem(ctx, in, opts...)
}

func (c *countingAPI) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.note("TransactWriteItems")
	return c.API.TransactWriteItems(ctx, in, opts...)
}

// take returns and forgets the calls so far.
func (c *countingAPI) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = nil
	return out
}

// capacity is one call's consumed capacity as the store reported it.
type capacity struct {
	op string
	cc types.ConsumedCapacity
}

// world is the service on its own table, with a settable clock and an
// outbox in a temporary folder.
type world struct {
	t            *testing.T
	table        string
	api          *countingAPI
	store        *dynamo.Store
	clock        *clock
	assessments  *assessment.Service
	partnerships *partnership.Service
	auth         *auth.Resolver
	outbox       string
	mailer       rmail.Mailer
	log          *slog.Logger

	mu       sync.Mutex
	capacity []capacity
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, table: ddbtest.NewTable(t), clock: &clock{t: now}, outbox: filepath.Join(t.TempDir(), "outbox"),
		log: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	w.api = &countingAPI{API: ddbtest.Client()}
	w.store = dynamo.NewStore(w.api, w.table)
	w.store.OnCapacity(func(op string, cc []types.ConsumedCapacity) {
		w.mu.Lock()
		defer w.mu.Unlock()
		for _, c := range cc {
			w.capacity = append(w.capacity, capacity{op, c})
		}
	})
	w.assessments = assessment.NewService(w.store, library(), w.clock.Now)
	w.partnerships = partnership.NewService(w.store, library(), w.clock.Now)
	w.auth = &auth.Resolver{Assessments: w.store, Partnerships: w.store, Now: w.clock.Now}
	w.mailer = rmail.NewOutbox(w.outbox, "RASP <rasp@rasp.example>", w.clock.Now)
	return w
}

// job returns a reminders job on the world's store with mailer m.
func (w *world) job(m rmail.Mailer, opts reminders.Options) *reminders.Job {
	if opts.BaseURL == "" {
		opts.BaseURL = "https://rasp.example"
	}
	return reminders.New(w.store, m, wording.Must(), w.log, opts)
}

// run runs the job once at t with the outbox mailer.
func (w *world) run(t time.Time) reminders.Report {
	w.t.Helper()
	w.clock.Set(t)
	rep, err := w.job(w.mailer, reminders.Options{}).Run(context.Background(), t)
	if err != nil {
		w.t.Fatalf("run at %s: %v", t, err)
	}
	return rep
}

// start starts an assessment at the given time (an empty email gives none).
func (w *world) start(at time.Time, council, email, joinCode, purpose string) assessment.Started {
	w.t.Helper()
	w.clock.Set(at)
	if purpose == "" {
		purpose = assessment.Readiness
	}
	s, err := w.assessments.Start(context.Background(), assessment.StartInput{Council: council, Purpose: purpose, Form: "collaborate",
		JoinCode: joinCode, Respondent: assessment.Respondent{Name: "Pat Doe", Role: "Programme manager", Email: email}}, idempotency.Request{})
	if err != nil {
		w.t.Fatalf("start %s: %v", council, err)
	}
	return s
}

// answer saves one answer (or all, to be able to submit) at the given time.
func (w *world) answer(at time.Time, s assessment.Started, all bool) {
	w.t.Helper()
	w.clock.Set(at)
	score := 2
	answers := map[string]assessment.Answer{}
	for _, q := range library().Current().Questions() {
		answers[q.ID] = assessment.Answer{Score: &score}
		if !all {
			break
		}
	}
	if _, err := w.assessments.SaveAnswers(context.Background(), w.lead(s.ID, s.Token), answers, nil); err != nil {
		w.t.Fatalf("save answers: %v", err)
	}
}

func (w *world) submit(at time.Time, s assessment.Started) {
	w.t.Helper()
	w.answer(at, s, true)
	if _, err := w.assessments.Submit(context.Background(), w.lead(s.ID, s.Token)); err != nil {
		w.t.Fatalf("submit: %v", err)
	}
}

func (w *world) partnership(at time.Time, name, contact string, cadence int) partnership.Created {
	w.t.Helper()
	w.clock.Set(at)
	p, err := w.partnerships.Create(context.Background(), partnership.CreateInput{Name: name, Form: "collaborate", ContactEmail: contact, CadenceMonths: cadence}, idempotency.Request{})
	if err != nil {
		w.t.Fatalf("create partnership %s: %v", name, err)
	}
	return p
}

func (w *world) closeRound(at time.Time, p partnership.Created, n int) {
	w.t.Helper()
	w.clock.Set(at)
	if _, err := w.partnerships.CloseRound(context.Background(), w.admin(p), partnership.AdminAccess, n); err != nil {
		w.t.Fatalf("close round: %v", err)
	}
}

func (w *world) openRound(at time.Time, p partnership.Created) {
	w.t.Helper()
	w.clock.Set(at)
	if _, err := w.partnerships.OpenRound(context.Background(), w.admin(p), partnership.AdminAccess, partnership.RoundInput{Purpose: partnership.HealthCheck}, idempotency.Request{}); err != nil {
		w.t.Fatalf("open round: %v", err)
	}
}

// sentMail is one .eml file of the outbox, read back.
type sentMail struct {
	file, to, subject, text, unsubscribe string
	lang                                 string // Content-Language
}

var linkRE = regexp.MustCompile(`https?://\S+`)

// links returns the URLs in the text part whose path ends with suffix.
func (m sentMail) link(t *testing.T, suffix string) *url.URL {
	t.Helper()
	for _, l := range linkRE.FindAllString(m.text, -1) {
		u, err := url.Parse(l)
		if err == nil && strings.HasSuffix(u.Path, suffix) {
			return u
		}
	}
	t.Fatalf("mail %q has no link ending %s:\n%s", m.subject, suffix, m.text)
	return nil
}

// mails reads every message in the outbox, in the order written.
func (w *world) mails() []sentMail {
	w.t.Helper()
	files, _ := filepath.Glob(filepath.Join(w.outbox, "*.eml"))
	sort.Strings(files)
	var out []sentMail
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			w.t.Fatal(err)
		}
		msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
		if err != nil {
			w.t.Fatalf("%s: %v", f, err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		m := sentMail{file: filepath.Base(f), to: strings.Trim(msg.Header.Get("To"), "<>"), subject: subject,
			unsubscribe: strings.Trim(msg.Header.Get("List-Unsubscribe"), "<>"), lang: msg.Header.Get("Content-Language")}
		_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		if err != nil {
			w.t.Fatalf("%s: %v", f, err)
		}
		part, err := multipart.NewReader(msg.Body, params["boundary"]).NextRawPart()
		if err != nil {
			w.t.Fatalf("%s: %v", f, err)
		}
		text, _ := io.ReadAll(quotedprintable.NewReader(part))
		m.text = strings.ReplaceAll(string(text), "\r\n", "\n")
		out = append(out, m)
	}
	return out
}

// itemsOf counts the items of one partition (test-only read).
func (w *world) itemsOf(pk string) int {
	w.t.Helper()
	out, err := ddbtest.Client().Query(context.Background(), &dynamodb.QueryInput{TableName: aws.String(w.table),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		ConsistentRead:            aws.Bool(true), Select: types.SelectCount})
	if err != nil {
		w.t.Fatal(err)
	}
	return int(out.Count)
}

// lead is the assessment as the auth middleware hands it to a handler.
func (w *world) lead(id, token string) *assessment.Assessment {
	w.t.Helper()
	a, err := w.auth.Assessment(context.Background(), id, token)
	if err != nil {
		w.t.Fatalf("assessment %s: %v", id, err)
	}
	return a
}

// admin is the partnership as the auth middleware hands it to an admin.
func (w *world) admin(p partnership.Created) *partnership.Partnership {
	w.t.Helper()
	pr, err := w.auth.Partnership(context.Background(), p.ID, p.AdminToken)
	if err != nil {
		w.t.Fatalf("partnership %s: %v", p.ID, err)
	}
	return pr.Partnership
}
