package stix_test

import (
	"fmt"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/stix"
)

func ExampleObjects() {
	// What an anonymous reader of the public feed gets.
	a := advisory.Visible(advisorytest.Example(), advisory.Anonymous)
	objs, err := stix.Objects(a, advisory.ExamplePublisher)
	if err != nil {
		panic(err)
	}
	for _, o := range objs {
		fmt.Println(o.Type, o.Modified.Format("2006-01-02"))
	}
	// Output:
	// attack-pattern 2026-11-25
	// course-of-action 2026-11-25
	// course-of-action 2026-11-25
	// extension-definition 2026-01-01
	// identity 2026-01-01
	// marking-definition 2022-10-01
	// note 2026-11-25
	// relationship 2026-11-25
	// relationship 2026-11-25
	// relationship 2026-11-25
	// vulnerability 2026-11-25
}
