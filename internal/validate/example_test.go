package validate_test

import (
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/validate"
)

func ExampleNewReproduction() {
	r := validate.NewReproduction(3, 5)
	fmt.Printf("%d of %d reruns hit again: %.0f%% (95%% CI %.0f%%–%.0f%%)\n", r.Successes, r.Attempts, r.Rate*100, r.CILow*100, r.CIHigh*100)
	// Output: 3 of 5 reruns hit again: 60% (95% CI 23%–88%)
}

func ExampleClassCVSS() {
	s, _ := validate.ClassCVSS(aicc.ClassSecretLeakage)
	fmt.Println(s.Vector, s.Score, s.Severity)
	// Output: CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:L/SI:L/SA:N 8.7 High
}
