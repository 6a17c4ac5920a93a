package csaf

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
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
			if _, ok := cweNames[id]; !ok {
				t.Errorf("%s names %s, which cweNames lacks: add it with its official name", f, id)
			}
		}
	}
}

// checkLacks lists the CWEs of cweNames that the validator's embedded list
// does not hold yet; a document naming one fails check.Validate, test 6.1.11.
var checkLacks = map[string]bool{}

// TestCWENamesPassCheck renders a document for each CWE listed and has the
// validator (mandatory test 6.1.11) agree with its name.
func TestCWENamesPassCheck(t *testing.T) {
	for id, name := range cweNames {
		a := advisorytest.Example()
		a.Taxonomy.CWE = []string{id}
		doc, err := Encode(a, advisory.ExamplePublisher, VEX)
		if err != nil {
			t.Fatal(err)
		}
		r, err := check.Validate(doc)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case checkLacks[id] && r.OK():
			t.Logf("check.Validate now knows %s: remove it from checkLacks", id)
		case checkLacks[id]:
			t.Logf("check.Validate does not know %s yet:\n%s", id, r)
		case !r.OK():
			t.Errorf("%s %q:\n%s", id, name, r)
		}
	}
}
