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

// Server is a running DynamoDB Local.
type Server struct {
	Endpoint string
	cmd      *exec.Cmd
	done     chan error
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
	cmd := exec.Command("java", args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = o.Log, o.Log
	// Pdeathsig makes the kernel kill java if we die without Stop (kill -9,
	// a crashed test binary), so no orphan JVM is ever left behind.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("ddblocal: start java: %w", err)
	}
	s := &Server{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return s, nil
		}
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("ddblocal: java exited before listening: %v", err)
		case <-ctx.Done():
			s.Stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, errors.New("ddblocal: DynamoDB Local did not listen within 60 s")
		}
	}
}

// Stop ends the server and waits for it to exit.
func (s *Server) Stop() error {
	if s == nil || s.cmd.Process == nil {
		return nil
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
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
