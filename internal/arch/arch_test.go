// Package arch holds tests of the code's architecture: which packages may
// import which (see ../shared/STYLE.md).
package arch

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/aicc-dev/aicc/"

type pkg struct {
	ImportPath string
	Imports    []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	touchSources(t)
	out, err := exec.Command("go", "list", "-json", "github.com/aicc-dev/aicc/...").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

func short(path string) string { return strings.TrimPrefix(path, module) }

// TestImportDirections keeps imports pointing inwards.
func TestImportDirections(t *testing.T) {
	rules := []struct {
		importer string   // package (prefix match on its short path)
		allowed  []string // internal packages it may import (prefix match); nil: none
		why      string
	}{
		{"internal/aicc", nil, "the shared nouns import only the standard library"},
		{"internal/config", nil, "config imports no internal package"},
		{"internal/protocol", []string{"internal/aicc"}, "the protocol format knows only the shared nouns"},
		{"internal/target", []string{"internal/aicc"}, "adapters know only the shared nouns"},
		{"internal/detect", []string{"internal/aicc", "internal/protocol", "internal/detect"}, "detectors judge; they do no I/O"},
		{"internal/refmodel", []string{"internal/aicc"}, "the reference model is independent of the scanner"},
		{"internal/store", []string{"internal/aicc", "internal/audit", "internal/store", "internal/webhook", "internal/advisory"}, "stores know the nouns, not the engine"},
		{"internal/advisory", []string{"internal/aicc", "internal/authz", "internal/advisory"}, "advisories and their encoders are pure: they never touch storage or HTTP"},
		{"internal/taxii", nil, "the TAXII server knows its Source interface only"},
		{"internal/authz", []string{"internal/aicc"}, "access decisions depend on the nouns alone"},
		{"internal/audit", []string{"internal/aicc"}, "the audit chain is pure"},
		{"internal/keyring", []string{"internal/aicc"}, "sealing knows nothing of what it seals"},
		{"internal/review", []string{"internal/aicc", "internal/validate"}, "review rules are pure functions"},
		{"internal/coverage", []string{"internal/aicc"}, "coverage policies are data and pure evaluation"},
		{"internal/webhook", []string{"internal/aicc", "internal/webhook"}, "webhook delivery knows only the nouns"},
		{"internal/service", []string{"internal/aicc", "internal/authz", "internal/audit", "internal/keyring", "internal/review", "internal/coverage", "internal/store", "internal/webhook", "internal/validate", "internal/protocol", "internal/scan", "internal/target", "internal/report", "internal/advisory"}, "operations see stores through the interface only"},
		{"internal/jobs", []string{"internal/aicc"}, "jobs are thin: they call back into the service through an interface"},
		{"internal/api", []string{"internal/aicc", "internal/service", "internal/store", "internal/audit", "internal/advisory", "internal/taxii"}, "the API holds no business rules"},
		{"internal/scan", []string{"internal/aicc", "internal/protocol", "internal/detect", "internal/store"}, "the engine sees stores through the interface only"},
		{"internal/validate", []string{"internal/aicc"}, "validation rules are pure functions of the nouns"},
		{"internal/judge", []string{"internal/aicc", "internal/detect", "internal/judge"}, "the LLM judge is a detector's fallback, not part of the engine"},
		{"internal/naivemodel", nil, "the naive model checks the scanner from outside, so it shares no code with it"},
		{"internal/report", []string{"internal/aicc", "internal/protocol", "internal/store", "internal/validate"}, "reports read the store interface"},
	}
	for _, p := range listPackages(t) {
		name := short(p.ImportPath)
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := short(imp)
			if dep == "internal/cli" && name != "cmd/aicc" {
				t.Errorf("%s imports internal/cli: only cmd/aicc may", name)
			}
			if strings.HasPrefix(dep, "internal/store/") && !strings.HasPrefix(name, "internal/store") && name != "internal/cli" && name != "internal/app" {
				t.Errorf("%s imports the store engine %s: only the wiring (cli, app) may", name, dep)
			}
			for _, r := range rules {
				if name != r.importer && !strings.HasPrefix(name, r.importer+"/") {
					continue
				}
				ok := false
				for _, a := range r.allowed {
					if dep == a || strings.HasPrefix(dep, a+"/") {
						ok = true
					}
				}
				if !ok {
					t.Errorf("%s imports %s: %s", name, dep, r.why)
				}
			}
		}
	}
}

// touchSources opens every Go file of the module, so that Go's test cache,
// which does not see what `go list` reads, reruns this test when any
// import changes.
func touchSources(t *testing.T) {
	t.Helper()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			return f.Close()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
