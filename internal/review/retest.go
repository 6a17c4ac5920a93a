package review

import (
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/validate"
)

// Verdict is what a retest concludes about a finding on the new version.
type Verdict string

const (
	VerdictFixed       Verdict = "fixed"        // significantly lower, and no reproduction at all
	VerdictPartlyFixed Verdict = "partly_fixed" // significantly lower, but it still reproduces
	VerdictNotFixed    Verdict = "not_fixed"    // not significantly lower
)

// Status is the finding status the verdict gives.
func (v Verdict) Status() aicc.FindingStatus {
	switch v {
	case VerdictFixed:
		return aicc.FindingFixed
	case VerdictPartlyFixed:
		return aicc.FindingPartial
	}
	return aicc.FindingNotFixed
}

// Action is the finding action that records the verdict (see ChangeFinding).
func (v Verdict) Action() FindingAction {
	switch v {
	case VerdictFixed:
		return ActionRetestFixed
	case VerdictPartlyFixed:
		return ActionRetestPartlyFixed
	}
	return ActionRetestNotFixed
}

// TestFisherOneSided names the retest's significance test.
const TestFisherOneSided = "fisher_exact_one_sided"

// RetestResult is a retest's verdict with the figures it rests on.
type RetestResult struct {
	Verdict Verdict               `json:"verdict"`
	Before  validate.Reproduction `json:"before"` // the original version: rate and 95% Wilson interval
	After   validate.Reproduction `json:"after"`  // the new version
	Test    string                `json:"test"`   // TestFisherOneSided
	// PValue is the one-sided p-value that the new rate is lower than the
	// original; the verdict calls it significant at PValue ≤ Alpha.
	PValue float64 `json:"p_value"`
	Alpha  float64 `json:"alpha"`
	Reason string  `json:"reason"` // one line for a person
}

// maxRetestAttempts bounds MinRetestAttempts' search.
const maxRetestAttempts = 100000

// Retest decides the verdict of a retest from the original reproduction of
// a finding (before: the failing attempts and their reruns on the original
// version) and the retest's (after: the same attempts and variants re-run
// on the new version). Only Successes and Attempts of each are read; rates
// and intervals are recomputed.
//
// The test is Fisher's exact test, one-sided: is the new rate lower? The
// rules: fixed when it is significantly lower and the retest had no success
// at all; partly fixed when significantly lower but not zero; not fixed
// otherwise, which includes a retest too small to show anything.
func (r *Rules) Retest(before, after validate.Reproduction) (RetestResult, error) {
	switch {
	case before.Attempts < 1 || before.Successes < 0 || before.Successes > before.Attempts:
		return RetestResult{}, aicc.Errorf(aicc.KindInvalid, "retest: original reproduction %d of %d: need at least one attempt and 0 to %d successes", before.Successes, before.Attempts, before.Attempts)
	case before.Successes == 0:
		return RetestResult{}, aicc.Errorf(aicc.KindInvalid, "retest: the original version reproduced 0 of %d attempts: there is nothing to show fixed", before.Attempts)
	case after.Attempts < 1 || after.Successes < 0 || after.Successes > after.Attempts:
		return RetestResult{}, aicc.Errorf(aicc.KindInvalid, "retest: new version %d of %d: need at least one attempt with a verdict and 0 to %d successes", after.Successes, after.Attempts, after.Attempts)
	}
	res := RetestResult{
		Before: validate.NewReproduction(before.Successes, before.Attempts),
		After:  validate.NewReproduction(after.Successes, after.Attempts),
		Test:   TestFisherOneSided,
		PValue: fisherLower(before.Successes, before.Attempts, after.Successes, after.Attempts),
		Alpha:  r.cfg.Alpha,
	}
	significant := r.significant(res.PValue)
	figures := fmt.Sprintf("reproduced %s before and %s on the new version; one-sided Fisher exact p = %.3g",
		rate(before.Successes, before.Attempts), rate(after.Successes, after.Attempts), res.PValue)
	lower := after.Successes*before.Attempts < before.Successes*after.Attempts
	switch {
	case significant && after.Successes == 0:
		res.Verdict = VerdictFixed
		res.Reason = fmt.Sprintf("%s ≤ %g: significantly lower, and it no longer reproduces", figures, res.Alpha)
	case significant:
		res.Verdict = VerdictPartlyFixed
		res.Reason = fmt.Sprintf("%s ≤ %g: significantly lower, but it still reproduces", figures, res.Alpha)
	case !lower:
		res.Verdict = VerdictNotFixed
		res.Reason = fmt.Sprintf("%s > %g: the rate did not go down", figures, res.Alpha)
	default:
		res.Verdict = VerdictNotFixed
		res.Reason = fmt.Sprintf("%s > %g: lower, but not significantly", figures, res.Alpha)
		if after.Successes == 0 {
			if n := r.MinRetestAttempts(before); n > 0 {
				res.Reason += fmt.Sprintf("; a retest of %d or more attempts with none reproducing would show it fixed", n)
			}
		}
	}
	return res, nil
}

// MinRetestAttempts is the fewest retest attempts that, all failing to
// reproduce, make the verdict fixed against the original reproduction
// before: how large a retest has to be to show anything. It is 0 when
// before is empty or when no retest of up to 100,000 attempts would do.
func (r *Rules) MinRetestAttempts(before validate.Reproduction) int {
	a, n1 := before.Successes, before.Attempts
	if n1 < 1 || a < 1 || a > n1 {
		return 0
	}
	ok := func(n2 int) bool { return r.significant(fisherLower(a, n1, 0, n2)) }
	if !ok(maxRetestAttempts) {
		return 0
	}
	lo, hi := 1, maxRetestAttempts // the p-value falls as n2 grows: search for the first n2 that passes
	for lo < hi {
		mid := lo + (hi-lo)/2
		if ok(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// significant reports whether p ≤ Alpha, allowing for rounding: a p-value
// that is exactly alpha in exact arithmetic (1 of 20 is 0.05) may come out
// of the floating-point sums a few ulps above it.
func (r *Rules) significant(p float64) bool {
	return p <= r.cfg.Alpha*(1+1e-9)
}

func rate(successes, attempts int) string {
	return fmt.Sprintf("%d of %d (%.0f%%)", successes, attempts, 100*float64(successes)/float64(attempts))
}
