package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/openrasp/rasp/shared/awsdefault"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/ddblocal"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/lambdas"
	"github.com/openrasp/rasp/shared/ratelimit"
	"github.com/openrasp/rasp/shared/routes"
	"github.com/openrasp/rasp/shared/tabledef"
)

// tableName is the one table of a bench run (DynamoDB Local is in memory
// and started afresh, so the name never collides).
const tableName = "rasp-bench"

// env is DynamoDB Local with the service wired on it, in-process.
type env struct {
	root     string // module root
	ddb      *ddblocal.Server
	db       *countingDB
	deps     lambdas.Deps
	invoke   *invoker
	bank     *bank.Bank
	capacity *capacityLog
}

func startEnv(ctx context.Context, root string) (*env, error) {
	srv, err := ddblocal.Start(ctx, ddblocal.Options{})
	if err != nil {
		return nil, err
	}
	client, err := awsdefault.NewClient(ctx, srv.Endpoint)
	if err != nil {
		srv.Stop()
		return nil, err
	}
	if err := dynamo.CreateTable(ctx, client, tableName, tabledef.Rasp()); err != nil {
		srv.Stop()
		return nil, err
	}
	lib, err := bankyaml.Embedded()
	if err != nil {
		srv.Stop()
		return nil, err
	}
	db := &countingDB{db: client}
	store := dynamo.NewStore(db, tableName)
	capLog := &capacityLog{}
	store.OnCapacity(capLog.record)
	// Logs are formatted as in Lambda (JSON) but discarded: the work of
	// logging counts, the terminal stays readable.
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	// Limits out of reach of the load, but every use still counted: the
	// counter's write is part of what a start costs.
	unlimited := map[string]ratelimit.Policy{}
	for _, p := range ratelimit.Policies() {
		unlimited[p.Name] = ratelimit.Policy{Name: p.Name, Limit: 1 << 30, Window: p.Window}
	}
	cfg := config.Config{Table: tableName, DynamoDBEndpoint: srv.Endpoint, BaseURL: "http://127.0.0.1:8080", MailFrom: "RASP <rasp@localhost>", RateLimits: unlimited}
	deps := lambdas.Wire(cfg, log, store, lib, time.Now)
	return &env{
		root: root, ddb: srv, db: db, deps: deps, bank: lib.Current(), capacity: capLog,
		invoke: &invoker{table: routes.Table(), fns: lambdas.HTTPFunctions(deps)},
	}, nil
}

func (e *env) stop() { _ = e.ddb.Stop() }

// moduleRoot finds the folder holding go.mod, from the working directory up.
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if d == filepath.Dir(d) {
			return "", errors.New("go.mod not found: run from the repository")
		}
	}
}

// capacityLog sums what the store reports through OnCapacity.
type capacityLog struct {
	mu    sync.Mutex
	on    bool
	units map[string]float64 // store operation → capacity units
}

func (l *capacityLog) start() {
	l.mu.Lock()
	l.on, l.units = true, map[string]float64{}
	l.mu.Unlock()
}

func (l *capacityLog) stop() map[string]float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	out := map[string]float64{}
	for k, v := range l.units {
		out[k] = v
	}
	return out
}

func (l *capacityLog) record(op string, cc []types.ConsumedCapacity) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.on {
		return
	}
	for _, x := range cc {
		if x.CapacityUnits != nil {
			l.units[op] += *x.CapacityUnits
		}
	}
}
