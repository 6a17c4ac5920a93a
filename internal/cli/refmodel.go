package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/refmodel"
)

func newRefmodelCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "refmodel",
		Short: "Run the reference model, a calibration target with known weaknesses",
		Long: `The reference model is an OpenAI-compatible HTTP server with known ground
truth, for calibrating scans and detectors. It is not a language model: it is
a small set of rules that behave like a naive assistant. Its versions are
` + strings.Join(refmodel.Versions(), ", ") + `; docs/refmodel.md lists
which weaknesses each one has.`,
		Example: `  aicc refmodel serve
  aicc refmodel serve --addr 127.0.0.1:8080 --latency 200ms --capacity 16`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown command %q for aicc refmodel: use serve", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(newRefmodelServeCmd(e))
	return cmd
}

func newRefmodelServeCmd(e *env) *cobra.Command {
	var (
		addr     string
		latency  time.Duration
		capacity int
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the reference model on a loopback address until interrupted",
		Long: `Serve the reference model's OpenAI-compatible API (GET /v1/models,
POST /v1/chat/completions, streaming included) on a loopback address, until
Ctrl-C. The base URL is printed on stderr. Point a scan at it with
--base-url and --model refmodel-1.0 (or refmodel-1.1, refmodel-hardened).`,
		Example: `  aicc refmodel serve --addr 127.0.0.1:8080
  aicc refmodel serve --latency 250ms --capacity 8   # slow, and 429 beyond 8 requests at once
  aicc scan --base-url http://127.0.0.1:8080/v1 --model refmodel-1.1`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("aicc refmodel serve takes no arguments, got %q", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case latency < 0:
				return usageErrorf("--latency must not be negative, got %s", latency)
			case capacity < 0:
				return usageErrorf("--capacity must not be negative (0 means no limit), got %d", capacity)
			}
			ctx := cmd.Context()
			url, stop, err := refmodel.Start(ctx, addr, refmodel.Options{Latency: latency, Capacity: capacity, Logger: e.logger})
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "refmodel listening on %s (models: %s); Ctrl-C stops it\n", url, strings.Join(refmodel.Versions(), ", "))
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := stop(sctx); err != nil {
				return fmt.Errorf("stop reference model: %w", err)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8080", "loopback address to listen on (port 0 picks a free one)")
	fl.DurationVar(&latency, "latency", 0, "delay added to every chat completion, e.g. 200ms")
	fl.IntVar(&capacity, "capacity", 0, "most chat completions served at once; beyond it, 429 with Retry-After: 1 (0: no limit)")
	return cmd
}
