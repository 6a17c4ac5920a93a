// Command aicc is the AI Cybersecurity Clearinghouse: it scans model
// endpoints with versioned protocols and keeps every attempt as evidence.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/aicc-dev/aicc/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C ends the process at once
	}()
	code := cli.Run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
