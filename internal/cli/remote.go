package cli

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/client"
)

// remote holds the flags every command that talks to a server shares.
type remote struct {
	server string
	format string
}

func (r *remote) flags(fl *pflag.FlagSet) {
	fl.StringVar(&r.server, "server", "", "the clearinghouse server's URL (default: AICC_SERVER)")
	fl.StringVar(&r.format, "format", "text", "output format: text or json")
}

// client builds the API client: the server from --server or AICC_SERVER,
// the token from AICC_TOKEN (never from a flag, so it stays out of shell
// history and process lists).
func (r *remote) client(e *env) (*client.Client, error) {
	if err := checkFormat(r.format, "text", "json"); err != nil {
		return nil, err
	}
	server := r.server
	if server == "" {
		server = e.getenv("AICC_SERVER")
	}
	if server == "" {
		return nil, usageErrorf("no server: set --server URL or AICC_SERVER")
	}
	token := e.getenv("AICC_TOKEN")
	if token == "" {
		return nil, usageErrorf("no API token: set AICC_TOKEN (the token is never taken from a flag)")
	}
	c, err := client.New(server, aicc.NewSecret(token), nil)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	return c, nil
}

// print writes the server's JSON answer as is (indented) with --format
// json, or text otherwise.
func (r *remote) print(e *env, raw []byte, text func() string) error {
	if r.format == "json" {
		var buf bytes.Buffer
		if err := json.Indent(&buf, raw, "", "  "); err != nil {
			return fmt.Errorf("the server's answer is not JSON: %w", err)
		}
		buf.WriteByte('\n')
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	_, err := fmt.Fprintln(e.stdout, text())
	return err
}

// remoteCmd builds a subcommand that calls the server.
func remoteCmd(use, short, example string, args cobra.PositionalArgs, r *remote, run func(cmd *cobra.Command, c *client.Client, args []string) error, e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use: use, Short: short, Example: example, Args: args,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := r.client(e)
			if err != nil {
				return err
			}
			return run(cmd, c, args)
		},
	}
	r.flags(cmd.Flags())
	return cmd
}
