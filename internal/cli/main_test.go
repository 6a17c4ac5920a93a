package cli

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// TestMain lets tests run this test binary as the aicc command in a child
// process (AICC_TEST_MAIN=1), to kill it for real.
func TestMain(m *testing.M) {
	if os.Getenv("AICC_TEST_MAIN") == "1" {
		os.Exit(Run(context.Background(), append([]string{"aicc"}, os.Args[1:]...), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// result is what one in-process run of the CLI produced.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the CLI in-process with env as its only environment.
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"aicc"}, args...), bytes.NewReader(nil), &out, &errb, func(k string) string { return env[k] })
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}
