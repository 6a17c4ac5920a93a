package check

import (
	"fmt"
	"strings"

	gocvss20 "github.com/pandatix/go-cvss/20"
	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
)

// cvssVector is a parsed CVSS vector string.
type cvssVector struct {
	metrics map[string]string // as written in the vector, e.g. "AV" → "N"
	scores  interface {
		BaseScore() float64
		TemporalScore() float64
		EnvironmentalScore() float64
	}
}

// parseCVSS parses a CVSS v2.0 vector, or a v3.0 or v3.1 vector with its
// CVSS:3.x/ prefix. Metrics may come in any order, and temporal and
// environmental metrics may be left out (they are then not defined), as the
// FIRST schemas allow; base metrics are required and no metric may repeat.
func parseCVSS(v2 bool, vec string) (*cvssVector, error) {
	if v2 {
		m, err := splitVector(vec)
		if err != nil {
			return nil, err
		}
		canonical, err := canonicalV2(m)
		if err != nil {
			return nil, err
		}
		s, err := gocvss20.ParseVector(canonical)
		if err != nil {
			return nil, fmt.Errorf("CVSS v2.0 vector %q: %w", vec, err)
		}
		return &cvssVector{metrics: m, scores: s}, nil
	}
	prefix, rest, _ := strings.Cut(vec, "/")
	m, err := splitVector(rest)
	if err != nil {
		return nil, err
	}
	switch prefix {
	case "CVSS:3.0":
		s, err := gocvss30.ParseVector(vec)
		if err != nil {
			return nil, fmt.Errorf("CVSS v3.0 vector %q: %w", vec, err)
		}
		return &cvssVector{metrics: m, scores: s}, nil
	case "CVSS:3.1":
		s, err := gocvss31.ParseVector(vec)
		if err != nil {
			return nil, fmt.Errorf("CVSS v3.1 vector %q: %w", vec, err)
		}
		return &cvssVector{metrics: m, scores: s}, nil
	}
	return nil, fmt.Errorf("vector %q does not start with CVSS:3.0/ or CVSS:3.1/", vec)
}

// splitVector maps each metric of a vector to its value.
func splitVector(vec string) (map[string]string, error) {
	m := map[string]string{}
	for _, part := range strings.Split(vec, "/") {
		k, v, ok := strings.Cut(part, ":")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("malformed metric %q in vector %q", part, vec)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("metric %s is repeated in vector %q", k, vec)
		}
		m[k] = v
	}
	return m, nil
}

// canonicalV2 writes CVSS v2.0 metrics in the order of the specification,
// completing a temporal or environmental group that is only partly given
// with ND (not defined), as github.com/pandatix/go-cvss expects.
func canonicalV2(m map[string]string) (string, error) {
	groups := [][]string{
		{"AV", "AC", "Au", "C", "I", "A"},
		{"E", "RL", "RC"},
		{"CDP", "TD", "CR", "IR", "AR"},
	}
	var parts []string
	known := 0
	for gi, group := range groups {
		given := gi == 0
		for _, k := range group {
			if _, ok := m[k]; ok {
				given = true
			}
		}
		if !given {
			continue
		}
		for _, k := range group {
			v, ok := m[k]
			switch {
			case ok:
				known++
			case gi == 0:
				return "", fmt.Errorf("base metric %s is missing from the vector", k)
			default:
				v = "ND"
			}
			parts = append(parts, k+":"+v)
		}
	}
	if known != len(m) {
		return "", fmt.Errorf("the vector has metrics that CVSS v2.0 does not define")
	}
	return strings.Join(parts, "/"), nil
}

type cvssMetric struct{ prop, abv string }

// cvssTables returns the metric properties of the FIRST CVSS v2.0 or v3.x
// schema with their vector abbreviations, and the property values with
// their vector values.
func cvssTables(v2 bool) ([]cvssMetric, map[string]string) {
	if v2 {
		return []cvssMetric{
				{"accessVector", "AV"}, {"accessComplexity", "AC"}, {"authentication", "Au"},
				{"confidentialityImpact", "C"}, {"integrityImpact", "I"}, {"availabilityImpact", "A"},
				{"exploitability", "E"}, {"remediationLevel", "RL"}, {"reportConfidence", "RC"},
				{"collateralDamagePotential", "CDP"}, {"targetDistribution", "TD"},
				{"confidentialityRequirement", "CR"}, {"integrityRequirement", "IR"}, {"availabilityRequirement", "AR"},
			}, map[string]string{
				"NETWORK": "N", "ADJACENT_NETWORK": "A", "LOCAL": "L",
				"NONE": "N", "LOW": "L", "LOW_MEDIUM": "LM", "MEDIUM": "M", "MEDIUM_HIGH": "MH", "HIGH": "H",
				"MULTIPLE": "M", "SINGLE": "S", "PARTIAL": "P", "COMPLETE": "C",
				"UNPROVEN": "U", "PROOF_OF_CONCEPT": "POC", "FUNCTIONAL": "F",
				"OFFICIAL_FIX": "OF", "TEMPORARY_FIX": "TF", "WORKAROUND": "W", "UNAVAILABLE": "U",
				"UNCONFIRMED": "UC", "UNCORROBORATED": "UR", "CONFIRMED": "C",
				"NOT_DEFINED": "ND",
			}
	}
	return []cvssMetric{
			{"attackVector", "AV"}, {"attackComplexity", "AC"}, {"privilegesRequired", "PR"},
			{"userInteraction", "UI"}, {"scope", "S"}, {"confidentialityImpact", "C"},
			{"integrityImpact", "I"}, {"availabilityImpact", "A"},
			{"exploitCodeMaturity", "E"}, {"remediationLevel", "RL"}, {"reportConfidence", "RC"},
			{"confidentialityRequirement", "CR"}, {"integrityRequirement", "IR"}, {"availabilityRequirement", "AR"},
			{"modifiedAttackVector", "MAV"}, {"modifiedAttackComplexity", "MAC"},
			{"modifiedPrivilegesRequired", "MPR"}, {"modifiedUserInteraction", "MUI"}, {"modifiedScope", "MS"},
			{"modifiedConfidentialityImpact", "MC"}, {"modifiedIntegrityImpact", "MI"}, {"modifiedAvailabilityImpact", "MA"},
		}, map[string]string{
			"NETWORK": "N", "ADJACENT_NETWORK": "A", "LOCAL": "L", "PHYSICAL": "P",
			"NONE": "N", "LOW": "L", "MEDIUM": "M", "HIGH": "H", "REQUIRED": "R",
			"UNCHANGED": "U", "CHANGED": "C",
			"UNPROVEN": "U", "PROOF_OF_CONCEPT": "P", "FUNCTIONAL": "F",
			"OFFICIAL_FIX": "O", "TEMPORARY_FIX": "T", "WORKAROUND": "W", "UNAVAILABLE": "U",
			"UNKNOWN": "U", "REASONABLE": "R", "CONFIRMED": "C",
			"NOT_DEFINED": "X",
		}
}
