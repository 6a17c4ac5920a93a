package advisory_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestExampleValid(t *testing.T) {
	if err := advisorytest.Example().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateNamesTheField(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(a *advisory.Advisory)
		field string
	}{
		{"bad id", func(a *advisory.Advisory) { a.ID = "AICC-26-1" }, "AICC-YYYY-NNNN"},
		{"no products", func(a *advisory.Advisory) { a.Products = nil }, "products"},
		{"not affected without justification", func(a *advisory.Advisory) { a.Products[3].Justification = "" }, "products[3]"},
		{"fixed without remediation", func(a *advisory.Advisory) { a.Products[2].Remediation = "" }, "products[2]"},
		{"duplicate product", func(a *advisory.Advisory) { a.Products = append(a.Products, a.Products[0]) }, "listed twice"},
		{"bad tlp", func(a *advisory.Advisory) { a.Details.TLP = "TLP:WHITE" }, "details"},
		{"payload less restricted", func(a *advisory.Advisory) { a.Payload.TLP = aicc.TLPGreen; a.Payload.Audience = advisory.Audience{} }, "tiers"},
		{"red to kinds", func(a *advisory.Advisory) { a.Payload.Audience.Kinds = []aicc.OrgKind{aicc.OrgOperator} }, "payload"},
		{"embargo without date", func(a *advisory.Advisory) { a.Embargo.Until = time.Time{} }, "embargo"},
		{"history gap", func(a *advisory.Advisory) { a.History[1].Number = 3 }, "history[1]"},
		{"published without history", func(a *advisory.Advisory) { a.History = a.History[:1] }, "history"},
	} {
		a := advisorytest.Example()
		c.edit(a)
		err := a.Validate()
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: Validate = %v, want an error naming %q", c.name, err, c.field)
		}
	}
}

func TestParseID(t *testing.T) {
	if y, s, err := advisory.ParseID("AICC-2026-0042"); err != nil || y != 2026 || s != 42 {
		t.Errorf("ParseID = %d %d %v", y, s, err)
	}
	if got := advisory.FormatID(2027, 12345); got != "AICC-2027-12345" {
		t.Errorf("FormatID = %s", got)
	}
	for _, bad := range []string{"", "AICC-2026-042", "aicc-2026-0042", "AICC-2026-0000", "CVE-2026-0042"} {
		if _, _, err := advisory.ParseID(bad); err == nil {
			t.Errorf("ParseID(%q) accepted", bad)
		}
	}
}
