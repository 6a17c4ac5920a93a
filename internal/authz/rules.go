package authz

import (
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// verb is how an action's rule is decided.
type verb int

const (
	verbRead  verb = iota // allowed when the object is in the principal's Scope
	verbList              // allowed when the filter is within the principal's Scope
	verbWrite             // decided by the rule's write function
)

// rule is how one action is decided.
type rule struct {
	kind  Kind
	verb  verb
	write func(p aicc.Principal, r Resource) string // "" allows; otherwise why not
}

func read(k Kind) rule { return rule{kind: k, verb: verbRead} }
func list(k Kind) rule { return rule{kind: k, verb: verbList} }
func write(k Kind, f func(p aicc.Principal, r Resource) string) rule {
	return rule{kind: k, verb: verbWrite, write: f}
}

// rules holds every action's rule. Reads and lists follow visibility
// (scope.go); writes follow the functions below.
var rules = map[Action]rule{
	OrgCreate: write(KindOrg, orgCreate),
	OrgRead:   read(KindOrg),
	OrgList:   list(KindOrg),

	UserCreate:  write(KindUser, orgAdmin("create users")),
	UserRead:    read(KindUser),
	UserList:    list(KindUser),
	UserDisable: write(KindUser, userDisable),

	TokenCreate: write(KindToken, tokenManage),
	TokenRevoke: write(KindToken, tokenManage),
	TokenList:   list(KindToken),

	SubmissionCreate:       write(KindSubmission, submissionCreate),
	SubmissionRead:         read(KindSubmission),
	SubmissionList:         list(KindSubmission),
	SubmissionUpdate:       write(KindSubmission, developer("change a submission")),
	SubmissionWithdraw:     write(KindSubmission, developer("withdraw a submission")),
	SubmissionMarkReleased: write(KindSubmission, analystOrDeveloper("mark a submission released")),

	DesignationCreate: write(KindDesignation, designationCreate),
	DesignationRevoke: write(KindDesignation, designationRevoke),
	DesignationList:   list(KindDesignation),
	CoverageRead:      read(KindSubmission),
	CoverageEvaluate:  write(KindSubmission, analystOrDeveloper("evaluate a submission's coverage again")),
	PolicyList:        list(KindPolicy),

	ReviewStartScan: write(KindScan, analyst("start scans")),
	ReviewAdvance:   write(KindSubmission, analyst("move reviews along")),
	ScanRead:        read(KindScan),
	ScanList:        list(KindScan),
	ScanCancel:      write(KindScan, analyst("cancel scans")),
	EvidenceRead:    read(KindEvidence),

	FindingList:    list(KindFinding),
	FindingRead:    read(KindFinding),
	FindingConfirm: write(KindFinding, analyst("confirm findings")),
	FindingReject:  write(KindFinding, analyst("reject findings")),
	FindingComment: write(KindFinding, analystOrDeveloper("comment on findings")),
	FindingDispute: write(KindFinding, developer("dispute a finding")),

	RemediationCreate: write(KindRemediation, developer("post a remediation")),
	RemediationList:   list(KindRemediation),
	RetestCreate:      write(KindRetest, analystOrDeveloper("request retests")),
	RetestRead:        read(KindRetest),

	AuditRead:   read(KindAudit),
	AuditVerify: read(KindAudit),

	WebhookCreate: write(KindWebhook, orgAdmin("manage webhooks")),
	WebhookList:   list(KindWebhook),
	WebhookDelete: write(KindWebhook, orgAdmin("manage webhooks")),

	AdvisoryCreate:    write(KindAdvisory, analyst("write advisories")),
	AdvisoryUpdate:    write(KindAdvisory, analyst("edit advisories")),
	AdvisoryPublish:   write(KindAdvisory, analyst("publish advisories")),
	AdvisoryRead:      read(KindAdvisory),
	AdvisoryList:      list(KindAdvisory),
	AdvisoryStatement: write(KindAdvisory, developer("attach a statement to an advisory about its model")),
}

func owns(p aicc.Principal, r Resource) bool { return r.OwnerOrg != "" && r.OwnerOrg == p.OrgID }

func isSelf(p aicc.Principal, r Resource) bool { return owns(p, r) && r.OwnerUser == p.UserID }

// chAnalyst reports whether p is a clearinghouse admin or analyst.
func chAnalyst(p aicc.Principal) bool {
	return p.OrgKind == aicc.OrgClearinghouse && (p.Role == aicc.RoleAdmin || p.Role == aicc.RoleAnalyst)
}

func orgCreate(p aicc.Principal, _ Resource) string {
	if p.OrgKind == aicc.OrgClearinghouse && p.Role == aicc.RoleAdmin {
		return ""
	}
	return "only clearinghouse admins create organizations"
}

// orgAdmin allows an organization's admins within their organization, and
// clearinghouse admins in any.
func orgAdmin(what string) func(aicc.Principal, Resource) string {
	return func(p aicc.Principal, r Resource) string {
		switch {
		case p.Role != aicc.RoleAdmin:
			return fmt.Sprintf("only admins %s; ask an admin of your organization", what)
		case p.OrgKind == aicc.OrgClearinghouse || owns(p, r):
			return ""
		}
		return fmt.Sprintf("admins %s only for their own organization", what)
	}
}

func userDisable(p aicc.Principal, r Resource) string {
	if r.OwnerUser == p.UserID {
		return "you cannot disable your own user; ask another admin"
	}
	return orgAdmin("disable users")(p, r)
}

// tokenManage lets everyone manage their own tokens, and admins those of
// their organization's members.
func tokenManage(p aicc.Principal, r Resource) string {
	switch {
	case isSelf(p, r):
		return ""
	case p.Role != aicc.RoleAdmin:
		return "you can manage only your own tokens; an admin of your organization manages its members' tokens"
	case p.OrgKind == aicc.OrgClearinghouse || owns(p, r):
		return ""
	}
	return "admins manage the tokens of their own organization's users only"
}

func submissionCreate(p aicc.Principal, r Resource) string {
	switch {
	case p.OrgKind != aicc.OrgDeveloper:
		return "only developer organizations submit models for review"
	case p.Role == aicc.RoleViewer:
		return "viewers cannot submit models; ask a developer or admin of your organization"
	case !owns(p, r):
		return "developer organizations submit models for themselves only"
	}
	return ""
}

// developer allows the developers and admins of the developer organization
// that owns the submission the object belongs to.
func developer(what string) func(aicc.Principal, Resource) string {
	return func(p aicc.Principal, r Resource) string {
		switch {
		case p.OrgKind != aicc.OrgDeveloper:
			return fmt.Sprintf("only the developer organization that owns the submission can %s", what)
		case p.Role == aicc.RoleViewer:
			return fmt.Sprintf("viewers cannot %s; ask a developer or admin of your organization", what)
		case !owns(p, r):
			return ownOnly(p, r.Kind)
		}
		return ""
	}
}

// analyst allows clearinghouse admins and analysts.
func analyst(what string) func(aicc.Principal, Resource) string {
	return func(p aicc.Principal, _ Resource) string {
		switch {
		case chAnalyst(p):
			return ""
		case p.OrgKind == aicc.OrgClearinghouse:
			return fmt.Sprintf("clearinghouse viewers cannot %s; ask an analyst", what)
		}
		return fmt.Sprintf("only clearinghouse analysts %s", what)
	}
}

// analystOrDeveloper allows clearinghouse analysts and the owning
// developer organization's developers.
func analystOrDeveloper(what string) func(aicc.Principal, Resource) string {
	dev := developer(what)
	return func(p aicc.Principal, r Resource) string {
		switch {
		case chAnalyst(p):
			return ""
		case p.OrgKind == aicc.OrgDeveloper:
			return dev(p, r)
		case p.OrgKind == aicc.OrgClearinghouse:
			return fmt.Sprintf("clearinghouse viewers cannot %s; ask an analyst", what)
		}
		return fmt.Sprintf("only clearinghouse analysts and the developer organization that owns the submission can %s", what)
	}
}

// designationRevoke: only the agency that recorded a designation revokes
// it, by its analysts and admins.
func designationRevoke(p aicc.Principal, r Resource) string {
	switch {
	case p.OrgKind != aicc.OrgAgency:
		return "designations are revoked by the agency that recorded them"
	case p.Role == aicc.RoleViewer:
		return "agency viewers cannot revoke designations; ask an analyst of your agency"
	case !owns(p, r):
		return "an agency revokes only the designations it recorded"
	}
	return ""
}

// designationCreate: designations are an authority's call, so only
// agencies record them, each in its own name. The clearinghouse does not
// record them on an agency's behalf: its own coverage policy counts a
// model as covered only by an agency's designation.
func designationCreate(p aicc.Principal, r Resource) string {
	switch {
	case p.OrgKind != aicc.OrgAgency:
		return "designations are made by agencies (the authorities); an agency's analysts record them in its own name"
	case p.Role == aicc.RoleViewer:
		return "agency viewers cannot record designations; ask an analyst of your agency"
	case !owns(p, r):
		return "an agency records designations in its own name only"
	}
	return ""
}
