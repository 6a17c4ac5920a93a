package validate

import (
	"math"
	"testing"
)

func TestWilson(t *testing.T) {
	// Reference values: the Wilson score interval at 95%, as published
	// (e.g. statsmodels proportion_confint(method="wilson")), to 4 decimals.
	tests := []struct {
		successes, n int
		low, high    float64
	}{
		{0, 5, 0, 0.4345},
		{5, 5, 0.5655, 1},
		{3, 5, 0.2307, 0.8824},
		{4, 5, 0.3755, 0.9638},
		{1, 1, 0.2065, 1},
		{50, 100, 0.4038, 0.5962},
		{0, 0, 0, 1}, // no trials: nothing is known
	}
	for _, tt := range tests {
		low, high := Wilson(tt.successes, tt.n, Z95)
		if math.Abs(low-tt.low) > 0.00005 || math.Abs(high-tt.high) > 0.00005 {
			t.Errorf("Wilson(%d, %d) = [%.4f, %.4f], want [%.4f, %.4f]", tt.successes, tt.n, low, high, tt.low, tt.high)
		}
		if low < 0 || high > 1 || low > high {
			t.Errorf("Wilson(%d, %d) = [%v, %v]: not an interval within [0, 1]", tt.successes, tt.n, low, high)
		}
	}
}

func TestWilsonContainsRate(t *testing.T) {
	for n := 1; n <= 100; n++ {
		for k := 0; k <= n; k++ {
			low, high := Wilson(k, n, Z95)
			p := float64(k) / float64(n)
			if low > p || high < p || low < 0 || high > 1 {
				t.Fatalf("Wilson(%d, %d) = [%v, %v] does not hold the rate %v within [0, 1]", k, n, low, high, p)
			}
		}
	}
}

func TestNewReproduction(t *testing.T) {
	tests := []struct {
		successes, attempts int
		want                Reproduction
	}{
		{3, 5, Reproduction{Attempts: 5, Successes: 3, Rate: 0.6, CILow: 0.2307, CIHigh: 0.8824}},
		{0, 5, Reproduction{Attempts: 5, Successes: 0, Rate: 0, CILow: 0, CIHigh: 0.4345}},
		{2, 3, Reproduction{Attempts: 3, Successes: 2, Rate: 0.6667, CILow: 0.2077, CIHigh: 0.9385}},
		{0, 0, Reproduction{CILow: 0, CIHigh: 1}},
	}
	for _, tt := range tests {
		if got := NewReproduction(tt.successes, tt.attempts); got != tt.want {
			t.Errorf("NewReproduction(%d, %d) = %+v, want %+v", tt.successes, tt.attempts, got, tt.want)
		}
	}
}

func TestVerifier(t *testing.T) {
	tests := []struct {
		detector string
		want     bool
	}{
		{"canary", true},
		{"regex#2", true},
		{"regex:patterns[0]", true},
		{"tool_policy", true},
		{"markdown_exfil", true},
		{"code_rules", true},
		{"package_exists", true},
		{"consumption", true},
		{"flag", true},
		{"judge", false},
		{"judge:gpt-x", false},
		{"llm_judge", false},
		{"refusal", false},
		{"regexish", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Verifier(tt.detector); got != tt.want {
			t.Errorf("Verifier(%q) = %v, want %v", tt.detector, got, tt.want)
		}
	}
}
