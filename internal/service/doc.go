// Package service owns the operations of the clearinghouse service: each
// authenticates nothing itself but takes the caller's aicc.Principal, asks
// authz whether it may act, applies the review rules (package review) in
// one store transaction, and appends the audit entry that records the change
// in the same transaction. The HTTP API and the CLI's server commands call
// it; it knows nothing of HTTP.
//
// Outcomes of a review are advisory. No operation here approves, denies,
// licenses or blocks a release.
package service
