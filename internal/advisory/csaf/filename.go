package csaf

import "strings"

// Filename returns the file name of the CSAF document with the given
// /document/tracking/id, by the rules of section 5.1 of the specification
// (requirement 2 of section 7.1): the ID in lower case, every run of
// characters other than a-z, 0-9, "+" and "-" replaced by one "_", and
// ".json" appended. "AICC-2026-0042" becomes "aicc-2026-0042.json".
func Filename(trackingID string) string {
	var b strings.Builder
	run := false // in a run of replaced characters
	for _, r := range strings.ToLower(trackingID) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '+' || r == '-' {
			b.WriteRune(r)
			run = false
			continue
		}
		if !run {
			b.WriteByte('_')
		}
		run = true
	}
	return b.String() + ".json"
}
