package cli

import (
	"cmp"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/client"
)

func newAdvisoryCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "advisory",
		Short: "Write, publish and export advisories (on a server)",
		Long: `Advisories share what a review learned with those who deploy the model:
a technique, the model versions it affects, and what to do, in tiers with
their own TLP 2.0 labels (a public summary, a restricted reproduction, the
exploit payload). They stay under embargo until the model's planned release
by default. Publishing approves nothing. See docs/advisories.md.`,
	}
	cmd.AddCommand(newAdvisoryCreateCmd(e), newAdvisoryListCmd(e), newAdvisoryGetCmd(e), newAdvisoryEditCmd(e),
		newAdvisoryPublishCmd(e), newAdvisoryEmbargoCmd(e), newAdvisoryStatementCmd(e), newAdvisoryWithdrawCmd(e),
		newAdvisoryExportCmd(e), newAdvisoryCSAFDirCmd(e), newAdvisorySubscribeCmd(e), newAdvisorySubscriptionsCmd(e), newAdvisoryUnsubscribeCmd(e))
	return cmd
}

// advisoryLine is an advisory as one line of text.
func advisoryLine(a *advisory.Advisory) string {
	return fmt.Sprintf("%s r%d %-9s %-8s %s", a.ID, a.Revision, a.State, a.Severity.Rating, a.Title)
}

// advisoryText is an advisory as a few paragraphs of text.
func advisoryText(a *advisory.Advisory) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (revision %d, %s): %s\n", a.ID, a.Revision, a.State, a.Title)
	fmt.Fprintf(&b, "developer: %s  class: %s  severity: %s %.1f %s\n", a.Developer, a.Class, a.Severity.Rating, a.Severity.CVSSScore, a.Severity.CVSSVector)
	for _, p := range a.Products {
		fmt.Fprintf(&b, "  %s %s (%s): %s", p.Model, p.Version, p.Surface, p.Status)
		if p.Remediation != "" {
			fmt.Fprintf(&b, ", %s", p.Remediation)
		}
		b.WriteString("\n")
	}
	if a.State == advisory.StateDraft || a.State == advisory.StateEmbargoed {
		l := a.Embargo.Lifts()
		if l.Reason == "none" {
			b.WriteString("embargo: none\n")
		} else {
			fmt.Fprintf(&b, "embargo: until %s (%s)\n", l.At.Format(time.RFC3339), l.Reason)
		}
	}
	for _, t := range []struct {
		name string
		tier advisory.Tier
	}{{"summary", a.Summary}, {"details", a.Details}, {"payload", a.Payload}} {
		switch {
		case t.tier.Withheld:
			fmt.Fprintf(&b, "%s [%s]: withheld\n", t.name, t.tier.TLP)
		case t.tier.Text != "":
			fmt.Fprintf(&b, "%s [%s]: %s\n", t.name, t.tier.TLP, t.tier.Text)
		}
	}
	if a.Statement != nil {
		fmt.Fprintf(&b, "developer statement: %s\n", a.Statement.Text)
	}
	return strings.TrimRight(b.String(), "\n")
}

// parseAudience reads --*-audience values: organization kinds or IDs.
func parseAudience(flag string, vals []string) (advisory.Audience, error) {
	var au advisory.Audience
	for _, v := range vals {
		switch {
		case aicc.OrgKind(v).Valid():
			au.Kinds = append(au.Kinds, aicc.OrgKind(v))
		case aicc.HasPrefix(v, aicc.PrefixOrg):
			au.Orgs = append(au.Orgs, v)
		default:
			return au, usageErrorf("--%s %q: an organization kind (agency, operator, oss, developer, clearinghouse) or an organization ID (org_…)", flag, v)
		}
	}
	return au, nil
}

var packagePattern = regexp.MustCompile(`^([^:]+):([^@]+)@([^.][^ ]*?)(?:\.\.(.+))?$`)

// parsePackage reads ECOSYSTEM:NAME@INTRODUCED[..FIXED].
func parsePackage(v string) (advisory.Package, error) {
	m := packagePattern.FindStringSubmatch(v)
	if m == nil {
		return advisory.Package{}, usageErrorf("--package %q: want ECOSYSTEM:NAME@INTRODUCED[..FIXED], e.g. PyPI:example-agent-kit@0.4.0..0.9.2", v)
	}
	return advisory.Package{Ecosystem: m[1], Name: m[2], Introduced: m[3], Fixed: m[4]}, nil
}

func newAdvisoryCreateCmd(e *env) *cobra.Command {
	var finding, title, surface, summaryTLP, detailsTLP, payloadTLP string
	var detailsTo, payloadTo, packages []string
	r := &remote{}
	cmd := remoteCmd("create", "Draft an advisory from a confirmed finding (clearinghouse analysts)",
		`  aicc advisory create --from-finding fnd_…
  aicc advisory create --from-finding fnd_… --details-audience operator --details-audience agency \
      --payload-audience org_… --package PyPI:example-agent-kit@0.4.0..0.9.2`, cobra.NoArgs, r,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			if finding == "" {
				return usageErrorf("--from-finding is required: the confirmed finding the advisory is about")
			}
			body := map[string]any{"finding_id": finding}
			if title != "" {
				body["title"] = title
			}
			if surface != "" {
				body["surface"] = surface
			}
			for _, t := range []struct {
				name, flag, label string
				to                []string
			}{{"summary", "summary", summaryTLP, nil}, {"details", "details-audience", detailsTLP, detailsTo}, {"payload", "payload-audience", payloadTLP, payloadTo}} {
				if t.label == "" && len(t.to) == 0 {
					continue
				}
				tier := map[string]any{}
				if t.label != "" {
					tlp, err := aicc.ParseTLP(t.label)
					if err != nil {
						return usageErrorf("--%s-tlp: %v", t.name, err)
					}
					tier["tlp"] = tlp
				}
				au, err := parseAudience(t.flag, t.to)
				if err != nil {
					return err
				}
				tier["audience"] = au
				body[t.name] = tier
			}
			if len(packages) > 0 {
				pkgs := make([]advisory.Package, len(packages))
				for i, p := range packages {
					pkg, err := parsePackage(p)
					if err != nil {
						return err
					}
					pkgs[i] = pkg
				}
				body["packages"] = pkgs
			}
			var a advisory.Advisory
			raw, err := c.Do(cmd.Context(), "POST", "/v1/advisories", body, &a)
			if err != nil {
				return err
			}
			return r.print(e, raw, func() string { return advisoryLine(&a) })
		}, e)
	fl := cmd.Flags()
	fl.StringVar(&finding, "from-finding", "", "the confirmed finding (fnd_…)")
	fl.StringVar(&title, "title", "", "title (default: from the finding and the model)")
	fl.StringVar(&surface, "surface", "", "how the reviewed version is offered: api (default), hosted_app or open_weights")
	fl.StringVar(&summaryTLP, "summary-tlp", "", "TLP label of the public summary (default CLEAR)")
	fl.StringVar(&detailsTLP, "details-tlp", "", "TLP label of the reproduction details (default AMBER)")
	fl.StringVar(&payloadTLP, "payload-tlp", "", "TLP label of the exploit payload (default RED)")
	fl.StringSliceVar(&detailsTo, "details-audience", nil, "who receives the details: an organization kind or ID (repeatable; default agency and operator)")
	fl.StringSliceVar(&payloadTo, "payload-audience", nil, "organizations (org_…) that receive the payload besides the parties (repeatable)")
	fl.StringSliceVar(&packages, "package", nil, "an affected software package, ECOSYSTEM:NAME@INTRODUCED[..FIXED] (repeatable)")
	return cmd
}

func newAdvisoryListCmd(e *env) *cobra.Command {
	var state, developer, submission string
	r := &remote{}
	cmd := remoteCmd("list", "List the advisories you may see", `  aicc advisory list --state published,updated`, cobra.NoArgs, r,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			q := url.Values{"limit": {"1000"}}
			for k, v := range map[string]string{"state": state, "developer_org_id": developer, "submission_id": submission} {
				if v != "" {
					q.Set(k, v)
				}
			}
			var page struct{ Items []advisory.Advisory }
			raw, err := c.Do(cmd.Context(), "GET", "/v1/advisories?"+q.Encode(), nil, &page)
			if err != nil {
				return err
			}
			return r.print(e, raw, func() string {
				var b strings.Builder
				for i := range page.Items {
					b.WriteString(advisoryLine(&page.Items[i]) + "\n")
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)
	cmd.Flags().StringVar(&state, "state", "", "only these states, comma-separated (draft, embargoed, published, updated, withdrawn)")
	cmd.Flags().StringVar(&developer, "developer", "", "only this developer organization's (org_…)")
	cmd.Flags().StringVar(&submission, "submission", "", "only from this submission's review (sub_…)")
	return cmd
}

func newAdvisoryGetCmd(e *env) *cobra.Command {
	var revision int
	r := &remote{}
	cmd := remoteCmd("get ADVISORY_ID", "Show what you may see of an advisory", `  aicc advisory get AICC-2026-0001
  aicc advisory get AICC-2026-0001 --revision 1`, cobra.ExactArgs(1), r,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			path := "/v1/advisories/" + url.PathEscape(args[0])
			if revision > 0 {
				path += fmt.Sprintf("/revisions/%d", revision)
			}
			var a advisory.Advisory
			raw, err := c.Do(cmd.Context(), "GET", path, nil, &a)
			if err != nil {
				return err
			}
			return r.print(e, raw, func() string { return advisoryText(&a) })
		}, e)
	cmd.Flags().IntVar(&revision, "revision", 0, "a published revision, as it was published")
	return cmd
}

// parseProduct reads --product MODEL@VERSION[/SURFACE]=STATUS[:DETAIL],
// DETAIL being the remediation type of a fixed (or mitigated) version or
// the justification of one not affected; the surface defaults to api.
func parseProduct(v string) (advisory.Product, error) {
	bad := usageErrorf("--product %q: want MODEL@VERSION[/SURFACE]=STATUS[:DETAIL], e.g. example-chat@1.1=fixed:guardrail or example-chat-mini@1.0/api=not_affected:component_not_present", v)
	key, st, ok := strings.Cut(v, "=")
	if !ok {
		return advisory.Product{}, bad
	}
	p, err := parseProductKey(key)
	if err != nil {
		return advisory.Product{}, bad
	}
	status, detail, _ := strings.Cut(st, ":")
	p.Status = advisory.Status(status)
	switch p.Status {
	case advisory.StatusNotAffected:
		p.Justification = advisory.Justification(detail)
	case advisory.StatusFixed, advisory.StatusAffected:
		p.Remediation = aicc.RemediationType(detail)
	case advisory.StatusUnderInvestigation:
		if detail != "" {
			return advisory.Product{}, bad
		}
	default:
		return advisory.Product{}, usageErrorf("--product %q: status %q: affected, fixed, not_affected or under_investigation", v, status)
	}
	return p, nil
}

// parseProductKey reads MODEL@VERSION[/SURFACE].
func parseProductKey(key string) (advisory.Product, error) {
	model, rest, ok := strings.Cut(key, "@")
	if !ok || model == "" || rest == "" {
		return advisory.Product{}, usageErrorf("product %q: want MODEL@VERSION[/SURFACE]", key)
	}
	version, surface, _ := strings.Cut(rest, "/")
	return advisory.Product{Model: model, Version: version, Surface: advisory.Surface(cmp.Or(surface, string(advisory.SurfaceAPI)))}, nil
}

func newAdvisoryEditCmd(e *env) *cobra.Command {
	var title, summary, details, payload, revisionSummary string
	var products, removes, packages, removePackages []string
	r := &remote{}
	cmd := remoteCmd("edit ADVISORY_ID", "Change an advisory's title, tier texts or model versions (analysts); a published one gets a new revision",
		`  aicc advisory edit AICC-2026-0001 --summary "…" --revision-summary "Clearer summary."
  aicc advisory edit AICC-2026-0001 --product example-chat@1.1=fixed:guardrail \
      --product example-chat-mini@1.0=not_affected:component_not_present --revision-summary "1.1 fixed; mini not affected"`, cobra.ExactArgs(1), r,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			cur := &advisory.Advisory{}
			if _, err := c.Do(cmd.Context(), "GET", "/v1/advisories/"+url.PathEscape(args[0]), nil, cur); err != nil {
				return err
			}
			body := map[string]any{}
			if cmd.Flags().Changed("title") {
				body["title"] = title
			}
			for _, t := range []struct {
				name, text string
				cur        advisory.Tier
			}{{"summary", summary, cur.Summary}, {"details", details, cur.Details}, {"payload", payload, cur.Payload}} {
				if cmd.Flags().Changed(t.name) {
					tier := t.cur
					tier.Text, tier.Withheld = t.text, false
					body[t.name] = tier
				}
			}
			if len(products)+len(removes) > 0 {
				list := slices.Clone(cur.Products)
				for _, k := range removes {
					p, err := parseProductKey(k)
					if err != nil {
						return err
					}
					n := len(list)
					list = slices.DeleteFunc(list, func(q advisory.Product) bool { return q.Key() == p.Key() })
					if len(list) == n {
						return usageErrorf("--remove-product %s: the advisory lists no such version", k)
					}
				}
				for _, v := range products {
					p, err := parseProduct(v)
					if err != nil {
						return err
					}
					if i := slices.IndexFunc(list, func(q advisory.Product) bool { return q.Key() == p.Key() }); i >= 0 {
						p.Reproduction, p.Note = list[i].Reproduction, list[i].Note
						list[i] = p
					} else {
						list = append(list, p)
					}
				}
				body["products"] = list
			}
			if len(packages)+len(removePackages) > 0 {
				list := slices.Clone(cur.Packages)
				key := func(p advisory.Package) string { return p.Ecosystem + ":" + p.Name }
				for _, k := range removePackages {
					n := len(list)
					list = slices.DeleteFunc(list, func(q advisory.Package) bool { return key(q) == k })
					if len(list) == n {
						return usageErrorf("--remove-package %s: the advisory lists no such package (give ECOSYSTEM:NAME)", k)
					}
				}
				for _, v := range packages {
					p, err := parsePackage(v)
					if err != nil {
						return err
					}
					if i := slices.IndexFunc(list, func(q advisory.Package) bool { return key(q) == key(p) }); i >= 0 {
						list[i] = p
					} else {
						list = append(list, p)
					}
				}
				body["packages"] = list
			}
			if len(body) == 0 {
				return usageErrorf("nothing to change: give --title, --summary, --details, --payload, --product, --remove-product, --package or --remove-package")
			}
			if revisionSummary != "" {
				body["revision_summary"] = revisionSummary
			}
			var a advisory.Advisory
			raw, err := c.Do(cmd.Context(), "PATCH", "/v1/advisories/"+url.PathEscape(args[0]), body, &a)
			if err != nil {
				return err
			}
			return r.print(e, raw, func() string { return advisoryLine(&a) })
		}, e)
	fl := cmd.Flags()
	fl.StringVar(&title, "title", "", "new title")
	fl.StringVar(&summary, "summary", "", "new public summary text")
	fl.StringVar(&details, "details", "", "new reproduction details text")
	fl.StringVar(&payload, "payload", "", "new exploit payload text")
	fl.StringVar(&revisionSummary, "revision-summary", "", "what changed (required once published)")
	fl.StringArrayVar(&products, "product", nil, "add or change a model version: MODEL@VERSION[/SURFACE]=STATUS[:REMEDIATION|JUSTIFICATION] (repeatable)")
	fl.StringArrayVar(&removes, "remove-product", nil, "remove a model version: MODEL@VERSION[/SURFACE] (repeatable)")
	fl.StringArrayVar(&packages, "package", nil, "add or change an affected software package: ECOSYSTEM:NAME@INTRODUCED[..FIXED] (repeatable)")
	fl.StringArrayVar(&removePackages, "remove-package", nil, "remove a package: ECOSYSTEM:NAME (repeatable)")
	return cmd
}

// simpleAdvisoryCmd is an advisory action that posts a small body.
func simpleAdvisoryCmd(e *env, use, short, example, action string, body func(cmd *cobra.Command) (map[string]any, error), setup func(cmd *cobra.Command)) *cobra.Command {
	r := &remote{}
	cmd := remoteCmd(use, short, example, cobra.ExactArgs(1), r,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			var b map[string]any
			if body != nil {
				var err error
				if b, err = body(cmd); err != nil {
					return err
				}
			}
			var a advisory.Advisory
			raw, err := c.Do(cmd.Context(), "POST", "/v1/advisories/"+url.PathEscape(args[0])+"/"+action, b, &a)
			if err != nil {
				return err
			}
			return r.print(e, raw, func() string {
				line := advisoryLine(&a)
				if a.State == advisory.StateEmbargoed {
					l := a.Embargo.Lifts()
					line += fmt.Sprintf("\nembargoed until %s (%s): it is published then", l.At.Format(time.RFC3339), l.Reason)
				}
				return line
			})
		}, e)
	if setup != nil {
		setup(cmd)
	}
	return cmd
}

func newAdvisoryPublishCmd(e *env) *cobra.Command {
	return simpleAdvisoryCmd(e, "publish ADVISORY_ID",
		"Publish (analysts): at once if the embargo no longer holds, else when it lifts",
		"  aicc advisory publish AICC-2026-0001", "publish", nil, nil)
}

func newAdvisoryEmbargoCmd(e *env) *cobra.Command {
	var until, reason string
	var release, none bool
	var fallback int
	return simpleAdvisoryCmd(e, "embargo ADVISORY_ID", "Move an unpublished advisory's embargo, as the parties agreed (analysts)",
		`  aicc advisory embargo AICC-2026-0001 --until 2027-01-15 --reason "agreed with Example AI, call of 28 Nov"
  aicc advisory embargo AICC-2026-0001 --none --reason "the model is out"`, "embargo",
		func(cmd *cobra.Command) (map[string]any, error) {
			b := map[string]any{"reason": reason}
			switch {
			case none && !release && until == "":
				b["basis"] = advisory.BasisNone
			case release && !none && until == "":
				b["basis"] = advisory.BasisRelease
			case until != "" && !none && !release:
				d, err := time.Parse(time.DateOnly, until)
				if err != nil {
					return nil, usageErrorf("--until %q: a date, YYYY-MM-DD", until)
				}
				b["basis"], b["until"] = advisory.BasisAgreed, d
			default:
				return nil, usageErrorf("give one of --until DATE, --release or --none")
			}
			if cmd.Flags().Changed("fallback-days") {
				b["fallback_days"] = fallback
			}
			return b, nil
		}, func(cmd *cobra.Command) {
			fl := cmd.Flags()
			fl.StringVar(&until, "until", "", "an agreed date (YYYY-MM-DD, UTC midnight)")
			fl.BoolVar(&release, "release", false, "follow the model's planned release again")
			fl.BoolVar(&none, "none", false, "no embargo: publish when asked")
			fl.IntVar(&fallback, "fallback-days", 0, "days of silence from the developer after which it lifts anyway (-1: never)")
			fl.StringVar(&reason, "reason", "", "who agreed, and why (required; logged)")
		})
}

func newAdvisoryStatementCmd(e *env) *cobra.Command {
	var text string
	return simpleAdvisoryCmd(e, "statement ADVISORY_ID", "Attach your statement to an advisory about your model (developers)",
		`  aicc advisory statement AICC-2026-0001 --text "Fixed in 1.1; thanks to the clearinghouse."`, "statement",
		func(*cobra.Command) (map[string]any, error) { return map[string]any{"text": text}, nil },
		func(cmd *cobra.Command) { cmd.Flags().StringVar(&text, "text", "", "the statement") })
}

func newAdvisoryWithdrawCmd(e *env) *cobra.Command {
	var reason string
	return simpleAdvisoryCmd(e, "withdraw ADVISORY_ID", "Withdraw a published advisory, saying why (analysts)",
		`  aicc advisory withdraw AICC-2026-0001 --reason "duplicate of AICC-2026-0002"`, "withdraw",
		func(*cobra.Command) (map[string]any, error) { return map[string]any{"reason": reason}, nil },
		func(cmd *cobra.Command) {
			cmd.Flags().StringVar(&reason, "reason", "", "why (goes into the revision history)")
		})
}

func newAdvisorySubscribeCmd(e *env) *cobra.Command {
	var developers, classes, tlps []string
	var minSeverity string
	r := &remote{}
	cmd := remoteCmd("subscribe", "Subscribe your organization to advisories matching a filter (admins; delivered to webhooks for advisory.*)",
		`  aicc advisory subscribe --min-severity high --class prompt_injection_indirect`, cobra.NoArgs, r,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			f := advisory.Filter{Developers: developers, MinSeverity: aicc.Severity(minSeverity)}
			for _, cl := range classes {
				f.Classes = append(f.Classes, aicc.Class(cl))
			}
			for _, t := range tlps {
				l, err := aicc.ParseTLP(t)
				if err != nil {
					return usageErrorf("--tlp: %v", err)
				}
				f.TLP = append(f.TLP, l)
			}
			var sb advisory.Subscription
			raw, err := c.Do(cmd.Context(), "POST", "/v1/advisory-subscriptions", map[string]any{"filter": f}, &sb)
			if err != nil {
				return err
			}
			return r.print(e, raw, func() string { return sb.ID + "  " + sb.Filter.String() })
		}, e)
	fl := cmd.Flags()
	fl.StringSliceVar(&developers, "developer", nil, "only this developer organization's (repeatable)")
	fl.StringSliceVar(&classes, "class", nil, "only this technique class (repeatable)")
	fl.StringVar(&minSeverity, "min-severity", "", "at least this severity: info, low, medium, high, critical")
	fl.StringSliceVar(&tlps, "tlp", nil, "only summaries with this label (repeatable)")
	return cmd
}

func newAdvisorySubscriptionsCmd(e *env) *cobra.Command {
	r := &remote{}
	return remoteCmd("subscriptions", "List your organization's advisory subscriptions", "  aicc advisory subscriptions", cobra.NoArgs, r,
		func(cmd *cobra.Command, c *client.Client, _ []string) error {
			var page struct{ Items []advisory.Subscription }
			raw, err := c.Do(cmd.Context(), "GET", "/v1/advisory-subscriptions", nil, &page)
			if err != nil {
				return err
			}
			return r.print(e, raw, func() string {
				var b strings.Builder
				for _, sb := range page.Items {
					fmt.Fprintf(&b, "%s  %s\n", sb.ID, sb.Filter)
				}
				return strings.TrimRight(b.String(), "\n")
			})
		}, e)
}

func newAdvisoryUnsubscribeCmd(e *env) *cobra.Command {
	r := &remote{}
	return remoteCmd("unsubscribe SUBSCRIPTION_ID", "Delete an advisory subscription", "  aicc advisory unsubscribe asub_…", cobra.ExactArgs(1), r,
		func(cmd *cobra.Command, c *client.Client, args []string) error {
			if _, err := c.Do(cmd.Context(), "DELETE", "/v1/advisory-subscriptions/"+url.PathEscape(args[0]), nil, nil); err != nil {
				return err
			}
			return r.print(e, []byte(`{"deleted":true}`), func() string { return "deleted " + args[0] })
		}, e)
}
