package store

import (
	"context"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/audit"
)

// Service is the repository of the clearinghouse service: organizations,
// users and their tokens, submissions and their reviews, endpoint
// credentials (sealed; the store never sees them in clear) and the audit
// log.
//
// Every write goes through Tx, so that a change and the audit entry that
// records it land together or not at all. Reads outside Tx see committed
// data only.
type Service interface {
	ServiceReader
	Outbox
	// Tx runs fn in one transaction, committed when fn returns nil and
	// rolled back otherwise. Transactions are serialised where the engine
	// needs it for the audit chain (see ServiceTx.AuditHead).
	Tx(ctx context.Context, fn func(ctx context.Context, tx ServiceTx) error) error
}

// ServiceReader reads the service's records. Not-found is an error for
// which errors.Is(err, aicc.ErrNotFound) is true.
type ServiceReader interface {
	ReviewReader
	WebhookReader
	CoverageReader
	SealedReader
	AdvisoryReader
	TAXIIReader
	GetOrg(ctx context.Context, id string) (*aicc.Org, error)
	ListOrgs(ctx context.Context, p Page) ([]*aicc.Org, string, error)

	GetUser(ctx context.Context, id string) (*aicc.User, error)
	// ListUsers lists the users of one organization ("" for all).
	ListUsers(ctx context.Context, orgID string, p Page) ([]*aicc.User, string, error)

	// TokenByHash returns the token with the given hash, active or not,
	// with its user and the user's organization.
	TokenByHash(ctx context.Context, hash []byte) (*aicc.Token, *aicc.User, *aicc.Org, error)
	// ListTokens lists a user's tokens, newest first; hashes are not returned.
	ListTokens(ctx context.Context, userID string) ([]*aicc.Token, error)

	GetSubmission(ctx context.Context, id string) (*aicc.Submission, error)
	ListSubmissions(ctx context.Context, f SubmissionFilter, p Page) ([]*aicc.Submission, string, error)
	// Credential returns the sealed endpoint credential of a submission.
	Credential(ctx context.Context, submissionID string) ([]byte, error)

	// AuditEntries returns audit entries with Seq > afterSeq in Seq order,
	// at most limit (0: all).
	AuditEntries(ctx context.Context, afterSeq int64, limit int) ([]audit.Entry, error)

	// Idempotent returns the stored response of an earlier create with the
	// same principal and idempotency key.
	Idempotent(ctx context.Context, userID, key string) (*IdempotentResponse, error)
}

// ServiceTx is a transaction of the service store.
type ServiceTx interface {
	ServiceReader
	ReviewWriter
	WebhookWriter
	CoverageWriter
	SealedWriter
	AdvisoryWriter
	TAXIIWriter

	CreateOrg(ctx context.Context, o *aicc.Org) error
	CreateUser(ctx context.Context, u *aicc.User) error
	// UpdateUser writes a user's Name, Email, Role and Disabled.
	UpdateUser(ctx context.Context, u *aicc.User) error

	CreateToken(ctx context.Context, t *aicc.Token) error
	// RevokeToken marks a token revoked at the given time; revoking a
	// revoked token keeps its first revocation time.
	RevokeToken(ctx context.Context, id string, at time.Time) error
	// TouchToken records a token's use.
	TouchToken(ctx context.Context, id string, at time.Time) error

	CreateSubmission(ctx context.Context, s *aicc.Submission) error
	// UpdateSubmission writes a submission's mutable fields: ReleaseDate,
	// Endpoint, Consent, State, HasCredential, UpdatedAt, ClosedAt.
	UpdateSubmission(ctx context.Context, s *aicc.Submission) error
	// PutCredential stores (or replaces) a submission's sealed credential.
	PutCredential(ctx context.Context, submissionID string, sealed []byte) error
	// DeleteCredential deletes it; deleting a missing one is not an error.
	DeleteCredential(ctx context.Context, submissionID string) error
	// DeleteSubmissionRecords deletes a submission and every record of its
	// review (findings with their notes, remediations and retests, the
	// links to its scans, coverage results, reminders, its credential),
	// but not the audit log, and returns the IDs of its scans, which the
	// caller deletes from the scan store.
	DeleteSubmissionRecords(ctx context.Context, submissionID string) ([]string, error)

	// AuditHead returns the last audit entry (nil for an empty log) and
	// holds the log's lock until the transaction ends, so that the entry
	// appended next chains to it.
	AuditHead(ctx context.Context) (*audit.Entry, error)
	// AppendAudit inserts e, which must chain to the head returned by
	// AuditHead in this transaction.
	AppendAudit(ctx context.Context, e *audit.Entry) error

	// PutIdempotent records the response to a create made with an
	// idempotency key.
	PutIdempotent(ctx context.Context, r *IdempotentResponse) error
}

// Page asks for one page of a list: at most Limit items (0: the engine's
// default, 100; more than 1,000 is cut to 1,000) after the opaque cursor
// After. A list returns the cursor of the next page, "" after the last.
type Page struct {
	Limit int
	After string
}

// Size is the number of items the page holds at most.
func (p Page) Size() int {
	switch {
	case p.Limit <= 0:
		return 100
	case p.Limit > 1000:
		return 1000
	}
	return p.Limit
}

// SubmissionFilter narrows ListSubmissions. Zero values match everything.
type SubmissionFilter struct {
	OrgID string           // only this developer organization's
	State aicc.ReviewState // only in this state
	Open  bool             // only open reviews
}

// IdempotentResponse is what a create answered, kept so that a retry with
// the same key gets the same answer rather than a second object.
type IdempotentResponse struct {
	UserID      string
	Key         string
	RequestHash []byte // of method, path and body: the same key with another request is a conflict
	Status      int
	Body        []byte
	CreatedAt   time.Time
}
