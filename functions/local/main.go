// Command local runs the whole service on a developer's machine: DynamoDB
// Local (the real engine) plus a local gateway that calls every function's
// Lambda handler in-process, exactly as API Gateway would. It is not deployed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/openrasp/rasp/shared/awsdefault"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/ddblocal"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/lambdas"
	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/logging"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/tabledef"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "local:", err)
		os.Exit(1)
	}
}

func run() error {
	dataDir := flag.String("data", ".data/dynamodb", "DynamoDB Local data folder (empty: in memory)")
	remind := flag.Bool("remind", false, "run the reminders job once, as the daily schedule would, and exit")
	nowFlag := flag.String("now", "", "with -remind: the time to run at, RFC 3339 (default: now)")
	migrate := flag.Bool("migrate", false, "list the seats that partnerships from before seats would get, and exit")
	apply := flag.Bool("apply", false, "with -migrate: create them, printing each new invitation link once")
	reerase := flag.Bool("reerase", false, "after a point-in-time restore: erase again on -table what the erasure log of -log-table lists since -since, and exit")
	table := flag.String("table", "rasp", "with -reerase: the restored table")
	logTable := flag.String("log-table", "", "with -reerase: the table restored from, whose erasure log counts")
	since := flag.String("since", "", "with -reerase: the restore point, RFC 3339")
	inAWS := flag.Bool("aws", false, "with -reerase: work on DynamoDB in AWS (the SDK's credentials and region), not on the local data")
	flag.Parse()
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	log := logging.New()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *reerase && *inAWS {
		db, err := awsdefault.NewClient(ctx, "")
		if err != nil {
			return err
		}
		return reeraseAfterRestore(ctx, db, *logTable, *table, *since)
	}

	ddb, err := startDynamoDB(ctx, *dataDir, log)
	if err != nil {
		return err
	}
	defer ddb.Stop()

	cfg := config.Config{Table: "rasp", DynamoDBEndpoint: ddb.Endpoint, BaseURL: "http://127.0.0.1:" + port,
		MailFrom: "RASP <rasp@localhost>", OutboxDir: ".data/outbox"}
	db, err := awsdefault.NewClient(ctx, cfg.DynamoDBEndpoint)
	if err != nil {
		return err
	}
	if err := dynamo.CreateTable(ctx, db, cfg.Table, tabledef.Rasp()); err != nil {
		return err
	}
	deps, err := lambdas.NewDeps(ctx, cfg, log)
	if err != nil {
		return err
	}
	if *migrate {
		return migrateSeats(ctx, db, cfg, *apply)
	}
	if *reerase {
		return reeraseAfterRestore(ctx, db, *logTable, *table, *since)
	}
	if *remind {
		at := time.Now()
		if *nowFlag != "" {
			if at, err = time.Parse(time.RFC3339, *nowFlag); err != nil {
				return fmt.Errorf("-now: %w", err)
			}
		}
		return lambdas.RemindOnce(ctx, deps, at, os.Stdout)
	}
	gw := &localgateway.Gateway{Routes: routes.Table(), Functions: lambdas.HTTPFunctions(deps), Log: log}
	srv := &http.Server{Addr: net.JoinHostPort("127.0.0.1", port), Handler: gw, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("RASP is running", slog.String("url", "http://127.0.0.1:"+port))
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		log.Info("stopping")
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// migrateSeats runs the seat migration (docs/design.md D9) and puts the
// submitted assessments from before retention on the due index, on the
// local table: a dry run lists what it would create; -apply creates it and
// prints each seat's new invitation link, shown this once.
func migrateSeats(ctx context.Context, db *dynamodb.Client, cfg config.Config, apply bool) error {
	store := dynamo.NewStore(db, cfg.Table)
	plans, err := store.MigrateSeats(ctx, db, apply, time.Now())
	if err != nil {
		return err
	}
	verb := "would create"
	if apply {
		verb = "created"
	}
	for _, p := range plans {
		if p.Skipped != "" {
			fmt.Printf("partnership %s (%s): skipped, %s\n", p.Partnership, p.Name, p.Skipped)
			continue
		}
		fmt.Printf("partnership %s (%s): %s %d seats\n", p.Partnership, p.Name, verb, len(p.Seats))
		for _, s := range p.Seats {
			fmt.Printf("  %s: %d memberships\n", s.Council, s.Members)
			if s.Invitation != "" {
				fmt.Printf("    invitation (shown once): %s\n", routes.Links{Origin: cfg.BaseURL}.Invitation(p.Partnership, s.ID, s.Invitation))
			}
		}
	}
	n, err := store.MigrateRetention(ctx, db, apply)
	if err != nil {
		return err
	}
	fmt.Printf("submitted assessments from before retention: %s %d due entries\n", verb, n)
	if !apply {
		fmt.Println("dry run: nothing written. Run make migrate APPLY=1 to create the seats and the due entries.")
	}
	return nil
}

// startDynamoDB runs DynamoDB Local on the data folder, or, when another
// local tool already runs it there (`make run` while `make remind` starts),
// uses that one: two servers on one folder fail with InternalFailure. With
// no folder (-data ""), a server in memory of our own.
func startDynamoDB(ctx context.Context, dataDir string, log *slog.Logger) (*ddblocal.Server, error) {
	if dataDir == "" {
		return ddblocal.Start(ctx, ddblocal.Options{})
	}
	ddb, err := ddblocal.Shared(ctx, ddblocal.Options{DataDir: dataDir, Log: slogWriter{log}})
	if err != nil {
		return nil, err
	}
	if ddb.Attached() {
		log.Info("using the DynamoDB Local another local tool runs", slog.String("endpoint", ddb.Endpoint))
	} else {
		log.Info("DynamoDB Local started; restarted if it stops", slog.String("endpoint", ddb.Endpoint))
	}
	return ddb, nil
}

// slogWriter passes DynamoDB Local's own messages (a restart, say) on as
// log lines, keeping its start-up chatter out.
type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	if msg := strings.TrimSpace(string(p)); strings.HasPrefix(msg, "ddblocal:") {
		w.log.Warn(msg)
	}
	return len(p), nil
}

// reeraseAfterRestore repeats on the restored table every erasure the log
// of the table restored from lists since the restore point
// (docs/operations.md, "Point-in-time restore"): a restore brings back what
// was erased after that point, personal data included.
func reeraseAfterRestore(ctx context.Context, db *dynamodb.Client, logTable, table, since string) error {
	if logTable == "" || since == "" || logTable == table {
		return errors.New("-reerase needs -log-table (the table restored from), -table (the restored one, not the same) and -since (the restore point)")
	}
	from, err := time.Parse(time.RFC3339, since)
	if err != nil {
		return fmt.Errorf("-since: %w", err)
	}
	erasures, err := dynamo.NewStore(db, logTable).ErasedSince(ctx, from, time.Now())
	if err != nil {
		return err
	}
	target := dynamo.NewStore(db, table)
	for _, e := range erasures {
		if err := target.Reerase(ctx, e); err != nil {
			return fmt.Errorf("re-erase %s %s (erased %s): %w", e.Kind, e.ID, e.At.Format(time.RFC3339), err)
		}
		fmt.Printf("re-erased %s %s (erased %s)\n", e.Kind, e.ID, e.At.Format(time.RFC3339))
	}
	fmt.Printf("%d erasures repeated on %s\n", len(erasures), table)
	return nil
}
