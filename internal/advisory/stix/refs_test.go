package stix_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/aicc"
)

type extRef struct{ source, id, url string }

func extRefs(o obj) []extRef {
	var out []extRef
	for _, r := range o["external_references"].([]any) {
		m := obj(r.(map[string]any))
		out = append(out, extRef{m.str("source_name"), m.str("external_id"), m.str("url")})
	}
	return out
}

func TestTaxonomyReferences(t *testing.T) {
	a := advisorytest.Example()
	a.Taxonomy.ATLAS = append(a.Taxonomy.ATLAS, "AML.TA0005", "AML.M0020")
	a.Taxonomy.OWASP = append(a.Taxonomy.OWASP, "ASI01")
	_, objs := bundle(t, a)

	ap := extRefs(one(t, objs, "attack-pattern"))
	for _, want := range []extRef{
		{"mitre-atlas", "AML.T0051.000", "https://atlas.mitre.org/techniques/AML.T0051.000"},
		{"mitre-atlas", "AML.T0056", "https://atlas.mitre.org/techniques/AML.T0056"},
		{"mitre-atlas", "AML.TA0005", "https://atlas.mitre.org/tactics/AML.TA0005"},
		{"mitre-atlas", "AML.M0020", "https://atlas.mitre.org/mitigations/AML.M0020"},
		{"owasp-llm-top-10", "LLM07:2025", ""},
		{"owasp-agentic-top-10", "ASI01", ""},
	} {
		if !slices.Contains(ap, want) {
			t.Errorf("attack-pattern lacks %+v; has %+v", want, ap)
		}
	}
	if len(ap) != len(a.Taxonomy.ATLAS)+len(a.Taxonomy.OWASP) {
		t.Errorf("attack-pattern has %d references, want one per ATLAS and OWASP ID", len(ap))
	}

	v := extRefs(one(t, objs, "vulnerability"))
	for _, want := range []extRef{
		{"aicc", "AICC-2026-0042", "https://aicc.example/advisories/AICC-2026-0042"},
		{"cwe", "CWE-200", "https://cwe.mitre.org/data/definitions/200.html"},
	} {
		if !slices.Contains(v, want) {
			t.Errorf("vulnerability lacks %+v; has %+v", want, v)
		}
	}
}

// The example's ATLAS IDs are ATLAS techniques: checked against the list
// shipped with the protocol package's tests (from ATLAS.yaml 5.6.0), so
// that the check runs on a clean clone. The tactic and mitigation IDs the
// link test uses are checked against ATLAS.yaml itself when the shared
// reference copy is there.
func TestATLASIDsExist(t *testing.T) {
	tsv, err := os.ReadFile("../../protocol/testdata/atlas-ids.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range append(advisorytest.Example().Taxonomy.ATLAS, "AML.T0054") {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(id) + `\t`).Match(tsv) {
			t.Errorf("%s is not an ATLAS technique (internal/protocol/testdata/atlas-ids.tsv)", id)
		}
	}
	data, err := os.ReadFile("../../../../shared/reference/atlas/ATLAS.yaml")
	if err != nil {
		t.Logf("tactic and mitigation IDs not checked: no ATLAS data (%v)", err)
		return
	}
	for _, id := range []string{"AML.TA0005", "AML.M0020"} {
		if !regexp.MustCompile(`(?m)^\s*-?\s*id: ` + regexp.QuoteMeta(id) + `$`).Match(data) {
			t.Errorf("%s is not in ATLAS.yaml", id)
		}
	}
}

func TestCoursesOfAction(t *testing.T) {
	_, objs := bundle(t, advisorytest.Example())
	coas := map[string]obj{}
	for _, c := range ofType(objs, "course-of-action") {
		coas[c.str("x_aicc_product")] = c
	}
	if len(coas) != 2 {
		t.Fatalf("%d courses of action, want 2 (the fix in 1.1, the mitigation for 1.0): %v", len(coas), coas)
	}
	fix := coas["example-chat@1.1/api"]
	if fix.str("name") != "Fixed in example-chat 1.1 (api)" || fix.str("x_aicc_remediation") != "guardrail" ||
		fix.str("description") != "An output classifier blocks the system prompt." {
		t.Errorf("fix: %v", fix)
	}
	if m := coas["example-chat@1.0/api"]; m.str("name") != "Mitigation for example-chat 1.0 (api)" || m.str("x_aicc_remediation") != "system_prompt" {
		t.Errorf("mitigation: %v", m)
	}
	vuln := one(t, objs, "vulnerability").str("id")
	mitigates := map[string]bool{}
	for _, r := range ofType(objs, "relationship") {
		if r.str("relationship_type") == "mitigates" && r.str("target_ref") == vuln {
			mitigates[r.str("source_ref")] = true
		}
	}
	for _, c := range coas {
		if !mitigates[c.str("id")] {
			t.Errorf("no relationship: %s mitigates the vulnerability", c.str("name"))
		}
	}

	// A fix without a note says how it was fixed; nothing fixed or
	// mitigated, no course of action.
	a := advisorytest.Example()
	a.Products = []advisory.Product{
		{Model: "m", Version: "2", Surface: advisory.SurfaceOpenWeights, Status: advisory.StatusFixed, Remediation: aicc.RemediationWeights},
		{Model: "m", Version: "1", Surface: advisory.SurfaceOpenWeights, Status: advisory.StatusAffected},
	}
	_, objs = bundle(t, a)
	if c := one(t, objs, "course-of-action"); c.str("description") != "Fixed by retraining the weights." || c.str("name") != "Fixed in m 2 (open weights)" {
		t.Errorf("fix without a note: %v", c)
	}
	a.Products = a.Products[1:]
	_, objs = bundle(t, a)
	if n := len(ofType(objs, "course-of-action")); n != 0 {
		t.Errorf("%d courses of action with nothing fixed or mitigated", n)
	}
	for _, r := range ofType(objs, "relationship") {
		if r.str("relationship_type") == "mitigates" {
			t.Errorf("a mitigates relationship with no course of action: %v", r)
		}
	}
}

// validRelationships lists the relationships this package may write, each
// in the STIX 2.1 specification's summary of relationships (Appendix B):
// attack-pattern targets vulnerability, course-of-action mitigates
// vulnerability.
var validRelationships = []string{
	"attack-pattern targets vulnerability",
	"course-of-action mitigates vulnerability",
}

func TestReferencesResolve(t *testing.T) {
	_, objs := bundle(t, advisorytest.Example(), second(), withdrawn())
	byID := map[string]obj{}
	for _, o := range objs {
		byID[o.str("id")] = o
	}
	typeOf := func(id string) string { t, _, _ := strings.Cut(id, "--"); return t }
	for _, o := range objs {
		var refs []string
		for _, k := range []string{"created_by_ref", "source_ref", "target_ref"} {
			if r := o.str(k); r != "" {
				refs = append(refs, r)
			}
		}
		for _, k := range []string{"object_refs", "object_marking_refs"} {
			if _, ok := o[k]; ok {
				refs = append(refs, o.strs(k)...)
			}
		}
		exts, _ := o["extensions"].(map[string]any)
		for ext := range exts {
			if ext != oasisTLPExtension { // OASIS's, defined outside the bundle
				refs = append(refs, ext)
			}
		}
		for _, r := range refs {
			if _, ok := byID[r]; !ok {
				t.Errorf("%s refers to %s, which is not in the bundle", o.str("id"), r)
			}
		}
		if o.str("type") == "relationship" {
			rel := typeOf(o.str("source_ref")) + " " + o.str("relationship_type") + " " + typeOf(o.str("target_ref"))
			if !slices.Contains(validRelationships, rel) {
				t.Errorf("relationship %q is not one STIX 2.1 defines", rel)
			}
		}
	}
}

func TestCustomPropertiesAreDeclared(t *testing.T) {
	_, objs := bundle(t, advisorytest.Example(), withdrawn())
	def := one(t, objs, "extension-definition")
	declared := def.strs("extension_properties")
	for _, o := range objs {
		var custom []string
		for k := range o {
			if strings.HasPrefix(k, "x_") {
				custom = append(custom, k)
			}
		}
		if len(custom) == 0 {
			continue
		}
		for _, k := range custom {
			if !slices.Contains(declared, k) {
				t.Errorf("%s uses %s, which the extension-definition does not declare", o.str("type"), k)
			}
		}
		ext, _ := o["extensions"].(map[string]any)[def.str("id")].(map[string]any)
		if ext["extension_type"] != "toplevel-property-extension" {
			t.Errorf("%s uses %v without declaring the extension %s", o.str("type"), custom, def.str("id"))
		}
	}
}
