package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/client"
)

func newTokenCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens (on a server)"}
	var user, name string
	var days int
	cr := &remote{}
	create := remoteCmd("create", "Create an API token; prints it, once", "  aicc token create --user usr_… --name ci --ttl-days 30", cobra.NoArgs, cr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			var t struct {
				ID    string `json:"id"`
				Token string `json:"token"`
			}
			raw, err := c.Do(cmd.Context(), "POST", "/v1/users/"+user+"/tokens", map[string]any{"name": name, "ttl_days": days}, &t)
			if err != nil {
				return err
			}
			return cr.print(e, raw, func() string { return fmt.Sprintf("token %s\n%s", t.ID, t.Token) })
		}, e)
	create.Flags().StringVar(&user, "user", "", "the user the token acts as")
	create.Flags().StringVar(&name, "name", "", "what the token is for")
	create.Flags().IntVar(&days, "ttl-days", 0, "lifetime in days (0: the server's default, 90)")

	var luser string
	lr := &remote{}
	list := remoteCmd("list", "List a user's tokens (never their values)", "  aicc token list --user usr_…", cobra.NoArgs, lr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			var page struct{ Items []aicc.Token }
			raw, err := c.Do(cmd.Context(), "GET", "/v1/users/"+luser+"/tokens", nil, &page)
			if err != nil {
				return err
			}
			return lr.print(e, raw, func() string {
				var b strings.Builder
				for _, t := range page.Items {
					state := "active"
					if !t.Active(time.Now()) {
						state = "inactive"
					}
					fmt.Fprintf(&b, "%s  %-8s expires %s  %s\n", t.ID, state, t.ExpiresAt.Format(time.DateOnly), t.Name)
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)
	list.Flags().StringVar(&luser, "user", "", "the user")

	var ruser string
	rr := &remote{}
	revoke := remoteCmd("revoke TOKEN_ID", "Revoke a token at once", "  aicc token revoke --user usr_… tok_…", cobra.ExactArgs(1), rr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			if _, err := c.Do(cmd.Context(), "DELETE", "/v1/users/"+ruser+"/tokens/"+args[0], nil, nil); err != nil {
				return err
			}
			return rr.print(e, []byte(`{"revoked":true}`), func() string { return "revoked " + args[0] })
		}, e)
	revoke.Flags().StringVar(&ruser, "user", "", "the token's user")
	cmd.AddCommand(create, list, revoke)
	return cmd
}
