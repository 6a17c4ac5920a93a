package cli

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/client"
)

// reviewScan is a scan of a review as the server shows it.
type reviewScan struct {
	ScanID     string    `json:"scan_id"`
	Kind       string    `json:"kind"`
	Status     string    `json:"status"`
	StopReason string    `json:"stop_reason"`
	Protocol   string    `json:"protocol"`
	Planned    int       `json:"planned_attempts"`
	FinishedAt time.Time `json:"finished_at"`
}

// waitScan polls a submission's scans until scanID has finished.
func waitScan(ctx context.Context, c *client.Client, submissionID, scanID string, timeout time.Duration) (*reviewScan, error) {
	deadline := time.Now().Add(timeout)
	for {
		var page struct{ Items []reviewScan }
		if _, err := c.Do(ctx, "GET", "/v1/submissions/"+submissionID+"/scans", nil, &page); err != nil {
			return nil, err
		}
		for _, rs := range page.Items {
			if rs.ScanID == scanID && !rs.FinishedAt.IsZero() {
				return &rs, nil
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("scan %s has not finished after %s; it goes on running: see `aicc review scans %s`", scanID, timeout, submissionID)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func newReviewCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "review", Short: "Run the scans of a voluntary pre-release review (on a server)"}
	var (
		protocolName string
		budget       int64
		wait         bool
		timeout      time.Duration
	)
	sr := &remote{}
	start := remoteCmd("start SUBMISSION_ID", "Start a scan of a submission's endpoint; it runs on the server's workers",
		`  aicc review start sub_… --protocol core --wait`, cobra.ExactArgs(1), sr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var rs reviewScan
			raw, err := c.Do(cmd.Context(), "POST", "/v1/submissions/"+args[0]+"/scans", map[string]any{"protocol": protocolName, "budget_requests": budget}, &rs)
			if err != nil {
				return err
			}
			if wait {
				done, err := waitScan(cmd.Context(), c, args[0], rs.ScanID, timeout)
				if err != nil {
					return err
				}
				if sr.format == "json" {
					return sr.print(e, raw, nil)
				}
				fmt.Fprintf(e.stdout, "scan %s %s (%s)\n", done.ScanID, done.Status, done.Protocol)
				return nil
			}
			return sr.print(e, raw, func() string { return rs.ScanID })
		}, e)
	start.Flags().StringVar(&protocolName, "protocol", "core", "the built-in protocol to run")
	start.Flags().Int64Var(&budget, "budget-requests", 0, "most requests the scan may send (0: the developer's consent cap, if any)")
	start.Flags().BoolVar(&wait, "wait", false, "wait until the scan has finished")
	start.Flags().DurationVar(&timeout, "timeout", 30*time.Minute, "with --wait, the longest to wait")

	lr := &remote{}
	scans := remoteCmd("scans SUBMISSION_ID", "List a submission's scans", "  aicc review scans sub_…", cobra.ExactArgs(1), lr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var page struct{ Items []reviewScan }
			raw, err := c.Do(cmd.Context(), "GET", "/v1/submissions/"+args[0]+"/scans", nil, &page)
			if err != nil {
				return err
			}
			return lr.print(e, raw, func() string {
				var b strings.Builder
				for _, rs := range page.Items {
					fmt.Fprintf(&b, "%s  %-7s %-12s %s\n", rs.ScanID, rs.Kind, rs.Status, rs.Protocol)
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)
	for _, a := range []struct{ verb, event, short string }{
		{"triage", "triage", "Triage a submission (analysts); starting a scan triages it too"},
		{"share", "findings_shared", "Share the validated findings with the developer (analysts); confirming a finding shares them too"},
		{"complete", "complete", "Complete the review (analysts): it ends, and the endpoint credential is deleted; nothing is approved"},
	} {
		var note string
		r := &remote{}
		c := remoteCmd(a.verb+" SUBMISSION_ID", a.short, "  aicc review "+a.verb+" sub_…", cobra.ExactArgs(1), r,
			func(cmd *cobra.Command, c *client.Client, args []string) error {
				var s aicc.Submission
				raw, err := c.Do(cmd.Context(), "POST", "/v1/submissions/"+args[0]+"/advance", map[string]any{"event": a.event, "note": note}, &s)
				if err != nil {
					return err
				}
				return r.print(e, raw, func() string { return fmt.Sprintf("%s %s", s.ID, s.State) })
			}, e)
		c.Flags().StringVar(&note, "note", "", "a note for the record")
		cmd.AddCommand(c)
	}
	cmd.AddCommand(start, scans)
	return cmd
}

func findingLine(f *aicc.Finding) string {
	rep := ""
	if r := f.Reproduction; r != nil {
		rep = fmt.Sprintf("  reproduced %d/%d", r.Successes, r.Attempts)
	}
	return fmt.Sprintf("%s  %-9s %-8s %-26s %s%s", f.ID, f.Status, f.Severity, f.Class, f.Title, rep)
}

func newFindingsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "findings", Short: "List a review's findings (on a server)"}
	var submission, status string
	lr := &remote{}
	list := remoteCmd("list", "List a submission's findings", "  aicc findings list --submission sub_… --format json", cobra.NoArgs, lr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			if submission == "" {
				return usageErrorf("--submission is required")
			}
			path := "/v1/submissions/" + submission + "/findings?limit=1000"
			if status != "" {
				path += "&status=" + status
			}
			var page struct{ Items []*aicc.Finding }
			raw, err := c.Do(cmd.Context(), "GET", path, nil, &page)
			if err != nil {
				return err
			}
			return lr.print(e, raw, func() string {
				var b strings.Builder
				for _, f := range page.Items {
					b.WriteString(findingLine(f) + "\n")
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)
	list.Flags().StringVar(&submission, "submission", "", "the submission")
	list.Flags().StringVar(&status, "status", "", "only findings in this status")
	cmd.AddCommand(list)
	return cmd
}

func newFindingCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "finding", Short: "Show and act on one finding (on a server)"}
	gr := &remote{}
	cmd.AddCommand(remoteCmd("get FINDING_ID", "Show a finding with its history", "  aicc finding get fnd_…", cobra.ExactArgs(1), gr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var f aicc.Finding
			raw, err := c.Do(cmd.Context(), "GET", "/v1/findings/"+args[0], nil, &f)
			if err != nil {
				return err
			}
			return gr.print(e, raw, func() string { return findingLine(&f) })
		}, e))
	er := &remote{}
	cmd.AddCommand(remoteCmd("evidence FINDING_ID", "Print a finding's evidence: its hit attempts with transcripts (logged in the audit log)",
		"  aicc finding evidence fnd_… --format json", cobra.ExactArgs(1), er,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var ev struct {
				TLP      string          `json:"tlp"`
				Purged   bool            `json:"purged"`
				Attempts []*aicc.Attempt `json:"attempts"`
			}
			raw, err := c.Do(cmd.Context(), "GET", "/v1/findings/"+args[0]+"/evidence", nil, &ev)
			if err != nil {
				return err
			}
			return er.print(e, raw, func() string {
				var b strings.Builder
				fmt.Fprintf(&b, "%s: %d attempts; do not share beyond what the label allows\n", ev.TLP, len(ev.Attempts))
				for _, a := range ev.Attempts {
					fmt.Fprintf(&b, "\n== %s  %s #%d  %s: %s\n", a.ID, a.ProbeID, a.Index, a.Outcome, a.Reason)
					for _, m := range a.Transcript {
						fmt.Fprintf(&b, "[%s] %s\n", m.Role, m.Content)
						for _, tc := range m.ToolCalls {
							fmt.Fprintf(&b, "[%s → %s] %s\n", m.Role, tc.Name, tc.Arguments)
						}
					}
				}
				if ev.Purged {
					b.WriteString("\n(transcripts deleted under the retention rule)\n")
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e))
	for _, a := range []struct{ verb, path, short, example string }{
		{"confirm", "confirm", "Confirm a finding, with your rationale (analysts); confirming shares the findings with the developer", `aicc finding confirm fnd_… --note "reproduced 5/5"`},
		{"reject", "reject", "Reject a finding as a false positive, with your rationale (analysts)", `aicc finding reject fnd_… --note "the canary was in the prompt"`},
		{"dispute", "dispute", "Dispute a finding, with your reason (the developer)", `aicc finding dispute fnd_… --note "the tool is sandboxed"`},
		{"comment", "comments", "Comment on a finding", `aicc finding comment fnd_… --note "fix ships in 1.1"`},
	} {
		var note string
		r := &remote{}
		c := remoteCmd(a.verb+" FINDING_ID", a.short, "  "+a.example, cobra.ExactArgs(1), r,
			func(cmd *cobra.Command, c *client.Client, args []string) error {
				var f aicc.Finding
				raw, err := c.Do(cmd.Context(), "POST", "/v1/findings/"+args[0]+"/"+a.path, map[string]any{"note": note}, &f)
				if err != nil {
					return err
				}
				return r.print(e, raw, func() string { return findingLine(&f) })
			}, e)
		c.Flags().StringVar(&note, "note", "", "the rationale, recorded with the finding")
		cmd.AddCommand(c)
	}
	return cmd
}

func newRemediationCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "remediation", Short: "Record how a finding was remediated (on a server)"}
	var typ, version, model, note string
	r := &remote{}
	create := remoteCmd("create FINDING_ID", "Post a remediation with the model version to retest",
		`  aicc remediation create fnd_… --type guardrail --version 1.1 --endpoint-model refmodel-1.1`, cobra.ExactArgs(1), r,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var rm aicc.Remediation
			raw, err := c.Do(cmd.Context(), "POST", "/v1/findings/"+args[0]+"/remediations",
				map[string]any{"type": typ, "version": version, "endpoint_model": model, "note": note}, &rm)
			if err != nil {
				return err
			}
			return r.print(e, raw, func() string { return rm.ID })
		}, e)
	fl := create.Flags()
	fl.StringVar(&typ, "type", "", "weights_retrained, guardrail, system_prompt, tool_permission or serving_mitigation")
	fl.StringVar(&version, "version", "", "the remediated model version")
	fl.StringVar(&model, "endpoint-model", "", "the remediated version's model name at the endpoint (default: unchanged)")
	fl.StringVar(&note, "note", "", "what was changed")
	cmd.AddCommand(create)
	return cmd
}

func newRetestCmd(e *env) *cobra.Command {
	var remediation string
	var timeout time.Duration
	var noWait bool
	r := &remote{}
	cmd := remoteCmd("retest FINDING_ID", "Re-run a finding's failing attempts on the remediated version and report fixed, partly fixed or not fixed",
		`  aicc retest fnd_…`, cobra.ExactArgs(1), r,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var rt struct {
				ID   string `json:"id"`
				Scan struct {
					SubmissionID string `json:"submission_id"`
					ScanID       string `json:"scan_id"`
				} `json:"scan"`
			}
			raw, err := c.Do(cmd.Context(), "POST", "/v1/findings/"+args[0]+"/retests", map[string]any{"remediation_id": remediation}, &rt)
			if err != nil {
				return err
			}
			if noWait {
				return r.print(e, raw, func() string { return rt.ID })
			}
			if _, err := waitScan(cmd.Context(), c, rt.Scan.SubmissionID, rt.Scan.ScanID, timeout); err != nil {
				return err
			}
			var done aicc.Retest
			raw, err = c.Do(cmd.Context(), "GET", "/v1/retests/"+rt.ID, nil, &done)
			if err != nil {
				return err
			}
			return r.print(e, raw, func() string { return retestLine(&done) })
		}, e)
	cmd.Flags().StringVar(&remediation, "remediation", "", "the remediation to retest (default: the latest)")
	cmd.Flags().BoolVar(&noWait, "no-wait", false, "print the retest's ID and return at once")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Minute, "the longest to wait for the verdict")
	gr := &remote{}
	cmd.AddCommand(remoteCmd("get RETEST_ID", "Show a retest and, once its scan is done, its verdict",
		`  aicc retest get rt_…`, cobra.ExactArgs(1), gr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var rt aicc.Retest
			raw, err := c.Do(cmd.Context(), "GET", "/v1/retests/"+url.PathEscape(args[0]), nil, &rt)
			if err != nil {
				return err
			}
			return gr.print(e, raw, func() string { return retestLine(&rt) })
		}, e))
	return cmd
}

// retestLine is a retest as one line of text.
func retestLine(rt *aicc.Retest) string {
	if rt.Status != aicc.RetestDone {
		return fmt.Sprintf("%s %s: %s", rt.ID, rt.Status, rt.Reason)
	}
	return fmt.Sprintf("%s: %s (%s)", rt.ID, strings.ReplaceAll(rt.Verdict, "_", " "), rt.Reason)
}
