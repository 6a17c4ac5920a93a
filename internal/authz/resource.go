package authz

import (
	"slices"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Kind is a kind of object access is decided on.
type Kind string

const (
	KindOrg         Kind = "org"
	KindUser        Kind = "user"
	KindToken       Kind = "token"
	KindSubmission  Kind = "submission"
	KindScan        Kind = "scan"
	KindEvidence    Kind = "evidence" // transcripts of attempts
	KindFinding     Kind = "finding"
	KindRemediation Kind = "remediation"
	KindRetest      Kind = "retest"
	KindAdvisory    Kind = "advisory"
	KindAudit       Kind = "audit"
	KindWebhook     Kind = "webhook"
	KindDesignation Kind = "designation"
	KindPolicy      Kind = "policy"
)

// Kinds lists every kind.
var Kinds = []Kind{
	KindOrg, KindUser, KindToken, KindSubmission, KindScan, KindEvidence, KindFinding,
	KindRemediation, KindRetest, KindAdvisory, KindAudit, KindWebhook, KindDesignation, KindPolicy,
}

// review reports whether objects of kind k are part of a review, which
// consumers never see.
func (k Kind) review() bool {
	switch k {
	case KindSubmission, KindScan, KindEvidence, KindFinding, KindRemediation, KindRetest:
		return true
	}
	return false
}

// plural names objects of kind k in messages.
func (k Kind) plural() string {
	switch k {
	case KindEvidence:
		return "evidence"
	case KindAudit:
		return "audit log"
	case KindPolicy:
		return "coverage policies"
	case KindAdvisory:
		return "advisories"
	case KindOrg:
		return "organizations"
	}
	return string(k) + "s"
}

// Resource describes the object of an action: what a decision needs to
// know about it, and nothing about how it is stored.
//
// For a create, it describes the object to be created (a new submission's
// OwnerOrg is the organization it is submitted for). For a list, it
// describes the filter the caller asked for: OwnerOrg (and OwnerUser) name
// whose objects are wanted, "" for no filter; Check says whether the caller
// may ask, and Scope says what the store returns.
type Resource struct {
	Kind Kind
	// OwnerOrg is the organization that owns the object: the developer
	// organization of a submission and of its scans, evidence, findings,
	// remediations and retests; a user's or token's organization; the
	// organization a webhook belongs to; the agency that made a designation.
	OwnerOrg string
	// OwnerUser is the user a user record or token belongs to.
	OwnerUser string
	// TLP is the object's Traffic Light Protocol label (evidence, findings,
	// advisories). An unlabelled object is treated as TLP:RED.
	TLP aicc.TLP
	// Shared reports that the object belongs to a review whose developer
	// consented to share findings with agencies (ConsentScope.ShareWithAgencies).
	Shared bool
	// Published reports that an advisory has been published.
	Published bool
	// Recipients are the organizations an advisory labelled TLP:AMBER,
	// TLP:AMBER+STRICT or TLP:RED is addressed to; RecipientKinds the kinds
	// of organization an AMBER or AMBER+STRICT one is addressed to (RED
	// goes to named organizations only). An advisory's OwnerOrg is the
	// developer whose model it is about, which sees it in every state.
	Recipients     []string
	RecipientKinds []aicc.OrgKind
}

// PublicAdvisory reports whether an advisory may be shown to anyone,
// without credentials: published and labelled TLP:CLEAR.
func PublicAdvisory(r Resource) bool {
	return r.Kind == KindAdvisory && r.Published && r.TLP == aicc.TLPClear
}

// belowRed reports whether r is labelled with a TLP that may leave the
// clearinghouse at all: AMBER+STRICT, AMBER, GREEN or CLEAR.
func (r Resource) belowRed() bool {
	return r.TLP.Valid() && r.TLP != aicc.TLPRed
}

// addressedTo reports whether org is one of r's recipients.
func (r Resource) addressedTo(org string) bool {
	return org != "" && slices.Contains(r.Recipients, org)
}

// AdvisoryVisibleTo reports whether an organization of the given kind may
// read the advisory content r (an advisory's tier) on a channel that serves
// the organization as a whole (a webhook, a TAXII collection, a feed), by
// the same rule as Scope for any of its members: the clearinghouse reads
// everything; others what ScopePublished includes. An empty kind is
// nobody's organization: see PublicAdvisory.
func AdvisoryVisibleTo(orgID string, kind aicc.OrgKind, r Resource) bool {
	switch {
	case r.Kind != KindAdvisory || !kind.Valid():
		return false
	case kind == aicc.OrgClearinghouse:
		return true
	}
	return ListScope{Mode: ScopePublished, OrgID: orgID, OrgKind: kind}.Includes(r)
}
