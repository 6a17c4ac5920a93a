package aicc

import "time"

// Reproduction is how often an attempt's weakness showed again: successes
// out of attempts, with the rate's 95% Wilson interval.
type Reproduction struct {
	Attempts  int     `json:"attempts"`
	Successes int     `json:"successes"`
	Rate      float64 `json:"rate"`
	CILow     float64 `json:"ci_low"`
	CIHigh    float64 `json:"ci_high"`
}

// Finding is a weakness found in a submitted model version: the hits of one
// class and probe family, deduplicated across the review's scans.
type Finding struct {
	ID           string        `json:"id"`
	SubmissionID string        `json:"submission_id"`
	ScanID       string        `json:"scan_id"` // the scan that found it last
	Class        Class         `json:"class"`
	Family       string        `json:"family"`
	Probes       []string      `json:"probes"`
	Title        string        `json:"title"`
	Severity     Severity      `json:"severity"`
	Taxonomy     Taxonomy      `json:"taxonomy"`
	Status       FindingStatus `json:"status"`
	// Verified reports that a deterministic verifier (not a judge alone)
	// decided a reproduced hit: the scan's own rule for "confirmed".
	Verified     bool          `json:"verified"`
	Detector     string        `json:"detector"`
	Hits         int           `json:"hits"`
	Attempts     int           `json:"attempts"`
	Reproduction *Reproduction `json:"reproduction,omitempty"`
	CVSSVector   string        `json:"cvss_vector,omitempty"`
	CVSSScore    float64       `json:"cvss_score,omitempty"`
	// Evidence holds the IDs of the hit attempts.
	Evidence  []string  `json:"evidence"`
	TLP       TLP       `json:"tlp"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// FindingNote is one entry of a finding's history: a comment, or a change
// of its status with the rationale.
type FindingNote struct {
	ID        string        `json:"id"`
	FindingID string        `json:"finding_id"`
	UserID    string        `json:"user_id"`
	OrgID     string        `json:"org_id"`
	Action    string        `json:"action"` // comment, confirm, reject, dispute, retest_fixed, …
	Status    FindingStatus `json:"status"` // the finding's status after it
	Text      string        `json:"text"`
	CreatedAt time.Time     `json:"created_at"`
}

// Remediation is how a developer addressed a finding, with the model
// version to retest.
type Remediation struct {
	ID            string          `json:"id"`
	FindingID     string          `json:"finding_id"`
	SubmissionID  string          `json:"submission_id"`
	Type          RemediationType `json:"type"`
	Version       string          `json:"version"`
	EndpointModel string          `json:"endpoint_model,omitempty"` // the new version's model name at the endpoint; empty: unchanged
	Note          string          `json:"note,omitempty"`
	CreatedBy     string          `json:"created_by"`
	CreatedAt     time.Time       `json:"created_at"`
}

// RetestStatus is where a retest stands.
type RetestStatus string

const (
	RetestRunning RetestStatus = "running"
	RetestDone    RetestStatus = "done"
	RetestFailed  RetestStatus = "failed" // the scan could not finish; no verdict
)

// Retest re-runs a finding's failing attempts on a remediated version and
// compares the reproduction rates.
type Retest struct {
	ID            string        `json:"id"`
	FindingID     string        `json:"finding_id"`
	RemediationID string        `json:"remediation_id,omitempty"`
	ScanID        string        `json:"scan_id"`
	Status        RetestStatus  `json:"status"`
	Verdict       string        `json:"verdict,omitempty"` // fixed, partly_fixed, not_fixed
	PValue        float64       `json:"p_value,omitempty"`
	Before        *Reproduction `json:"before,omitempty"`
	After         *Reproduction `json:"after,omitempty"`
	Reason        string        `json:"reason,omitempty"`
	CreatedBy     string        `json:"created_by"`
	CreatedAt     time.Time     `json:"created_at"`
	FinishedAt    time.Time     `json:"finished_at,omitzero"`
}

// ReviewScan ties a scan to the review it belongs to.
type ReviewScan struct {
	ScanID       string    `json:"scan_id"`
	SubmissionID string    `json:"submission_id"`
	Kind         string    `json:"kind"` // "review" or "retest"
	RetestID     string    `json:"retest_id,omitempty"`
	RequestedBy  string    `json:"requested_by"`
	CreatedAt    time.Time `json:"created_at"`
	FinishedAt   time.Time `json:"finished_at,omitzero"`
}
