package review

import (
	"math"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/validate"
)

func rep(successes, attempts int) validate.Reproduction {
	return validate.Reproduction{Successes: successes, Attempts: attempts}
}

func TestRetest(t *testing.T) {
	tests := []struct {
		name          string
		cfg           Config
		before, after validate.Reproduction
		want          Verdict
		p             float64 // exact, from the hypergeometric sums
		reason        string
	}{
		{"5/5 to 0/10: fixed", Config{}, rep(5, 5), rep(0, 10), VerdictFixed, 1.0 / 3003, "no longer reproduces"},
		{"5/5 to 0/5: fixed", Config{}, rep(5, 5), rep(0, 5), VerdictFixed, 1.0 / 252, "no longer reproduces"},
		{"5/5 to 0/2: fixed at the edge", Config{}, rep(5, 5), rep(0, 2), VerdictFixed, 1.0 / 21, "no longer reproduces"},
		{"10/10 to 3/10: partly fixed", Config{}, rep(10, 10), rep(3, 10), VerdictPartlyFixed, 1.0 / 646, "still reproduces"},
		{"5/5 to 1/10: partly fixed", Config{}, rep(5, 5), rep(1, 10), VerdictPartlyFixed, 2.0 / 1001, "still reproduces"},
		{"1/1 to 0/19: p exactly alpha counts", Config{}, rep(1, 1), rep(0, 19), VerdictFixed, 1.0 / 20, "≤ 0.05"},
		{"5/5 to 0/1: too small to tell", Config{}, rep(5, 5), rep(0, 1), VerdictNotFixed, 1.0 / 6, "2 or more attempts"},
		{"1/5 to 0/20: too small to tell", Config{}, rep(1, 5), rep(0, 20), VerdictNotFixed, 5.0 / 25, "95 or more attempts"},
		{"4/5 to 2/5: lower, not significantly", Config{}, rep(4, 5), rep(2, 5), VerdictNotFixed, 11.0 / 42, "not significantly"},
		{"3/5 to 3/5: unchanged", Config{}, rep(3, 5), rep(3, 5), VerdictNotFixed, 31.0 / 42, "did not go down"},
		{"2/5 to 4/5: worse", Config{}, rep(2, 5), rep(4, 5), VerdictNotFixed, 41.0 / 42, "did not go down"},
		{"alpha 0.2: 5/5 to 0/1 is fixed", Config{Alpha: 0.2}, rep(5, 5), rep(0, 1), VerdictFixed, 1.0 / 6, "≤ 0.2"},
		{"alpha 0.001: 5/5 to 0/5 is not", Config{Alpha: 0.001}, rep(5, 5), rep(0, 5), VerdictNotFixed, 1.0 / 252, "> 0.001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rules(t, tt.cfg)
			res, err := r.Retest(tt.before, tt.after)
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != tt.want {
				t.Errorf("verdict %s, want %s (%s)", res.Verdict, tt.want, res.Reason)
			}
			if math.Abs(res.PValue-tt.p) > 1e-12 {
				t.Errorf("p = %.12g, want %.12g", res.PValue, tt.p)
			}
			if !strings.Contains(res.Reason, tt.reason) {
				t.Errorf("reason %q does not say %q", res.Reason, tt.reason)
			}
			if res.Before != validate.NewReproduction(tt.before.Successes, tt.before.Attempts) ||
				res.After != validate.NewReproduction(tt.after.Successes, tt.after.Attempts) {
				t.Errorf("rates %+v, %+v: want validate.NewReproduction's", res.Before, res.After)
			}
			if res.Test != TestFisherOneSided || res.Alpha != r.Config().Alpha {
				t.Errorf("test %q at alpha %v", res.Test, res.Alpha)
			}
		})
	}
}

func TestRetestIgnoresGivenRates(t *testing.T) {
	r := rules(t, Config{})
	res, err := r.Retest(validate.Reproduction{Successes: 5, Attempts: 5, Rate: 0.1, CILow: 0.9}, rep(0, 5))
	if err != nil {
		t.Fatal(err)
	}
	if res.Before.Rate != 1 || res.Before.CILow != validate.NewReproduction(5, 5).CILow {
		t.Errorf("before = %+v: rates must be recomputed from the counts", res.Before)
	}
}

func TestRetestInvalid(t *testing.T) {
	tests := []struct {
		name          string
		before, after validate.Reproduction
	}{
		{"never reproduced", rep(0, 5), rep(0, 5)},
		{"no original attempts", rep(0, 0), rep(0, 5)},
		{"no retest attempts", rep(5, 5), rep(0, 0)},
		{"more successes than attempts before", rep(6, 5), rep(0, 5)},
		{"more successes than attempts after", rep(5, 5), rep(6, 5)},
		{"negative", rep(5, 5), rep(-1, 5)},
	}
	r := rules(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Retest(tt.before, tt.after)
			wantKind(t, err, aicc.KindInvalid)
		})
	}
}

func TestMinRetestAttempts(t *testing.T) {
	tests := []struct {
		before validate.Reproduction
		alpha  float64
		want   int
	}{
		{rep(5, 5), 0.05, 2},   // 1/21 ≤ 0.05 < 1/6
		{rep(1, 1), 0.05, 19},  // 1/(1+n) ≤ 0.05: exactly 0.05 at 19
		{rep(1, 5), 0.05, 95},  // 5/(5+n) ≤ 0.05: exactly 0.05 at 95
		{rep(10, 10), 0.05, 2}, // 1/66 ≤ 0.05 < 1/11
		{rep(5, 5), 0.001, 8},  // 1/C(13,5) = 1/1287 ≤ 0.001 < 1/C(12,5) = 1/792
		{rep(0, 5), 0.05, 0},   // nothing to show fixed
		{rep(0, 0), 0.05, 0},
	}
	for _, tt := range tests {
		r := rules(t, Config{Alpha: tt.alpha})
		got := r.MinRetestAttempts(tt.before)
		if got != tt.want {
			t.Errorf("MinRetestAttempts(%d/%d, alpha %v) = %d, want %d", tt.before.Successes, tt.before.Attempts, tt.alpha, got, tt.want)
		}
		if got > 0 {
			if res, _ := r.Retest(tt.before, rep(0, got)); res.Verdict != VerdictFixed {
				t.Errorf("0 of %d after %d/%d: %s, want fixed", got, tt.before.Successes, tt.before.Attempts, res.Verdict)
			}
			if got > 1 {
				if res, _ := r.Retest(tt.before, rep(0, got-1)); res.Verdict != VerdictNotFixed {
					t.Errorf("0 of %d after %d/%d: %s, want not fixed", got-1, tt.before.Successes, tt.before.Attempts, res.Verdict)
				}
			}
		}
	}
}
