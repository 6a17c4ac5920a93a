package check

import "testing"

func TestCheckPURL(t *testing.T) {
	valid := []string{
		"pkg:npm/%40angular/animation@12.3.1",
		"pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?repository_url=repo.spring.io%2Frelease",
		"pkg:golang/github.com/aicc-dev/aicc@v1.0.0#internal/advisory",
		"pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
		"pkg:docker/cassandra@sha256:244fd47e07d1004f0aed9c",
		"pkg:generic/openssl@1.1.10g?download_url=https://openssl.org/source/openssl-1.1.0g.tar.gz&checksum=sha256:de4d501267da",
		"pkg:pypi/django@1.11.1",
		"pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c",
		"PKG:npm/foo",
	}
	for _, s := range valid {
		if err := checkPURL(s); err != nil {
			t.Errorf("checkPURL(%q) = %v, want nil", s, err)
		}
	}
	invalid := []string{
		"pkg:maven/@1.3.4",
		"maven/foo",
		"pkg:npm",
		"pkg:/foo",
		"pkg:1maven/foo",
		"pkg:ma%20ven/foo",
		"pkg:npm/foo?1a=b",
		"pkg:npm/foo?a=b&A=c",
		"pkg:npm/foo?a",
		"pkg:npm/foo%zz",
		"pkg:npm/foo@",
		"pkg:npm/a%2Fb/foo",
	}
	for _, s := range invalid {
		if err := checkPURL(s); err == nil {
			t.Errorf("checkPURL(%q) = nil, want an error", s)
		}
	}
}
