package coverage

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func mustParse(t *testing.T, src string) *Policy {
	t.Helper()
	p, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%v\n%s", err, src)
	}
	return p
}

// onePolicy is a policy whose single rule yields covered when cond holds:
// covered, not_covered and indeterminate then read as true, false and
// undecided.
func onePolicy(t *testing.T, cond string) *Policy {
	t.Helper()
	return mustParse(t, `format: 1
id: t
version: 1.0.0
title: T
effective: 2026-01-01
citations: [{id: s, title: S}]
rules:
  - {id: r, cite: [s], summary: S, when: `+cond+`, outcome: covered}
`)
}

func TestConditions(t *testing.T) {
	const (
		T = aicc.CoverageCovered
		F = aicc.CoverageNotCovered
		U = aicc.CoverageIndeterminate
	)
	open := aicc.ModelFacts{OpenWeights: true}
	size := func(s string) aicc.ModelFacts { return aicc.ModelFacts{DeveloperSize: s} }
	capab := func(v float64) aicc.ModelFacts { return aicc.ModelFacts{Capabilities: map[string]float64{"ctf": v}} }
	for _, tc := range []struct {
		cond    string
		facts   aicc.ModelFacts
		want    aicc.CoverageOutcome
		missing []string
	}{
		{"{compute_at_least: 1e26}", compute(1e26, 0), T, nil},
		{"{compute_above: 1e26}", compute(1e26, 0), F, nil},
		{"{compute_at_least: 1e26}", compute(9.99e25, 0), F, nil},
		{"{compute_at_least: 1e26}", compute(1e26, 0.01), U, nil},
		{"{compute_at_least: 1e25}", compute(1e26, 2), U, nil}, // the interval reaches down to 0
		{"{compute_above: 1e26}", compute(1e26, -0.1), U, []string{"training_compute.uncertainty"}},
		{"{compute_above: 1e26}", compute(1e26, math.NaN()), U, []string{"training_compute.uncertainty"}},
		{"{compute_above: 1e26}", compute(math.Inf(1), 0), U, []string{"training_compute"}},
		{"{compute_above: 1e26}", compute(0, 0), U, []string{"training_compute"}},
		{"{revenue_at_least: 5e8}", withRevenue(aicc.ModelFacts{}, 5e8), T, nil},
		{"{revenue_above: 5e8}", withRevenue(aicc.ModelFacts{}, 5e8), F, nil},
		{"{revenue_above: 5e8}", aicc.ModelFacts{}, U, []string{"annual_revenue_usd"}},
		{"{open_weights: true}", open, T, nil},
		{"{open_weights: true}", aicc.ModelFacts{}, F, nil},
		{"{open_weights: false}", aicc.ModelFacts{}, T, nil},
		{"{modality: image}", withModalities(aicc.ModelFacts{}, "text"), F, nil},
		{"{modality: image}", withModalities(aicc.ModelFacts{}, "text", "IMAGE"), T, nil},
		{"{modality: image}", aicc.ModelFacts{}, U, []string{"modalities"}},
		{"{developer_size: [medium, large]}", size("large"), T, nil},
		{"{developer_size: [medium, large]}", size("small"), F, nil},
		{"{developer_size: [medium, large]}", size(""), U, []string{"developer_size"}},
		{"{capability_at_least: {name: ctf, value: 0.5}}", capab(0.5), T, nil},
		{"{capability_at_least: {name: ctf, value: 0.5}}", capab(0.4), F, nil},
		{"{capability_at_least: {name: ctf, value: 0.5}}", aicc.ModelFacts{}, U, []string{"capabilities.ctf"}},
		{"{all: [{open_weights: true}, {compute_above: 1e26}]}", aicc.ModelFacts{}, F, nil},
		{"{all: [{open_weights: true}, {compute_above: 1e26}]}", open, U, []string{"training_compute"}},
		{"{all: [{open_weights: false}, {compute_above: 1e26}]}", compute(2e26, 0), T, nil},
		{"{any: [{open_weights: true}, {compute_above: 1e26}]}", open, T, nil},
		{"{any: [{open_weights: true}, {compute_above: 1e26}]}", aicc.ModelFacts{}, U, []string{"training_compute"}},
		{"{any: [{open_weights: true}, {compute_above: 1e26}]}", compute(1e20, 0), F, nil},
		{"{any: [{revenue_above: 1}, {compute_above: 1e26}]}", aicc.ModelFacts{}, U, []string{"annual_revenue_usd", "training_compute"}},
		{"{not: {compute_above: 1e26}}", compute(1e20, 0), T, nil},
		{"{not: {compute_above: 1e26}}", compute(2e26, 0), F, nil},
		{"{not: {compute_above: 1e26}}", aicc.ModelFacts{}, U, []string{"training_compute"}},
		{"{not: {designated: {kind: covered_frontier_model}}}", aicc.ModelFacts{}, T, nil},
		{"{always: true}", aicc.ModelFacts{}, T, nil},
	} {
		t.Run(fmt.Sprintf("%s %+v", tc.cond, tc.facts), func(t *testing.T) {
			r := Evaluate(onePolicy(t, tc.cond), subject(tc.facts), nil, at)
			if r.Outcome != tc.want || !slices.Equal(r.Missing, tc.missing) {
				t.Errorf("outcome %s, missing %q; want %s, missing %q (%+v)", r.Outcome, r.Missing, tc.want, tc.missing, r)
			}
		})
	}
}

const orderPolicy = `format: 1
id: order
version: 1.0.0
title: Order
effective: 2026-01-01
citations: [{id: s, title: S}]
rules:
  - {id: a, cite: [s], summary: A, when: {capability_at_least: {name: ctf, value: 0.5}}, outcome: recommend_consultation}
  - {id: b, cite: [s], summary: B, when: {compute_above: 1e26}, outcome: recommend_consultation}
  - {id: c, cite: [s], summary: C, when: {compute_above: 1e20}, outcome: presumed_covered}
  - {id: d, cite: [s], summary: D, when: {always: true}, outcome: not_covered}
`

// TestRuleOrder checks that the first rule that holds decides, and that an
// undecided rule before it leaves the outcome open only when its outcome
// differs.
func TestRuleOrder(t *testing.T) {
	p := mustParse(t, orderPolicy)
	ctf := func(f aicc.ModelFacts, v float64) aicc.ModelFacts {
		f.Capabilities = map[string]float64{"ctf": v}
		return f
	}
	ids := func(ms []RuleMatch) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.RuleID)
		}
		return out
	}
	for _, tc := range []struct {
		name               string
		facts              aicc.ModelFacts
		outcome            aicc.CoverageOutcome
		rule               string
		matched, undecided []string
		missing            []string
	}{
		{"first holds", ctf(compute(2e26, 0), 0.9), aicc.CoverageRecommendConsultation, "a", []string{"a", "b", "c", "d"}, nil, nil},
		{"undecided before, same outcome", compute(2e26, 0), aicc.CoverageRecommendConsultation, "b",
			[]string{"b", "c", "d"}, []string{"a"}, []string{"capabilities.ctf"}},
		{"undecided before, other outcome", compute(1e21, 0), aicc.CoverageIndeterminate, "",
			[]string{"c", "d"}, []string{"a"}, []string{"capabilities.ctf"}},
		{"decided below", ctf(compute(1e19, 0), 0.1), aicc.CoverageNotCovered, "d", []string{"d"}, nil, nil},
		{"straddle before, other outcome", ctf(compute(1e26, 0.5), 0.1), aicc.CoverageIndeterminate, "",
			[]string{"c", "d"}, []string{"b"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(p, subject(tc.facts), nil, at)
			if r.Outcome != tc.outcome || deciding(r) != tc.rule || !slices.Equal(ids(r.Matched), tc.matched) ||
				!slices.Equal(ids(r.Undecided), tc.undecided) || !slices.Equal(r.Missing, tc.missing) {
				t.Errorf("outcome %s by %q, matched %v, undecided %v, missing %v; want %s by %q, %v, %v, %v",
					r.Outcome, deciding(r), ids(r.Matched), ids(r.Undecided), r.Missing,
					tc.outcome, tc.rule, tc.matched, tc.undecided, tc.missing)
			}
			decides := 0
			for _, m := range r.Matched {
				if m.Decides {
					decides++
				}
			}
			if decides > 1 {
				t.Errorf("%d rules decide", decides)
			}
		})
	}
}

func TestWhenUncertain(t *testing.T) {
	p := mustParse(t, `format: 1
id: u
version: 1.0.0
title: U
effective: 2026-01-01
citations: [{id: s, title: S}]
rules:
  - id: big
    cite: [s]
    summary: Big.
    when: {all: [{compute_above: 1e26}, {revenue_above: 5e8}]}
    outcome: covered
    when_uncertain: recommend_consultation
`)
	for _, tc := range []struct {
		name      string
		facts     aicc.ModelFacts
		outcome   aicc.CoverageOutcome
		uncertain bool
	}{
		{"straddles only", withRevenue(compute(1e26, 0.3), 1e9), aicc.CoverageRecommendConsultation, true},
		{"straddles, and a fact is missing", compute(1e26, 0.3), aicc.CoverageIndeterminate, true},
		{"straddles, but another member fails", withRevenue(compute(1e26, 0.3), 1e8), aicc.CoverageNotCovered, false},
		{"holds", withRevenue(compute(2e26, 0.3), 1e9), aicc.CoverageCovered, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(p, subject(tc.facts), nil, at)
			if r.Outcome != tc.outcome {
				t.Fatalf("outcome %s; want %s (%+v)", r.Outcome, tc.outcome, r)
			}
			all := append(slices.Clone(r.Matched), r.Undecided...)
			if got := len(all) > 0 && all[0].Uncertain; got != tc.uncertain {
				t.Errorf("rule uncertain = %v; want %v (%+v)", got, tc.uncertain, r)
			}
		})
	}
}

func TestReasons(t *testing.T) {
	ch, _ := BuiltinPolicy(ClearinghouseID)
	sb, _ := BuiltinPolicy("ca-sb53")
	des := designation(aicc.DesignationCoveredFrontierModel, "NSA")
	for _, tc := range []struct {
		name  string
		p     *Policy
		facts aicc.ModelFacts
		ds    []aicc.Designation
		want  string
	}{
		{"compute interval", ch, compute(3e26, 0.3), nil, "training compute 3e+26 operations (±30 %: 2.1e+26 to 3.9e+26) is above 1e+26"},
		{"compute straddles", ch, compute(1e26, 0.3), nil, "straddles 1e+26"},
		{"revenue", sb, withRevenue(compute(2e26, 0), 6e8), nil, "annual revenue $600,000,000 is above $500,000,000"},
		{"designation", ch, aicc.ModelFacts{}, []aicc.Designation{des}, "designated covered_frontier_model by NSA on 2026-06-20 (reference: memo 17)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(tc.p, subject(tc.facts), tc.ds, at)
			if len(r.Matched) == 0 || !strings.Contains(r.Matched[0].Reason, tc.want) {
				t.Errorf("reasons %+v; want one with %q", r.Matched, tc.want)
			}
		})
	}
	r := Evaluate(ch, subject(aicc.ModelFacts{}), []aicc.Designation{des}, at)
	if m := r.Matched[0]; !slices.Equal(m.Designations, []string{des.ID}) || m.Citations[0].ID != "eo-2026" {
		t.Errorf("designated match %+v; want designation %s and citation eo-2026", m, des.ID)
	}
}

func TestEvaluateAllPicksCurrentVersions(t *testing.T) {
	policy := func(id, version, effective string, outcome aicc.CoverageOutcome) *Policy {
		return mustParse(t, fmt.Sprintf(`format: 1
id: %s
version: %s
title: T
effective: %s
citations: [{id: s, title: S}]
rules: [{id: r, cite: [s], summary: S, when: {always: true}, outcome: %s}]
`, id, version, effective, outcome))
	}
	ps := []*Policy{
		policy("t", "1.10.0", "2026-06-01", aicc.CoverageRecommendConsultation),
		policy("later", "1.0.0", "2027-01-01", aicc.CoverageNotCovered),
		policy("later", "0.9.0", "2027-03-01", aicc.CoverageNotCovered),
		policy("t", "1.9.0", "2026-01-01", aicc.CoverageNotCovered),
		policy("t", "2.0.0", "2027-01-01", aicc.CoverageCovered),
	}
	for _, tc := range []struct {
		at   time.Time
		want []string
	}{
		{day(2026, 3, 1), []string{"t@1.9.0 in effect", "later@1.0.0 not in effect"}},
		{day(2026, 7, 1), []string{"t@1.10.0 in effect", "later@1.0.0 not in effect"}},
		{day(2027, 2, 1), []string{"t@2.0.0 in effect", "later@1.0.0 in effect"}},
		{day(2027, 4, 1), []string{"t@2.0.0 in effect", "later@1.0.0 in effect"}},
	} {
		var got []string
		for _, r := range EvaluateAll(ps, subject(aicc.ModelFacts{}), nil, tc.at) {
			s := r.PolicyID + "@" + r.PolicyVersion + " in effect"
			if !r.InEffect {
				s = r.PolicyID + "@" + r.PolicyVersion + " not in effect"
			}
			got = append(got, s)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("at %s: %v; want %v", tc.at.Format(time.DateOnly), got, tc.want)
		}
	}
}

func TestSubjectOf(t *testing.T) {
	s := SubjectOf(&aicc.Submission{OrgID: "org_dev", Model: "m", Version: "2", Facts: compute(1, 0)})
	if s.Model != "m" || s.Version != "2" || s.DeveloperOrgID != "org_dev" || s.Facts.Compute.Operations != 1 {
		t.Errorf("SubjectOf = %+v", s)
	}
}
