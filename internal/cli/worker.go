package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/app"
)

func newWorkerCmd(e *env) *cobra.Command {
	var (
		data, database, schema, keyringPath string
		workers                             int
		f                                   scaleFlags
	)
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run scans of reviews from a shared PostgreSQL queue (no API)",
		Long: `Worker runs the scans that servers enqueue, taking jobs from River's queue
in a PostgreSQL database that any number of servers and workers share. Only
one worker runs a given scan at a time (a lease renewed in the database); a
worker that dies leaves its scan to another, which resumes it where it
stopped.

Every server and worker must use the same key files (--data DIR holding
keyring and audit.key, or AICC_KEYRING and AICC_AUDIT_KEY).`,
		Example: `  aicc worker --database postgres://aicc@db/aicc --data /etc/aicc/keys --workers 4`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if database == "" {
				database = e.getenv("AICC_DATABASE")
			}
			if database == "" {
				return usageErrorf("worker needs a shared database: --database postgres://… or AICC_DATABASE")
			}
			dir, err := dataDir(e, data)
			if err != nil {
				return err
			}
			a, err := app.Open(ctx, app.Config{DataDir: dir, DatabaseURL: database, DatabaseSchema: schema, KeyringPath: keyringPath,
				ScanWorkers: workers, NoBootstrap: true, LeaseTTL: f.leaseTTL, RescueAfter: f.rescueAfter, Getenv: e.getenv, Logger: e.logger})
			if err != nil {
				return err
			}
			defer a.Close()
			e.logger.Info("working", "workers", workers)
			return a.Work(ctx)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "directory of the key files (keyring, audit.key)")
	fl.StringVar(&database, "database", "", "PostgreSQL URL shared with the servers (default: AICC_DATABASE)")
	fl.StringVar(&schema, "database-schema", "", "PostgreSQL schema (default: the search path's)")
	fl.StringVar(&keyringPath, "keyring", "", "key file sealing endpoint credentials (default DATA/keyring)")
	fl.IntVar(&workers, "workers", 2, "scans this process runs at once")
	f.flags(cmd)
	return cmd
}

func newMigrateCmd(e *env) *cobra.Command {
	var data, database, schema string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply the database migrations (the store's and the queue's), then exit",
		Long: `Migrate applies pending migrations of the store and of River's queue. Servers
and workers also apply them at start-up; run it first when deploying many
processes at once, or to check a database. Without --database it migrates
the SQLite database of the data directory.`,
		Example: `  aicc migrate --database postgres://aicc@db/aicc`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if database == "" {
				database = e.getenv("AICC_DATABASE")
			}
			dir, err := dataDir(e, data)
			if err != nil {
				return err
			}
			if err := app.Migrate(cmd.Context(), app.Config{DataDir: dir, DatabaseURL: database, DatabaseSchema: schema, Getenv: e.getenv, Logger: e.logger}); err != nil {
				return err
			}
			_, err = e.stdout.Write([]byte("migrations applied\n"))
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "data directory (SQLite)")
	fl.StringVar(&database, "database", "", "PostgreSQL URL (default: AICC_DATABASE)")
	fl.StringVar(&schema, "database-schema", "", "PostgreSQL schema")
	return cmd
}

// scaleFlags are the hidden knobs of scan hand-over between workers, for
// tests and operators who need faster fail-over.
type scaleFlags struct {
	leaseTTL, rescueAfter time.Duration
}

func (f *scaleFlags) flags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.DurationVar(&f.leaseTTL, "lease-ttl", 0, "how long a dead worker's scan stays claimed (default 15s)")
	fl.DurationVar(&f.rescueAfter, "rescue-after", 0, "how long before a dead worker's job is handed to another (default 1m)")
	_ = fl.MarkHidden("lease-ttl")
	_ = fl.MarkHidden("rescue-after")
}
