package csaf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// Category is the category of a CSAF document, which selects its profile
// (section 4 of the specification).
type Category string

const (
	// SecurityAdvisory is profile 4, Security Advisory.
	SecurityAdvisory Category = "csaf_security_advisory"
	// VEX is profile 5, VEX: the status of each product, with an impact
	// statement for each one not affected and an action statement for
	// each one affected.
	VEX Category = "csaf_vex"
)

// Engine names the software that renders the documents, in
// /document/tracking/generator. EngineVersion is the version of this
// encoder's output rather than of the aicc build, so that rendering one
// revision again with a newer build gives the same bytes; it changes when
// the rendering does.
const (
	EngineName    = "aicc"
	EngineVersion = "1.0.0"
)

// Encode renders a as a CSAF 2.0 document of category c, published by p.
// It renders what it is given: pass advisory.Visible's copy for the
// audience; a tier that is withheld or empty is left out, and the
// document's TLP label is that of the most restrictive tier rendered
// (advisory.Ceiling). The output is indented JSON with every object's keys
// in alphabetical order (section 5.3), and is the same, byte for byte, for
// the same advisory revision: nothing reads the clock, and every list is
// sorted.
func Encode(a *advisory.Advisory, p advisory.Publisher, c Category) ([]byte, error) {
	if a == nil {
		return nil, aicc.Errorf(aicc.KindInvalid, "csaf: no advisory")
	}
	if c != SecurityAdvisory && c != VEX {
		return nil, aicc.Errorf(aicc.KindInvalid, "csaf: category %q: want %s or %s", c, SecurityAdvisory, VEX)
	}
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("csaf %s: %w", a.ID, err)
	}
	if err := validPublisher(p); err != nil {
		return nil, fmt.Errorf("csaf %s: %w", a.ID, err)
	}
	tree := newProductTree(a)
	tr, err := newTracking(a)
	if err != nil {
		return nil, fmt.Errorf("csaf %s: %w", a.ID, err)
	}
	d := csafDocument{
		Document: document{
			AggregateSeverity: aggregateSeverityOf(a),
			Category:          c,
			CSAFVersion:       "2.0",
			Distribution:      newDistribution(a),
			Lang:              "en",
			Notes:             documentNotes(a, p, tr),
			Publisher: publisher{
				Category:         "coordinator",
				ContactDetails:   strings.TrimSpace(p.ContactDetails),
				IssuingAuthority: strings.TrimSpace(p.IssuingAuthority),
				Name:             strings.TrimSpace(p.Name),
				Namespace:        p.Namespace,
			},
			References: []reference{{Category: "self", Summary: "Advisory " + a.ID + " at " + strings.TrimSpace(p.Name), URL: p.URL(a.ID)}},
			Title:      strings.TrimSpace(a.Title),
			Tracking:   tr,
		},
		ProductTree:     productTree{Branches: tree.branches()},
		Vulnerabilities: []vulnerability{newVulnerability(a, tree)},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep ">=" in version ranges readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("csaf %s: encode: %w", a.ID, err)
	}
	return buf.Bytes(), nil
}

// validPublisher checks what every document needs of its publisher.
func validPublisher(p advisory.Publisher) error {
	if strings.TrimSpace(p.Name) == "" {
		return aicc.Errorf(aicc.KindInvalid, "publisher: name is required")
	}
	for field, v := range map[string]string{"namespace": p.Namespace, "base_url": p.BaseURL} {
		if u, err := url.Parse(v); err != nil || u.Scheme == "" || u.Host == "" {
			return aicc.Errorf(aicc.KindInvalid, "publisher: %s %q: want an absolute URL such as https://aicc.example", field, v)
		}
	}
	return nil
}

// The document's JSON. Fields are declared in the alphabetical order of
// their keys, so that the output is sorted as section 5.3 asks.
type csafDocument struct {
	Document        document        `json:"document"`
	ProductTree     productTree     `json:"product_tree"`
	Vulnerabilities []vulnerability `json:"vulnerabilities"`
}

type document struct {
	AggregateSeverity *aggregateSeverity `json:"aggregate_severity,omitempty"`
	Category          Category           `json:"category"`
	CSAFVersion       string             `json:"csaf_version"`
	Distribution      distribution       `json:"distribution"`
	Lang              string             `json:"lang"`
	Notes             []note             `json:"notes"`
	Publisher         publisher          `json:"publisher"`
	References        []reference        `json:"references"`
	Title             string             `json:"title"`
	Tracking          tracking           `json:"tracking"`
}

type aggregateSeverity struct {
	Text string `json:"text"`
}

type distribution struct {
	Text string `json:"text"`
	TLP  tlp    `json:"tlp"`
}

type tlp struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

type publisher struct {
	Category         string `json:"category"`
	ContactDetails   string `json:"contact_details,omitempty"`
	IssuingAuthority string `json:"issuing_authority,omitempty"`
	Name             string `json:"name"`
	Namespace        string `json:"namespace"`
}

type note struct {
	Audience string `json:"audience,omitempty"`
	Category string `json:"category"`
	Text     string `json:"text"`
	Title    string `json:"title,omitempty"`
}

type reference struct {
	Category string `json:"category"`
	Summary  string `json:"summary"`
	URL      string `json:"url"`
}

// formatTime renders t as CSAF date-times are written, in UTC to the
// millisecond.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// newDistribution labels the document with the most restrictive tier it
// renders.
func newDistribution(a *advisory.Advisory) distribution {
	ceiling := advisory.Ceiling(a)
	return distribution{Text: distributionText(ceiling), TLP: tlp{Label: TLPLabel(ceiling), URL: tlpURL}}
}

// aggregateSeverityOf is the advisory's severity rating, if it has one.
func aggregateSeverityOf(a *advisory.Advisory) *aggregateSeverity {
	if a.Severity.Rating == "" {
		return nil
	}
	return &aggregateSeverity{Text: ratingText(a.Severity.Rating)}
}

// ratingText is a severity rating as CVSS prints it: "High".
func ratingText(r aicc.Severity) string {
	s := string(r)
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// documentNotes are, in this order: the withdrawal, the AMBER+STRICT rule,
// the tiers given (summary, details, payload), the developer's statement
// and the disclaimer.
func documentNotes(a *advisory.Advisory, p advisory.Publisher, tr tracking) []note {
	var notes []note
	if a.State == advisory.StateWithdrawn {
		rev, _ := strconv.Atoi(tr.Version)
		notes = append(notes, note{Category: "general", Title: "Withdrawn",
			Text: withdrawalText(a, rev) + " The advisory should no longer be relied on."})
	}
	if advisory.Ceiling(a) == aicc.TLPAmberStrict {
		notes = append(notes, note{Category: "general", Title: "TLP:AMBER+STRICT", Text: amberStrictText})
	}
	for _, t := range []struct {
		tier            advisory.Tier
		category, title string
	}{
		{a.Summary, "summary", "Summary"},
		{a.Details, "details", "Details"},
		{a.Payload, "details", "Exploit payload"},
	} {
		if text := strings.TrimSpace(t.tier.Text); text != "" && !t.tier.Withheld {
			notes = append(notes, note{Audience: string(t.tier.TLP), Category: t.category, Text: text, Title: t.title})
		}
	}
	if s := a.Statement; s != nil && strings.TrimSpace(s.Text) != "" {
		notes = append(notes, note{Category: "other", Text: strings.TrimSpace(s.Text), Title: "Developer statement"})
	}
	name := strings.TrimSpace(p.Name)
	notes = append(notes, note{Category: "legal_disclaimer", Title: "Advisory only",
		Text: "This advisory is advisory only: it informs, and it approves nothing. " + name + " does not certify, approve or endorse" +
			" any model, model version, package or remediation, and the advisory says nothing about model versions that it does not list."})
	return notes
}
