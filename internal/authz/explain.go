package authz

import (
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// explain says why scope s does not include (or admit) r.
func explain(p aicc.Principal, k Kind, s ListScope, r Resource) string {
	switch s.Mode {
	case ScopeNone:
		return unseen(p, k)
	case ScopeOrg:
		return ownOnly(p, k)
	case ScopeUser:
		if k == KindUser {
			return "you can see only your own user; an admin of your organization sees its members"
		}
		return "you can see only your own tokens; an admin of your organization sees its members' tokens"
	case ScopeShared:
		if !r.Shared {
			return fmt.Sprintf("agencies see a review's %s only when its developer consented to share findings with agencies", k.plural())
		}
		return fmt.Sprintf("this %s is labelled %s and is not shared with agencies", k, tlpName(r.TLP))
	case ScopePublished:
		switch {
		case !r.Published:
			return "this advisory is not published yet"
		case r.TLP == aicc.TLPAmber || r.TLP == aicc.TLPAmberStrict || r.TLP == aicc.TLPRed:
			return fmt.Sprintf("this advisory is %s and not addressed to your organization", r.TLP)
		}
		return fmt.Sprintf("this advisory is labelled %s: it is not shared beyond the clearinghouse through the service", tlpName(r.TLP))
	}
	return unseen(p, k)
}

// ownOnly is the message for an organization that sees only its own.
func ownOnly(p aicc.Principal, k Kind) string {
	switch k {
	case KindUser, KindToken, KindWebhook:
		return fmt.Sprintf("admins see and manage the %s of their own organization only", k.plural())
	case KindOrg:
		return "you can see only your own organization"
	}
	return fmt.Sprintf("%s see only their own %s", who(p.OrgKind), k.plural())
}

// unseen is the message for a kind p sees nothing of.
func unseen(p aicc.Principal, k Kind) string {
	switch {
	case p.OrgKind.Consumer() && k.review():
		return fmt.Sprintf("%s take no part in reviews; they read published advisories", who(p.OrgKind))
	case k == KindEvidence:
		msg := "evidence (attempt transcripts) is read only by clearinghouse analysts and by the developers of the organization that owns the submission"
		if p.Role == aicc.RoleViewer {
			msg += "; viewers never read it"
		}
		return msg
	case k == KindAudit:
		return "the audit log is read only by clearinghouse admins and analysts"
	case k == KindWebhook:
		return "only admins manage their organization's webhooks"
	case k == KindDesignation:
		return "designations are read by the clearinghouse and agencies; a developer sees those that apply in its submission's coverage result"
	case p.OrgKind == aicc.OrgAgency:
		return fmt.Sprintf("agencies see the submissions and findings developers share with them, not %s", k.plural())
	}
	return fmt.Sprintf("%s cannot see %s", who(p.OrgKind), k.plural())
}

// who names the organizations of kind k in messages.
func who(k aicc.OrgKind) string {
	switch k {
	case aicc.OrgClearinghouse:
		return "clearinghouse members"
	case aicc.OrgAgency:
		return "agencies"
	case aicc.OrgDeveloper:
		return "developer organizations"
	case aicc.OrgOperator:
		return "operator organizations"
	case aicc.OrgOSS:
		return "open-source project organizations"
	}
	return string(k) + " organizations"
}

func tlpName(t aicc.TLP) string {
	if t == "" {
		return "nothing (so treated as TLP:RED)"
	}
	return string(t)
}
