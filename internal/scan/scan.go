package scan

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
)

// MaxReruns is the most reruns per hit a scan may ask for.
const MaxReruns = 100

// Options are the settings that define what a scan does. They are stored
// with the scan, so that a resumed scan runs the same plan.
type Options struct {
	Repeat      int      `json:"repeat"`                // repetitions of every attempt (≥ 1)
	Reruns      int      `json:"validate"`              // reruns of every hit in the validation phase (0: none, at most MaxReruns)
	Temperature *float64 `json:"temperature,omitempty"` // sent unless a probe sets its own
	Seed        *int64   `json:"seed,omitempty"`        // sampling seed sent to the endpoint
	MaxTokens   int      `json:"max_tokens,omitempty"`  // per response, unless a probe sets its own
	// Budgets for the whole scan, over all its runs; 0 means none. A resumed
	// scan may be given larger ones.
	BudgetRequests int64 `json:"budget_requests,omitempty"`
	BudgetTokens   int64 `json:"budget_tokens,omitempty"`
	// Only, when set, limits the plan to these attempts of the protocol
	// (each repeated Repeat times): a retest re-runs exactly the probes and
	// variants that failed.
	Only []AttemptRef `json:"only,omitempty"`
}

// AttemptRef names one planned attempt of a protocol: a probe and one of
// its variants.
type AttemptRef struct {
	ProbeID string `json:"probe"`
	Index   int    `json:"index"`
}

// includes reports whether the plan holds the attempt of probe and index.
func (o Options) includes(probeID string, index int) bool {
	if len(o.Only) == 0 {
		return true
	}
	for _, r := range o.Only {
		if r.ProbeID == probeID && r.Index == index {
			return true
		}
	}
	return false
}

// Planned is the number of discovery attempts the options plan for p.
func (o Options) Planned(p *protocol.Protocol) int {
	if len(o.Only) == 0 {
		return p.PlannedAttempts(o.Repeat)
	}
	n := 0
	for _, pr := range p.Probes {
		for i := range pr.NumVariants() {
			if o.includes(pr.ID, i) {
				n += o.Repeat
			}
		}
	}
	return n
}

// CheckOnly checks that every attempt Only names exists in p.
func (o Options) CheckOnly(p *protocol.Protocol) error {
	for _, r := range o.Only {
		pr := p.Probe(r.ProbeID)
		if pr == nil {
			return aicc.Errorf(aicc.KindInvalid, "only: protocol %s has no probe %q", p.Name, r.ProbeID)
		}
		if r.Index < 0 || r.Index >= pr.NumVariants() {
			return aicc.Errorf(aicc.KindInvalid, "only: probe %s has no variant %d", r.ProbeID, r.Index)
		}
	}
	return nil
}

// Validate names the first bad field.
func (o Options) Validate() error {
	switch {
	case o.Repeat < 1:
		return aicc.Errorf(aicc.KindInvalid, "repeat must be at least 1, got %d", o.Repeat)
	case o.Repeat > 1_000_000:
		return aicc.Errorf(aicc.KindInvalid, "repeat must be at most 1000000, got %d", o.Repeat)
	case o.Reruns < 0 || o.Reruns > MaxReruns:
		return aicc.Errorf(aicc.KindInvalid, "validate must be between 0 and %d reruns per hit, got %d", MaxReruns, o.Reruns)
	case o.Temperature != nil && (*o.Temperature < 0 || *o.Temperature > 2):
		return aicc.Errorf(aicc.KindInvalid, "temperature must be between 0 and 2, got %g", *o.Temperature)
	case o.MaxTokens < 0:
		return aicc.Errorf(aicc.KindInvalid, "max tokens must not be negative, got %d", o.MaxTokens)
	case o.BudgetRequests < 0:
		return aicc.Errorf(aicc.KindInvalid, "request budget must not be negative, got %d", o.BudgetRequests)
	case o.BudgetTokens < 0:
		return aicc.Errorf(aicc.KindInvalid, "token budget must not be negative, got %d", o.BudgetTokens)
	}
	return nil
}

// NewScan builds the record of a new scan of protocol p against a target.
// targetDesc must not contain credentials; targetConfig is what a resume
// needs to reach the target again (also without credentials).
func NewScan(p *protocol.Protocol, targetDesc string, targetConfig []byte, opts Options, now time.Time) (*aicc.Scan, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := opts.CheckOnly(p); err != nil {
		return nil, err
	}
	optJSON, err := json.Marshal(opts)
	if err != nil {
		return nil, fmt.Errorf("encode scan options: %w", err)
	}
	seed := make([]byte, 32)
	rand.Read(seed) // never fails (crypto/rand)
	return &aicc.Scan{
		ID:              NewScanID(now),
		Status:          aicc.ScanRunning,
		Target:          targetDesc,
		TargetConfig:    targetConfig,
		ProtocolName:    p.Name,
		ProtocolVersion: p.Version,
		ProtocolDigest:  p.Digest,
		ProtocolSource:  p.Source,
		Options:         optJSON,
		Seed:            seed,
		PlannedAttempts: opts.Planned(p), // the validation phase adds its reruns
		CreatedAt:       now.UTC(),
		StartedAt:       now.UTC(),
	}, nil
}

// NewScanID returns a new scan ID: sortable by creation time, with 40 random bits.
func NewScanID(now time.Time) string {
	var b [5]byte
	rand.Read(b[:])
	r := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
	return "sc_" + now.UTC().Format("20060102t150405") + "_" + r
}

// DecodeOptions reads the options stored with a scan.
func DecodeOptions(s *aicc.Scan) (Options, error) {
	var o Options
	if err := json.Unmarshal(s.Options, &o); err != nil {
		return o, fmt.Errorf("scan %s: stored options: %w", s.ID, err)
	}
	return o, nil
}
