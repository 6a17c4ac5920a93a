package cli

import (
	"fmt"

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
	cmd.AddCommand(verify)
	return cmd
}
