package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/app"
)

func newServeCmd(e *env) *cobra.Command {
	var data, addr, keyringPath, orgName, policiesDir, database, schema, publicURL, contact string
	var workers, fallbackDays int
	var allowPrivate bool
	var sf scaleFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the clearinghouse service: the API for reviews, on the embedded database",
		Long: `Serve runs the clearinghouse service in one process, on the SQLite
database in the data directory.

On its first start it creates the clearinghouse organization and its first
admin, and prints that admin's API token once, as one line:

    admin token: aicc_…

Keep it: it is not shown again. Endpoint credentials are sealed with the key
file DATA/keyring (created on first start, mode 0600) unless --keyring or
AICC_KEYRING names another; see docs/keys.md. The audit chain is keyed with
DATA/audit.key.

With --database postgres://…, the store and the job queue live in
PostgreSQL, shared by any number of servers and workers (aicc worker); the
data directory then holds only the key files, which every process must
share. --workers -1 serves the API only and leaves scans to workers.

Every submission's coverage is evaluated under the built-in coverage
policies and those in --policies DIR, which are checked at start-up: a file
with a problem stops it, with one file:line:col line per problem.`,
		Example: `  aicc serve --data ./d --addr 127.0.0.1:8080
  aicc serve --data ./d --policies ./policies`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if fallbackDays < -1 || fallbackDays == 0 || fallbackDays > 365 {
				return usageErrorf("--advisory-fallback-days %d: from 1 to 365, or -1 for none", fallbackDays)
			}
			dir, err := dataDir(e, data)
			if err != nil {
				return err
			}
			if database == "" {
				database = e.getenv("AICC_DATABASE")
			}
			a, err := app.Open(ctx, app.Config{DataDir: dir, Addr: addr, KeyringPath: keyringPath, OrgName: orgName, PoliciesDir: policiesDir,
				PublicURL: publicURL, Contact: contact, AdvisoryFallbackDays: fallbackDays,
				DatabaseURL: database, DatabaseSchema: schema, ScanWorkers: workers, WebhookAllowPrivate: allowPrivate, LeaseTTL: sf.leaseTTL, RescueAfter: sf.rescueAfter,
				Getenv: e.getenv, Logger: e.logger})
			if err != nil {
				return err
			}
			defer a.Close()
			if err := a.Listen(ctx); err != nil {
				return err
			}
			if a.AdminToken != "" {
				fmt.Fprintf(e.stdout, "admin token: %s\n", a.AdminToken)
			}
			e.logger.Info("serving", "addr", "http://"+a.Addr(), "data", dir)
			return a.Serve(ctx)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "data directory (default: the user's data directory, or AICC_DATA)")
	fl.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	fl.StringVar(&keyringPath, "keyring", "", "key file sealing endpoint credentials (default DATA/keyring)")
	fl.StringVar(&policiesDir, "policies", "", "directory of coverage policy files (*.yaml) evaluated with the built-in ones; see docs/coverage.md")
	fl.StringVar(&database, "database", "", "PostgreSQL URL for the store and the queue (default: AICC_DATABASE; none: SQLite in the data directory)")
	fl.StringVar(&schema, "database-schema", "", "PostgreSQL schema (default: the search path's)")
	fl.IntVar(&workers, "workers", 2, "scans this process runs at once; -1: none (the API only)")
	fl.BoolVar(&allowPrivate, "webhook-allow-private", false, "deliver webhooks to loopback and private addresses too (tests, on-premises receivers); refused otherwise")
	sf.flags(cmd)
	fl.StringVar(&orgName, "org-name", "AI Cybersecurity Clearinghouse", "name of the clearinghouse organization created on first start")
	fl.StringVar(&publicURL, "public-url", "", "URL consumers reach the service at, named in advisories, feeds and CSAF metadata (default http://ADDR)")
	fl.StringVar(&contact, "contact", "", "how consumers reach the clearinghouse about advisories (e-mail or URL)")
	fl.IntVar(&fallbackDays, "advisory-fallback-days", 45, "days a developer may stay silent before a new advisory's embargo lifts anyway (-1: never)")
	return cmd
}
