package provider_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
)

// readTree returns every file under dir as path → contents and checks the
// permissions a web server needs.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	got := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			if info.Mode().Perm() != 0o755 {
				t.Errorf("folder %s has mode %v", p, info.Mode())
			}
			return nil
		}
		if info.Mode().Perm() != 0o644 {
			t.Errorf("file %s has mode %v", p, info.Mode())
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestWrite(t *testing.T) {
	s, _ := testSigner(t)
	cfg := testConfig(s)
	parent := t.TempDir()
	dir := filepath.Join(parent, "site", ".well-known", "csaf")
	docs := sampleDocs(t)

	if err := provider.Write(t.Context(), dir, cfg, docs); err != nil {
		t.Fatal(err)
	}
	assertTree(t, dir, build(t, cfg, docs))

	// Writing again replaces the tree: a document left out is gone.
	if err := os.WriteFile(filepath.Join(dir, "stale.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := provider.Write(t.Context(), dir, cfg, docs[:2]); err != nil {
		t.Fatal(err)
	}
	assertTree(t, dir, build(t, cfg, docs[:2]))
	left, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 {
		t.Errorf("temporary folders left beside the tree: %v", left)
	}

	// A failed build leaves the tree alone.
	bad := append(docs[:2:2], docs[2])
	bad[2].TLP = "PURPLE"
	if err := provider.Write(t.Context(), dir, cfg, bad); err == nil {
		t.Fatal("Write with an unknown TLP succeeded")
	}
	assertTree(t, dir, build(t, cfg, docs[:2]))
}

func assertTree(t *testing.T, dir string, want map[string][]byte) {
	t.Helper()
	got := readTree(t, dir)
	for name, b := range want {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s on disk differs from Build", name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s on disk is not in the tree", name)
		}
	}
}
