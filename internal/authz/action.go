package authz

// Action is one operation of the clearinghouse service. The API calls Check
// with the Action before doing it. The names are "noun.verb"; none of them
// approves, denies, licenses, permits or blocks a release, because the
// service has no such operation.
type Action string

// Organizations, users and tokens.
const (
	OrgCreate Action = "org.create"
	OrgRead   Action = "org.read"
	OrgList   Action = "org.list"

	UserCreate  Action = "user.create"
	UserRead    Action = "user.read"
	UserList    Action = "user.list"
	UserDisable Action = "user.disable"

	TokenCreate Action = "token.create"
	TokenRevoke Action = "token.revoke"
	TokenList   Action = "token.list"
)

// Submissions, coverage and reviews.
const (
	SubmissionCreate       Action = "submission.create"
	SubmissionRead         Action = "submission.read"
	SubmissionList         Action = "submission.list"
	SubmissionUpdate       Action = "submission.update" // release date, endpoint, credential, consent
	SubmissionWithdraw     Action = "submission.withdraw"
	SubmissionMarkReleased Action = "submission.mark_released"

	DesignationCreate Action = "designation.create"
	DesignationRevoke Action = "designation.revoke"
	DesignationList   Action = "designation.list"
	CoverageRead      Action = "coverage.read"     // read the evaluation of a submission's coverage
	CoverageEvaluate  Action = "coverage.evaluate" // evaluate a submission's coverage again, now
	PolicyList        Action = "policy.list"

	ReviewStartScan Action = "review.start_scan" // start a scan of a submission
	ReviewAdvance   Action = "review.advance"    // move a review along: triaged, validating, findings shared, complete
	ScanRead        Action = "scan.read"
	ScanList        Action = "scan.list"
	ScanCancel      Action = "scan.cancel"
	EvidenceRead    Action = "evidence.read" // transcripts of attempts
)

// Findings, remediation and retests.
const (
	FindingList    Action = "finding.list"
	FindingRead    Action = "finding.read"
	FindingConfirm Action = "finding.confirm"
	FindingReject  Action = "finding.reject"
	FindingComment Action = "finding.comment"
	FindingDispute Action = "finding.dispute"

	RemediationCreate Action = "remediation.create"
	RemediationList   Action = "remediation.list"
	RetestCreate      Action = "retest.create"
	RetestRead        Action = "retest.read"
)

// Audit, webhooks and advisories.
const (
	AuditRead   Action = "audit.read"
	AuditVerify Action = "audit.verify"

	WebhookCreate Action = "webhook.create"
	WebhookList   Action = "webhook.list"
	WebhookDelete Action = "webhook.delete"

	AdvisoryCreate  Action = "advisory.create"
	AdvisoryUpdate  Action = "advisory.update"
	AdvisoryPublish Action = "advisory.publish"
	AdvisoryRead    Action = "advisory.read"
	AdvisoryList    Action = "advisory.list"
	// AdvisoryStatement: the developer attaches its statement to an
	// advisory about its model.
	AdvisoryStatement Action = "advisory.statement"
)

// Actions lists every action, in the order of the matrix in docs/authz.md.
var Actions = []Action{
	OrgCreate, OrgRead, OrgList,
	UserCreate, UserRead, UserList, UserDisable,
	TokenCreate, TokenRevoke, TokenList,
	SubmissionCreate, SubmissionRead, SubmissionList, SubmissionUpdate, SubmissionWithdraw, SubmissionMarkReleased,
	DesignationCreate, DesignationRevoke, DesignationList, CoverageRead, CoverageEvaluate, PolicyList,
	ReviewStartScan, ReviewAdvance, ScanRead, ScanList, ScanCancel, EvidenceRead,
	FindingList, FindingRead, FindingConfirm, FindingReject, FindingComment, FindingDispute,
	RemediationCreate, RemediationList, RetestCreate, RetestRead,
	AuditRead, AuditVerify,
	WebhookCreate, WebhookList, WebhookDelete,
	AdvisoryCreate, AdvisoryUpdate, AdvisoryPublish, AdvisoryRead, AdvisoryList, AdvisoryStatement,
}

// Kind is the kind of Resource an action applies to: for a create, the kind
// of the object created; for a list, the kind listed.
func (a Action) Kind() Kind {
	if s, ok := rules[a]; ok {
		return s.kind
	}
	return ""
}

// Known reports whether a is one of Actions.
func (a Action) Known() bool {
	_, ok := rules[a]
	return ok
}
