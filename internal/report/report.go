// Package report builds the report of a scan from the store and writes it
// as text (for terminals), JSON (for programs) or a standalone HTML page
// (for people reviewing the evidence).
//
// A report counts every attempt by outcome and by class, and groups the
// attempts that ended as a hit into findings: one finding per probe with at
// least one hit, ordered by severity (critical first), then class (in the
// order of aicc.Classes), then probe ID.
//
// # Finding status
//
// A finding is "confirmed" when at least one of its hits was decided by a
// deterministic verifier: a detector of type canary, regex, tool_policy or
// markdown_exfil, whose verdict anyone can re-check from the transcript.
// Otherwise (every hit was decided by another detector, such as an LLM
// judge) the finding is "unconfirmed". The rule lives in findingStatus; a
// later version adds re-run validation with reproduction rates there.
//
// The detector type of an attempt is the leading identifier of its Detector
// field, so "regex", "regex#2" and "regex:patterns[0]" all count as regex.
//
// Reports must stay cheap on big scans: Build counts outcomes with
// store.CountOutcomes and loads only the attempts of probes that hit.
// Transcripts are attached only to up to three example attempts per finding
// (Finding.Examples), which only the HTML report shows.
//
// docs/reports.md describes every field and format for users.
package report

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
	"github.com/aicc-dev/aicc/internal/store"
)

// Finding statuses.
const (
	StatusConfirmed   = "confirmed"   // a deterministic verifier decided at least one hit
	StatusUnconfirmed = "unconfirmed" // every hit rests on a non-deterministic judgement
)

// MaxExamples is how many hit attempts, with transcripts, a finding keeps as
// examples.
const MaxExamples = 3

// Formats lists the formats Write accepts.
var Formats = []string{"text", "json", "html"}

// Report is the result of one scan.
type Report struct {
	ScanID            string        `json:"scan_id"`
	Status            string        `json:"status"` // an aicc.ScanStatus
	StopReason        string        `json:"stop_reason,omitempty"`
	Target            string        `json:"target"`
	Protocol          ProtocolRef   `json:"protocol"`
	Counts            Counts        `json:"counts"`
	Classes           []ClassResult `json:"classes"`  // classes of the protocol's probes, in aicc.Classes order
	Findings          []Finding     `json:"findings"` // never null
	Requests          int64         `json:"requests"`
	InputTokens       int64         `json:"input_tokens"`
	OutputTokens      int64         `json:"output_tokens"`
	StartedAt         time.Time     `json:"started_at"`
	FinishedAt        time.Time     `json:"finished_at,omitzero"` // absent while the scan has not finished
	ActiveSeconds     float64       `json:"active_seconds"`       // time spent running, summed over resumes
	RequestsPerSecond float64       `json:"requests_per_second"`  // Requests / ActiveSeconds, 0 when none
}

// ProtocolRef names the exact protocol a scan ran.
type ProtocolRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Digest  string `json:"digest"` // "sha256:" + hex of the protocol file
}

// Counts tallies a scan's attempts.
type Counts struct {
	Attempts     int `json:"attempts"` // attempts with an outcome
	Planned      int `json:"planned"`  // attempts the scan planned
	Hit          int `json:"hit"`
	Pass         int `json:"pass"`
	Undetermined int `json:"undetermined"`
	Error        int `json:"error"`
}

// ClassResult tallies the attempts of one class.
type ClassResult struct {
	Class        aicc.Class `json:"class"`
	Title        string     `json:"title"`
	Attempts     int        `json:"attempts"`
	Hit          int        `json:"hit"`
	Pass         int        `json:"pass"`
	Undetermined int        `json:"undetermined"`
	Error        int        `json:"error"`
}

// Finding is a probe that hit at least once in the scan.
type Finding struct {
	ID       string        `json:"id"` // "fd_" + a hash of scan ID and probe ID
	ProbeID  string        `json:"probe_id"`
	Class    aicc.Class    `json:"class"`
	Title    string        `json:"title"` // the probe's title
	Severity aicc.Severity `json:"severity"`
	Taxonomy aicc.Taxonomy `json:"taxonomy"`
	Status   string        `json:"status"`   // StatusConfirmed or StatusUnconfirmed
	Detector string        `json:"detector"` // the detector of the lead hit
	Reason   string        `json:"reason"`   // the lead hit's reason
	Hits     int           `json:"hits"`
	Attempts int           `json:"attempts"` // attempts of the probe in this scan
	Evidence []string      `json:"evidence"` // IDs of the hit attempts, in store order

	// Examples holds up to MaxExamples hit attempts with their transcripts,
	// for the HTML report. Attempt text is attacker-controlled: escape it.
	Examples []*aicc.Attempt `json:"-"`
}

// Build reads a scan from st and builds its report.
func Build(ctx context.Context, st store.Store, scanID string) (*Report, error) {
	sc, err := st.GetScan(ctx, scanID)
	if err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	p, err := protocol.Parse("protocol of scan "+scanID, sc.ProtocolSource)
	if err != nil {
		return nil, fmt.Errorf("build report of scan %s: %w", scanID, err)
	}
	counts, err := st.CountOutcomes(ctx, scanID)
	if err != nil {
		return nil, fmt.Errorf("build report of scan %s: %w", scanID, err)
	}
	hits, err := st.ListAttempts(ctx, scanID, store.AttemptFilter{Outcome: aicc.OutcomeHit})
	if err != nil {
		return nil, fmt.Errorf("build report of scan %s: list hits: %w", scanID, err)
	}
	findings := groupFindings(scanID, p.Probes, hits)
	for i := range findings {
		findings[i].Attempts = counts.ByProbe[findings[i].ProbeID]
	}

	r := &Report{
		ScanID:     sc.ID,
		Status:     string(sc.Status),
		StopReason: sc.StopReason,
		Target:     sc.Target,
		Protocol:   ProtocolRef{Name: sc.ProtocolName, Version: sc.ProtocolVersion, Digest: sc.ProtocolDigest},
		Counts: Counts{
			Attempts:     counts.Total,
			Planned:      sc.PlannedAttempts,
			Hit:          counts.ByOutcome[aicc.OutcomeHit],
			Pass:         counts.ByOutcome[aicc.OutcomePass],
			Undetermined: counts.ByOutcome[aicc.OutcomeUndetermined],
			Error:        counts.ByOutcome[aicc.OutcomeError],
		},
		Classes:       classResults(p.Probes, counts),
		Findings:      findings,
		Requests:      sc.Requests,
		InputTokens:   sc.InputTokens,
		OutputTokens:  sc.OutputTokens,
		StartedAt:     sc.StartedAt,
		FinishedAt:    sc.FinishedAt,
		ActiveSeconds: sc.ActiveSeconds,
	}
	if sc.ActiveSeconds > 0 {
		r.RequestsPerSecond = float64(sc.Requests) / sc.ActiveSeconds
	}
	return r, nil
}

// classResults tallies the classes the protocol's probes cover, known
// classes in aicc.Classes order, then any others by name.
func classResults(probes []*protocol.Probe, counts *store.OutcomeCounts) []ClassResult {
	var classes []aicc.Class
	for _, p := range probes {
		if !slices.Contains(classes, p.Class) {
			classes = append(classes, p.Class)
		}
	}
	slices.SortFunc(classes, func(a, b aicc.Class) int {
		return cmp.Or(cmp.Compare(classRank(a), classRank(b)), cmp.Compare(a, b))
	})
	out := make([]ClassResult, 0, len(classes))
	for _, c := range classes {
		n := counts.ByClass[c]
		out = append(out, ClassResult{
			Class:        c,
			Title:        c.Title(),
			Attempts:     n[aicc.OutcomeHit] + n[aicc.OutcomePass] + n[aicc.OutcomeUndetermined] + n[aicc.OutcomeError],
			Hit:          n[aicc.OutcomeHit],
			Pass:         n[aicc.OutcomePass],
			Undetermined: n[aicc.OutcomeUndetermined],
			Error:        n[aicc.OutcomeError],
		})
	}
	return out
}

// groupFindings groups hit attempts (in store order) by probe and orders the
// findings. Attempts is left for the caller to fill in.
func groupFindings(scanID string, probes []*protocol.Probe, hits []*aicc.Attempt) []Finding {
	probeByID := make(map[string]*protocol.Probe, len(probes))
	for _, p := range probes {
		probeByID[p.ID] = p
	}
	byProbe := map[string][]*aicc.Attempt{}
	var order []string
	for _, a := range hits {
		if byProbe[a.ProbeID] == nil {
			order = append(order, a.ProbeID)
		}
		byProbe[a.ProbeID] = append(byProbe[a.ProbeID], a)
	}
	findings := make([]Finding, 0, len(order))
	for _, id := range order {
		hs := byProbe[id]
		f := Finding{
			ID:       findingID(scanID, id),
			ProbeID:  id,
			Class:    hs[0].Class, // overwritten below when the protocol knows the probe
			Title:    id,
			Status:   findingStatus(hs),
			Hits:     len(hs),
			Evidence: make([]string, len(hs)),
			Examples: slices.Clone(hs[:min(len(hs), MaxExamples)]), // a copy: the other hits can be freed
		}
		if p := probeByID[id]; p != nil {
			f.Class, f.Title, f.Severity, f.Taxonomy = p.Class, p.Title, p.Severity, p.Taxonomy
		}
		lead := leadHit(hs)
		f.Detector, f.Reason = lead.Detector, lead.Reason
		for i, a := range hs {
			f.Evidence[i] = a.ID
		}
		findings = append(findings, f)
	}
	slices.SortFunc(findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)),
			cmp.Compare(classRank(a.Class), classRank(b.Class)),
			cmp.Compare(a.ProbeID, b.ProbeID),
		)
	})
	return findings
}

// findingStatus decides whether a probe's hits confirm the weakness: they
// do when a deterministic verifier decided at least one of them.
func findingStatus(hits []*aicc.Attempt) string {
	for _, a := range hits {
		if a.Outcome == aicc.OutcomeHit && deterministic(a.Detector) {
			return StatusConfirmed
		}
	}
	return StatusUnconfirmed
}

// leadHit is the hit a finding's detector and reason come from: the first
// decided by a deterministic verifier, else the first.
func leadHit(hits []*aicc.Attempt) *aicc.Attempt {
	for _, a := range hits {
		if deterministic(a.Detector) {
			return a
		}
	}
	return hits[0]
}

// deterministic reports whether a detector is a verifier whose verdict is
// re-checkable from the transcript alone.
func deterministic(detector string) bool {
	switch detectorType(detector) {
	case protocol.DetectorCanary, protocol.DetectorRegex, protocol.DetectorToolPolicy, protocol.DetectorMarkdownExfil:
		return true
	}
	return false
}

// detectorType is the leading identifier of a detector's name.
func detectorType(detector string) string {
	end := strings.IndexFunc(detector, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
	})
	if end < 0 {
		return detector
	}
	return detector[:end]
}

// findingID derives a finding's ID from its scan and probe.
func findingID(scanID, probeID string) string {
	sum := sha256.Sum256([]byte(scanID + "\x00" + probeID))
	return "fd_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:10]))
}

var severityOrder = []aicc.Severity{
	aicc.SeverityCritical, aicc.SeverityHigh, aicc.SeverityMedium, aicc.SeverityLow, aicc.SeverityInfo,
}

// severityRank orders severities, critical first, unknown last.
func severityRank(s aicc.Severity) int {
	if i := slices.Index(severityOrder, s); i >= 0 {
		return i
	}
	return len(severityOrder)
}

// classRank orders classes as aicc.Classes does, unknown last.
func classRank(c aicc.Class) int {
	for i, k := range aicc.Classes {
		if k.Class == c {
			return i
		}
	}
	return len(aicc.Classes)
}

// Write writes r to w in format: text, json or html.
func Write(w io.Writer, r *Report, format string) error {
	var err error
	switch format {
	case "text":
		err = writeText(w, r)
	case "json":
		err = writeJSON(w, r)
	case "html":
		err = writeHTML(w, r)
	default:
		return aicc.Errorf(aicc.KindInvalid, "unknown report format %q: use text, json or html", format)
	}
	if err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return nil
}
