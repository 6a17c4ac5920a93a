// Package validate owns what turns a scan's hits into findings: the
// reproduction rate of a hit's reruns and its Wilson interval, the grouping
// of hits into findings, the rule that confirms a finding, and the CVSS 4.0
// base score of each weakness class. It does no I/O: the engine runs the
// reruns, the report reads them from the store and calls these functions.
package validate

import (
	"math"
	"strings"
)

// Z95 is the standard normal quantile of a two-sided 95% interval.
const Z95 = 1.959964

// Wilson returns the Wilson score interval of a binomial proportion: the
// range that holds the true success rate with the confidence z stands for
// (Z95: 95%), given successes out of n trials. Unlike the normal
// approximation it stays within [0, 1] and is useful for the small n of
// reruns (0 of 5 gives 0 to 0.43, not 0 to 0). With no trials it returns
// the whole range, [0, 1].
func Wilson(successes, n int, z float64) (low, high float64) {
	if n <= 0 {
		return 0, 1
	}
	successes = min(max(successes, 0), n)
	nf := float64(n)
	p := float64(successes) / nf
	z2 := z * z
	denom := 1 + z2/nf
	center := (p + z2/(2*nf)) / denom
	half := z / denom * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	low, high = max(0, center-half), min(1, center+half)
	if successes == 0 {
		low = 0
	}
	if successes == n {
		high = 1
	}
	return low, high
}

// Reproduction is how often a finding's reruns hit again.
type Reproduction struct {
	Attempts  int     `json:"attempts"`  // reruns with a verdict (errors left out)
	Successes int     `json:"successes"` // reruns that ended as hit
	Rate      float64 `json:"rate"`      // Successes / Attempts, 0 when there are none
	CILow     float64 `json:"ci_low"`    // the 95% Wilson interval of Rate
	CIHigh    float64 `json:"ci_high"`
}

// NewReproduction computes the rate and its 95% Wilson interval, rounded to
// four decimals.
func NewReproduction(successes, attempts int) Reproduction {
	r := Reproduction{Attempts: attempts, Successes: successes}
	if attempts > 0 {
		r.Rate = round4(float64(successes) / float64(attempts))
	}
	low, high := Wilson(successes, attempts, Z95)
	r.CILow, r.CIHigh = round4(low), round4(high)
	return r
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// The detector types whose verdicts are deterministic: anyone can re-check
// them from the transcript (and, for package_exists, the registry) alone.
var verifiers = []string{
	"canary", "regex", "tool_policy", "markdown_exfil",
	"code_rules", "package_exists", "consumption", "flag",
}

// Verifier reports whether a detector, as an attempt records it, is a
// deterministic verifier. Everything else (refusal, an LLM judge, types
// added later) is a judgement that may be wrong.
func Verifier(detector string) bool {
	t := DetectorType(detector)
	for _, v := range verifiers {
		if t == v {
			return true
		}
	}
	return false
}

// DetectorType is the leading identifier of a detector as an attempt
// records it: "regex", "regex#2" and "regex:patterns[0]" are all "regex".
func DetectorType(detector string) string {
	end := strings.IndexFunc(detector, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
	})
	if end < 0 {
		return detector
	}
	return detector[:end]
}
