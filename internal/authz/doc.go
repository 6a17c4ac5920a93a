// Package authz owns every access decision of the clearinghouse service.
// The API calls Check(principal, action, resource) before each operation
// and Scope(principal, kind) to narrow each list query; no other package
// decides who may see or do what.
//
// The policy, in short (the full matrix of roles × actions is in
// docs/authz.md, and the package's tests assert every cell of it):
//
//   - Anonymous principals, and principals naming no valid organization or
//     role, are unauthorized. Disabled users and revoked or expired tokens
//     never become principals. A member whose role does not exist in their
//     kind of organization (see RoleFits) is allowed nothing.
//   - Clearinghouse: admins do everything an analyst does, create
//     organizations, and manage users, tokens and webhooks of any
//     organization. Analysts read every review (evidence included), start,
//     advance and cancel scans, confirm and reject findings, request
//     retests, write and publish advisories, and read and verify the audit
//     log. Viewers read review data except evidence and the audit log.
//   - Agencies: analysts (and admins) record designations in their own
//     name; the clearinghouse does not record them on an agency's behalf.
//     All members read designations, the submissions and findings of
//     reviews whose developer consented to share them with agencies
//     (findings only when labelled below TLP:RED), and advisories. They
//     never see scans, evidence, remediations or retests.
//   - Developers: developers (and admins) of the organization that owns a
//     submission create, change, withdraw and mark it released, comment on
//     and dispute its findings, post remediations and request retests. All
//     members read their own organization's review data; viewers never read
//     evidence. A developer organization never sees another's anything.
//   - Consumers (operators, open-source projects) see nothing of any review.
//   - Outside the clearinghouse, advisories are read once published:
//     TLP:CLEAR and TLP:GREEN by every organization, TLP:AMBER and
//     TLP:AMBER+STRICT by the organizations they are addressed to, TLP:RED
//     (and unlabelled) by nobody.
//   - Every organization's admins manage its users, tokens and webhooks;
//     every member manages their own tokens; nobody disables themselves.
//   - Coverage policies are readable by every member of every organization.
//
// There is no action that approves, denies, licenses, permits or blocks a
// release: the review is voluntary and advisory.
package authz
