package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func newScanShowCmd(e *env) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "show SCAN_ID",
		Short: "Print the report of a stored scan",
		Example: `  aicc scan show sc_20261128t120000_ab3de9fg
  aicc scan show sc_20261128t120000_ab3de9fg --format html --out report.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(f.format, "text", "json", "html"); err != nil {
				return err
			}
			st, err := openStore(cmd.Context(), e, f.data)
			if err != nil {
				return err
			}
			defer st.Close()
			return writeScanReport(cmd.Context(), e, st, args[0], &f)
		},
	}
	cmd.Flags().StringVar(&f.data, "data", "", "data directory (default $AICC_DATA or the user's data directory)")
	cmd.Flags().StringVar(&f.format, "format", "text", "report format: text, json or html")
	cmd.Flags().StringVar(&f.out, "out", "", "write the report to this file instead of stdout")
	cmd.Flags().BoolVar(&f.failOnFindings, "fail-on-findings", false, "exit 3 when confirmed findings exist")
	return cmd
}

func newScanListCmd(e *env) *cobra.Command {
	var (
		data, format string
		limit        int
	)
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List stored scans, newest first",
		Example: "  aicc scan list --limit 10",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			st, err := openStore(cmd.Context(), e, data)
			if err != nil {
				return err
			}
			defer st.Close()
			scans, err := st.ListScans(cmd.Context(), limit)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(e.stdout, scans)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SCAN\tSTATUS\tTARGET\tPROTOCOL\tATTEMPTS\tCREATED")
			for _, s := range scans {
				status := string(s.Status)
				if s.StopReason != "" {
					status += " (" + s.StopReason + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s@%s\t%d\t%s\n", s.ID, status, s.Target, s.ProtocolName, s.ProtocolVersion,
					s.PlannedAttempts, s.CreatedAt.Local().Format(time.DateTime))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&data, "data", "", "data directory (default $AICC_DATA or the user's data directory)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().IntVar(&limit, "limit", 20, "most scans to list (0: all)")
	return cmd
}
