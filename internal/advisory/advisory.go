package advisory

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Advisory is one revision of an advisory: a technique and its instances
// in model versions.
type Advisory struct {
	ID       string `json:"id"`       // AICC-YYYY-NNNN, stable across revisions
	Revision int    `json:"revision"` // 1, 2, …; a draft edits revision 1 until it is published
	State    State  `json:"state"`
	Title    string `json:"title"`

	// DeveloperOrgID is the organization whose model the advisory is
	// about; Developer is its name as printed in documents.
	DeveloperOrgID string   `json:"developer_org_id"`
	Developer      string   `json:"developer"`
	SubmissionID   string   `json:"submission_id,omitempty"`
	FindingIDs     []string `json:"finding_ids,omitempty"`

	// The technique.
	Class    aicc.Class    `json:"class"`
	Family   string        `json:"family,omitempty"`
	Taxonomy aicc.Taxonomy `json:"taxonomy"`

	Severity     Severity           `json:"severity"`
	Reproduction *aicc.Reproduction `json:"reproduction,omitempty"`

	Products []Product `json:"products"`
	Packages []Package `json:"packages,omitempty"`

	// The tiers of content, each with its own TLP label and audience.
	Summary Tier `json:"summary"` // the public summary: what, who is affected, what to do
	Details Tier `json:"details"` // the restricted reproduction: how to reproduce, without the payload
	Payload Tier `json:"payload"` // the exploit itself (the prompt)

	Embargo   Embargo    `json:"embargo"`
	Statement *Statement `json:"statement,omitempty"` // the developer's

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// PublishedAt is the initial public release; RevisedAt the current
	// revision's (both zero before publication).
	PublishedAt time.Time `json:"published_at,omitzero"`
	RevisedAt   time.Time `json:"revised_at,omitzero"`
	// WithdrawnAt and WithdrawReason are set once the advisory is withdrawn.
	WithdrawnAt    time.Time `json:"withdrawn_at,omitzero"`
	WithdrawReason string    `json:"withdraw_reason,omitempty"`

	// History lists the published revisions, oldest first.
	History []Revision `json:"history,omitempty"`
}

// Severity is the advisory's severity, from its findings.
type Severity struct {
	CVSSVector string        `json:"cvss_vector,omitempty"` // CVSS 4.0
	CVSSScore  float64       `json:"cvss_score"`
	Rating     aicc.Severity `json:"rating"`
}

// Revision is one published revision.
type Revision struct {
	Number  int       `json:"number"`
	Date    time.Time `json:"date"`
	Summary string    `json:"summary"`
}

// Surface is how a model version is offered.
type Surface string

const (
	SurfaceAPI         Surface = "api"          // an API endpoint
	SurfaceHostedApp   Surface = "hosted_app"   // a hosted application (chat, assistant)
	SurfaceOpenWeights Surface = "open_weights" // downloadable weights
)

// Status is a model version's status with respect to the technique.
type Status string

const (
	StatusAffected           Status = "affected"
	StatusFixed              Status = "fixed"
	StatusNotAffected        Status = "not_affected"
	StatusUnderInvestigation Status = "under_investigation"
)

// Justification says why a version is not affected, in the terms of
// OpenVEX and CSAF's VEX flags.
type Justification string

const (
	JustComponentNotPresent         Justification = "component_not_present"
	JustVulnerableCodeNotPresent    Justification = "vulnerable_code_not_present"
	JustVulnerableCodeNotInExecPath Justification = "vulnerable_code_not_in_execute_path"
	JustCannotBeControlled          Justification = "vulnerable_code_cannot_be_controlled_by_adversary"
	JustInlineMitigations           Justification = "inline_mitigations_already_exist"
)

// Product is one model version and its status.
type Product struct {
	Model   string  `json:"model"`
	Version string  `json:"version"`
	Surface Surface `json:"surface"`
	Status  Status  `json:"status"`
	// Remediation is how a fixed version was fixed (or, for an affected
	// one, the mitigation on offer); Note says more.
	Remediation aicc.RemediationType `json:"remediation,omitempty"`
	Note        string               `json:"note,omitempty"`
	// Justification is required for a version that is not affected.
	Justification Justification `json:"justification,omitempty"`
	// Reproduction holds the figures measured on this version, if any.
	Reproduction *aicc.Reproduction `json:"reproduction,omitempty"`
}

// Key identifies a product within an advisory.
func (p Product) Key() string { return p.Model + "@" + p.Version + "/" + string(p.Surface) }

// Package is a software package in an OSV ecosystem that the technique
// affects (an agent framework, a serving library).
type Package struct {
	Ecosystem  string `json:"ecosystem"` // as OSV names it: PyPI, npm, Go, crates.io, …
	Name       string `json:"name"`
	PURL       string `json:"purl,omitempty"`
	Introduced string `json:"introduced"` // the first affected version, "0" for all earlier
	Fixed      string `json:"fixed,omitempty"`
}

// Statement is the developer's statement attached to an advisory.
type Statement struct {
	Text    string    `json:"text"`
	By      string    `json:"by"` // the user who attached it
	AddedAt time.Time `json:"added_at"`
}

// Limits on text fields.
const (
	maxTitle = 300
	maxText  = 64 << 10
)

// Validate checks an advisory and names the first bad field.
func (a *Advisory) Validate() error {
	bad := func(field, format string, args ...any) error {
		return aicc.Errorf(aicc.KindInvalid, "advisory %s: %s: %s", a.ID, field, fmt.Sprintf(format, args...))
	}
	if _, _, err := ParseID(a.ID); err != nil {
		return err
	}
	if a.Revision < 1 {
		return bad("revision", "must be 1 or more")
	}
	if !a.State.Valid() {
		return bad("state", "unknown state %q", a.State)
	}
	if t := strings.TrimSpace(a.Title); t == "" || len(t) > maxTitle {
		return bad("title", "required, at most %d characters", maxTitle)
	}
	if a.DeveloperOrgID == "" || strings.TrimSpace(a.Developer) == "" {
		return bad("developer", "the developer organization and its name are required")
	}
	if a.Class == "" {
		return bad("class", "required")
	}
	if a.Severity.CVSSScore < 0 || a.Severity.CVSSScore > 10 {
		return bad("severity.cvss_score", "must be between 0 and 10")
	}
	if a.Severity.Rating != "" && !a.Severity.Rating.Valid() {
		return bad("severity.rating", "unknown rating %q", a.Severity.Rating)
	}
	if len(a.Products) == 0 {
		return bad("products", "at least one model version")
	}
	seen := map[string]bool{}
	for i, p := range a.Products {
		if err := p.validate(); err != nil {
			return bad(fmt.Sprintf("products[%d]", i), "%v", err)
		}
		if seen[p.Key()] {
			return bad(fmt.Sprintf("products[%d]", i), "%s is listed twice", p.Key())
		}
		seen[p.Key()] = true
	}
	for i, p := range a.Packages {
		if p.Ecosystem == "" || p.Name == "" || p.Introduced == "" {
			return bad(fmt.Sprintf("packages[%d]", i), "ecosystem, name and introduced are required")
		}
	}
	for name, t := range map[string]Tier{"summary": a.Summary, "details": a.Details, "payload": a.Payload} {
		if err := t.validate(); err != nil {
			return bad(name, "%v", err)
		}
	}
	if strings.TrimSpace(a.Summary.Text) == "" {
		return bad("summary.text", "required")
	}
	if a.Details.TLP.LessRestrictiveThan(a.Summary.TLP) || a.Payload.TLP.LessRestrictiveThan(a.Details.TLP) {
		return bad("tiers", "each tier must be at least as restricted as the one before: summary %s, details %s, payload %s",
			a.Summary.TLP, a.Details.TLP, a.Payload.TLP)
	}
	if err := a.Embargo.validate(); err != nil {
		return bad("embargo", "%v", err)
	}
	for i, r := range a.History {
		if r.Number != i+1 || r.Date.IsZero() {
			return bad(fmt.Sprintf("history[%d]", i), "revisions must be numbered 1, 2, … with dates")
		}
		if i > 0 && r.Date.Before(a.History[i-1].Date) {
			return bad(fmt.Sprintf("history[%d]", i), "dates must not go back")
		}
	}
	if a.State.Public() && (len(a.History) != a.Revision || a.PublishedAt.IsZero()) {
		return bad("history", "a published advisory has one entry per revision (%d entries, revision %d)", len(a.History), a.Revision)
	}
	return nil
}

func (p Product) validate() error {
	switch {
	case strings.TrimSpace(p.Model) == "" || strings.TrimSpace(p.Version) == "":
		return fmt.Errorf("model and version are required")
	case !slices.Contains([]Surface{SurfaceAPI, SurfaceHostedApp, SurfaceOpenWeights}, p.Surface):
		return fmt.Errorf("surface %q: want api, hosted_app or open_weights", p.Surface)
	case !slices.Contains([]Status{StatusAffected, StatusFixed, StatusNotAffected, StatusUnderInvestigation}, p.Status):
		return fmt.Errorf("status %q: want affected, fixed, not_affected or under_investigation", p.Status)
	case p.Status == StatusNotAffected && p.Justification == "":
		return fmt.Errorf("a version that is not affected needs a justification")
	case p.Status == StatusFixed && p.Remediation == "":
		return fmt.Errorf("a fixed version needs its remediation type")
	case p.Remediation != "" && !slices.Contains(aicc.RemediationTypes, p.Remediation):
		return fmt.Errorf("remediation %q is not a known type", p.Remediation)
	}
	return nil
}
