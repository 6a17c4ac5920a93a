package store

import (
	"context"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// CoverageReader reads authorities' designations and the recorded
// evaluations of submissions' coverage.
type CoverageReader interface {
	GetDesignation(ctx context.Context, id string) (*aicc.Designation, error)
	// ListDesignations lists designations in the order they were recorded.
	ListDesignations(ctx context.Context, f DesignationFilter, p Page) ([]*aicc.Designation, string, error)
	// CoverageResults returns the latest evaluation of a submission's
	// coverage: the records of the last PutCoverageResults for it, in the
	// order they were put. A submission never evaluated has none; that is
	// not an error.
	CoverageResults(ctx context.Context, submissionID string) ([]CoverageRecord, error)
}

// CoverageWriter records designations and evaluations of coverage.
type CoverageWriter interface {
	// CreateDesignation inserts a designation that is not revoked; it must
	// have an ID and a CreatedAt.
	CreateDesignation(ctx context.Context, d *aicc.Designation) error
	// RevokeDesignation records a designation's revocation. Revoking a
	// revoked designation is an error of kind aicc.KindConflict and leaves
	// the first revocation as it was.
	RevokeDesignation(ctx context.Context, id string, at time.Time, by, note string) error
	// PutCoverageResults records one evaluation of a submission's coverage,
	// one record per policy, which becomes its latest. Earlier evaluations
	// are kept. An empty evaluation records nothing.
	PutCoverageResults(ctx context.Context, submissionID string, recs []CoverageRecord) error
}

// DesignationFilter narrows ListDesignations. Zero values match everything
// that stands (is not revoked).
type DesignationFilter struct {
	Model          string // only designations of this model (exact name)
	AuthorityOrgID string // only those recorded by this organization
	IncludeRevoked bool   // revoked designations too
}

// CoverageRecord is one policy's result in one evaluation of a
// submission's coverage. The store keeps Result, the whole result as JSON,
// as it is given; the other fields let it be found and read without it.
type CoverageRecord struct {
	SubmissionID  string
	EvaluatedAt   time.Time
	PolicyID      string
	PolicyVersion string
	PolicyDigest  string
	Outcome       aicc.CoverageOutcome
	Result        []byte // JSON
}
