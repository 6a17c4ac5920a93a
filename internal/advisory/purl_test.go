package advisory_test

import (
	"net/url"
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory"
)

func TestModelPURL(t *testing.T) {
	for _, tc := range []struct {
		developer, model, version string
		surface                   advisory.Surface
		want                      string
	}{
		{"Example AI", "example-chat", "1.0", advisory.SurfaceAPI, "pkg:generic/example-ai/example-chat@1.0?surface=api"},
		{"  Example   AI, Inc. ", "example-chat", "1.0", advisory.SurfaceOpenWeights, "pkg:generic/example-ai-inc/example-chat@1.0?surface=open_weights"},
		{"Mistral AI", "Mistral Large", "24.11+beta", advisory.SurfaceHostedApp, "pkg:generic/mistral-ai/Mistral%20Large@24.11%2Bbeta?surface=hosted_app"},
		{"Ünïcode Labs", "m/o@d?e#l", "1", advisory.SurfaceAPI, "pkg:generic/%C3%BCn%C3%AFcode-labs/m%2Fo%40d%3Fe%23l@1?surface=api"},
		{"!!!", "m", "100%", advisory.SurfaceAPI, "pkg:generic/m@100%25?surface=api"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			got := advisory.ModelPURL(tc.developer, tc.model, tc.version, tc.surface)
			if got != tc.want {
				t.Errorf("ModelPURL(%q, %q, %q, %q) = %q, want %q", tc.developer, tc.model, tc.version, tc.surface, got, tc.want)
			}
			u, err := url.Parse(got)
			if err != nil || !u.IsAbs() || u.Scheme != "pkg" {
				t.Errorf("%q is not an absolute pkg: URL (%v)", got, err)
			}
		})
	}
}

func TestModelPURLDistinguishes(t *testing.T) {
	// Inputs that a careless encoding would merge.
	pairs := [][2][3]string{
		{{"d", "a b", "1"}, {"d", "a%20b", "1"}},
		{{"d", "a", "1@2"}, {"d", "a@1", "2"}},
		{{"d", "a", "1"}, {"d", "a", "1.0"}},
	}
	for _, p := range pairs {
		x := advisory.ModelPURL(p[0][0], p[0][1], p[0][2], advisory.SurfaceAPI)
		y := advisory.ModelPURL(p[1][0], p[1][1], p[1][2], advisory.SurfaceAPI)
		if x == y {
			t.Errorf("%v and %v both give %q", p[0], p[1], x)
		}
	}
	if advisory.ModelPURL("d", "m", "1", advisory.SurfaceAPI) == advisory.ModelPURL("d", "m", "1", advisory.SurfaceOpenWeights) {
		t.Error("the surface does not change the purl")
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
		got := advisory.PackagePURL(c.pkg)
		if got != c.purl || advisory.PURLType(got) != c.typ {
			t.Errorf("advisory.PackagePURL(%+v) = %q (type %q), want %q (%q)", c.pkg, got, advisory.PURLType(got), c.purl, c.typ)
		}
		if got != "" {
			if v := advisory.PURLWithVersion(got, c.fixVersion); v != c.versioned {
				t.Errorf("withVersion(%q, %q) = %q, want %q", got, c.fixVersion, v, c.versioned)
			}
		}
	}
}
