package csaf

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory/csaf/check"
)

// TestCWENamesCoverProtocols checks that every CWE that the built-in
// protocols and the shared types name has its official name here, so
// that their advisories carry a cwe.
func TestCWENamesCoverProtocols(t *testing.T) {
	re := regexp.MustCompile(`CWE-[1-9][0-9]*`)
	files := []string{filepath.Join("..", "..", "protocol", "builtin", "core.yaml")}
	more, err := filepath.Glob(filepath.Join("..", "..", "aicc", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, more...) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range slices.Compact(re.FindAllString(string(raw), -1)) {
			if _, ok := check.CWEName(id); !ok {
				t.Errorf("%s names %s, which the CWE list of package check lacks: add it with its official name", f, id)
			}
		}
	}
}
