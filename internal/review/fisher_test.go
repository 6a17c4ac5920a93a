package review

import (
	"math"
	"math/big"
	"testing"
)

func TestFisherLowerPublished(t *testing.T) {
	// Published p-values of R's fisher.test (one-sided), with the exact
	// fraction each is the decimal of.
	tests := []struct {
		name          string
		a, n1, c, n2  int
		want          float64
		publishedText string
	}{
		// R documentation, ?fisher.test: TeaTasting <- matrix(c(3, 1, 1, 3), 2);
		// fisher.test(TeaTasting, alternative = "greater") gives p-value = 0.2429.
		{"R TeaTasting", 3, 4, 1, 4, 17.0 / 70, "0.2429"},
		// R documentation, ?fisher.test: Convictions <- matrix(c(2, 10, 15, 3), 2);
		// fisher.test(Convictions, alternative = "less") gives p-value = 0.0004652.
		// "less" on the first row is "greater" on the second: 10 of 13 before, 2 of 17 after.
		{"R Convictions", 10, 13, 2, 17, 619.0 / 1330665, "0.0004652"},
		// fisher.test(matrix(c(5, 0, 0, 5), 2), alternative = "greater"): 1/252.
		{"5 of 5 to 0 of 5", 5, 5, 0, 5, 1.0 / 252, "0.003968"},
		// fisher.test(matrix(c(10, 0, 0, 10), 2), alternative = "greater"): 1/choose(20, 10).
		{"10 of 10 to 0 of 10", 10, 10, 0, 10, 1.0 / 184756, "5.413e-06"},
		{"5 of 5 to 0 of 1", 5, 5, 0, 1, 1.0 / 6, "0.1667"},
		{"no change", 3, 5, 3, 5, 31.0 / 42, "0.7381"},
		{"nothing to lose: p = 1", 0, 5, 3, 5, 1, "1"},
	}
	for _, tt := range tests {
		got := fisherLower(tt.a, tt.n1, tt.c, tt.n2)
		if math.Abs(got-tt.want) > 1e-12*math.Max(1, tt.want) || math.Abs(got-tt.want)/tt.want > 1e-10 {
			t.Errorf("%s: fisherLower(%d, %d, %d, %d) = %.10g, want %.10g (published %s)", tt.name, tt.a, tt.n1, tt.c, tt.n2, got, tt.want, tt.publishedText)
		}
	}
}

// exactLower is the one-sided p-value in exact rational arithmetic.
func exactLower(a, n1, c, n2 int) float64 {
	n, k := int64(n1+n2), int64(a+c)
	sum := new(big.Rat)
	for x := int64(a); x <= min(int64(n1), k); x++ {
		num := new(big.Int).Mul(new(big.Int).Binomial(k, x), new(big.Int).Binomial(n-k, int64(n1)-x))
		sum.Add(sum, new(big.Rat).SetFrac(num, new(big.Int).Binomial(n, int64(n1))))
	}
	f, _ := sum.Float64()
	return f
}

func TestFisherLowerExact(t *testing.T) {
	for n1 := 1; n1 <= 10; n1++ {
		for n2 := 1; n2 <= 10; n2++ {
			for a := 0; a <= n1; a++ {
				for c := 0; c <= n2; c++ {
					got, want := fisherLower(a, n1, c, n2), exactLower(a, n1, c, n2)
					if math.Abs(got-want) > 1e-12*want+1e-300 {
						t.Fatalf("fisherLower(%d, %d, %d, %d) = %.17g, exact %.17g", a, n1, c, n2, got, want)
					}
				}
			}
		}
	}
}

func TestFisherLowerLarge(t *testing.T) {
	// Large tables: no NaN, no underflow of the whole sum, and the p-value
	// grows with the hits after.
	prev := -1.0
	for c := 0; c <= 2000; c += 100 {
		p := fisherLower(1000, 2000, c, 2000)
		if math.IsNaN(p) || p < 0 || p > 1 || p < prev {
			t.Fatalf("fisherLower(1000, 2000, %d, 2000) = %v after %v", c, p, prev)
		}
		prev = p
	}
	if p := fisherLower(1000, 2000, 2000, 2000); p != 1 && math.Abs(p-1) > 1e-12 {
		t.Errorf("a far higher rate after: p = %v, want 1", p)
	}
	if p := fisherLower(100, 2000, 1500, 2000); math.Abs(p-1) > 1e-12 {
		t.Errorf("observed far below the mode: p = %v, want 1", p)
	}
	if p, want := fisherLower(40, 60, 25, 60), exactLower(40, 60, 25, 60); math.Abs(p-want) > 1e-10*want {
		t.Errorf("fisherLower(40, 60, 25, 60) = %.17g, exact %.17g", p, want)
	}
}
