package review_test

import (
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/review"
	"github.com/aicc-dev/aicc/internal/validate"
)

func ExampleWindow() {
	release := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	for _, before := range []int{40, 10} {
		opens, closes := review.Window(release.AddDate(0, 0, -before), release)
		fmt.Printf("submitted %d days ahead: window %s to %s\n", before, opens.Format(time.DateOnly), closes.Format(time.DateOnly))
	}
	// Output:
	// submitted 40 days ahead: window 2025-03-02 to 2025-04-01
	// submitted 10 days ahead: window 2025-03-22 to 2025-04-01
}

func ExampleTransition() {
	s, _ := review.Transition(aicc.ReviewScanning, review.EventScanFinished)
	fmt.Println(s)
	_, err := review.Transition(aicc.ReviewReleased, review.EventTriage)
	fmt.Println(err)
	// Output:
	// validating
	// review is released: a closed review accepts no event (triage refused)
}

func ExampleRules_Retest() {
	r, _ := review.New(review.Config{})
	res, _ := r.Retest(validate.NewReproduction(5, 5), validate.NewReproduction(0, 10))
	fmt.Println(res.Verdict)
	fmt.Println(res.Reason)
	// Output:
	// fixed
	// reproduced 5 of 5 (100%) before and 0 of 10 (0%) on the new version; one-sided Fisher exact p = 0.000333 ≤ 0.05: significantly lower, and it no longer reproduces
}

func ExampleRules_Clock() {
	r, _ := review.New(review.Config{})
	release := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	sub := &aicc.Submission{ID: "sub_x", State: aicc.ReviewSubmitted, SubmittedAt: release.AddDate(0, 0, -40), ReleaseDate: release}
	c := r.Clock(sub, time.Date(2025, 3, 5, 9, 0, 0, 0, time.UTC), review.Progress{})
	fmt.Println(c.Window, c.DaysLeft, c.Overdue)
	// Output: open 27 [triage]
}
