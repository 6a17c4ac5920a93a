package csaf_test

import (
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory/csaf"
	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestTLPLabel(t *testing.T) {
	for _, c := range []struct {
		tlp  aicc.TLP
		want string
	}{
		{aicc.TLPClear, "WHITE"},
		{aicc.TLPGreen, "GREEN"},
		{aicc.TLPAmber, "AMBER"},
		{aicc.TLPAmberStrict, "AMBER"},
		{aicc.TLPRed, "RED"},
		{"TLP:WHITE", ""},
		{"", ""},
	} {
		if got := csaf.TLPLabel(c.tlp); got != c.want {
			t.Errorf("TLPLabel(%q) = %q, want %q", c.tlp, got, c.want)
		}
	}
}
