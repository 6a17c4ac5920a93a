package cli

import (
	"context"
	"fmt"
	"runtime"

	"github.com/aicc-dev/aicc/internal/config"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

// openStore opens the embedded SQLite store in the data directory: dir when
// given, else the default (AICC_DATA or the user's data directory).
func openStore(ctx context.Context, e *env, dir string) (store.Store, error) {
	if dir == "" {
		d, err := config.DefaultDataDir(e.getenv, runtime.GOOS)
		if err != nil {
			return nil, usageErrorf("no data directory: %v; set --data DIR or AICC_DATA", err)
		}
		dir = d
	}
	st, err := sqlite.Open(ctx, config.DBPath(dir))
	if err != nil {
		return nil, fmt.Errorf("open store in %s: %w", dir, err)
	}
	e.logger.Debug("store opened", "dir", dir)
	return st, nil
}
