package aicc

import "time"

// ReviewState is where a voluntary pre-release review stands. No state
// approves, denies, licenses or blocks a release: the review is advisory,
// and a model may be released whatever its state.
type ReviewState string

const (
	ReviewSubmitted      ReviewState = "submitted"
	ReviewTriaged        ReviewState = "triaged"
	ReviewScanning       ReviewState = "scanning"
	ReviewValidating     ReviewState = "validating"
	ReviewFindingsShared ReviewState = "findings_shared"
	ReviewRemediation    ReviewState = "remediation"
	ReviewRetest         ReviewState = "retest"
	ReviewComplete       ReviewState = "review_complete"
	ReviewWithdrawn      ReviewState = "withdrawn"
	ReviewReleased       ReviewState = "released"
)

// ReviewStates lists every state in workflow order.
var ReviewStates = []ReviewState{
	ReviewSubmitted, ReviewTriaged, ReviewScanning, ReviewValidating, ReviewFindingsShared,
	ReviewRemediation, ReviewRetest, ReviewComplete, ReviewWithdrawn, ReviewReleased,
}

// Valid reports whether s is a known state.
func (s ReviewState) Valid() bool {
	for _, v := range ReviewStates {
		if s == v {
			return true
		}
	}
	return false
}

// Open reports whether a review in state s is still running: not complete,
// withdrawn or released.
func (s ReviewState) Open() bool {
	return s.Valid() && s != ReviewComplete && s != ReviewWithdrawn && s != ReviewReleased
}

// Modality is a kind of input or output a model handles.
type Modality string

// ComputeEstimate is a model's training compute as the developer reports
// it: total operations (integer or floating point), how it was estimated,
// and the relative uncertainty (0.3 = ±30 %).
type ComputeEstimate struct {
	Operations  float64 `json:"operations"`
	Method      string  `json:"method"` // e.g. "6ND", "hardware-hours", "reported-by-provider"
	Uncertainty float64 `json:"uncertainty"`
}

// ModelFacts are what a developer declares about a model version for
// coverage: the facts coverage policies are evaluated on.
type ModelFacts struct {
	Modalities    []Modality       `json:"modalities,omitempty"`
	Compute       *ComputeEstimate `json:"training_compute,omitempty"`
	OpenWeights   bool             `json:"open_weights"`
	DeveloperSize string           `json:"developer_size,omitempty"` // "small", "medium", "large"
	// AnnualRevenueUSD is the developer's annual revenue, for rules that
	// depend on it (e.g. California SB 53's large frontier developer).
	AnnualRevenueUSD float64 `json:"annual_revenue_usd,omitempty"`
	// Capabilities holds capability results by name (e.g. "cyber_capability"
	// → solve rate), for policies that use them.
	Capabilities map[string]float64 `json:"capabilities,omitempty"`
}

// ConsentScope is what the developer allows the clearinghouse to do with a
// submission. Everything not consented to is not done.
type ConsentScope struct {
	// Classes the developer allows to be probed; empty means all.
	Classes []Class `json:"classes,omitempty"`
	// MaxRequests caps the requests the clearinghouse may send to the
	// endpoint over the whole review (0: no cap beyond each scan's budget).
	MaxRequests int64 `json:"max_requests,omitempty"`
	// ShareWithAgencies allows findings to be shared with agency
	// organizations during the review.
	ShareWithAgencies bool `json:"share_with_agencies"`
}

// Endpoint is where the model under review is reached. Its credential is
// never part of it: credentials are kept encrypted apart and never returned.
type Endpoint struct {
	Provider string `json:"provider"` // openai, anthropic, http
	BaseURL  string `json:"base_url"`
	Model    string `json:"model"`
	// AuthHeader, when set, is the header that carries the credential
	// instead of the provider's: "api-key", or "Authorization: Token".
	AuthHeader string `json:"auth_header,omitempty"`
	// MaxTokensParam is "max_completion_tokens" for OpenAI's reasoning
	// models, which refuse max_tokens ("": max_tokens).
	MaxTokensParam string `json:"max_tokens_param,omitempty"`
}

// Submission is an unreleased model version submitted for voluntary
// pre-release review, and the review that follows.
type Submission struct {
	ID          string       `json:"id"`
	OrgID       string       `json:"org_id"` // the developer organization
	Model       string       `json:"model"`
	Version     string       `json:"version"`
	Facts       ModelFacts   `json:"facts"`
	ReleaseDate time.Time    `json:"release_date"` // planned public release (a date, UTC midnight)
	Endpoint    Endpoint     `json:"endpoint"`
	Consent     ConsentScope `json:"consent"`
	State       ReviewState  `json:"state"`
	// HasCredential reports whether an endpoint credential is held; the
	// credential itself is never returned.
	HasCredential bool      `json:"has_credential"`
	SubmittedAt   time.Time `json:"submitted_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	ClosedAt      time.Time `json:"closed_at,omitzero"`
	CreatedBy     string    `json:"created_by"`
}

// FindingStatus is where a finding of a review stands.
type FindingStatus string

const (
	FindingNew       FindingStatus = "new"       // found by a scan, not yet judged by an analyst
	FindingConfirmed FindingStatus = "confirmed" // an analyst confirmed it
	FindingRejected  FindingStatus = "rejected"  // an analyst rejected it (false positive)
	FindingDisputed  FindingStatus = "disputed"  // the developer disputes it
	FindingFixed     FindingStatus = "fixed"     // a retest showed it fixed
	FindingPartial   FindingStatus = "partly_fixed"
	FindingNotFixed  FindingStatus = "not_fixed"
)

// RemediationType is how a developer addressed a finding.
type RemediationType string

const (
	RemediationWeights      RemediationType = "weights_retrained"
	RemediationGuardrail    RemediationType = "guardrail" // safety classifier or guardrail
	RemediationSystemPrompt RemediationType = "system_prompt"
	RemediationTool         RemediationType = "tool_permission" // tool or permission change
	RemediationServing      RemediationType = "serving_mitigation"
)

// RemediationTypes lists every remediation type.
var RemediationTypes = []RemediationType{RemediationWeights, RemediationGuardrail, RemediationSystemPrompt, RemediationTool, RemediationServing}

// Valid reports whether t is a known remediation type.
func (t RemediationType) Valid() bool {
	for _, v := range RemediationTypes {
		if t == v {
			return true
		}
	}
	return false
}
