package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/client"
	"github.com/aicc-dev/aicc/internal/target"
)

func newSubmissionCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "submission", Short: "Submit model versions for voluntary pre-release review (on a server)"}
	cmd.AddCommand(newSubmissionCreateCmd(e))

	text := func(s *aicc.Submission) string {
		return fmt.Sprintf("%s  %s %s  %s  release %s", s.ID, s.Model, s.Version, s.State, s.ReleaseDate.Format(time.DateOnly))
	}
	gr := &remote{}
	cmd.AddCommand(remoteCmd("get SUBMISSION_ID", "Show a submission", "  aicc submission get sub_…", cobra.ExactArgs(1), gr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var s aicc.Submission
			raw, err := c.Do(cmd.Context(), "GET", "/v1/submissions/"+args[0], nil, &s)
			if err != nil {
				return err
			}
			return gr.print(e, raw, func() string { return text(&s) })
		}, e))

	lr := &remote{}
	cmd.AddCommand(remoteCmd("list", "List the submissions you may see", "  aicc submission list", cobra.NoArgs, lr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			var page struct{ Items []*aicc.Submission }
			raw, err := c.Do(cmd.Context(), "GET", "/v1/submissions?limit=1000", nil, &page)
			if err != nil {
				return err
			}
			return lr.print(e, raw, func() string {
				var b strings.Builder
				for _, s := range page.Items {
					b.WriteString(text(s) + "\n")
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e))

	var reason string
	wr := &remote{}
	withdraw := remoteCmd("withdraw SUBMISSION_ID", "Withdraw a submission; its endpoint credential is deleted at once",
		`  aicc submission withdraw sub_… --reason "release postponed"`, cobra.ExactArgs(1), wr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var s aicc.Submission
			raw, err := c.Do(cmd.Context(), "POST", "/v1/submissions/"+args[0]+"/withdraw", map[string]any{"reason": reason}, &s)
			if err != nil {
				return err
			}
			return wr.print(e, raw, func() string { return text(&s) })
		}, e)
	withdraw.Flags().StringVar(&reason, "reason", "", "why, for the record")

	rr := &remote{}
	released := remoteCmd("released SUBMISSION_ID", "Record that the model was released (allowed with open findings)",
		"  aicc submission released sub_…", cobra.ExactArgs(1), rr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var s aicc.Submission
			raw, err := c.Do(cmd.Context(), "POST", "/v1/submissions/"+args[0]+"/released", nil, &s)
			if err != nil {
				return err
			}
			return rr.print(e, raw, func() string { return text(&s) })
		}, e)

	var date string
	mr := &remote{}
	move := remoteCmd("move-release SUBMISSION_ID", "Move the planned release date; the review window moves with it",
		"  aicc submission move-release sub_… --release-date 2027-01-15", cobra.ExactArgs(1), mr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var s aicc.Submission
			raw, err := c.Do(cmd.Context(), "POST", "/v1/submissions/"+args[0]+"/release-date", map[string]any{"release_date": date}, &s)
			if err != nil {
				return err
			}
			return mr.print(e, raw, func() string { return text(&s) })
		}, e)
	move.Flags().StringVar(&date, "release-date", "", "the new planned release date, YYYY-MM-DD")
	rmr := &remote{}
	reminders := remoteCmd("reminders SUBMISSION_ID", "List the reminders the review's clocks sent", "  aicc submission reminders sub_…", cobra.ExactArgs(1), rmr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var page struct {
				Items []struct {
					Kind    string    `json:"kind"`
					To      string    `json:"to"`
					Due     time.Time `json:"due"`
					Message string    `json:"message"`
				}
			}
			raw, err := c.Do(cmd.Context(), "GET", "/v1/submissions/"+args[0]+"/reminders", nil, &page)
			if err != nil {
				return err
			}
			return rmr.print(e, raw, func() string {
				var b strings.Builder
				for _, r := range page.Items {
					fmt.Fprintf(&b, "%s  %-10s to %-13s %s\n", r.Due.Format(time.RFC3339), r.Kind, r.To, r.Message)
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)
	cmd.AddCommand(withdraw, released, move, reminders)
	return cmd
}

func newSubmissionCreateCmd(e *env) *cobra.Command {
	var (
		f                                 remote
		org, model, version, release      string
		provider, endpoint, endpointModel string
		endpointAuth, endpointTokens      string
		credEnv, credFile                 string
		computeOps, computeUnc            float64
		computeMethod                     string
		openWeights, share                bool
		modalities                        []string
		maxRequests                       int64
	)
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Submit an unreleased model version for a voluntary pre-release review",
		Long: `Create submits a model version for review, up to 30 days before its
planned public release (an earlier submission waits for its window). The
endpoint's API key is read from an environment variable or a file, never
from the command line; the server seals it at rest, never returns it, and
deletes it when the review ends or is withdrawn.

The review is voluntary and advisory: nothing in it approves or blocks the
release, and the submission may be withdrawn at any time.`,
		Example: `  EXAMPLE_KEY=sk-… aicc submission create --model example-chat --version 1.0 \
      --release-date 2026-12-19 --endpoint http://127.0.0.1:9000/v1 \
      --endpoint-model refmodel-1.0 --credential-env EXAMPLE_KEY \
      --compute-ops 3e25 --compute-method 6ND --compute-uncertainty 0.3`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := f.client(e)
			if err != nil {
				return err
			}
			in := map[string]any{
				"model": model, "version": version, "release_date": release,
				"endpoint": endpointOf(provider, endpoint, endpointModel, endpointAuth, endpointTokens),
				"consent":  map[string]any{"share_with_agencies": share, "max_requests": maxRequests},
			}
			if org != "" {
				in["org_id"] = org
			}
			facts := map[string]any{"open_weights": openWeights}
			if len(modalities) > 0 {
				facts["modalities"] = modalities
			}
			if computeOps > 0 {
				facts["training_compute"] = map[string]any{"operations": computeOps, "method": computeMethod, "uncertainty": computeUnc}
			}
			in["facts"] = facts
			if credEnv != "" || credFile != "" {
				key, err := target.LoadAPIKey(e.getenv, credEnv, credFile)
				if err != nil {
					return usageErrorf("%v", err)
				}
				in["credential"] = key.Reveal()
			}
			var s aicc.Submission
			raw, err := c.Do(cmd.Context(), "POST", "/v1/submissions", in, &s)
			if err != nil {
				return err
			}
			return f.print(e, raw, func() string { return s.ID })
		},
	}
	f.flags(cmd.Flags())
	fl := cmd.Flags()
	fl.StringVar(&org, "org", "", "the developer organization (default: yours)")
	fl.StringVar(&model, "model", "", "the model's name")
	fl.StringVar(&version, "version", "", "the version under review")
	fl.StringVar(&release, "release-date", "", "planned public release, YYYY-MM-DD")
	fl.StringVar(&provider, "provider", "openai", "endpoint API: openai, anthropic or http")
	fl.StringVar(&endpoint, "endpoint", "", "endpoint base URL, e.g. https://api.example.com/v1")
	fl.StringVar(&endpointModel, "endpoint-model", "", "model name at the endpoint")
	fl.StringVar(&endpointAuth, "endpoint-auth-header", "", `header carrying the credential instead of the provider's: "api-key" or "Authorization: Token"`)
	fl.StringVar(&endpointTokens, "endpoint-max-tokens-param", "", "max_completion_tokens for OpenAI's reasoning models")
	fl.StringVar(&credEnv, "credential-env", "", "environment variable holding the endpoint's API key")
	fl.StringVar(&credFile, "credential-file", "", "file holding the endpoint's API key")
	fl.Float64Var(&computeOps, "compute-ops", 0, "training compute, total operations (e.g. 3e25)")
	fl.StringVar(&computeMethod, "compute-method", "", "how training compute was estimated (e.g. 6ND)")
	fl.Float64Var(&computeUnc, "compute-uncertainty", 0, "relative uncertainty of the compute figure (0.3 = ±30%)")
	fl.BoolVar(&openWeights, "open-weights", false, "the weights will be published")
	fl.StringSliceVar(&modalities, "modality", nil, "a modality the model handles (repeatable)")
	fl.BoolVar(&share, "share-with-agencies", false, "consent to share findings with agency organizations")
	fl.Int64Var(&maxRequests, "max-requests", 0, "most requests the clearinghouse may send to the endpoint over the review (0: no cap)")
	return cmd
}

// endpointOf is a submission's endpoint as the API takes it.
func endpointOf(provider, baseURL, model, authHeader, maxTokensParam string) map[string]any {
	ep := map[string]any{"provider": provider, "base_url": baseURL, "model": model}
	if authHeader != "" {
		ep["auth_header"] = authHeader
	}
	if maxTokensParam != "" {
		ep["max_tokens_param"] = maxTokensParam
	}
	return ep
}
