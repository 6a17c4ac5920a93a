package cli

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/client"
)

func newDesignationCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "designation",
		Short: "Record authorities' designations of models (agencies, on a server)",
		Long: `An agency records that an authority designated a model, e.g. a covered
frontier model, with the document it rests on. Coverage policies read
designations; the open submissions of the model are evaluated again at once.
Designations are advisory like all coverage: none decides whether a model
may be submitted, reviewed or released.`,
	}

	var in struct{ model, version, developer, authority, kind, reference, date, note string }
	cr := &remote{}
	create := remoteCmd("create", "Record a designation in your agency's name",
		`  aicc designation create --model example-chat --reference "NSA notice 2026-14" --date 2026-06-20
  aicc designation create --model example-chat --version 2.0 --kind systemic_risk \
      --authority "European Commission" --reference "C(2026) 1234" --date 2026-07-01`,
		cobra.NoArgs, cr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			body := map[string]any{"model": in.model, "reference": in.reference, "date": in.date}
			for k, v := range map[string]string{"version": in.version, "developer_org_id": in.developer,
				"authority": in.authority, "designation": in.kind, "note": in.note} {
				if v != "" {
					body[k] = v
				}
			}
			var d aicc.Designation
			raw, err := c.Do(cmd.Context(), "POST", "/v1/designations", body, &d)
			if err != nil {
				return err
			}
			return cr.print(e, raw, func() string { return d.ID })
		}, e)
	fl := create.Flags()
	fl.StringVar(&in.model, "model", "", "the designated model's name (exactly as developers submit it)")
	fl.StringVar(&in.version, "version", "", "the designated version (default: every version)")
	fl.StringVar(&in.developer, "developer", "", "limit it to this developer organization's model of that name (org_…)")
	fl.StringVar(&in.authority, "authority", "", "the designating authority (default: your agency's name)")
	fl.StringVar(&in.kind, "kind", "covered_frontier_model", "covered_frontier_model or systemic_risk")
	fl.StringVar(&in.reference, "reference", "", "the document, URL or docket the designation rests on")
	fl.StringVar(&in.date, "date", "", "the day it takes effect, YYYY-MM-DD")
	fl.StringVar(&in.note, "note", "", "a note for the record")

	var model string
	var revoked bool
	lr := &remote{}
	list := remoteCmd("list", "List designations (the clearinghouse and agencies)",
		"  aicc designation list --model example-chat --include-revoked", cobra.NoArgs, lr,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			q := url.Values{"limit": {"1000"}}
			if model != "" {
				q.Set("model", model)
			}
			if revoked {
				q.Set("include_revoked", "true")
			}
			var page struct{ Items []*aicc.Designation }
			raw, err := c.Do(cmd.Context(), "GET", "/v1/designations?"+q.Encode(), nil, &page)
			if err != nil {
				return err
			}
			return lr.print(e, raw, func() string {
				var b strings.Builder
				for _, d := range page.Items {
					b.WriteString(designationLine(d) + "\n")
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)
	list.Flags().StringVar(&model, "model", "", "only designations of this model")
	list.Flags().BoolVar(&revoked, "include-revoked", false, "revoked designations too")

	var note string
	rr := &remote{}
	revoke := remoteCmd("revoke DESIGNATION_ID", "Revoke a designation your agency recorded, saying why",
		`  aicc designation revoke des_… --note "superseded by the notice of 2026-09-01"`, cobra.ExactArgs(1), rr,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var d aicc.Designation
			raw, err := c.Do(cmd.Context(), "POST", "/v1/designations/"+url.PathEscape(args[0])+"/revoke", map[string]any{"note": note}, &d)
			if err != nil {
				return err
			}
			return rr.print(e, raw, func() string { return designationLine(&d) })
		}, e)
	revoke.Flags().StringVar(&note, "note", "", "why it is revoked (required)")
	cmd.AddCommand(create, list, revoke)
	return cmd
}

// designationLine is one designation as a line of text.
func designationLine(d *aicc.Designation) string {
	model := d.Model
	if d.Version != "" {
		model += " " + d.Version
	}
	s := fmt.Sprintf("%s  %s  %s by %s from %s  %s", d.ID, model, d.Kind, d.Authority, d.Date.Format(time.DateOnly), d.Reference)
	if d.RevokedAt != nil {
		s += "  (revoked " + d.RevokedAt.Format(time.DateOnly) + ")"
	}
	return s
}
