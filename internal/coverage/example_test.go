package coverage_test

import (
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/coverage"
)

func ExampleEvaluate() {
	policy, err := coverage.BuiltinPolicy(coverage.ClearinghouseID)
	if err != nil {
		panic(err)
	}
	model := coverage.Subject{
		Model: "example-chat", Version: "1.0", DeveloperOrgID: "org_dev",
		Facts: aicc.ModelFacts{Compute: &aicc.ComputeEstimate{Operations: 3e26, Method: "6ND", Uncertainty: 0.2}},
	}
	at := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

	// Training compute alone is an open proxy: at most a recommendation.
	r := coverage.Evaluate(policy, model, nil, at)
	fmt.Println(r.Outcome, r.Matched[0].RuleID, "-", r.Matched[0].Reason)

	// Only an authority's designation makes the model covered.
	nsa := aicc.Designation{
		ID: "des_example", Model: "example-chat", AuthorityOrgID: "org_agency", Authority: "NSA",
		Kind: aicc.DesignationCoveredFrontierModel, Reference: "designation memo 2026-01",
		Date: time.Date(2026, 6, 20, 0, 0, 0, 0, time.UTC),
	}
	r = coverage.Evaluate(policy, model, []aicc.Designation{nsa}, at)
	fmt.Println(r.Outcome, r.Matched[0].RuleID, "-", r.Matched[0].Reason)

	// Output:
	// recommend_consultation compute-proxy - training compute 3e+26 operations (±20 %: 2.4e+26 to 3.6e+26) is above 1e+26
	// covered designated - designated covered_frontier_model by NSA on 2026-06-20 (reference: designation memo 2026-01)
}
