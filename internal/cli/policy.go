package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/client"
	"github.com/aicc-dev/aicc/internal/service"
)

func newPolicyCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "policy", Short: "List the coverage policies a server evaluates"}
	r := &remote{}
	cmd.AddCommand(remoteCmd("list", "List the coverage policies, every loaded version, with their citations",
		"  aicc policy list\n  aicc policy list --format json", cobra.NoArgs, r,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			var page struct{ Items []service.PolicyInfo }
			raw, err := c.Do(cmd.Context(), "GET", "/v1/policies", nil, &page)
			if err != nil {
				return err
			}
			return r.print(e, raw, func() string {
				var b strings.Builder
				tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tVERSION\tIN EFFECT\tTITLE\tCITATIONS")
				for _, p := range page.Items {
					version := p.Version
					if !p.Current {
						version += " (not current)"
					}
					ids := make([]string, len(p.Citations))
					for i, ct := range p.Citations {
						ids[i] = ct.ID
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.ID, version, yesNo(p.InEffect), p.Title, strings.Join(ids, ", "))
				}
				_ = tw.Flush()
				return strings.TrimRight(b.String(), "\n")
			})
		}, e))
	return cmd
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
