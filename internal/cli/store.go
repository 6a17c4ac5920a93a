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
	dir, err := dataDir(e, dir)
	if err != nil {
		return nil, err
	}
	st, err := sqlite.Open(ctx, config.DBPath(dir))
	if err != nil {
		return nil, fmt.Errorf("open store in %s: %w", dir, err)
	}
	e.logger.Debug("store opened", "dir", dir)
	return st, nil
}

// dataDir is dir, or the default data directory when dir is empty.
func dataDir(e *env, dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	d, err := config.DefaultDataDir(e.getenv, runtime.GOOS)
	if err != nil {
		return "", usageErrorf("no data directory: %v; set --data DIR or AICC_DATA", err)
	}
	return d, nil
}
