package csaf

import (
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/openvex"
)

// TestModelPURLMatchesOpenVEX keeps a model version's package URL the same
// in CSAF and OpenVEX documents, so that tools can match the two.
func TestModelPURLMatchesOpenVEX(t *testing.T) {
	for _, c := range [][3]string{
		{"Example AI", "example-chat", "1.0"},
		{" Exämple  Labs, Inc. ", "chat/large model", "2024-07-18+build"},
		{"", "m", ""},
	} {
		for _, s := range []advisory.Surface{advisory.SurfaceAPI, advisory.SurfaceHostedApp, advisory.SurfaceOpenWeights} {
			got, want := modelPURL(c[0], c[1], c[2], s), openvex.ModelPURL(c[0], c[1], c[2], s)
			if got != want {
				t.Errorf("modelPURL(%q, %q, %q, %s) = %q, openvex has %q", c[0], c[1], c[2], s, got, want)
			}
		}
	}
}

func TestPackagePURL(t *testing.T) {
	for _, c := range []struct {
		pkg        advisory.Package
		purl, typ  string
		versioned  string
		fixVersion string
	}{
		{advisory.Package{Ecosystem: "PyPI", Name: "Example_Agent.Kit"}, "pkg:pypi/example-agent-kit", "pypi", "pkg:pypi/example-agent-kit@1.0", "1.0"},
		{advisory.Package{Ecosystem: "npm", Name: "@example/agent"}, "pkg:npm/%40example/agent", "npm", "pkg:npm/%40example/agent@2.0.0-rc.1", "2.0.0-rc.1"},
		{advisory.Package{Ecosystem: "Go", Name: "example.com/agent/v2"}, "pkg:golang/example.com/agent/v2", "golang", "pkg:golang/example.com/agent/v2@v2.1.0", "v2.1.0"},
		{advisory.Package{Ecosystem: "PyPI", Name: "x", PURL: "pkg:pypi/x@1.0?repository_url=https://example.org"}, "pkg:pypi/x?repository_url=https://example.org", "pypi", "pkg:pypi/x@2.0?repository_url=https://example.org", "2.0"},
		{advisory.Package{Ecosystem: "Maven", Name: "com.example:agent"}, "", "", "", ""},
	} {
		got := packagePURL(c.pkg)
		if got != c.purl || purlType(got) != c.typ {
			t.Errorf("packagePURL(%+v) = %q (type %q), want %q (%q)", c.pkg, got, purlType(got), c.purl, c.typ)
		}
		if got != "" {
			if v := withVersion(got, c.fixVersion); v != c.versioned {
				t.Errorf("withVersion(%q, %q) = %q, want %q", got, c.fixVersion, v, c.versioned)
			}
		}
	}
}
