package check

import (
	"fmt"
	"math"
	"strings"
)

// cvssScore is one cvss_v2 or cvss_v3 object of /vulnerabilities[]/scores[].
type cvssScore struct {
	obj     node
	version string // "2.0" for cvss_v2; "3.0" or "3.1" for cvss_v3, "" when unknown
	score   node   // the enclosing item of scores
}

// cvssScores returns the CVSS objects of one vulnerability.
func cvssScores(vuln node) []cvssScore {
	var out []cvssScore
	for _, sc := range vuln.key("scores").items() {
		if sc.has("cvss_v2") {
			out = append(out, cvssScore{obj: sc.key("cvss_v2"), version: "2.0", score: sc})
		}
		if sc.has("cvss_v3") {
			obj := sc.key("cvss_v3")
			v := obj.key("version").text()
			if v != "3.0" && v != "3.1" {
				v = ""
				if p, _, ok := strings.Cut(obj.key("vectorString").text(), "/"); ok && (p == "CVSS:3.0" || p == "CVSS:3.1") {
					v = strings.TrimPrefix(p, "CVSS:")
				}
			}
			out = append(out, cvssScore{obj: obj, version: v, score: sc})
		}
	}
	return out
}

// vector parses the vectorString of a CVSS object.
func (c cvssScore) vector() (*cvssVector, error) {
	vec, ok := c.obj.key("vectorString").str()
	if !ok {
		return nil, fmt.Errorf("vectorString is missing")
	}
	return parseCVSS(c.isV2(), vec)
}

func (c cvssScore) isV2() bool { return c.version == "2.0" }

// test6_1_7 Multiple Scores with same Version per Product.
func test6_1_7(d *document, r *Report) {
	for _, v := range d.vulnerabilities() {
		seen := map[[2]string]string{} // product ID, CVSS version → path
		for _, c := range cvssScores(v) {
			if c.version == "" {
				continue
			}
			for _, p := range c.score.key("products").strs() {
				k := [2]string{p.text(), c.version}
				if at, dup := seen[k]; dup {
					r.add("6.1.7", p.path, "product %s already has a CVSS v%s score at %s", p.text(), c.version, at)
					continue
				}
				seen[k] = p.path
			}
		}
	}
}

// test6_1_8 Invalid CVSS: each CVSS object is valid against the FIRST schema
// of its version, and its vector can be parsed.
func test6_1_8(d *document, r *Report) {
	s := d.schemas
	for _, v := range d.vulnerabilities() {
		for _, c := range cvssScores(v) {
			var findings []Violation
			switch {
			case c.isV2():
				findings = schemaFindings(s.cvss20, c.obj.v, c.obj.path)
			case c.version == "3.0":
				findings = schemaFindings(s.cvss30, c.obj.v, c.obj.path)
			case c.version == "3.1":
				findings = schemaFindings(s.cvss31, c.obj.v, c.obj.path)
			default:
				r.add("6.1.8", c.obj.path, "cvss_v3 is neither CVSS v3.0 nor v3.1: version and vectorString name no known version")
				continue
			}
			for _, f := range findings {
				r.add("6.1.8", f.Path, "%s", f.Message)
			}
			if len(findings) > 0 {
				continue
			}
			if _, err := c.vector(); err != nil {
				r.add("6.1.8", c.obj.key("vectorString").path, "invalid CVSS vector: %v", err)
			}
		}
	}
}

// test6_1_9 Invalid CVSS computation: the scores and severities given equal
// those computed from the vector.
func test6_1_9(d *document, r *Report) {
	for _, v := range d.vulnerabilities() {
		for _, c := range cvssScores(v) {
			vec, err := c.vector()
			if err != nil {
				continue // 6.1.8
			}
			for _, k := range []struct {
				score, severity string
				compute         func() float64
			}{
				{"baseScore", "baseSeverity", vec.scores.BaseScore},
				{"temporalScore", "temporalSeverity", vec.scores.TemporalScore},
				{"environmentalScore", "environmentalSeverity", vec.scores.EnvironmentalScore},
			} {
				want := k.compute()
				if got, ok := c.obj.key(k.score).number(); ok && math.Abs(got-want) > 1e-6 {
					r.add("6.1.9", c.obj.key(k.score).path, "%s is %s but the vector gives %s", k.score, formatScore(got), formatScore(want))
				}
				if c.isV2() {
					continue
				}
				if got, ok := c.obj.key(k.severity).str(); ok {
					if sev := severity(want); got != sev {
						r.add("6.1.9", c.obj.key(k.severity).path, "%s is %s but the vector gives %s (%s)", k.severity, got, sev, formatScore(want))
					}
				}
			}
		}
	}
}

// severity is the qualitative rating of a CVSS v3 score.
func severity(score float64) string {
	switch {
	case score >= 9.0:
		return "CRITICAL"
	case score >= 7.0:
		return "HIGH"
	case score >= 4.0:
		return "MEDIUM"
	case score >= 0.1:
		return "LOW"
	}
	return "NONE"
}

func formatScore(f float64) string { return fmt.Sprintf("%.1f", f) }

// test6_1_10 Inconsistent CVSS: the metric properties agree with the vector.
func test6_1_10(d *document, r *Report) {
	for _, v := range d.vulnerabilities() {
		for _, c := range cvssScores(v) {
			vec, err := c.vector()
			if err != nil {
				continue // 6.1.8
			}
			metrics, values := cvssTables(c.isV2())
			for _, m := range metrics {
				prop, ok := c.obj.key(m.prop).str()
				want, inVector := vec.metrics[m.abv]
				if !ok || !inVector {
					continue // a property the vector leaves out does not contradict it
				}
				got, known := values[prop]
				if !known {
					continue // not a value of the schema: 6.1.8
				}
				if got != want {
					r.add("6.1.10", c.obj.key(m.prop).path, "%s is %s but the vector has %s:%s", m.prop, prop, m.abv, want)
				}
			}
		}
	}
}
