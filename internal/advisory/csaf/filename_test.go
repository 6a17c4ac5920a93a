package csaf_test

import (
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory/csaf"
)

func TestFilename(t *testing.T) {
	for _, c := range []struct{ id, want string }{
		{"AICC-2026-0042", "aicc-2026-0042.json"},
		// The examples of section 5.1.
		{"Example Company - 2019-YH3234", "example_company_-_2019-yh3234.json"},
		{"cisco-sa-20190513-secureboot", "cisco-sa-20190513-secureboot.json"},
		{"RHBA-2019:0024", "rhba-2019_0024.json"},
		{"2022_#01-A", "2022_01-a.json"},
		{"a+b", "a+b.json"},
		{"Ärger/ü", "_rger_.json"},
	} {
		if got := csaf.Filename(c.id); got != c.want {
			t.Errorf("Filename(%q) = %q, want %q", c.id, got, c.want)
		}
	}
}
