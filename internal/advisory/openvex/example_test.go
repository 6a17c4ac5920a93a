package openvex_test

import (
	"encoding/json"
	"fmt"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/openvex"
)

func ExampleEncode() {
	// What an anonymous reader of the public channels gets.
	a := advisory.Visible(advisorytest.Example(), advisory.Anonymous)
	b, err := openvex.Encode(a, advisory.ExamplePublisher)
	if err != nil {
		panic(err)
	}
	var d struct {
		Statements []struct {
			Products []struct {
				ID string `json:"@id"`
			} `json:"products"`
			Status string `json:"status"`
		} `json:"statements"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		panic(err)
	}
	for _, s := range d.Statements {
		fmt.Println(s.Products[0].ID, s.Status)
	}
	// Output:
	// pkg:generic/example-ai/example-chat-mini@1.0?surface=api not_affected
	// pkg:generic/example-ai/example-chat@1.0?surface=api affected
	// pkg:generic/example-ai/example-chat@1.0?surface=open_weights affected
	// pkg:generic/example-ai/example-chat@1.1?surface=api fixed
	// pkg:generic/example-ai/example-chat@1.2-preview?surface=hosted_app under_investigation
	// pkg:pypi/example-agent-kit@0.4.0 affected
	// pkg:pypi/example-agent-kit@0.9.2 fixed
}
