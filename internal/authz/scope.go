package authz

import (
	"slices"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// ScopeMode says which objects of a kind a principal sees.
type ScopeMode string

const (
	// ScopeNone: nothing. The store need not run a query.
	ScopeNone ScopeMode = "none"
	// ScopeAll: every object of the kind.
	ScopeAll ScopeMode = "all"
	// ScopeOrg: the objects whose owner organization is ListScope.OrgID.
	ScopeOrg ScopeMode = "org"
	// ScopeUser: the objects of user ListScope.UserID (their own user
	// record, their own tokens).
	ScopeUser ScopeMode = "user"
	// ScopeShared: the objects of reviews whose developer consented to
	// share findings with agencies; with ListScope.NotRed, only those
	// labelled TLP:AMBER+STRICT, TLP:AMBER, TLP:GREEN or TLP:CLEAR (never
	// TLP:RED, never unlabelled).
	ScopeShared ScopeMode = "shared"
	// ScopePublished: the advisories of ListScope.OrgID's own models in
	// any state; and published advisories labelled TLP:CLEAR or TLP:GREEN,
	// labelled TLP:AMBER or TLP:AMBER+STRICT whose recipients include
	// ListScope.OrgID or its kind, or labelled TLP:RED whose recipients
	// name ListScope.OrgID.
	ScopePublished ScopeMode = "published"
)

// ListScope tells a store what a list query may return for a principal.
// Stores translate it into their query; Includes is the definition they
// must match.
type ListScope struct {
	Mode  ScopeMode
	OrgID string // ScopeOrg, ScopeUser, ScopePublished: the principal's organization
	// OrgKind is the principal's organization's kind (ScopePublished).
	OrgKind aicc.OrgKind
	UserID  string // ScopeUser: the principal
	NotRed  bool   // ScopeShared: leave out TLP:RED and unlabelled objects
}

// Scope returns the objects of kind k that p may see. It never widens what
// Check allows: for every object r of kind k, Scope(p, k).Includes(r) holds
// exactly when p may read r. An anonymous or invalid principal, a member
// whose role does not fit their organization (RoleFits) and an unknown kind
// get ScopeNone.
func Scope(p aicc.Principal, k Kind) ListScope {
	if identify(p) != nil || !RoleFits(p.OrgKind, p.Role) {
		return ListScope{Mode: ScopeNone}
	}
	return visibility(p, k)
}

// visibility is Scope for an identified principal; it is the one place
// where read access is decided.
func visibility(p aicc.Principal, k Kind) ListScope {
	none := ListScope{Mode: ScopeNone}
	all := ListScope{Mode: ScopeAll}
	org := ListScope{Mode: ScopeOrg, OrgID: p.OrgID}
	self := ListScope{Mode: ScopeUser, OrgID: p.OrgID, UserID: p.UserID}
	clearinghouse := p.OrgKind == aicc.OrgClearinghouse
	admin := p.Role == aicc.RoleAdmin

	switch k {
	case KindOrg:
		if clearinghouse {
			return all
		}
		return org
	case KindUser, KindToken:
		switch {
		case clearinghouse && admin:
			return all
		case admin:
			return org
		}
		return self
	case KindWebhook:
		switch {
		case clearinghouse && admin:
			return all
		case admin:
			return org
		}
		return none
	case KindSubmission, KindFinding:
		switch p.OrgKind {
		case aicc.OrgClearinghouse:
			return all
		case aicc.OrgDeveloper:
			return org
		case aicc.OrgAgency:
			return ListScope{Mode: ScopeShared, NotRed: k == KindFinding}
		}
		return none
	case KindScan, KindRemediation, KindRetest:
		switch p.OrgKind {
		case aicc.OrgClearinghouse:
			return all
		case aicc.OrgDeveloper:
			return org
		}
		return none
	case KindEvidence:
		switch {
		case p.Role == aicc.RoleViewer:
			return none
		case clearinghouse:
			return all
		case p.OrgKind == aicc.OrgDeveloper:
			return org
		}
		return none
	case KindDesignation:
		if clearinghouse || p.OrgKind == aicc.OrgAgency {
			return all
		}
		return none
	case KindPolicy:
		return all
	case KindAudit:
		if clearinghouse && p.Role != aicc.RoleViewer {
			return all
		}
		return none
	case KindAdvisory:
		if clearinghouse {
			return all
		}
		return ListScope{Mode: ScopePublished, OrgID: p.OrgID, OrgKind: p.OrgKind}
	}
	return none
}

// Includes reports whether the object r is in the scope. It is the
// definition a store's query must match.
func (s ListScope) Includes(r Resource) bool {
	switch s.Mode {
	case ScopeAll:
		return true
	case ScopeOrg:
		return s.OrgID != "" && r.OwnerOrg == s.OrgID
	case ScopeUser:
		return s.UserID != "" && r.OwnerUser == s.UserID && r.OwnerOrg == s.OrgID
	case ScopeShared:
		return r.Shared && (!s.NotRed || r.belowRed())
	case ScopePublished:
		if s.OrgID != "" && r.OwnerOrg == s.OrgID {
			return true
		}
		if !r.Published {
			return false
		}
		switch r.TLP {
		case aicc.TLPClear, aicc.TLPGreen:
			return true
		case aicc.TLPAmber, aicc.TLPAmberStrict:
			return r.addressedTo(s.OrgID) || s.OrgKind != "" && slices.Contains(r.RecipientKinds, s.OrgKind)
		case aicc.TLPRed:
			return r.addressedTo(s.OrgID)
		}
	}
	return false
}

// admits reports whether a list filtered as f may be asked for in scope s:
// a filter on another organization (or user) than the scope's own is
// refused rather than silently answered with nothing.
func (s ListScope) admits(f Resource) bool {
	switch s.Mode {
	case ScopeAll, ScopeShared, ScopePublished:
		return true
	case ScopeOrg:
		return f.OwnerOrg == "" || f.OwnerOrg == s.OrgID
	case ScopeUser:
		return (f.OwnerOrg == "" || f.OwnerOrg == s.OrgID) && (f.OwnerUser == "" || f.OwnerUser == s.UserID)
	}
	return false
}
