package stix_test

import (
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/stix"
)

func TestErrors(t *testing.T) {
	noSummary := advisorytest.Example()
	noSummary.Summary.Text = " "
	conflicting := advisorytest.Example()
	conflicting.Summary.Text = "Another summary of the same revision."
	for _, tc := range []struct {
		name string
		advs []*advisory.Advisory
		p    advisory.Publisher
		want string
	}{
		{"nil advisory", []*advisory.Advisory{nil}, pub, "no advisory"},
		{"invalid advisory", []*advisory.Advisory{noSummary}, pub, "summary.text"},
		{"no publisher namespace", []*advisory.Advisory{advisorytest.Example()}, advisory.Publisher{Name: "x"}, "namespace"},
		{"two versions of one revision", []*advisory.Advisory{advisorytest.Example(), conflicting}, pub, "two different versions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := stix.Bundle(tc.advs, tc.p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Bundle: error %v, want one saying %q", err, tc.want)
			}
			if tc.advs[0] != nil && len(tc.advs) == 1 {
				if _, err := stix.Objects(tc.advs[0], tc.p); err == nil || !strings.Contains(err.Error(), tc.advs[0].ID) {
					t.Errorf("Objects: error %v, want one naming %s", err, tc.advs[0].ID)
				}
			}
		})
	}
}

func TestEmptyBundle(t *testing.T) {
	s := stixSchemas(t)
	b, err := stix.Bundle(nil, pub)
	if err != nil {
		t.Fatal(err)
	}
	s.validateBundle(t, b)
	if strings.Contains(string(b), "objects") {
		t.Errorf("an empty bundle has an objects list (STIX forbids empty lists): %s", b)
	}
}
