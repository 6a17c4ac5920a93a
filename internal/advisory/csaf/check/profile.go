package check

import (
	"slices"
	"strings"
	"unicode"
)

// The values of /document/category that select a profile (section 4).
const (
	profileBase             = "csaf_base"
	profileSecurityIncident = "csaf_security_incident_response"
	profileInformational    = "csaf_informational_advisory"
	profileSecurityAdvisory = "csaf_security_advisory"
	profileVEX              = "csaf_vex"
)

// is reports whether the document category is one of the profiles.
func (d *document) is(profiles ...string) bool { return slices.Contains(profiles, d.category) }

// normalizeCategory lower-cases a category and drops dashes, underscores and
// white space, as test 6.1.26 compares them.
func normalizeCategory(s string) string {
	return strings.Map(func(c rune) rune {
		if c == '-' || c == '_' || unicode.IsSpace(c) {
			return -1
		}
		return unicode.ToLower(c)
	}, s)
}

// test6_1_26 Prohibited Document Category Name: a CSAF Base document does
// not take the name or value of another profile, nor the reserved prefix
// csaf_.
func test6_1_26(d *document, r *Report) {
	if d.is(profileBase, profileSecurityIncident, profileInformational, profileSecurityAdvisory, profileVEX) {
		return
	}
	cat, ok := d.root.at("document", "category").str()
	if !ok {
		return
	}
	path := d.root.at("document", "category").path
	norm := normalizeCategory(cat)
	for _, p := range []struct{ name, value string }{
		{"Security incident response", profileSecurityIncident},
		{"Informational Advisory", profileInformational},
		{"Security Advisory", profileSecurityAdvisory},
		{"VEX", profileVEX},
	} {
		if norm == normalizeCategory(p.name) || norm == normalizeCategory(p.value) {
			r.add("6.1.26", path, "category %q is the name of the profile %q; use %s", cat, p.name, p.value)
			return
		}
	}
	if strings.HasPrefix(strings.ToLower(cat), "csaf_") {
		r.add("6.1.26", path, "category %q uses the reserved prefix csaf_", cat)
	}
}

// hasNoteCategory reports whether any note has one of the categories.
func hasNoteCategory(notes node, categories ...string) bool {
	for _, n := range notes.items() {
		if slices.Contains(categories, n.key("category").text()) {
			return true
		}
	}
	return false
}

// test6_1_27_1 Document Notes: informational advisories and incident
// responses describe themselves in a note.
func test6_1_27_1(d *document, r *Report) {
	if !d.is(profileInformational, profileSecurityIncident) {
		return
	}
	notes := d.root.at("document", "notes")
	if !hasNoteCategory(notes, "description", "details", "general", "summary") {
		r.add("6.1.27.1", notes.path, "a %s needs a document note of category description, details, general or summary", d.category)
	}
}

// test6_1_27_2 Document References: informational advisories and incident
// responses link to an external source.
func test6_1_27_2(d *document, r *Report) {
	if !d.is(profileInformational, profileSecurityIncident) {
		return
	}
	refs := d.root.at("document", "references")
	for _, ref := range refs.items() {
		if ref.key("category").text() == "external" {
			return
		}
	}
	r.add("6.1.27.2", refs.path, "a %s needs a document reference of category external", d.category)
}

// test6_1_27_3 Vulnerabilities: an informational advisory has none.
func test6_1_27_3(d *document, r *Report) {
	if d.is(profileInformational) && d.root.has("vulnerabilities") {
		r.add("6.1.27.3", "/vulnerabilities", "a csaf_informational_advisory must not have vulnerabilities; use csaf_base or csaf_security_advisory")
	}
}

// test6_1_27_4 Product Tree: security advisories and VEX documents have one.
func test6_1_27_4(d *document, r *Report) {
	if d.is(profileSecurityAdvisory, profileVEX) && !d.root.has("product_tree") {
		r.add("6.1.27.4", "/product_tree", "a %s needs a product_tree", d.category)
	}
}

// test6_1_27_5 Vulnerability Notes: in security advisories and VEX documents
// every vulnerability has notes.
func test6_1_27_5(d *document, r *Report) {
	if !d.is(profileSecurityAdvisory, profileVEX) {
		return
	}
	for _, v := range d.vulnerabilities() {
		if !v.has("notes") {
			r.add("6.1.27.5", v.key("notes").path, "a vulnerability of a %s needs notes", d.category)
		}
	}
}

// test6_1_27_6 Product Status: in security advisories every vulnerability
// has a product status.
func test6_1_27_6(d *document, r *Report) {
	if !d.is(profileSecurityAdvisory) {
		return
	}
	for _, v := range d.vulnerabilities() {
		if !v.has("product_status") {
			r.add("6.1.27.6", v.key("product_status").path, "a vulnerability of a csaf_security_advisory needs a product_status")
		}
	}
}

// test6_1_27_7 VEX Product Status: every vulnerability of a VEX document
// has fixed, known_affected, known_not_affected or under_investigation.
func test6_1_27_7(d *document, r *Report) {
	if !d.is(profileVEX) {
		return
	}
	for _, v := range d.vulnerabilities() {
		ps := v.key("product_status")
		if !ps.has("fixed") && !ps.has("known_affected") && !ps.has("known_not_affected") && !ps.has("under_investigation") {
			r.add("6.1.27.7", ps.path, "a vulnerability of a csaf_vex needs one of fixed, known_affected, known_not_affected or under_investigation")
		}
	}
}

// test6_1_27_8 Vulnerability ID: every vulnerability of a VEX document has
// a cve or ids.
func test6_1_27_8(d *document, r *Report) {
	if !d.is(profileVEX) {
		return
	}
	for _, v := range d.vulnerabilities() {
		if !v.has("cve") && !v.has("ids") {
			r.add("6.1.27.8", v.path, "a vulnerability of a csaf_vex needs a cve or ids")
		}
	}
}

// test6_1_27_9 Impact Statement: in a VEX document every known_not_affected
// product has a flag or a threat of category impact.
func test6_1_27_9(d *document, r *Report) {
	if !d.is(profileVEX) {
		return
	}
	for _, v := range d.vulnerabilities() {
		covered := map[string]bool{}
		for _, f := range v.key("flags").items() {
			for _, p := range d.productsOf(f) {
				covered[p] = true
			}
		}
		for _, t := range v.key("threats").items() {
			if t.key("category").text() == "impact" {
				for _, p := range d.productsOf(t) {
					covered[p] = true
				}
			}
		}
		for _, p := range v.at("product_status", "known_not_affected").strs() {
			if !covered[p.text()] {
				r.add("6.1.27.9", p.path, "product %s is known_not_affected but has no impact statement (a flag or a threat of category impact)", p.text())
			}
		}
	}
}

// test6_1_27_10 Action Statement: in a VEX document every known_affected
// product has a remediation.
func test6_1_27_10(d *document, r *Report) {
	if !d.is(profileVEX) {
		return
	}
	for _, v := range d.vulnerabilities() {
		covered := map[string]bool{}
		for _, rem := range v.key("remediations").items() {
			for _, p := range d.productsOf(rem) {
				covered[p] = true
			}
		}
		for _, p := range v.at("product_status", "known_affected").strs() {
			if !covered[p.text()] {
				r.add("6.1.27.10", p.path, "product %s is known_affected but has no action statement (remediation)", p.text())
			}
		}
	}
}

// test6_1_27_11 Vulnerabilities: security advisories and VEX documents have
// vulnerabilities.
func test6_1_27_11(d *document, r *Report) {
	if d.is(profileSecurityAdvisory, profileVEX) && !d.root.has("vulnerabilities") {
		r.add("6.1.27.11", "/vulnerabilities", "a %s needs vulnerabilities", d.category)
	}
}
