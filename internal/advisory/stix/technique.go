package stix

import (
	"strings"

	"github.com/aicc-dev/aicc/internal/advisory"
)

// addAttackPattern adds the technique, with its ATLAS and OWASP
// references, and the relationship "attack-pattern targets vulnerability".
func (b *builder) addAttackPattern() error {
	a := b.a
	c, err := b.sdo(b.attack, a.Summary.TLP, b.created)
	if err != nil {
		return err
	}
	c.Revoked = a.State == advisory.StateWithdrawn
	name := a.Class.Title()
	if a.Family != "" {
		name += " (" + a.Family + ")"
	}
	var refs []externalReference
	for _, id := range a.Taxonomy.ATLAS {
		refs = append(refs, atlasReference(id))
	}
	for _, id := range a.Taxonomy.OWASP {
		refs = append(refs, owaspReference(id))
	}
	if err := b.add(b.attack, b.modified, attackPattern{common: c, Name: name, Description: a.Title, ExternalReferences: refs}); err != nil {
		return err
	}
	return b.relate(b.attack, "targets", b.vuln, a.Summary.TLP)
}

// atlasReference refers to a MITRE ATLAS entry. ATLAS's pages are
// https://atlas.mitre.org/techniques/AML.T0051.000 for techniques and
// sub-techniques, and /tactics/, /mitigations/ and /studies/ for the rest.
func atlasReference(id string) externalReference {
	kind := "techniques"
	switch {
	case strings.HasPrefix(id, "AML.TA"):
		kind = "tactics"
	case strings.HasPrefix(id, "AML.M"):
		kind = "mitigations"
	case strings.HasPrefix(id, "AML.CS"):
		kind = "studies"
	}
	return externalReference{SourceName: "mitre-atlas", URL: "https://atlas.mitre.org/" + kind + "/" + id, ExternalID: id}
}

// owaspReference refers to an entry of an OWASP Top 10: LLM01:2025 in the
// list for LLM applications, ASI01 in the one for agentic applications.
func owaspReference(id string) externalReference {
	if strings.HasPrefix(id, "ASI") {
		return externalReference{SourceName: "owasp-agentic-top-10", ExternalID: id}
	}
	return externalReference{SourceName: "owasp-llm-top-10", ExternalID: id}
}
