package store

import (
	"context"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// ReviewReader reads the scans, findings, remediations and retests of
// reviews.
type ReviewReader interface {
	GetReviewScan(ctx context.Context, scanID string) (*aicc.ReviewScan, error)
	ListReviewScans(ctx context.Context, submissionID string) ([]*aicc.ReviewScan, error)

	GetFinding(ctx context.Context, id string) (*aicc.Finding, error)
	// ListFindings lists a submission's findings ("" for every
	// submission's), oldest first.
	ListFindings(ctx context.Context, f FindingFilter, p Page) ([]*aicc.Finding, string, error)
	ListFindingNotes(ctx context.Context, findingID string) ([]*aicc.FindingNote, error)

	GetRemediation(ctx context.Context, id string) (*aicc.Remediation, error)
	ListRemediations(ctx context.Context, findingID string) ([]*aicc.Remediation, error)

	GetRetest(ctx context.Context, id string) (*aicc.Retest, error)
	ListRetests(ctx context.Context, findingID string) ([]*aicc.Retest, error)

	// ListReminders lists the reminders sent about a submission, oldest first.
	ListReminders(ctx context.Context, submissionID string) ([]*Reminder, error)
}

// Reminder is a reminder the service sent, by its stable key, so that each
// is sent once.
type Reminder struct {
	Key          string    `json:"key"`
	SubmissionID string    `json:"submission_id"`
	Kind         string    `json:"kind"`
	To           string    `json:"to"` // the organization kind it is addressed to
	Due          time.Time `json:"due"`
	Message      string    `json:"message"`
	SentAt       time.Time `json:"sent_at"`
}

// ReviewWriter writes them, inside a ServiceTx.
type ReviewWriter interface {
	CreateReviewScan(ctx context.Context, rs *aicc.ReviewScan) error
	// FinishReviewScan records when a scan of a review ended.
	FinishReviewScan(ctx context.Context, scanID string, at time.Time) error

	CreateFinding(ctx context.Context, f *aicc.Finding) error
	// UpdateFinding writes a finding's mutable fields: ScanID, Probes,
	// Title, Severity, Taxonomy, Status, Verified, Detector, Hits,
	// Attempts, Reproduction, CVSS, Evidence, TLP, UpdatedAt.
	UpdateFinding(ctx context.Context, f *aicc.Finding) error
	AddFindingNote(ctx context.Context, n *aicc.FindingNote) error

	// AcquireScanLease makes owner the one worker running a scan until
	// expires, unless another owner's lease is still live at now; it
	// reports whether owner holds the lease. An owner renews its lease by
	// acquiring it again.
	AcquireScanLease(ctx context.Context, scanID, owner string, now, expires time.Time) (bool, error)
	// ReleaseScanLease ends owner's lease, if it holds it.
	ReleaseScanLease(ctx context.Context, scanID, owner string) error

	// RecordReminder records a reminder as sent; it reports false, and
	// changes nothing, when one with the same key was sent before.
	RecordReminder(ctx context.Context, r *Reminder) (bool, error)

	CreateRemediation(ctx context.Context, r *aicc.Remediation) error
	CreateRetest(ctx context.Context, r *aicc.Retest) error
	// UpdateRetest writes a retest's Status, Verdict, PValue, Before,
	// After, Reason and FinishedAt.
	UpdateRetest(ctx context.Context, r *aicc.Retest) error
}

// FindingFilter narrows ListFindings.
type FindingFilter struct {
	SubmissionID string
	Status       aicc.FindingStatus
}
