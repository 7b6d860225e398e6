// Package rie runs a Lambda bootstrap under AWS's Lambda Runtime Interface
// Emulator (github.com/aws/aws-lambda-runtime-interface-emulator), the same
// Runtime API implementation that Lambda's container images carry. The
// emulator, not this package, times the function: Init and invoke durations
// are read from the lines it logs ("INIT REPORT(durationMs: …)" and
// "INVOKE RTDONE(… duration: …ms)"), so what the bench reports is what the
// runtime measured, not wall time around a process.
package rie

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Version is the emulator's pinned pseudo-version (tagged versions are not
// served by the module proxy here). `make rie` installs it.
const Version = "v0.0.0-20261030222936-bef5c4ba774d"

// Module is the emulator's command, for `go install`.
const Module = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

// Find returns the emulator binary: $RASP_RIE, else .cache/bin/aws-lambda-rie
// in the module root above dir (where `make rie` puts it), else the PATH.
func Find(dir string) (string, error) {
	if p := os.Getenv("RASP_RIE"); p != "" {
		return p, nil
	}
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for ; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			p := filepath.Join(d, ".cache", "bin", "aws-lambda-rie")
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if p, err := exec.LookPath("aws-lambda-rie"); err == nil {
		return p, nil
	}
	return "", errors.New("rie: aws-lambda-rie not found: run `make rie` (installs " + Module + "@" + Version + " into .cache/bin)")
}

// Function is one bootstrap to run.
type Function struct {
	// Command is the bootstrap and its arguments, e.g. {"./bootstrap"} or
	// {"qemu-aarch64-static", "./bootstrap"} for an arm64 build on amd64.
	Command []string
	Dir     string   // working directory (the "task root")
	Env     []string // the function's environment (TABLE_NAME, …)
}

// Invocation is what the emulator reported for one event.
type Invocation struct {
	Response []byte  // the function's reply, as the emulator returned it
	Ms       float64 // the emulator's "INVOKE RTDONE … duration"
}

// Run is one cold start followed by warm invocations.
type Run struct {
	InitMs      float64      // the emulator's "INIT REPORT(durationMs)": exec → the runtime's first /next
	Invocations []Invocation // in the order of the events
}

// ColdMs is Init plus the first invoke: what a caller waits for on a cold start.
func (r Run) ColdMs() float64 {
	if len(r.Invocations) == 0 {
		return r.InitMs
	}
	return r.InitMs + r.Invocations[0].Ms
}

var (
	initReport = regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`)
	invokeDone = regexp.MustCompile(`INVOKE RTDONE\(status: ([a-z]+), produced bytes: [0-9]+, duration: ([0-9.]+)ms\)`)
)

// Invoke starts a fresh emulator (so the first event is a cold start),
// sends the events one after another and stops it. Each event's reply must
// arrive within timeout.
func Invoke(ctx context.Context, emulator string, fn Function, timeout time.Duration, events ...[]byte) (Run, error) {
	apiPort, err := freePort()
	if err != nil {
		return Run{}, err
	}
	rtPort, err := freePort()
	if err != nil {
		return Run{}, err
	}
	api := "127.0.0.1:" + strconv.Itoa(apiPort)
	args := append([]string{
		"--log-level", "info",
		"--runtime-interface-emulator-address", api,
		"--runtime-api-address", "127.0.0.1:" + strconv.Itoa(rtPort),
	}, fn.Command...)
	cmd := exec.Command(emulator, args...)
	cmd.Dir = fn.Dir
	// The emulator passes its own environment on to the bootstrap.
	cmd.Env = fn.Env
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return Run{}, fmt.Errorf("rie: start: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill()
		<-exited
	}()
	if err := waitListening(ctx, api, exited); err != nil {
		return Run{}, fmt.Errorf("rie: %w: %s", err, logs.tail())
	}
	client := &http.Client{Timeout: timeout}
	url := "http://" + api + "/2015-03-31/functions/function/invocations"
	var replies [][]byte
	for i, ev := range events {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(ev))
		if err != nil {
			return Run{}, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return Run{}, fmt.Errorf("rie: event %d: %w: %s", i, err, logs.tail())
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return Run{}, fmt.Errorf("rie: event %d: %w", i, err)
		}
		replies = append(replies, body)
	}
	// The emulator logs RTDONE just after it answers; wait for the lines.
	var run Run
	deadline := time.Now().Add(5 * time.Second)
	for {
		var err error
		run, err = parse(logs.String(), len(events))
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			return Run{}, fmt.Errorf("rie: %w: %s", err, logs.tail())
		}
		time.Sleep(5 * time.Millisecond)
	}
	for i := range run.Invocations {
		run.Invocations[i].Response = replies[i]
	}
	return run, nil
}

// parse reads the emulator's log: one INIT REPORT, then one INVOKE RTDONE per
// event. A failed invoke (status other than success) is an error.
func parse(log string, events int) (Run, error) {
	var run Run
	seenInit := false
	sc := bufio.NewScanner(strings.NewReader(log))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := initReport.FindStringSubmatch(line); m != nil && !seenInit {
			run.InitMs, _ = strconv.ParseFloat(m[1], 64)
			seenInit = true
			continue
		}
		if m := invokeDone.FindStringSubmatch(line); m != nil {
			if m[1] != "success" {
				return Run{}, fmt.Errorf("invoke %d ended with status %s", len(run.Invocations), m[1])
			}
			d, _ := strconv.ParseFloat(m[2], 64)
			run.Invocations = append(run.Invocations, Invocation{Ms: d})
		}
	}
	if !seenInit {
		return Run{}, errors.New("no INIT REPORT in the emulator's log")
	}
	if len(run.Invocations) < events {
		return Run{}, fmt.Errorf("%d of %d INVOKE RTDONE lines in the emulator's log", len(run.Invocations), events)
	}
	run.Invocations = run.Invocations[:events]
	return run, nil
}

func waitListening(ctx context.Context, addr string, exited <-chan error) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			_ = c.Close()
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("emulator exited before listening (%v)", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("emulator not listening after 10 s")
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lockedBuffer collects the emulator's output from two pipes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// tail is the end of the log, for error messages.
func (l *lockedBuffer) tail() string {
	s := strings.TrimSpace(l.String())
	if len(s) > 1500 {
		s = "…" + s[len(s)-1500:]
	}
	return s
}
