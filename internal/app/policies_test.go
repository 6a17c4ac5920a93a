package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/coverage"
)

func policyFile(id, version string) string {
	return `format: 1
id: ` + id + `
version: ` + version + `
title: Test policy
effective: 2026-01-01
citations:
  - {id: src, title: A source}
rules:
  - {id: otherwise, cite: [src], summary: Otherwise., when: {always: true}, outcome: not_covered}
`
}

func TestLoadPolicies(t *testing.T) {
	builtin, err := coverage.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		files map[string]string // nil: no directory
		want  int               // policies loaded
		err   string            // a problem the error names, with the file's path
	}{
		{"no directory", nil, len(builtin), ""},
		{"an empty directory", map[string]string{}, len(builtin), ""},
		{"an extra policy", map[string]string{"mine.yaml": policyFile("mine", "1.0.0")}, len(builtin) + 1, ""},
		{"a new version of a built-in one", map[string]string{"ch.yaml": policyFile("clearinghouse", "1.1.0")}, len(builtin) + 1, ""},
		{"a built-in version redefined", map[string]string{"ch.yaml": policyFile("clearinghouse", "1.0.0")}, 0, "ch.yaml:3:1: version: policy clearinghouse version 1.0.0 is already defined in builtin:"},
		{"a file with a problem", map[string]string{"bad.yaml": strings.Replace(policyFile("bad", "1.0.0"), "not_covered", "approved", 1)}, 0, "bad.yaml:9:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := ""
			if c.files != nil {
				dir = t.TempDir()
				for name, src := range c.files {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
						t.Fatal(err)
					}
				}
			}
			ps, err := loadPolicies(dir)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, c.err)) || aicc.KindOf(err) != aicc.KindInvalid {
					t.Fatalf("loadPolicies = %v, want an invalid-input error naming %s", err, filepath.Join(dir, c.err))
				}
				return
			}
			if err != nil || len(ps) != c.want {
				t.Fatalf("loadPolicies = %d policies, %v; want %d", len(ps), err, c.want)
			}
		})
	}
	if _, err := loadPolicies(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing policy directory was accepted")
	}
}
