package validate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestEveryWeaknessClassHasAVector(t *testing.T) {
	for _, k := range aicc.Classes {
		s, ok := ClassCVSS(k.Class)
		if k.Class == aicc.ClassCyberCapability {
			if ok {
				t.Errorf("%s has a CVSS vector; a capability is not a weakness", k.Class)
			}
			continue
		}
		if !ok {
			t.Errorf("class %s has no CVSS 4.0 base vector", k.Class)
			continue
		}
		v, _ := BaseVector(k.Class)
		if s.Version != "4.0" || s.Vector != v || s.Score <= 0 || s.Score > 10 || s.Severity == "" || s.Severity == "None" {
			t.Errorf("class %s: %+v", k.Class, s)
		}
	}
	if _, ok := ClassCVSS("no_such_class"); ok {
		t.Error("an unknown class has a CVSS vector")
	}
}

func TestScore(t *testing.T) {
	// The first is the score the FIRST CVSS 4.0 calculator gives
	// (https://www.first.org/cvss/calculator/4.0); the others are from
	// go-cvss's own tests, which check it against that calculator.
	tests := []struct {
		vector   string
		score    float64
		severity string
	}{
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "Critical"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10, "Critical"},
		{"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:P/VC:N/VI:H/VA:H/SC:N/SI:L/SA:L", 5.2, "Medium"},
		{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 1, "Low"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0, "None"},
	}
	for _, tt := range tests {
		got, err := Score(tt.vector)
		if err != nil {
			t.Fatalf("Score(%s): %v", tt.vector, err)
		}
		if got.Score != tt.score || got.Severity != tt.severity || got.Vector != tt.vector || got.Version != "4.0" {
			t.Errorf("Score(%s) = %+v, want %v %s", tt.vector, got, tt.score, tt.severity)
		}
	}
	for _, bad := range []string{"", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:4.0/AV:N"} {
		if _, err := Score(bad); aicc.KindOf(err) != aicc.KindInvalid {
			t.Errorf("Score(%q): err %v, want invalid", bad, err)
		}
	}
}

// TestDocsListTheVectors keeps the table in docs/reports.md in step with
// the vectors used.
func TestDocsListTheVectors(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "reports.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range aicc.Classes {
		s, ok := ClassCVSS(k.Class)
		if !ok {
			continue
		}
		row := fmt.Sprintf("| `%s` | `%s` | %.1f %s |", k.Class, strings.TrimPrefix(s.Vector, "CVSS:4.0/"), s.Score, s.Severity)
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/reports.md lacks the row %s", row)
		}
	}
}
