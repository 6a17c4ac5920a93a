package csaf

import (
	"strings"

	"github.com/aicc-dev/aicc/internal/advisory"
)

// cweNames holds the official names (CWE list 4.17) of the weaknesses that
// aicc's built-in protocols and shared types name. A document gives the
// first CWE of an advisory that is listed here, with its name, in
// /vulnerabilities[]/cwe, and leaves the field out rather than guess a
// name: mandatory test 6.1.11 requires the name to match the catalogue.
// Add an ID with its exact name before a protocol uses it.
var cweNames = map[string]string{
	"CWE-20":   "Improper Input Validation",
	"CWE-22":   "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
	"CWE-77":   "Improper Neutralization of Special Elements used in a Command ('Command Injection')",
	"CWE-78":   "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
	"CWE-79":   "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
	"CWE-89":   "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
	"CWE-95":   "Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')",
	"CWE-120":  "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')",
	"CWE-150":  "Improper Neutralization of Escape, Meta, or Control Sequences",
	"CWE-200":  "Exposure of Sensitive Information to an Unauthorized Actor",
	"CWE-242":  "Use of Inherently Dangerous Function",
	"CWE-285":  "Improper Authorization",
	"CWE-295":  "Improper Certificate Validation",
	"CWE-327":  "Use of a Broken or Risky Cryptographic Algorithm",
	"CWE-400":  "Uncontrolled Resource Consumption",
	"CWE-502":  "Deserialization of Untrusted Data",
	"CWE-770":  "Allocation of Resources Without Limits or Throttling",
	"CWE-798":  "Use of Hard-coded Credentials",
	"CWE-829":  "Inclusion of Functionality from Untrusted Control Sphere",
	"CWE-916":  "Use of Password Hash With Insufficient Computational Effort",
	"CWE-1039": "Inadequate Detection or Handling of Adversarial Input Perturbations in Automated Recognition Mechanism",
	"CWE-1426": "Improper Validation of Generative AI Output",
	"CWE-1427": "Improper Neutralization of Input Used for LLM Prompting",
}

type cwe struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// firstCWE is the first of a's CWEs whose name is known, or nil.
func firstCWE(a *advisory.Advisory) *cwe {
	for _, id := range a.Taxonomy.CWE {
		id = strings.TrimSpace(id)
		if name, ok := cweNames[id]; ok {
			return &cwe{ID: id, Name: name}
		}
	}
	return nil
}

// cweURL is the page of a CWE entry, or "" for an ID that is not
// CWE-<number>.
func cweURL(id string) string {
	n, ok := strings.CutPrefix(id, "CWE-")
	if !ok || n == "" || strings.Trim(n, "0123456789") != "" {
		return ""
	}
	return "https://cwe.mitre.org/data/definitions/" + n + ".html"
}
