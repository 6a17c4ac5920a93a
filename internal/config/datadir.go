// Package config holds aicc's configuration: where its data lives, the
// settings structs, their defaults and validation. It imports no internal
// package.
package config

import (
	"errors"
	"path/filepath"
)

// DefaultDataDir returns the directory aicc keeps its data in: $AICC_DATA
// when set, else the platform's per-user data directory:
//
//	linux, BSDs:  $XDG_DATA_HOME/aicc, or $HOME/.local/share/aicc
//	darwin:       $HOME/Library/Application Support/aicc
//	windows:      %LocalAppData%\aicc
//
// getenv reads the environment (os.Getenv) and goos names the platform
// (runtime.GOOS); both are parameters so that every platform can be tested.
func DefaultDataDir(getenv func(string) string, goos string) (string, error) {
	if dir := getenv("AICC_DATA"); dir != "" {
		return dir, nil
	}
	switch goos {
	case "windows":
		if dir := getenv("LocalAppData"); dir != "" {
			return filepath.Join(dir, "aicc"), nil
		}
		return "", errors.New("no data directory: %LocalAppData% is not set; set AICC_DATA to choose one")
	case "darwin", "ios":
		home := getenv("HOME")
		if home == "" {
			return "", errNoHome
		}
		return filepath.Join(home, "Library", "Application Support", "aicc"), nil
	default:
		// XDG Base Directory: a relative $XDG_DATA_HOME is invalid and ignored.
		if dir := getenv("XDG_DATA_HOME"); dir != "" && isAbs(dir) {
			return filepath.Join(dir, "aicc"), nil
		}
		home := getenv("HOME")
		if home == "" {
			return "", errNoHome
		}
		return filepath.Join(home, ".local", "share", "aicc"), nil
	}
}

var errNoHome = errors.New("no data directory: $HOME is not set; set AICC_DATA to choose one")

// isAbs reports whether a Unix path is absolute, whatever the host.
func isAbs(path string) bool {
	return len(path) > 0 && path[0] == '/'
}

// DBPath is the path of the SQLite database in dataDir.
func DBPath(dataDir string) string {
	return filepath.Join(dataDir, "aicc.db")
}
