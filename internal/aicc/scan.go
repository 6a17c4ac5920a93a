package aicc

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"strings"
	"time"
)

// Outcome is how an attempt ended. Every attempt ends as exactly one.
type Outcome string

const (
	OutcomeHit          Outcome = "hit"          // a detector proved the weakness
	OutcomePass         Outcome = "pass"         // the detectors found the model resisted
	OutcomeUndetermined Outcome = "undetermined" // the detectors could not decide
	OutcomeError        Outcome = "error"        // the attempt could not be completed
)

// Valid reports whether o is one of the four outcomes.
func (o Outcome) Valid() bool {
	switch o {
	case OutcomeHit, OutcomePass, OutcomeUndetermined, OutcomeError:
		return true
	}
	return false
}

// Taxonomy tags a probe or finding with edition-qualified identifiers.
type Taxonomy struct {
	OWASP []string `json:"owasp,omitempty" yaml:"owasp,omitempty"` // e.g. LLM01:2025
	ATLAS []string `json:"atlas,omitempty" yaml:"atlas,omitempty"` // e.g. AML.T0051.000
	CWE   []string `json:"cwe,omitempty" yaml:"cwe,omitempty"`     // e.g. CWE-77
}

// Severity is a coarse severity label.
type Severity string

const (
	SeverityInfo     Severity = "info"
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool {
	switch s {
	case SeverityInfo, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical:
		return true
	}
	return false
}

// ScanStatus is the lifecycle state of a scan.
type ScanStatus string

const (
	ScanRunning     ScanStatus = "running"     // started; may have been interrupted (resume it)
	ScanInterrupted ScanStatus = "interrupted" // stopped by cancellation or a budget; resumable
	ScanCompleted   ScanStatus = "completed"   // every planned attempt has an outcome
	ScanFailed      ScanStatus = "failed"      // stopped by an error that a resume will not fix
)

// Scan is one run of a protocol against a target.
type Scan struct {
	ID              string     `json:"id"`
	Status          ScanStatus `json:"status"`
	Target          string     `json:"target"` // a description without credentials, e.g. "openai http://127.0.0.1:8080/v1 model=refmodel-1.0"
	TargetConfig    []byte     `json:"-"`      // JSON of the target settings needed to resume (never credentials)
	ProtocolName    string     `json:"protocol_name"`
	ProtocolVersion string     `json:"protocol_version"`
	ProtocolDigest  string     `json:"protocol_digest"`
	ProtocolSource  []byte     `json:"-"` // the exact protocol bytes, so resume runs the same plan
	Options         []byte     `json:"-"` // JSON of the scan options (repeat, budgets, sampling)
	Seed            []byte     `json:"-"` // random bytes the scan derives canaries from
	PlannedAttempts int        `json:"planned_attempts"`
	Requests        int64      `json:"requests"` // every request sent, retries included, over all runs
	InputTokens     int64      `json:"input_tokens"`
	OutputTokens    int64      `json:"output_tokens"`
	StopReason      string     `json:"stop_reason,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	StartedAt       time.Time  `json:"started_at"`
	FinishedAt      time.Time  `json:"finished_at,omitzero"`
	ActiveSeconds   float64    `json:"active_seconds"` // time spent running, summed over resumes
}

// Phase is the part of a scan an attempt belongs to.
type Phase string

const (
	// PhaseDiscovery attempts are the protocol's plan: every probe × variant
	// × repetition.
	PhaseDiscovery Phase = "discovery"
	// PhaseValidation attempts re-run a discovery hit, with fresh canaries,
	// to measure how often it reproduces.
	PhaseValidation Phase = "validation"
)

// Valid reports whether p is one of the two phases.
func (p Phase) Valid() bool { return p == PhaseDiscovery || p == PhaseValidation }

// Attempt is one completed attempt: evidence that is never edited.
type Attempt struct {
	ID         string `json:"id"`
	ScanID     string `json:"scan_id"`
	ProbeID    string `json:"probe_id"`
	Index      int    `json:"index"`      // which variant of the probe
	Repetition int    `json:"repetition"` // which repetition of that variant; for a validation attempt, which rerun of its hit
	Phase      Phase  `json:"phase"`
	// ValidationOf is, for a validation attempt, the ID of the discovery hit
	// it re-runs; empty for discovery attempts.
	ValidationOf string          `json:"validation_of,omitempty"`
	Class        Class           `json:"class"`
	Outcome      Outcome         `json:"outcome"`
	Reason       string          `json:"reason,omitempty"`   // why: the error, or the detector's one-line verdict
	Detector     string          `json:"detector,omitempty"` // the detector that decided
	Evidence     json.RawMessage `json:"evidence,omitempty"`
	Transcript   []Message       `json:"transcript"` // everything sent and received, in order
	Requests     int             `json:"requests"`   // requests sent for this attempt, retries included
	InputTokens  int             `json:"input_tokens"`
	OutputTokens int             `json:"output_tokens"`
	StartedAt    time.Time       `json:"started_at"`
	FinishedAt   time.Time       `json:"finished_at"`
}

// AttemptID derives the deterministic ID of an attempt from its scan, probe,
// variant index and repetition, so a resumed scan recognises what it did.
func AttemptID(scanID, probeID string, index, repetition int) string {
	h := sha256.New()
	h.Write([]byte(scanID))
	h.Write([]byte{0})
	h.Write([]byte(probeID))
	h.Write([]byte{0})
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(index))
	binary.BigEndian.PutUint64(b[8:], uint64(repetition))
	h.Write(b[:])
	sum := h.Sum(nil)
	return "at_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:15]))
}

// ValidationID derives the deterministic ID of rerun number rerun (from 0)
// of the discovery hit hitID, so a resumed scan recognises the reruns it
// did. The hash input starts with a label of its own, so it never equals the
// input of an AttemptID.
func ValidationID(scanID, hitID string, rerun int) string {
	h := sha256.New()
	h.Write([]byte("aicc validation\x00"))
	h.Write([]byte(scanID))
	h.Write([]byte{0})
	h.Write([]byte(hitID))
	h.Write([]byte{0})
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(rerun))
	h.Write(b[:])
	sum := h.Sum(nil)
	return "at_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:15]))
}
