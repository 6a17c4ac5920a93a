package check

import "testing"

func TestVersionRangeMarker(t *testing.T) {
	for name, want := range map[string]string{
		"prior to 4.2":  "prior",
		"(All)":         "all",
		"3.x versions.": "versions",
		">=1.0":         ">",
		"after-eight":   "",
		"1.0.0-beta":    "",
		"allegro 2":     "",
	} {
		if got := versionRangeMarker(name); got != want {
			t.Errorf("versionRangeMarker(%q) = %q, want %q", name, got, want)
		}
	}
}
