package check

import "testing"

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1", "1", 0},
		{"10", "9", 1},
		{"1.10.0", "1.9.0", 1},
		{"1.0.0-rc", "1.0.0", -1},
		{"1.0.0-alpha", "1.0.0-alpha.1", -1},
		{"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
		{"1.0.0-alpha.beta", "1.0.0-beta", -1},
		{"1.0.0-beta.2", "1.0.0-beta.11", -1},
		{"1.0.0+a", "1.0.0+b", 0},
		{"2", "1.5.0", 1},
		{"99999999999999999999999", "100000000000000000000000", -1},
		{"1", "not a version", -1},
	}
	for _, tt := range tests {
		if got := compareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := compareVersions(tt.b, tt.a); got != -tt.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for _, s := range []string{"01", "1.0", "1.0.0-", "v1", "1.0.0+", ""} {
		if v, ok := parseVersion(s); ok {
			t.Errorf("parseVersion(%q) = %+v, want not a version", s, v)
		}
	}
	v, ok := parseVersion("0.9.5-rc.1+build.7")
	if !ok || !v.semver || !v.isZero() || !v.isPreRelease() || v.core(false) != "0.9.5-rc.1" || v.core(true) != "0.9.5" {
		t.Errorf("parseVersion(0.9.5-rc.1+build.7) = %+v, %v", v, ok)
	}
}
