package provider

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
)

// Write builds the provider directory (see Build) and puts it at dir,
// replacing whatever dir held. The tree is written completely into a new
// sibling directory dir.tmp-*, then dir (if it exists) is renamed to a
// sibling dir.old-*, the new tree is renamed to dir and the old one removed.
// So no reader ever sees a partly written tree, though between the two
// renames dir briefly does not exist. On failure dir is left as it was and
// the temporary tree is removed. Files are 0644, folders 0755.
func Write(ctx context.Context, dir string, cfg Config, docs []Document) error {
	files, err := Build(ctx, cfg, docs)
	if err != nil {
		return err
	}
	if err := writeTree(ctx, dir, files); err != nil {
		return fmt.Errorf("write CSAF provider directory %s: %w", dir, err)
	}
	return nil
}

// writeTree writes files into a new tree and swaps it in at dir.
func writeTree(ctx context.Context, dir string, files map[string][]byte) (err error) {
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, base+".tmp-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, os.RemoveAll(tmp))
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}

	names := make([]string, 0, len(files))
	folders := map[string]bool{}
	for name := range files {
		if !fs.ValidPath(name) {
			return fmt.Errorf("invalid path %q in the tree", name)
		}
		names = append(names, name)
		folders[path.Dir(name)] = true
	}
	slices.Sort(names)
	for _, f := range slices.Sorted(maps.Keys(folders)) {
		if err := os.MkdirAll(filepath.Join(tmp, filepath.FromSlash(f)), 0o755); err != nil {
			return err
		}
	}
	err = parallel(ctx, len(names), func(i int) error {
		return os.WriteFile(filepath.Join(tmp, filepath.FromSlash(names[i])), files[names[i]], 0o644)
	})
	if err != nil {
		return err
	}

	old := ""
	switch _, statErr := os.Lstat(dir); {
	case statErr == nil:
		oldParent, mkErr := os.MkdirTemp(parent, base+".old-")
		if mkErr != nil {
			return mkErr
		}
		old = filepath.Join(oldParent, base)
		if mvErr := os.Rename(dir, old); mvErr != nil {
			return errors.Join(mvErr, os.Remove(oldParent))
		}
		defer func() {
			if err == nil {
				err = os.RemoveAll(oldParent)
			}
		}()
	case !errors.Is(statErr, fs.ErrNotExist):
		return statErr
	}
	if mvErr := os.Rename(tmp, dir); mvErr != nil {
		if old != "" {
			mvErr = errors.Join(mvErr, os.Rename(old, dir), os.RemoveAll(filepath.Dir(old)))
		}
		return mvErr
	}
	return nil
}
