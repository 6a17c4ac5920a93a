// Package report builds the report of a scan from the store and writes it
// as text (for terminals), JSON (for programs) or a standalone HTML page
// (for people reviewing the evidence).
//
// A report counts the discovery attempts (the protocol's plan) by outcome
// and by class, groups the discovery hits into findings with
// validate.GroupHits (one finding per class and probe family), and gives
// each finding its reproduction (how often the validation phase's reruns of
// its hits hit again), its CVSS 4.0 base score and its status. Findings are
// ordered by severity (critical first), then class (in the order of
// aicc.Classes), then family. Hits of class cyber_capability are not
// findings: they are tallied per probe in Capabilities.
//
// # Finding status
//
// validate.Confirmed decides it: with validation, a finding is confirmed
// when a deterministic verifier decided one of its hits or successful
// reruns and at least one rerun hit again; without validation, when a
// verifier decided one of its hits. docs/reports.md states the rule for
// users.
//
// Reports must stay cheap on big scans: Build counts outcomes with
// store.CountOutcomes, lists hits without their transcripts, and loads
// transcripts only for up to three example attempts per finding
// (Finding.Examples), which only the HTML report shows.
//
// docs/reports.md describes every field and format for users.
package report

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/validate"
)

// Finding statuses.
const (
	StatusConfirmed   = "confirmed"   // a verifier decided it and, with validation, it reproduced
	StatusUnconfirmed = "unconfirmed" // it rests on judgements only, or did not reproduce
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
	Counts            Counts        `json:"counts"`       // discovery attempts only
	Validation        Validation    `json:"validation"`   // the validation phase
	Classes           []ClassResult `json:"classes"`      // classes of the protocol's probes, in aicc.Classes order; discovery attempts
	Findings          []Finding     `json:"findings"`     // never null
	Capabilities      []Capability  `json:"capabilities"` // never null
	Requests          int64         `json:"requests"`     // both phases
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

// Counts tallies a scan's discovery attempts.
type Counts struct {
	Attempts     int `json:"attempts"` // discovery attempts with an outcome
	Planned      int `json:"planned"`  // discovery attempts the scan planned
	Hit          int `json:"hit"`
	Pass         int `json:"pass"`
	Undetermined int `json:"undetermined"`
	Error        int `json:"error"`
}

// Validation summarises a scan's validation phase.
type Validation struct {
	Reruns   int `json:"reruns"`   // reruns per hit the scan asked for; 0: validation was off
	Planned  int `json:"planned"`  // validation attempts planned; 0 until the phase starts
	Attempts int `json:"attempts"` // validation attempts with an outcome
}

// ClassResult tallies the discovery attempts of one class.
type ClassResult struct {
	Class        aicc.Class `json:"class"`
	Title        string     `json:"title"`
	Attempts     int        `json:"attempts"`
	Hit          int        `json:"hit"`
	Pass         int        `json:"pass"`
	Undetermined int        `json:"undetermined"`
	Error        int        `json:"error"`
}

// Sampling is the sampling a finding's lead probe was sent with: the scan's,
// unless the probe sets its own. Unset values were left to the endpoint.
// Reruns differ in one way: with a seed, rerun r is sent seed+1+r.
type Sampling struct {
	Temperature *float64 `json:"temperature,omitempty"`
	Seed        *int64   `json:"seed,omitempty"`
	MaxTokens   int      `json:"max_tokens,omitempty"`
}

// Finding is a weakness: the discovery hits of one class and probe family.
type Finding struct {
	ID       string        `json:"id"`     // "fd_" + a hash of scan ID, class and family
	Family   string        `json:"family"` // the probe family: probe IDs up to the first dot
	ProbeID  string        `json:"probe_id"`
	Probes   []string      `json:"probes"` // the family's probes that hit, in evidence order
	Class    aicc.Class    `json:"class"`
	Title    string        `json:"title"`    // the lead probe's title, with the number of other probes that hit
	Severity aicc.Severity `json:"severity"` // the most severe of the probes' severities
	Taxonomy aicc.Taxonomy `json:"taxonomy"` // the probes' tags, merged
	Status   string        `json:"status"`   // StatusConfirmed or StatusUnconfirmed
	Detector string        `json:"detector"` // the detector of the lead hit
	Reason   string        `json:"reason"`   // the lead hit's reason
	Hits     int           `json:"hits"`     // discovery hits
	Attempts int           `json:"attempts"` // discovery attempts of the family's probes of this class
	Evidence []string      `json:"evidence"` // IDs of the discovery hits, in store order
	// Reproduction is how often the reruns of the hits hit again; absent
	// when the scan ran without validation.
	Reproduction *validate.Reproduction `json:"reproduction,omitempty"`
	CVSS         *validate.CVSS         `json:"cvss,omitempty"` // the class's default base score
	Sampling     Sampling               `json:"sampling"`

	// Examples holds up to MaxExamples hit attempts with their transcripts,
	// for the HTML report. Attempt text is attacker-controlled: escape it.
	Examples []*aicc.Attempt `json:"-"`
}

// Capability is what the scan showed of one cyber_capability probe: how
// often the model solved its challenge, over both phases.
type Capability struct {
	ProbeID   string  `json:"probe_id"`
	Title     string  `json:"title"`
	Challenge string  `json:"challenge,omitempty"` // the kind of challenge, from the probe ID
	Attempts  int     `json:"attempts"`            // attempts with a verdict, reruns included (errors left out)
	Solved    int     `json:"solved"`              // those that ended as hit
	Rate      float64 `json:"rate"`
	CILow     float64 `json:"ci_low"` // the 95% Wilson interval of Rate
	CIHigh    float64 `json:"ci_high"`
}

// options is the part of a scan's stored options (scan.Options) a report
// reads.
type options struct {
	Repeat      int      `json:"repeat"`
	Reruns      int      `json:"validate"`
	Temperature *float64 `json:"temperature"`
	Seed        *int64   `json:"seed"`
	MaxTokens   int      `json:"max_tokens"`
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
	var opts options
	if len(sc.Options) > 0 {
		if err := json.Unmarshal(sc.Options, &opts); err != nil {
			return nil, fmt.Errorf("build report of scan %s: stored options: %w", scanID, err)
		}
	}
	disc, err := st.CountOutcomes(ctx, scanID, aicc.PhaseDiscovery)
	if err != nil {
		return nil, fmt.Errorf("build report of scan %s: %w", scanID, err)
	}
	val, err := st.CountOutcomes(ctx, scanID, aicc.PhaseValidation)
	if err != nil {
		return nil, fmt.Errorf("build report of scan %s: %w", scanID, err)
	}
	hits, err := st.ListAttempts(ctx, scanID, store.AttemptFilter{Outcome: aicc.OutcomeHit, Phase: aicc.PhaseDiscovery, OmitTranscripts: true})
	if err != nil {
		return nil, fmt.Errorf("build report of scan %s: list hits: %w", scanID, err)
	}
	reproduced, err := st.ListAttempts(ctx, scanID, store.AttemptFilter{Outcome: aicc.OutcomeHit, Phase: aicc.PhaseValidation, OmitTranscripts: true})
	if err != nil {
		return nil, fmt.Errorf("build report of scan %s: list reruns: %w", scanID, err)
	}
	findings := buildFindings(scanID, p, opts, validate.GroupHits(hits, reproduced), disc, val)
	if err := attachExamples(ctx, st, scanID, findings); err != nil {
		return nil, fmt.Errorf("build report of scan %s: %w", scanID, err)
	}

	planned := sc.PlannedAttempts
	if opts.Repeat >= 1 {
		planned = min(planned, p.PlannedAttempts(opts.Repeat))
	}
	r := &Report{
		ScanID:     sc.ID,
		Status:     string(sc.Status),
		StopReason: sc.StopReason,
		Target:     sc.Target,
		Protocol:   ProtocolRef{Name: sc.ProtocolName, Version: sc.ProtocolVersion, Digest: sc.ProtocolDigest},
		Counts: Counts{
			Attempts:     disc.Total,
			Planned:      planned,
			Hit:          disc.ByOutcome[aicc.OutcomeHit],
			Pass:         disc.ByOutcome[aicc.OutcomePass],
			Undetermined: disc.ByOutcome[aicc.OutcomeUndetermined],
			Error:        disc.ByOutcome[aicc.OutcomeError],
		},
		Validation:    Validation{Reruns: opts.Reruns, Planned: sc.PlannedAttempts - planned, Attempts: val.Total},
		Classes:       classResults(p.Probes, disc),
		Findings:      findings,
		Capabilities:  capabilities(p.Probes, disc, val),
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

// classResults tallies the discovery attempts of the classes the
// protocol's probes cover, known classes in aicc.Classes order, then any
// others by name.
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

// buildFindings turns groups of hits into findings, with the protocol's
// metadata, and orders them. Examples are left for attachExamples.
func buildFindings(scanID string, p *protocol.Protocol, opts options, groups []validate.Group, disc, val *store.OutcomeCounts) []Finding {
	findings := make([]Finding, 0, len(groups))
	for _, g := range groups {
		lead := validate.Lead(g.Hits)
		f := Finding{
			ID:       findingID(scanID, g.Key),
			Family:   g.Key.Family,
			ProbeID:  lead.ProbeID,
			Class:    g.Key.Class,
			Title:    lead.ProbeID,
			Detector: lead.Detector,
			Reason:   lead.Reason,
			Hits:     len(g.Hits),
			Evidence: make([]string, len(g.Hits)),
			Sampling: Sampling{Temperature: opts.Temperature, Seed: opts.Seed, MaxTokens: opts.MaxTokens},
		}
		for i, a := range g.Hits {
			f.Evidence[i] = a.ID
			if !slices.Contains(f.Probes, a.ProbeID) {
				f.Probes = append(f.Probes, a.ProbeID)
			}
		}
		for _, id := range f.Probes {
			pr := p.Probe(id)
			if pr == nil {
				continue
			}
			if severityRank(pr.Severity) < severityRank(f.Severity) || f.Severity == "" {
				f.Severity = pr.Severity
			}
			f.Taxonomy = mergeTaxonomy(f.Taxonomy, pr.Taxonomy)
		}
		if pr := p.Probe(lead.ProbeID); pr != nil {
			f.Title = pr.Title
			switch n := len(f.Probes) - 1; {
			case n == 1:
				f.Title += " (+1 more probe)"
			case n > 1:
				f.Title += fmt.Sprintf(" (+%d more probes)", n)
			}
			f.Sampling.Temperature = cmp.Or(pr.Sampling.Temperature, opts.Temperature)
			f.Sampling.MaxTokens = cmp.Or(pr.Sampling.MaxTokens, opts.MaxTokens)
		}
		for _, pr := range p.Probes {
			if pr.Class == g.Key.Class && validate.Family(pr.ID) == g.Key.Family {
				f.Attempts += disc.Probe(pr.ID)
			}
		}
		if opts.Reruns > 0 {
			attempts, successes := 0, 0
			for _, id := range f.Probes {
				n := val.ByProbe[id]
				attempts += n[aicc.OutcomeHit] + n[aicc.OutcomePass] + n[aicc.OutcomeUndetermined]
				successes += n[aicc.OutcomeHit]
			}
			rep := validate.NewReproduction(successes, attempts)
			f.Reproduction = &rep
		}
		if c, ok := validate.ClassCVSS(f.Class); ok {
			f.CVSS = &c
		}
		f.Status = StatusUnconfirmed
		if validate.Confirmed(g, opts.Reruns > 0) {
			f.Status = StatusConfirmed
		}
		findings = append(findings, f)
	}
	slices.SortFunc(findings, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)),
			cmp.Compare(classRank(a.Class), classRank(b.Class)),
			cmp.Compare(a.Family, b.Family),
		)
	})
	return findings
}

// attachExamples loads, in one query, the transcripts of the first
// MaxExamples hits of every finding.
func attachExamples(ctx context.Context, st store.Store, scanID string, findings []Finding) error {
	var ids []string
	for _, f := range findings {
		ids = append(ids, f.Evidence[:min(len(f.Evidence), MaxExamples)]...)
	}
	if len(ids) == 0 {
		return nil
	}
	examples, err := st.ListAttempts(ctx, scanID, store.AttemptFilter{IDs: ids})
	if err != nil {
		return fmt.Errorf("load examples: %w", err)
	}
	byID := make(map[string]*aicc.Attempt, len(examples))
	for _, a := range examples {
		byID[a.ID] = a
	}
	for i := range findings {
		f := &findings[i]
		for _, id := range f.Evidence[:min(len(f.Evidence), MaxExamples)] {
			if a := byID[id]; a != nil {
				f.Examples = append(f.Examples, a)
			}
		}
	}
	return nil
}

// capabilities tallies every cyber_capability probe of the protocol, in
// protocol order, over both phases.
func capabilities(probes []*protocol.Probe, disc, val *store.OutcomeCounts) []Capability {
	out := []Capability{}
	for _, pr := range probes {
		if pr.Class != aicc.ClassCyberCapability {
			continue
		}
		d, v := disc.ByProbe[pr.ID], val.ByProbe[pr.ID]
		solved := d[aicc.OutcomeHit] + v[aicc.OutcomeHit]
		attempts := solved + d[aicc.OutcomePass] + v[aicc.OutcomePass] + d[aicc.OutcomeUndetermined] + v[aicc.OutcomeUndetermined]
		rep := validate.NewReproduction(solved, attempts)
		out = append(out, Capability{
			ProbeID:   pr.ID,
			Title:     pr.Title,
			Challenge: challengeKind(pr),
			Attempts:  attempts,
			Solved:    solved,
			Rate:      rep.Rate,
			CILow:     rep.CILow,
			CIHigh:    rep.CIHigh,
		})
	}
	return out
}

// challengeKind is the kind of challenge a capability probe poses: the
// kind it generates, or for a hand-written challenge the part of its ID
// after the family, with dashes as underscores ("cyber.web-sqli" →
// "web_sqli"); "" when neither says.
func challengeKind(pr *protocol.Probe) string {
	if pr.Challenge != nil && pr.Challenge.Kind != "" {
		return pr.Challenge.Kind
	}
	_, kind, ok := strings.Cut(pr.ID, ".")
	if !ok {
		return ""
	}
	return strings.ReplaceAll(kind, "-", "_")
}

// mergeTaxonomy adds the tags of b that a lacks, keeping a's order.
func mergeTaxonomy(a, b aicc.Taxonomy) aicc.Taxonomy {
	add := func(dst, src []string) []string {
		for _, id := range src {
			if !slices.Contains(dst, id) {
				dst = append(dst, id)
			}
		}
		return dst
	}
	a.OWASP, a.ATLAS, a.CWE = add(a.OWASP, b.OWASP), add(a.ATLAS, b.ATLAS), add(a.CWE, b.CWE)
	return a
}

// findingID derives a finding's ID from its scan, class and family.
func findingID(scanID string, k validate.Key) string {
	sum := sha256.Sum256([]byte(scanID + "\x00" + string(k.Class) + "\x00" + k.Family))
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
