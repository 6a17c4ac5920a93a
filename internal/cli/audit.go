package cli

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/audit"
	"github.com/aicc-dev/aicc/internal/client"
)

func newAuditCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Read and verify the service's hash-chained audit log (on a server)"}
	var checkpoints []string
	vr := &remote{}
	verify := remoteCmd("verify", "Verify that no audit entry was edited, removed, reordered or inserted",
		`  aicc audit verify
  aicc audit verify --checkpoint 1042:9f86d081…   # a head printed by an earlier run`, cobra.NoArgs, vr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			for _, cp := range checkpoints {
				if _, err := audit.ParseCheckpoint(cp); err != nil {
					return usageErrorf("--checkpoint %q: %v", cp, err)
				}
			}
			var rep audit.Report
			raw, err := c.Do(cmd.Context(), "POST", "/v1/audit/verify", map[string]any{"checkpoints": checkpoints}, &rep)
			if err != nil {
				return err
			}
			if err := vr.print(e, raw, rep.String); err != nil {
				return err
			}
			if !rep.OK() {
				return &exitError{code: ExitError, err: fmt.Errorf("the audit log has been tampered with")}
			}
			return nil
		}, e)
	verify.Flags().StringSliceVar(&checkpoints, "checkpoint", nil, "SEQ:HASH of a head printed earlier, which must still be in the log (repeatable)")

	var after int64
	var limit int
	lr := &remote{}
	list := remoteCmd("list", "List audit entries in order (clearinghouse admins and analysts)",
		`  aicc audit list --after 1040 --limit 20
  aicc audit list --format json | jq -r '.items[] | select(.action=="evidence.read")'`, cobra.NoArgs, lr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			if after < 0 || limit < 1 || limit > 1000 {
				return usageErrorf("--after must be 0 or more and --limit between 1 and 1000")
			}
			var page struct{ Items []audit.Entry }
			raw, err := c.Do(cmd.Context(), "GET", fmt.Sprintf("/v1/audit?after=%d&limit=%d", after, limit), nil, &page)
			if err != nil {
				return err
			}
			return lr.print(e, raw, func() string {
				var b strings.Builder
				for _, en := range page.Items {
					actor := cmp.Or(en.ActorUserID, "system")
					fmt.Fprintf(&b, "%d  %s  %-26s %-24s %s %s\n", en.Seq, en.Time.UTC().Format(time.RFC3339), actor, en.Action, en.ObjectKind, en.ObjectID)
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)
	list.Flags().Int64Var(&after, "after", 0, "only entries after this sequence number")
	list.Flags().IntVar(&limit, "limit", 100, "at most this many entries (1 to 1000)")
	cmd.AddCommand(verify, list)
	return cmd
}
