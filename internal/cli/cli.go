// Package cli implements the aicc command line: one file per command. Run is
// the whole program, so tests drive it in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Exit codes, documented in docs/cli.md.
const (
	ExitOK       = 0 // the command did its job
	ExitError    = 1 // something failed; the message says what
	ExitUsage    = 2 // bad flags or arguments
	ExitFindings = 3 // scan: confirmed findings exist and --fail-on-findings is set
)

// exitError carries a specific exit code up to Run.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// usageErrorf reports bad flags or arguments (exit 2).
func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// env is what every command needs from the process: streams and a logger.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	logger *slog.Logger
	getenv func(string) string
}

// Run runs the aicc command line with args (args[0] is the program name) and
// returns the process exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(ctx, args, stdin, stdout, stderr, osGetenv)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	e.logger = newLogger(stderr, getenv("AICC_LOG_LEVEL"))
	root := newRootCmd(e)
	root.SetArgs(args[1:])
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "aicc:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "aicc:", err)
	if aicc.KindOf(err) == aicc.KindInvalid {
		return ExitUsage
	}
	return ExitError
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:           "aicc",
		Short:         "AI Cybersecurity Clearinghouse: scan model endpoints, keep the evidence",
		SilenceUsage:  true,
		SilenceErrors: true,
		Example: `  aicc scan --model builtin:refmodel-1.0
  aicc protocol list
  aicc refmodel serve --addr 127.0.0.1:8080`,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: ExitUsage, err: err}
	})
	root.AddCommand(
		newScanCmd(e),
		newJudgeCmd(e),
		newProtocolCmd(e),
		newRefmodelCmd(e),
		newServeCmd(e),
		newWorkerCmd(e),
		newMigrateCmd(e),
		newOrgCmd(e),
		newUserCmd(e),
		newSubmissionCmd(e),
		newReviewCmd(e),
		newFindingsCmd(e),
		newFindingCmd(e),
		newRemediationCmd(e),
		newRetestCmd(e),
		newDesignationCmd(e),
		newCoverageCmd(e),
		newPolicyCmd(e),
		newAuditCmd(e),
		newKeyringCmd(e),
		newAdvisoryCmd(e),
		newWebhookCmd(e),
		newTokenCmd(e),
		newVersionCmd(e),
	)
	return root
}
