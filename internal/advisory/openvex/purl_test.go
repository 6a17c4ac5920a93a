package openvex_test

import (
	"net/url"
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/openvex"
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
			got := openvex.ModelPURL(tc.developer, tc.model, tc.version, tc.surface)
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
		x := openvex.ModelPURL(p[0][0], p[0][1], p[0][2], advisory.SurfaceAPI)
		y := openvex.ModelPURL(p[1][0], p[1][1], p[1][2], advisory.SurfaceAPI)
		if x == y {
			t.Errorf("%v and %v both give %q", p[0], p[1], x)
		}
	}
	if openvex.ModelPURL("d", "m", "1", advisory.SurfaceAPI) == openvex.ModelPURL("d", "m", "1", advisory.SurfaceOpenWeights) {
		t.Error("the surface does not change the purl")
	}
}
