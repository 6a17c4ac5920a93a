package osv_test

import (
	"encoding/json"
	"fmt"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/osv"
)

func ExampleEncode() {
	a := advisory.Visible(advisorytest.Example(), advisory.Anonymous)
	if !osv.Applies(a) {
		return // no package: no OSV record
	}
	b, err := osv.Encode(a, advisory.ExamplePublisher)
	if err != nil {
		panic(err)
	}
	var r struct {
		ID       string `json:"id"`
		Modified string `json:"modified"`
		Affected []struct {
			Package struct{ Ecosystem, Name string } `json:"package"`
		} `json:"affected"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		panic(err)
	}
	fmt.Println(r.ID, r.Modified)
	for _, af := range r.Affected {
		fmt.Println(af.Package.Ecosystem, af.Package.Name)
	}
	// Output:
	// x_AICC-2026-0042 2026-11-25T14:00:00Z
	// PyPI example-agent-kit
}
