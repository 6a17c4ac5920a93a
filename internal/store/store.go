// Package store defines the persistence boundary of aicc: the repository
// interface every storage engine implements (sqlite now, postgres next) and
// the filters it takes. Engines live in sub-packages; storetest holds the
// one suite every engine must pass. Domain types know nothing of SQL.
package store

import (
	"context"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Store is the repository of scans and attempts.
//
// Not-found is reported as an error for which errors.Is(err, aicc.ErrNotFound)
// is true, never as (nil, nil). Times are stored to the nanosecond and come
// back in UTC; empty byte fields come back nil. Asking for the attempts or
// counts of a scan that has none, or does not exist, returns empty results.
type Store interface {
	// CreateScan inserts a new scan. It must have an ID and a CreatedAt; a
	// used ID is an error of kind aicc.KindConflict.
	CreateScan(ctx context.Context, s *aicc.Scan) error
	// GetScan returns the scan with the given ID.
	GetScan(ctx context.Context, id string) (*aicc.Scan, error)
	// ListScans returns scans, newest first, at most limit (0: all).
	ListScans(ctx context.Context, limit int) ([]*aicc.Scan, error)
	// UpdateScan writes the mutable fields of a scan: Status, StopReason,
	// PlannedAttempts (it grows when a scan's validation phase starts),
	// Requests, InputTokens, OutputTokens, StartedAt, FinishedAt, ActiveSeconds.
	UpdateScan(ctx context.Context, s *aicc.Scan) error

	// InsertAttempts stores completed attempts in one transaction. An attempt
	// whose ID is already stored is left as it was (attempts are evidence and
	// never change), so replaying a batch after a crash is harmless. A batch
	// with an invalid attempt fails as a whole: no ID, an unknown outcome,
	// phase or scan, or a ValidationOf that does not fit the phase (required
	// for validation attempts, empty for discovery ones).
	InsertAttempts(ctx context.Context, attempts []*aicc.Attempt) error
	// AttemptIDs returns the IDs of every stored attempt of a scan, in
	// ListAttempts order.
	AttemptIDs(ctx context.Context, scanID string) ([]string, error)
	// ListAttempts returns a scan's attempts matching f, ordered by probe ID
	// (in byte order, as Go compares strings), index, repetition.
	ListAttempts(ctx context.Context, scanID string, f AttemptFilter) ([]*aicc.Attempt, error)
	// CountOutcomes counts a scan's attempts of one phase (every phase when
	// phase is empty) by outcome, by class and by probe.
	CountOutcomes(ctx context.Context, scanID string, phase aicc.Phase) (*OutcomeCounts, error)
	// PurgeEvidence deletes the transcripts and detector evidence of a
	// scan's attempts, except those whose IDs are in keep, and returns how
	// many attempts lost theirs. The attempts' outcomes, counts and IDs
	// stay: a report can still be built, without transcripts.
	PurgeEvidence(ctx context.Context, scanID string, keep []string) (int, error)
	// DeleteScan deletes a scan and all its attempts (a retention rule's
	// last step); deleting a missing scan is not an error.
	DeleteScan(ctx context.Context, scanID string) error

	Close() error
}

// AttemptFilter narrows ListAttempts. Zero values match everything.
type AttemptFilter struct {
	Outcome      aicc.Outcome // only this outcome
	ProbeID      string       // only this probe
	Phase        aicc.Phase   // only this phase
	ValidationOf string       // only the validation attempts of this hit
	IDs          []string     // only these attempt IDs (nil or empty: any)
	Limit        int          // at most this many (0: all)
	// OmitTranscripts leaves Transcript and Evidence nil, for callers that
	// only tally attempts: far less to read on big scans.
	OmitTranscripts bool
}

// OutcomeCounts is the per-outcome, per-class and per-probe tally of a
// scan's attempts.
type OutcomeCounts struct {
	Total     int
	ByOutcome map[aicc.Outcome]int
	ByClass   map[aicc.Class]map[aicc.Outcome]int
	ByProbe   map[string]map[aicc.Outcome]int // by probe ID
}

// Probe returns the number of attempts of a probe, whatever their outcome.
func (c *OutcomeCounts) Probe(probeID string) int {
	n := 0
	for _, k := range c.ByProbe[probeID] {
		n += k
	}
	return n
}
