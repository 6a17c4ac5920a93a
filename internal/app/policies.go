package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aicc-dev/aicc/internal/coverage"
)

// loadPolicies returns the built-in coverage policies merged with the
// policy files in dir, if dir is set. A file with a problem stops start-up:
// the error lists every problem as path:line:col: field: message.
func loadPolicies(dir string) ([]*coverage.Policy, error) {
	builtin, err := coverage.Builtin()
	if err != nil || dir == "" {
		return builtin, err
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("coverage policies: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("coverage policies: %s is not a directory", dir)
	}
	loaded, err := coverage.LoadDir(os.DirFS(dir))
	if err == nil {
		loaded, err = coverage.Merge(builtin, loaded)
	}
	var le *coverage.LintError
	if errors.As(err, &le) {
		for i, p := range le.Problems {
			if p.File != "" && !strings.HasPrefix(p.File, "builtin:") {
				le.Problems[i].File = filepath.Join(dir, p.File)
			}
		}
		return nil, fmt.Errorf("coverage policies in %s:\n%w", dir, le)
	}
	if err != nil {
		return nil, fmt.Errorf("coverage policies in %s: %w", dir, err)
	}
	return loaded, nil
}
