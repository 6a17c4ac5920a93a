package advisory_test

import (
	"fmt"
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// TestVisible checks what each kind of viewer sees of Example() in every
// state: summary CLEAR, details AMBER to operators and agencies, payload
// RED to one named agency.
func TestVisible(t *testing.T) {
	viewers := map[string]advisory.Viewer{
		"anonymous":     advisory.Anonymous,
		"clearinghouse": {OrgID: "org_ch", Kind: aicc.OrgClearinghouse},
		"developer":     {OrgID: "org_exampleai000000", Kind: aicc.OrgDeveloper},
		"other-dev":     {OrgID: "org_otherdev", Kind: aicc.OrgDeveloper},
		"operator":      {OrgID: "org_power", Kind: aicc.OrgOperator},
		"oss":           {OrgID: "org_oss", Kind: aicc.OrgOSS},
		"cisa":          {OrgID: "org_cisa00000000000", Kind: aicc.OrgAgency},
		"nsa":           {OrgID: "org_nsa", Kind: aicc.OrgAgency},
	}
	// What each viewer sees of a published advisory: summary, details, payload.
	want := map[string]string{
		"anonymous":     "S--",
		"clearinghouse": "SDP",
		"developer":     "SDP",
		"other-dev":     "S--",
		"operator":      "SD-",
		"oss":           "S--",
		"cisa":          "SDP",
		"nsa":           "SD-",
	}
	for _, state := range []advisory.State{advisory.StateDraft, advisory.StateEmbargoed, advisory.StatePublished, advisory.StateUpdated, advisory.StateWithdrawn} {
		for name, v := range viewers {
			a := advisorytest.Example()
			a.State = state
			got := seen(advisory.Visible(a, v))
			w := want[name]
			if !state.Public() && name != "clearinghouse" && name != "developer" {
				w = "---"
			}
			if got != w {
				t.Errorf("%s viewing a %s advisory sees %s, want %s", name, state, got, w)
			}
		}
	}
	// A GREEN summary is for members only.
	a := advisorytest.Example()
	a.Summary.TLP = aicc.TLPGreen
	if got := seen(advisory.Visible(a, advisory.Anonymous)); got != "---" {
		t.Errorf("anonymous sees %s of a GREEN advisory", got)
	}
	if got := seen(advisory.Visible(a, viewers["oss"])); got != "S--" {
		t.Errorf("a member sees %s of a GREEN advisory", got)
	}
	// The copy for a consumer does not leak the audience lists or change the original.
	v := advisory.Visible(advisorytest.Example(), viewers["operator"])
	if len(v.Payload.Audience.Orgs) != 0 || v.Payload.Text != "" || !v.Payload.Withheld {
		t.Errorf("operator's copy: payload %+v", v.Payload)
	}
}

func seen(a *advisory.Advisory) string {
	if a == nil {
		return "---"
	}
	mark := func(t advisory.Tier, c string) string {
		if t.Withheld || t.Text == "" {
			return "-"
		}
		return c
	}
	return fmt.Sprint("S", mark(a.Details, "D"), mark(a.Payload, "P"))
}

func TestCeiling(t *testing.T) {
	a := advisorytest.Example()
	if got := advisory.Ceiling(a); got != aicc.TLPRed {
		t.Errorf("Ceiling of everything = %s, want RED", got)
	}
	op := advisory.Visible(a, advisory.Viewer{OrgID: "org_power", Kind: aicc.OrgOperator})
	if got := advisory.Ceiling(op); got != aicc.TLPAmber {
		t.Errorf("Ceiling of the operator's copy = %s, want AMBER", got)
	}
	if got := advisory.Ceiling(advisory.Visible(a, advisory.Anonymous)); got != aicc.TLPClear {
		t.Errorf("Ceiling of the public copy = %s, want CLEAR", got)
	}
}
