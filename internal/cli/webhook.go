package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/client"
)

type webhookView struct {
	ID     string   `json:"id"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Active bool     `json:"active"`
	Secret string   `json:"secret"`
}

func newWebhookCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "webhook", Short: "Subscribe to events as signed webhooks (on a server; organization admins)"}
	var url string
	var events []string
	cr := &remote{}
	create := remoteCmd("create", "Subscribe your organization; prints the signing secret, once",
		`  aicc webhook create --url https://hooks.example.com/aicc --event 'submission.*' --event 'finding.*'`, cobra.NoArgs, cr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			var w webhookView
			raw, err := c.Do(cmd.Context(), "POST", "/v1/webhooks", map[string]any{"url": url, "events": events}, &w)
			if err != nil {
				return err
			}
			return cr.print(e, raw, func() string { return fmt.Sprintf("webhook %s\nsecret: %s", w.ID, w.Secret) })
		}, e)
	create.Flags().StringVar(&url, "url", "", "the receiver's https URL")
	create.Flags().StringSliceVar(&events, "event", []string{"*"}, "an event filter: *, an event, or a prefix such as submission.* (repeatable)")

	lr := &remote{}
	list := remoteCmd("list", "List your organization's subscriptions", "  aicc webhook list", cobra.NoArgs, lr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			var page struct{ Items []webhookView }
			raw, err := c.Do(cmd.Context(), "GET", "/v1/webhooks", nil, &page)
			if err != nil {
				return err
			}
			return lr.print(e, raw, func() string {
				var b strings.Builder
				for _, w := range page.Items {
					fmt.Fprintf(&b, "%s  active=%v  %s  %s\n", w.ID, w.Active, w.URL, strings.Join(w.Events, ","))
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)

	dr := &remote{}
	del := remoteCmd("delete WEBHOOK_ID", "Delete a subscription and its undelivered messages", "  aicc webhook delete wh_…", cobra.ExactArgs(1), dr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			if _, err := c.Do(cmd.Context(), "DELETE", "/v1/webhooks/"+args[0], nil, nil); err != nil {
				return err
			}
			return dr.print(e, []byte(`{"deleted":true}`), func() string { return "deleted " + args[0] })
		}, e)

	gr := &remote{}
	deliveries := remoteCmd("deliveries WEBHOOK_ID", "Show the latest delivery attempts", "  aicc webhook deliveries wh_…", cobra.ExactArgs(1), gr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var page struct {
				Items []struct {
					MessageID  string `json:"message_id"`
					Attempt    int    `json:"attempt"`
					At         string `json:"at"`
					StatusCode int    `json:"status_code"`
					Error      string `json:"error"`
				}
			}
			raw, err := c.Do(cmd.Context(), "GET", "/v1/webhooks/"+args[0]+"/deliveries", nil, &page)
			if err != nil {
				return err
			}
			return gr.print(e, raw, func() string {
				var b strings.Builder
				for _, d := range page.Items {
					fmt.Fprintf(&b, "%s  %s #%d  %d %s\n", d.At, d.MessageID, d.Attempt, d.StatusCode, d.Error)
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)
	cmd.AddCommand(create, list, del, deliveries)
	return cmd
}
