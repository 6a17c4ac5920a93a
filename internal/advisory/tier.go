package advisory

import (
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
)

// Tier is one tier of an advisory's content with its TLP 2.0 label and
// audience.
type Tier struct {
	TLP      aicc.TLP `json:"tlp"`
	Audience Audience `json:"audience"`
	Text     string   `json:"text,omitempty"`
	// Withheld is set on a copy made for a viewer who may not see the
	// tier: it exists, its text is not given.
	Withheld bool `json:"withheld,omitempty"`
}

// Audience names who may receive a tier labelled AMBER, AMBER+STRICT or
// RED, besides the clearinghouse and the developer, who always may.
// CLEAR needs no audience and GREEN goes to every member organization of
// the clearinghouse's community. RED goes to named organizations only.
type Audience struct {
	Kinds []aicc.OrgKind `json:"kinds,omitempty"` // every organization of these kinds
	Orgs  []string       `json:"orgs,omitempty"`  // these organizations
}

func (t Tier) validate() error {
	if !t.TLP.Valid() {
		return fmt.Errorf("TLP label %q: want TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED", t.TLP)
	}
	if len(t.Text) > maxText {
		return fmt.Errorf("text: at most %d bytes", maxText)
	}
	if t.TLP == aicc.TLPRed && len(t.Audience.Kinds) > 0 {
		return fmt.Errorf("TLP:RED goes to named organizations only, not to kinds of organization")
	}
	return nil
}

// Viewer is an organization (or nobody) looking at an advisory.
type Viewer struct {
	OrgID string
	Kind  aicc.OrgKind // "" for an anonymous viewer
}

// Anonymous is the viewer of public channels without credentials.
var Anonymous = Viewer{}

// sees reports whether v may see content of a under t: the decision is
// authz's, as for every other access.
func (a *Advisory) sees(t Tier, v Viewer) bool {
	r := a.Resource(t)
	if v.Kind == "" {
		return authz.PublicAdvisory(r)
	}
	return authz.AdvisoryVisibleTo(v.OrgID, v.Kind, r)
}

// Resource describes tier t of a to authz: every access decision about an
// advisory is made on it.
func (a *Advisory) Resource(t Tier) authz.Resource {
	return authz.Resource{Kind: authz.KindAdvisory, OwnerOrg: a.DeveloperOrgID, TLP: t.TLP, Published: a.State.Public(),
		Recipients: t.Audience.Orgs, RecipientKinds: t.Audience.Kinds}
}

// Visible returns what v may see of a: nil when v may see nothing (an
// advisory not yet published, or whose summary is labelled beyond v),
// else a copy with every tier v may not see withheld. The clearinghouse
// and the developer see everything, in every state. The decision is
// authz's (AdvisoryVisibleTo, PublicAdvisory).
func Visible(a *Advisory, v Viewer) *Advisory {
	if !a.sees(a.Summary, v) {
		return nil
	}
	c := *a
	for _, t := range []*Tier{&c.Details, &c.Payload} {
		if !a.sees(*t, v) {
			*t = Tier{TLP: t.TLP, Withheld: true}
		}
	}
	if v.Kind == aicc.OrgClearinghouse || v.OrgID == a.DeveloperOrgID {
		return &c // the parties also see the audiences
	}
	// The audience lists name other organizations: a consumer does not
	// need them.
	for _, t := range []*Tier{&c.Summary, &c.Details, &c.Payload} {
		t.Audience = Audience{}
	}
	return &c
}

// Ceiling is the most restrictive label among the tiers v may see of a:
// the label a document carrying all of them must bear.
func Ceiling(a *Advisory) aicc.TLP {
	label := a.Summary.TLP
	for _, t := range []Tier{a.Details, a.Payload} {
		if !t.Withheld && t.Text != "" && t.TLP.MoreRestrictive(label) {
			label = t.TLP
		}
	}
	return label
}
