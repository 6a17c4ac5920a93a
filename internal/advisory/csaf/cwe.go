package csaf

import (
	"strings"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/csaf/check"
)

type cwe struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// firstCWE is the first of a's CWEs whose name is known, or nil.
func firstCWE(a *advisory.Advisory) *cwe {
	for _, id := range a.Taxonomy.CWE {
		id = strings.TrimSpace(id)
		if name, ok := check.CWEName(id); ok {
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
