package advisory

import "strings"

// Publisher is the clearinghouse as the issuer of advisories: what every
// encoder puts in a document's publisher and reference fields.
type Publisher struct {
	Name             string `json:"name"`              // "AI Cybersecurity Clearinghouse"
	Namespace        string `json:"namespace"`         // an https URL identifying the publisher, e.g. https://aicc.example
	ContactDetails   string `json:"contact_details"`   // how to reach it
	IssuingAuthority string `json:"issuing_authority"` // on whose authority it publishes
	// BaseURL is where the service is reached; advisories are at
	// BaseURL/advisories/ID.
	BaseURL string `json:"base_url"`
}

// URL is the canonical address of an advisory.
func (p Publisher) URL(id string) string {
	return strings.TrimRight(p.BaseURL, "/") + "/advisories/" + id
}

// ExamplePublisher is a publisher for tests and documentation.
var ExamplePublisher = Publisher{
	Name:             "AI Cybersecurity Clearinghouse",
	Namespace:        "https://aicc.example",
	ContactDetails:   "advisories@aicc.example",
	IssuingAuthority: "Operated under the voluntary pre-release review programme; advisories are advisory only.",
	BaseURL:          "https://aicc.example",
}
