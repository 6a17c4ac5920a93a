package cli

import (
	"io"
	"log/slog"
	"os"
	"strings"
)

func osGetenv(k string) string { return os.Getenv(k) }

// newLogger builds the one logger of the process: text on stderr, level from
// AICC_LOG_LEVEL (debug, info, warn, error; default warn so pipes stay quiet).
func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "info":
		l = slog.LevelInfo
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelWarn
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}
