package cli

import (
	"cmp"
	"context"

	"github.com/spf13/cobra"

	"github.com/aicc-dev/aicc/internal/app"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/service"
)

// deploymentFlags locate a deployment's store and key file, as serve and
// worker do, for the operators' commands that work on them directly
// (keyring, advisory csaf-directory, advisory export --data).
type deploymentFlags struct {
	data, database, schema, keyringPath, format string
}

func (f *deploymentFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "", "data directory (default: the user's data directory, or AICC_DATA)")
	fl.StringVar(&f.database, "database", "", "PostgreSQL URL (default: AICC_DATABASE; none: SQLite in the data directory)")
	fl.StringVar(&f.schema, "database-schema", "", "PostgreSQL schema")
	fl.StringVar(&f.keyringPath, "keyring", "", "key file (default DATA/keyring; AICC_KEYRING takes precedence)")
	fl.StringVar(&f.format, "format", "text", "output format: text or json")
}

func (f *deploymentFlags) config(e *env) (app.Config, error) {
	if err := checkFormat(f.format, "text", "json"); err != nil {
		return app.Config{}, err
	}
	dir, err := dataDir(e, f.data)
	if err != nil {
		return app.Config{}, err
	}
	return app.Config{DataDir: dir, DatabaseURL: cmp.Or(f.database, e.getenv("AICC_DATABASE")), DatabaseSchema: f.schema,
		KeyringPath: f.keyringPath, Getenv: e.getenv, Logger: e.logger}, nil
}

// file is the key file to change; a keyring from the environment has none.
func (f *deploymentFlags) file(cfg app.Config, verb string) (string, error) {
	path, fromEnv := app.KeyringFile(cfg)
	if fromEnv {
		return "", usageErrorf("the keyring comes from %s, so there is no key file to %s: change the variable where it is kept (docs/keys.md), restart every process, then run `aicc keyring reseal`", keyring.EnvVar, verb)
	}
	return path, nil
}

// withService opens the deployment's store for fn.
func withService(ctx context.Context, cfg app.Config, fn func(*service.Service) error) error {
	a, err := app.OpenForMaintenance(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a.Service)
}
