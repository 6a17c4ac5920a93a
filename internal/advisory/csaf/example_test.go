package csaf_test

import (
	"encoding/json"
	"fmt"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/csaf"
)

// Encode renders what a viewer may see: an anonymous reader of the public
// feed gets the summary only, in a TLP:WHITE document.
func ExampleEncode() {
	public := advisory.Visible(advisorytest.Example(), advisory.Anonymous)
	doc, err := csaf.Encode(public, advisory.ExamplePublisher, csaf.VEX)
	if err != nil {
		fmt.Println(err)
		return
	}
	var d struct {
		Document struct {
			Distribution struct{ TLP struct{ Label string } }
			Tracking     struct{ ID, Status, Version string }
		}
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		fmt.Println(err)
		return
	}
	tr := d.Document.Tracking
	fmt.Println(csaf.Filename(tr.ID), d.Document.Distribution.TLP.Label, tr.Status, tr.Version)
	// Output: aicc-2026-0042.json WHITE final 2
}

func ExampleTLPLabel() {
	fmt.Println(csaf.TLPLabel("TLP:CLEAR"), csaf.TLPLabel("TLP:AMBER+STRICT"))
	// Output: WHITE AMBER
}

func ExampleFilename() {
	fmt.Println(csaf.Filename("Example Company - 2019-YH3234"))
	// Output: example_company_-_2019-yh3234.json
}
