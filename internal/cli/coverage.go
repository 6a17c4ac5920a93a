package cli

import (
	"fmt"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/client"
	"github.com/aicc-dev/aicc/internal/service"
)

func newCoverageCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "coverage",
		Short: "Show a submission's coverage under each policy (on a server)",
		Long: `Coverage says, for each coverage policy, whether a submitted model version
is covered, presumed covered, worth consulting the designating authority
about, not covered, or indeterminate, with the rules that matched and their
citations. It is evaluated when the submission is made and again when a
designation of the model is recorded or revoked.

Coverage is advisory: no outcome decides whether a model may be submitted,
reviewed or released. Any model may be reviewed voluntarily.`,
	}
	show := func(method, use, short, example string) *cobra.Command {
		r := &remote{}
		return remoteCmd(use, short, example, cobra.ExactArgs(1), r,
			func(cmd *cobra.Command, c *client.Client, args []string) error {
				var cov service.Coverage
				raw, err := c.Do(cmd.Context(), method, "/v1/submissions/"+url.PathEscape(args[0])+"/coverage", nil, &cov)
				if err != nil {
					return err
				}
				return r.print(e, raw, func() string { return coverageTable(&cov) })
			}, e)
	}
	cmd.AddCommand(
		show("GET", "show SUBMISSION_ID", "Show the latest evaluation of a submission's coverage", "  aicc coverage show sub_…"),
		show("POST", "evaluate SUBMISSION_ID", "Evaluate a submission's coverage again, now", "  aicc coverage evaluate sub_…"),
	)
	return cmd
}

// coverageTable renders an evaluation: one row per policy, with its
// matched rules (* marks the one that decided) and their citations.
func coverageTable(c *service.Coverage) string {
	var b strings.Builder
	if c.EvaluatedAt.IsZero() {
		fmt.Fprintf(&b, "%s  %s %s  not evaluated yet; run: aicc coverage evaluate %s", c.SubmissionID, c.Model, c.Version, c.SubmissionID)
		return b.String()
	}
	fmt.Fprintf(&b, "%s  %s %s  evaluated %s (advisory: no outcome decides whether the model may be submitted or released)\n",
		c.SubmissionID, c.Model, c.Version, c.EvaluatedAt.Format(time.RFC3339))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "POLICY\tVERSION\tOUTCOME\tMATCHED RULES (* decided) [CITATIONS]")
	for _, r := range c.Results {
		var rules []string
		for _, m := range r.Matched {
			s := m.RuleID
			if m.Decides {
				s += "*"
			}
			ids := make([]string, len(m.Citations))
			for i, ct := range m.Citations {
				ids[i] = ct.ID
			}
			rules = append(rules, s+" ["+strings.Join(ids, ", ")+"]")
		}
		if len(r.Missing) > 0 {
			rules = append(rules, "missing: "+strings.Join(r.Missing, ", "))
		}
		version := r.PolicyVersion
		if !r.InEffect {
			version += " (not in effect)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.PolicyID, version, r.Outcome, strings.Join(rules, "; "))
	}
	_ = tw.Flush()
	return strings.TrimRight(b.String(), "\n")
}
