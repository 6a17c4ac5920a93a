package review

import "math"

// fisherLower is the one-sided p-value of Fisher's exact test that the
// rate after (c hits of n2 attempts) is lower than the rate before (a hits
// of n1 attempts): with the margins of the 2×2 table fixed, the
// probability that the before row holds a or more of the a+c hits. It is
// R's fisher.test(matrix(c(a, c, n1-a, n2-c), 2), alternative = "greater").
// The caller checks 0 ≤ a ≤ n1, 0 ≤ c ≤ n2, n1 + n2 > 0.
//
// The hypergeometric probabilities are computed from math.Lgamma and
// summed relative to the largest, so no term underflows before it is
// scaled. When a is at or below the distribution's mode, the upper tail
// is near 1 and is computed as 1 minus the lower tail, which is small and
// so keeps its precision.
func fisherLower(a, n1, c, n2 int) float64 {
	n := n1 + n2 // attempts
	k := a + c   // hits
	lo, hi := max(0, n1-(n-k)), min(n1, k)
	logDenom := lchoose(n, n1)
	logPMF := func(x int) float64 { return lchoose(k, x) + lchoose(n-k, n1-x) - logDenom }
	mode := (n1 + 1) * (k + 1) / (n + 2)
	if a <= mode {
		return max(0, 1-tailSum(logPMF, lo, a-1))
	}
	return min(1, tailSum(logPMF, a, hi))
}

// tailSum is the sum of exp(logp(x)) for x from from to to, 0 when the
// range is empty.
func tailSum(logp func(int) float64, from, to int) float64 {
	if from > to {
		return 0
	}
	logs := make([]float64, 0, to-from+1)
	top := math.Inf(-1)
	for x := from; x <= to; x++ {
		l := logp(x)
		logs = append(logs, l)
		top = max(top, l)
	}
	var sum float64
	for _, l := range logs {
		sum += math.Exp(l - top)
	}
	return math.Exp(top) * sum
}

// lchoose is the natural logarithm of the binomial coefficient n choose k.
func lchoose(n, k int) float64 {
	return lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1)
}

func lgamma(n int) float64 {
	v, _ := math.Lgamma(float64(n))
	return v
}
