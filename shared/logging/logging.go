// Package logging builds the JSON slog logger every function uses.
package logging

import (
	"io"
	"log/slog"
	"os"
)

// New returns a JSON logger to stderr (Lambda sends it to CloudWatch).
func New() *slog.Logger { return NewTo(os.Stderr) }

// NewTo returns a JSON logger writing to w.
func NewTo(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if os.Getenv("LOG_LEVEL") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
