// Package ddblocal starts and stops DynamoDB Local, the real DynamoDB engine
// that runs on Java, for `make run`, integration tests and benchmarks.
package ddblocal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configure one server.
type Options struct {
	// JarDir holds DynamoDBLocal.jar and DynamoDBLocal_lib/. Empty means
	// $DYNAMODB_LOCAL_DIR, else .cache/dynamodb-local in the module root.
	JarDir string
	// Port to listen on; 0 picks a free one.
	Port int
	// DataDir keeps data between runs; empty means -inMemory.
	DataDir string
	// Log receives the server's output; nil discards it.
	Log io.Writer
}

// Server is a running DynamoDB Local, or one this process attached to.
type Server struct {
	Endpoint string

	mu       sync.Mutex
	cmd      *exec.Cmd
	done     chan error
	args     []string
	dir      string
	log      io.Writer
	stopping bool
	restarts int
	// lock is held by the process that runs the server on a data folder
	// (Shared); nil for a server of one's own or one attached to.
	lock     *os.File
	attached bool
	watching chan struct{}
}

// Start launches DynamoDB Local and waits until it accepts connections.
func Start(ctx context.Context, o Options) (*Server, error) {
	dir := o.JarDir
	if dir == "" {
		var err error
		if dir, err = DefaultJarDir(); err != nil {
			return nil, err
		}
	}
	port := o.Port
	if port == 0 {
		var err error
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	args := []string{"-Djava.library.path=" + filepath.Join(dir, "DynamoDBLocal_lib"), "-Xms64m", "-XX:+UseSerialGC",
		"-jar", filepath.Join(dir, "DynamoDBLocal.jar"), "-port", strconv.Itoa(port)}
	if o.DataDir != "" {
		if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("ddblocal: data dir: %w", err)
		}
		abs, _ := filepath.Abs(o.DataDir)
		args = append(args, "-dbPath", abs)
	} else {
		args = append(args, "-inMemory")
	}
	s := &Server{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), args: args, dir: dir, log: o.Log}
	if err := s.launch(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// launch starts java and waits until it listens on the server's port.

// startWait bounds how long a started DynamoDB Local may take to listen.
const startWait = 3 * time.Minute

func (s *Server) launch(ctx context.Context) error {
	cmd := exec.Command("java", s.args...)
	cmd.Dir = s.dir
	cmd.Stdout, cmd.Stderr = s.log, s.log
	// Pdeathsig makes the kernel kill java if we die without Stop (kill -9,
	// a crashed test binary), so no orphan JVM is ever left behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("ddblocal: start java: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	addr := strings.TrimPrefix(s.Endpoint, "http://")
	// The JVM's start is CPU-bound: on an idle 2-core machine it listens
	// within seconds, but with every test package starting its own at a
	// load average of 20–30 it took over 60 s and failed whole packages.
	// Waiting longer only delays a real failure (java missing exits at
	// once, above).
	deadline := time.Now().Add(startWait)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case err := <-done:
			done <- err // for Stop and the supervisor
			return fmt.Errorf("ddblocal: java exited before listening: %v", err)
		case <-ctx.Done():
			s.Stop()
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return fmt.Errorf("ddblocal: DynamoDB Local did not listen within %v", startWait)
		}
	}
}

// Shared runs DynamoDB Local on a data folder for every local tool at once
// (`make run`, `make remind`, `make migrate`): DynamoDB Local keeps one
// data file per folder and two servers on one folder corrupt each other's
// view of it (InternalFailure). The first process takes a lock on the
// folder, starts the server, writes its endpoint beside the data and
// restarts the server if it dies; any other process finds the endpoint and
// attaches, and its Stop leaves the server running. The lock is the
// kernel's (flock), so it goes with its process, however that ends.
func Shared(ctx context.Context, o Options) (*Server, error) {
	if o.DataDir == "" {
		return nil, errors.New("ddblocal: Shared needs a data folder")
	}
	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("ddblocal: data dir: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(o.DataDir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("ddblocal: lock: %w", err)
	}
	endpointFile := filepath.Join(o.DataDir, "endpoint")
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return attach(ctx, endpointFile)
	}
	s, err := Start(ctx, o)
	if err != nil {
		lock.Close()
		return nil, err
	}
	s.lock = lock
	if err := os.WriteFile(endpointFile, []byte(s.Endpoint+"\n"), 0o644); err != nil {
		s.Stop()
		return nil, fmt.Errorf("ddblocal: write endpoint: %w", err)
	}
	s.watching = make(chan struct{})
	go s.supervise()
	return s, nil
}

// attach finds the server another process runs on the folder. The owner
// writes the endpoint once its server listens, so a process that starts a
// moment after it may wait for it.
func attach(ctx context.Context, endpointFile string) (*Server, error) {
	deadline := time.Now().Add(90 * time.Second)
	for {
		if b, err := os.ReadFile(endpointFile); err == nil {
			ep := strings.TrimSpace(string(b))
			if c, err := net.DialTimeout("tcp", strings.TrimPrefix(ep, "http://"), time.Second); err == nil {
				c.Close()
				return &Server{Endpoint: ep, attached: true}, nil
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("ddblocal: another process holds %s but its DynamoDB Local does not answer", filepath.Dir(endpointFile))
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// supervise restarts the server on the same port and data whenever it
// exits without Stop, so a crashed or killed JVM does not take the running
// service down with it.
func (s *Server) supervise() {
	defer close(s.watching)
	for {
		s.mu.Lock()
		done := s.done
		s.mu.Unlock()
		err := <-done
		s.mu.Lock()
		stopping := s.stopping
		s.mu.Unlock()
		if stopping {
			return
		}
		if s.log != nil {
			fmt.Fprintf(s.log, "ddblocal: DynamoDB Local exited (%v); restarting it\n", err)
		}
		for {
			if err := s.launch(context.Background()); err == nil {
				break
			}
			s.mu.Lock()
			stopping := s.stopping
			s.mu.Unlock()
			if stopping {
				return
			}
			time.Sleep(time.Second)
		}
		s.mu.Lock()
		s.restarts++
		s.mu.Unlock()
	}
}

// Restarts counts the restarts after the server died (Shared only).
func (s *Server) Restarts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restarts
}

// Attached reports whether the server belongs to another process.
func (s *Server) Attached() bool { return s != nil && s.attached }

// Kill ends the JVM as a crash would, for the test of the supervisor.
func (s *Server) Kill() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil {
		return errors.New("ddblocal: no process of ours")
	}
	return syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
}

// Stop ends the server and waits for it to exit. A server attached to is
// left running for its owner.
func (s *Server) Stop() error {
	if s == nil || s.attached {
		return nil
	}
	s.mu.Lock()
	s.stopping = true
	cmd, done := s.cmd, s.done
	s.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return nil
	}
	// A supervised server's exit is seen by its supervisor, which ends
	// once it sees stopping; otherwise by Stop itself.
	exited := (<-chan struct{})(s.watching)
	if exited == nil {
		ch := make(chan struct{})
		go func() { <-done; close(ch) }()
		exited = ch
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		s.mu.Lock()
		cmd = s.cmd // a restart may have started another
		s.mu.Unlock()
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}
	if s.lock != nil {
		_ = os.Remove(filepath.Join(filepath.Dir(s.lock.Name()), "endpoint"))
		s.lock.Close()
	}
	return nil
}

// DefaultJarDir finds the unpacked emulator: $DYNAMODB_LOCAL_DIR, else
// .cache/dynamodb-local under the module root (where the Makefile puts it).
func DefaultJarDir() (string, error) {
	if d := os.Getenv("DYNAMODB_LOCAL_DIR"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			jar := filepath.Join(d, ".cache", "dynamodb-local")
			if _, err := os.Stat(filepath.Join(jar, "DynamoDBLocal.jar")); err != nil {
				return "", fmt.Errorf("ddblocal: %s/DynamoDBLocal.jar not found: run `make dynamodb-local`", jar)
			}
			return jar, nil
		}
		if d == filepath.Dir(d) {
			return "", errors.New("ddblocal: module root not found; set DYNAMODB_LOCAL_DIR")
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
