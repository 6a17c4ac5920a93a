package coverage

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// at is the evaluation time of the tests: after every built-in policy took
// effect.
var at = time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// compute returns facts with the given training compute and relative
// uncertainty.
func compute(ops, u float64) aicc.ModelFacts {
	return aicc.ModelFacts{Compute: &aicc.ComputeEstimate{Operations: ops, Method: "6ND", Uncertainty: u}}
}

func withRevenue(f aicc.ModelFacts, usd float64) aicc.ModelFacts {
	f.AnnualRevenueUSD = usd
	return f
}

func withModalities(f aicc.ModelFacts, ms ...aicc.Modality) aicc.ModelFacts {
	f.Modalities = ms
	return f
}

// designation returns a standing designation of example-chat (every
// version) by an authority.
func designation(kind aicc.DesignationKind, authority string) aicc.Designation {
	return aicc.Designation{
		ID: aicc.NewID(aicc.PrefixDesignation), Model: "example-chat", AuthorityOrgID: "org_agency",
		Authority: authority, Kind: kind, Reference: "memo 17", Date: day(2026, 6, 20),
	}
}

func modify(d aicc.Designation, f func(*aicc.Designation)) aicc.Designation {
	f(&d)
	return d
}

func subject(f aicc.ModelFacts) Subject {
	return Subject{Model: "example-chat", Version: "1.0", DeveloperOrgID: "org_dev", Facts: f}
}

// deciding returns the id of the rule that decides r, "" when none does.
func deciding(r Result) string {
	for _, m := range r.Matched {
		if m.Decides {
			return m.RuleID
		}
	}
	return ""
}

type coverageCase struct {
	name    string
	facts   aicc.ModelFacts
	ds      []aicc.Designation
	outcome aicc.CoverageOutcome
	rule    string   // the deciding rule, "" for none
	missing []string // Result.Missing
}

func runCases(t *testing.T, policyID string, cases []coverageCase) {
	t.Helper()
	p, err := BuiltinPolicy(policyID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(p, subject(tc.facts), tc.ds, at)
			if r.Outcome != tc.outcome || deciding(r) != tc.rule || !slices.Equal(r.Missing, tc.missing) {
				t.Errorf("outcome %s decided by %q, missing %q; want %s by %q, missing %q\n%+v",
					r.Outcome, deciding(r), r.Missing, tc.outcome, tc.rule, tc.missing, r)
			}
			if r.PolicyID != p.ID || r.PolicyVersion != p.Version || r.PolicyDigest != p.Digest || !r.EvaluatedAt.Equal(at) {
				t.Errorf("result names policy %s %s %s at %s", r.PolicyID, r.PolicyVersion, r.PolicyDigest, r.EvaluatedAt)
			}
			for _, m := range append(slices.Clone(r.Matched), r.Undecided...) {
				if len(m.Citations) == 0 || m.Reason == "" || m.Summary == "" {
					t.Errorf("rule %s: no citation, reason or summary: %+v", m.RuleID, m)
				}
			}
		})
	}
}

func TestClearinghousePolicy(t *testing.T) {
	covered := designation(aicc.DesignationCoveredFrontierModel, "NSA")
	runCases(t, "clearinghouse", []coverageCase{
		{"no compute reported", aicc.ModelFacts{}, nil, aicc.CoverageIndeterminate, "", []string{"training_compute"}},
		{"just below 1e26", compute(9.9e25, 0), nil, aicc.CoverageNotCovered, "otherwise", nil},
		{"at 1e26 (not above)", compute(1e26, 0), nil, aicc.CoverageNotCovered, "otherwise", nil},
		{"just above 1e26", compute(1.01e26, 0), nil, aicc.CoverageRecommendConsultation, "compute-proxy", nil},
		{"straddling 1e26", compute(1e26, 0.3), nil, aicc.CoverageRecommendConsultation, "compute-proxy", nil},
		{"interval wholly above", compute(5e26, 0.3), nil, aicc.CoverageRecommendConsultation, "compute-proxy", nil},
		{"interval wholly below", compute(5e25, 0.3), nil, aicc.CoverageNotCovered, "otherwise", nil},
		{"proxy never makes covered", compute(1e30, 0), nil, aicc.CoverageRecommendConsultation, "compute-proxy", nil},
		{"designated", compute(1e24, 0), []aicc.Designation{covered}, aicc.CoverageCovered, "designated", nil},
		{"designated, no compute reported", aicc.ModelFacts{}, []aicc.Designation{covered}, aicc.CoverageCovered, "designated", nil},
		{"designated, this version", compute(1e24, 0),
			[]aicc.Designation{modify(covered, func(d *aicc.Designation) { d.Version = "1.0" })}, aicc.CoverageCovered, "designated", nil},
		{"designated, other version", compute(1e24, 0),
			[]aicc.Designation{modify(covered, func(d *aicc.Designation) { d.Version = "2.0" })}, aicc.CoverageNotCovered, "otherwise", nil},
		{"designated, other developer", compute(1e24, 0),
			[]aicc.Designation{modify(covered, func(d *aicc.Designation) { d.DeveloperOrgID = "org_other" })}, aicc.CoverageNotCovered, "otherwise", nil},
		{"designated, other model", compute(1e24, 0),
			[]aicc.Designation{modify(covered, func(d *aicc.Designation) { d.Model = "example-code" })}, aicc.CoverageNotCovered, "otherwise", nil},
		{"designation revoked", compute(1e24, 0),
			[]aicc.Designation{modify(covered, func(d *aicc.Designation) { r := day(2026, 6, 30); d.RevokedAt = &r })}, aicc.CoverageNotCovered, "otherwise", nil},
		{"designation revoked after the evaluation", compute(1e24, 0),
			[]aicc.Designation{modify(covered, func(d *aicc.Designation) { r := day(2026, 8, 1); d.RevokedAt = &r })}, aicc.CoverageCovered, "designated", nil},
		{"designation dated later", compute(1e24, 0),
			[]aicc.Designation{modify(covered, func(d *aicc.Designation) { d.Date = day(2026, 7, 2) })}, aicc.CoverageNotCovered, "otherwise", nil},
		{"only a systemic-risk designation", compute(1e24, 0),
			[]aicc.Designation{designation(aicc.DesignationSystemicRisk, "European Commission")}, aicc.CoverageNotCovered, "otherwise", nil},
	})
}

func TestEO14110Policy(t *testing.T) {
	bio := func(ops, u float64) aicc.ModelFacts { return withModalities(compute(ops, u), "text", "bio_sequence") }
	runCases(t, "eo-14110", []coverageCase{
		{"nothing reported", aicc.ModelFacts{}, nil, aicc.CoverageIndeterminate, "", []string{"modalities", "training_compute"}},
		{"no compute reported", withModalities(aicc.ModelFacts{}, "text"), nil, aicc.CoverageIndeterminate, "", []string{"training_compute"}},
		{"at 1e26", withModalities(compute(1e26, 0), "text"), nil, aicc.CoverageNotCovered, "otherwise", nil},
		{"above 1e26", withModalities(compute(1.5e26, 0), "text"), nil, aicc.CoverageRecommendConsultation, "general-compute", nil},
		{"above 1e26, no modalities", compute(1.5e26, 0), nil, aicc.CoverageRecommendConsultation, "general-compute", nil},
		{"straddling 1e26", withModalities(compute(1e26, 0.3), "text"), nil, aicc.CoverageIndeterminate, "", nil},
		{"bio, above 1e23", bio(2e23, 0), nil, aicc.CoverageRecommendConsultation, "bio-sequence-compute", nil},
		{"bio, at 1e23", bio(1e23, 0), nil, aicc.CoverageNotCovered, "otherwise", nil},
		{"bio, straddling 1e23", bio(1e23, 0.5), nil, aicc.CoverageIndeterminate, "", nil},
		{"text, above 1e23", withModalities(compute(2e23, 0), "text"), nil, aicc.CoverageNotCovered, "otherwise", nil},
		{"above 1e23, no modalities", compute(2e23, 0), nil, aicc.CoverageIndeterminate, "", []string{"modalities"}},
		{"below 1e23, no modalities", compute(5e22, 0), nil, aicc.CoverageNotCovered, "otherwise", nil},
	})
	p, _ := BuiltinPolicy("eo-14110")
	if p.InEffect(at) || !p.InEffect(day(2024, 1, 1)) || p.InEffect(day(2025, 1, 20)) {
		t.Error("eo-14110 applies from 30 October 2023 until its revocation on 20 January 2025")
	}
}

func TestEUAIActPolicy(t *testing.T) {
	commission := designation(aicc.DesignationSystemicRisk, "European Commission")
	runCases(t, "eu-ai-act-art51", []coverageCase{
		{"no compute reported", aicc.ModelFacts{}, nil, aicc.CoverageIndeterminate, "", []string{"training_compute"}},
		{"just below 1e25", compute(9.9e24, 0), nil, aicc.CoverageNotCovered, "otherwise", nil},
		{"at 1e25 (not greater)", compute(1e25, 0), nil, aicc.CoverageNotCovered, "otherwise", nil},
		{"just above 1e25", compute(1.01e25, 0), nil, aicc.CoveragePresumedCovered, "compute-presumption", nil},
		{"straddling 1e25", compute(1e25, 0.1), nil, aicc.CoverageIndeterminate, "", nil},
		{"interval wholly above", compute(2e25, 0.3), nil, aicc.CoveragePresumedCovered, "compute-presumption", nil},
		{"designated by the Commission", compute(1e23, 0), []aicc.Designation{commission}, aicc.CoverageCovered, "commission-designation", nil},
		{"designated by the Commission, name in other case", compute(1e23, 0),
			[]aicc.Designation{modify(commission, func(d *aicc.Designation) { d.Authority = "european commission" })}, aicc.CoverageCovered, "commission-designation", nil},
		{"designated, no compute reported", aicc.ModelFacts{}, []aicc.Designation{commission}, aicc.CoverageCovered, "commission-designation", nil},
		{"systemic risk by another authority", compute(1e23, 0),
			[]aicc.Designation{designation(aicc.DesignationSystemicRisk, "NSA")}, aicc.CoverageNotCovered, "otherwise", nil},
		{"covered frontier model is another designation", compute(1e23, 0),
			[]aicc.Designation{designation(aicc.DesignationCoveredFrontierModel, "European Commission")}, aicc.CoverageNotCovered, "otherwise", nil},
	})
}

func TestCASB53Policy(t *testing.T) {
	runCases(t, "ca-sb53", []coverageCase{
		{"large frontier developer", withRevenue(compute(2e26, 0), 6e8), nil, aicc.CoverageRecommendConsultation, "large-frontier-developer", nil},
		{"revenue at $500M (not in excess)", withRevenue(compute(2e26, 0), 5e8), nil, aicc.CoverageRecommendConsultation, "frontier-model", nil},
		{"frontier model, revenue not reported", compute(2e26, 0), nil, aicc.CoverageRecommendConsultation, "frontier-model", []string{"annual_revenue_usd"}},
		{"at 1e26, large developer", withRevenue(compute(1e26, 0), 1e9), nil, aicc.CoverageNotCovered, "otherwise", nil},
		{"just below 1e26", withRevenue(compute(9.9e25, 0), 1e9), nil, aicc.CoverageNotCovered, "otherwise", nil},
		{"straddling 1e26", withRevenue(compute(1e26, 0.2), 1e9), nil, aicc.CoverageIndeterminate, "", nil},
		{"no compute reported", withRevenue(aicc.ModelFacts{}, 1e9), nil, aicc.CoverageIndeterminate, "", []string{"training_compute"}},
		{"nothing reported", aicc.ModelFacts{}, nil, aicc.CoverageIndeterminate, "", []string{"annual_revenue_usd", "training_compute"}},
	})
}

// TestClearinghouseNeverCoversWithoutDesignation checks the clearinghouse
// policy both as written (each covered rule requires a designation) and as
// evaluated (no facts alone make a model covered or presumed covered).
func TestClearinghouseNeverCoversWithoutDesignation(t *testing.T) {
	p, err := BuiltinPolicy(ClearinghouseID)
	if err != nil {
		t.Fatal(err)
	}
	if !p.DesignationOnly {
		t.Fatal("the clearinghouse policy does not declare designation_only")
	}
	for _, r := range p.Rules {
		if (r.Outcome == aicc.CoverageCovered || r.Outcome == aicc.CoveragePresumedCovered) && !r.When.requiresDesignation() {
			t.Errorf("rule %s yields %s without requiring a designation", r.ID, r.Outcome)
		}
	}
	others := []aicc.Designation{
		designation(aicc.DesignationSystemicRisk, "European Commission"),
		modify(designation(aicc.DesignationCoveredFrontierModel, "NSA"), func(d *aicc.Designation) { d.Version = "0.9" }),
	}
	for _, ops := range []float64{0, 1e20, 1e25, 1e26, 1.01e26, 1e27, 1e35} {
		for _, u := range []float64{0, 0.3, 2} {
			for _, rev := range []float64{0, 1e6, 1e12} {
				f := withRevenue(withModalities(compute(ops, u), "text", "bio_sequence"), rev)
				f.OpenWeights = rev > 1e9
				f.Capabilities = map[string]float64{"cyber_ctf_solve_rate": 1}
				for _, ds := range [][]aicc.Designation{nil, others} {
					r := Evaluate(p, subject(f), ds, at)
					if r.Outcome == aicc.CoverageCovered || r.Outcome == aicc.CoveragePresumedCovered {
						t.Fatalf("compute %g ±%g, revenue %g: %s without a designation", ops, u, rev, r.Outcome)
					}
				}
			}
		}
	}
}

func TestBuiltin(t *testing.T) {
	ps, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID)
		if !p.InEffect(day(2026, 6, 2)) && p.ID != "eo-14110" {
			t.Errorf("built-in policy %s is not in effect on 2 June 2026", p.ID)
		}
	}
	if want := []string{"clearinghouse", "ca-sb53", "eo-14110", "eu-ai-act-art51"}; !slices.Equal(ids, want) {
		t.Errorf("built-in policies %v; want %v", ids, want)
	}
	ps[0] = nil // Builtin returns a copy of its list
	if again, _ := Builtin(); again[0] == nil {
		t.Error("Builtin returned its own list")
	}
	if _, err := BuiltinPolicy("approve-all"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("BuiltinPolicy(unknown) = %v; want not found", err)
	}
}
