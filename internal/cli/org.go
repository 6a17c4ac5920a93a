package cli

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/client"
)

func newOrgCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "org", Short: "Manage organizations (on a server)"}

	var name, kind string
	cr := &remote{}
	create := remoteCmd("create", "Create an organization",
		`  aicc org create --name "Example AI" --kind developer`, cobra.NoArgs, cr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			var o aicc.Org
			raw, err := c.Do(cmd.Context(), "POST", "/v1/orgs", map[string]any{"name": name, "kind": kind}, &o)
			if err != nil {
				return err
			}
			return cr.print(e, raw, func() string { return o.ID })
		}, e)
	create.Flags().StringVar(&name, "name", "", "the organization's name")
	create.Flags().StringVar(&kind, "kind", "", "clearinghouse, agency, developer, operator or oss")

	lr := &remote{}
	list := remoteCmd("list", "List organizations", "  aicc org list", cobra.NoArgs, lr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			var page struct{ Items []aicc.Org }
			raw, err := c.Do(cmd.Context(), "GET", "/v1/orgs?limit=1000", nil, &page)
			if err != nil {
				return err
			}
			return lr.print(e, raw, func() string {
				var b strings.Builder
				for _, o := range page.Items {
					fmt.Fprintf(&b, "%s  %-13s  %s\n", o.ID, o.Kind, o.Name)
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)
	gr := &remote{}
	get := remoteCmd("get ORG_ID", "Show an organization", "  aicc org get org_…", cobra.ExactArgs(1), gr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var o aicc.Org
			raw, err := c.Do(cmd.Context(), "GET", "/v1/orgs/"+args[0], nil, &o)
			if err != nil {
				return err
			}
			return gr.print(e, raw, func() string { return fmt.Sprintf("%s  %-13s  %s", o.ID, o.Kind, o.Name) })
		}, e)
	cmd.AddCommand(create, list, get)
	return cmd
}

func newUserCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage users and their API tokens (on a server)"}
	var org, name, email, role string
	cr := &remote{}
	create := remoteCmd("create", "Create a user; prints their first API token, shown once",
		`  aicc user create --org org_… --role developer --name "Dana"`, cobra.NoArgs, cr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			var u struct {
				ID    string `json:"id"`
				Token string `json:"token"`
			}
			raw, err := c.Do(cmd.Context(), "POST", "/v1/users", map[string]any{"org_id": org, "name": name, "email": email, "role": role}, &u)
			if err != nil {
				return err
			}
			return cr.print(e, raw, func() string { return fmt.Sprintf("user %s\ntoken: %s", u.ID, u.Token) })
		}, e)
	create.Flags().StringVar(&org, "org", "", "the user's organization")
	create.Flags().StringVar(&name, "name", "", "the user's name (default: the email, or the role)")
	create.Flags().StringVar(&email, "email", "", "the user's email")
	create.Flags().StringVar(&role, "role", "", "admin, analyst, developer or viewer")
	create.PreRunE = func(*cobra.Command, []string) error {
		if name == "" && email == "" {
			name = role
		}
		return nil
	}
	dr := &remote{}
	disable := remoteCmd("disable USER_ID", "Disable a user; their tokens stop working at once",
		"  aicc user disable usr_…", cobra.ExactArgs(1), dr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			_, err := c.Do(cmd.Context(), "POST", "/v1/users/"+args[0]+"/disable", nil, nil)
			if err != nil {
				return err
			}
			return dr.print(e, []byte(`{"disabled":true}`), func() string { return "disabled " + args[0] })
		}, e)
	var listOrg string
	lr := &remote{}
	list := remoteCmd("list", "List the users you may see", "  aicc user list --org org_…", cobra.NoArgs, lr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			var page struct{ Items []aicc.User }
			raw, err := c.Do(cmd.Context(), "GET", "/v1/users?limit=1000&org_id="+url.QueryEscape(listOrg), nil, &page)
			if err != nil {
				return err
			}
			return lr.print(e, raw, func() string {
				var b strings.Builder
				for _, u := range page.Items {
					fmt.Fprintf(&b, "%s  %-9s %s  %s\n", u.ID, u.Role, u.OrgID, u.Name)
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)
	list.Flags().StringVar(&listOrg, "org", "", "only this organization's users")
	cmd.AddCommand(create, disable, list)
	return cmd
}
