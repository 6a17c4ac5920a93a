package check

import "slices"

// cweNames maps the CWE IDs that aicc uses, and those of the official test
// cases, to their names in the CWE list version 4.17 (cwe.mitre.org); later
// entries are names that an ID had in an earlier 4.x version, also accepted.
// Add an ID here before an advisory may use it.
var cweNames = map[string][]string{
	"CWE-20":  {"Improper Input Validation"},
	"CWE-22":  {"Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')"},
	"CWE-74":  {"Improper Neutralization of Special Elements in Output Used by a Downstream Component ('Injection')"},
	"CWE-77":  {"Improper Neutralization of Special Elements used in a Command ('Command Injection')"},
	"CWE-78":  {"Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')"},
	"CWE-79":  {"Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')"},
	"CWE-89":  {"Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')"},
	"CWE-94":  {"Improper Control of Generation of Code ('Code Injection')"},
	"CWE-95":  {"Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')"},
	"CWE-119": {"Improper Restriction of Operations within the Bounds of a Memory Buffer"},
	"CWE-120": {"Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')"},
	"CWE-134": {"Use of Externally-Controlled Format String"},
	"CWE-150": {"Improper Neutralization of Escape, Meta, or Control Sequences"},
	"CWE-200": {"Exposure of Sensitive Information to an Unauthorized Actor"},
	"CWE-242": {"Use of Inherently Dangerous Function"},
	"CWE-250": {"Execution with Unnecessary Privileges"},
	"CWE-269": {"Improper Privilege Management"},
	"CWE-284": {"Improper Access Control"},
	"CWE-285": {"Improper Authorization"},
	"CWE-295": {"Improper Certificate Validation"},
	"CWE-321": {"Use of Hard-coded Cryptographic Key"},
	"CWE-327": {"Use of a Broken or Risky Cryptographic Algorithm"},
	"CWE-338": {"Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)"},
	"CWE-352": {"Cross-Site Request Forgery (CSRF)"},
	"CWE-400": {"Uncontrolled Resource Consumption"},
	"CWE-416": {"Use After Free"},
	"CWE-434": {"Unrestricted Upload of File with Dangerous Type"},
	"CWE-494": {"Download of Code Without Integrity Check"},
	"CWE-502": {"Deserialization of Untrusted Data"},
	"CWE-532": {"Insertion of Sensitive Information into Log File"},
	"CWE-601": {"URL Redirection to Untrusted Site ('Open Redirect')"},
	"CWE-611": {"Improper Restriction of XML External Entity Reference"},
	"CWE-693": {"Protection Mechanism Failure"},
	"CWE-706": {"Use of Incorrectly-Resolved Name or Reference"},
	"CWE-732": {"Incorrect Permission Assignment for Critical Resource"},
	"CWE-770": {"Allocation of Resources Without Limits or Throttling"},
	"CWE-798": {"Use of Hard-coded Credentials"},
	"CWE-829": {"Inclusion of Functionality from Untrusted Control Sphere"},
	"CWE-862": {"Missing Authorization"},
	"CWE-863": {"Incorrect Authorization"},
	"CWE-916": {"Use of Password Hash With Insufficient Computational Effort"},
	"CWE-918": {"Server-Side Request Forgery (SSRF)"},
	"CWE-1039": {
		"Inadequate Detection or Handling of Adversarial Input Perturbations in Automated Recognition Mechanism",
		"Automated Recognition Mechanism with Inadequate Detection or Handling of Adversarial Input Perturbations", // up to 4.16
	},
	"CWE-1336": {"Improper Neutralization of Special Elements Used in a Template Engine"},
	"CWE-1357": {"Reliance on Insufficiently Trustworthy Component"},
	"CWE-1426": {"Improper Validation of Generative AI Output"},
	"CWE-1427": {"Improper Neutralization of Input Used for LLM Prompting"},
}

// CWEName returns the current official name of a CWE the list holds.
// Encoders give it, so that their documents pass test 6.1.11.
func CWEName(id string) (string, bool) {
	names, ok := cweNames[id]
	if !ok {
		return "", false
	}
	return names[0], true
}

// test6_1_11 CWE: the CWE exists and its name matches its ID.
func test6_1_11(d *document, r *Report) {

	for _, v := range d.vulnerabilities() {
		if !v.has("cwe") {
			continue
		}
		cwe := v.key("cwe")
		id, okID := cwe.key("id").str()
		name, okName := cwe.key("name").str()
		if !okID || !okName {
			continue // the schema requires both
		}
		known, ok := cweNames[id]
		switch {
		case !ok:
			r.add("6.1.11", cwe.key("id").path, "%s is not in the embedded CWE list; add it (with its official name) to cweNames", id)
		case !slices.Contains(known, name):
			r.add("6.1.11", cwe.key("name").path, "the name of %s is %q, not %q", id, known[0], name)
		}
	}
}
