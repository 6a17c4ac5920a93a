// Package storefake is an in-memory store.Store for tests of the packages
// that consume a store. It keeps copies of what it is given and returns
// copies, so callers cannot change its contents behind its back, and it
// follows the store contract: not-found is an error, an attempt already
// stored is never replaced, results come in the documented order.
package storefake

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

var _ store.Store = (*Store)(nil)

// Store is an in-memory store.Store, safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	scans    map[string]*aicc.Scan
	attempts map[string][]*aicc.Attempt // by scan ID
	ids      map[string]bool            // every stored attempt ID
}

// New returns an empty store.
func New() *Store {
	return &Store{
		scans:    map[string]*aicc.Scan{},
		attempts: map[string][]*aicc.Attempt{},
		ids:      map[string]bool{},
	}
}

// CreateScan stores a copy of s. Its ID must be unused.
func (st *Store) CreateScan(ctx context.Context, s *aicc.Scan) error {
	if s.ID == "" {
		return aicc.Errorf(aicc.KindInvalid, "create scan: empty ID")
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.scans[s.ID]; ok {
		return aicc.Errorf(aicc.KindConflict, "create scan: scan %q already exists", s.ID)
	}
	st.scans[s.ID] = cloneScan(s)
	return nil
}

// GetScan returns a copy of the scan with the given ID.
func (st *Store) GetScan(ctx context.Context, id string) (*aicc.Scan, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.scans[id]
	if !ok {
		return nil, aicc.Errorf(aicc.KindNotFound, "get scan: scan %q not found", id)
	}
	return cloneScan(s), nil
}

// ListScans returns scans newest first (by CreatedAt, then ID), at most
// limit (0: all).
func (st *Store) ListScans(ctx context.Context, limit int) ([]*aicc.Scan, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]*aicc.Scan, 0, len(st.scans))
	for _, s := range st.scans {
		out = append(out, cloneScan(s))
	}
	slices.SortFunc(out, func(a, b *aicc.Scan) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID, a.ID))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// UpdateScan writes the mutable fields of a stored scan.
func (st *Store) UpdateScan(ctx context.Context, s *aicc.Scan) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	cur, ok := st.scans[s.ID]
	if !ok {
		return aicc.Errorf(aicc.KindNotFound, "update scan: scan %q not found", s.ID)
	}
	cur.Status = s.Status
	cur.StopReason = s.StopReason
	cur.Requests = s.Requests
	cur.InputTokens = s.InputTokens
	cur.OutputTokens = s.OutputTokens
	cur.StartedAt = s.StartedAt
	cur.FinishedAt = s.FinishedAt
	cur.ActiveSeconds = s.ActiveSeconds
	return nil
}

// InsertAttempts stores copies of attempts, all or none. Attempts whose ID
// is already stored are left as they were. Every attempt's scan must exist.
func (st *Store) InsertAttempts(ctx context.Context, attempts []*aicc.Attempt) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, a := range attempts {
		if a.ID == "" {
			return aicc.Errorf(aicc.KindInvalid, "insert attempts: attempt of probe %q has no ID", a.ProbeID)
		}
		if _, ok := st.scans[a.ScanID]; !ok {
			return aicc.Errorf(aicc.KindNotFound, "insert attempts: attempt %s: scan %q not found", a.ID, a.ScanID)
		}
	}
	for _, a := range attempts {
		if st.ids[a.ID] {
			continue
		}
		st.ids[a.ID] = true
		st.attempts[a.ScanID] = append(st.attempts[a.ScanID], cloneAttempt(a))
	}
	return nil
}

// AttemptIDs returns the IDs of a scan's stored attempts, sorted.
func (st *Store) AttemptIDs(ctx context.Context, scanID string) ([]string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	ids := make([]string, 0, len(st.attempts[scanID]))
	for _, a := range st.attempts[scanID] {
		ids = append(ids, a.ID)
	}
	slices.Sort(ids)
	return ids, nil
}

// ListAttempts returns copies of a scan's attempts matching f, ordered by
// probe ID, index, repetition. An unknown scan has no attempts.
func (st *Store) ListAttempts(ctx context.Context, scanID string, f store.AttemptFilter) ([]*aicc.Attempt, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []*aicc.Attempt
	for _, a := range st.attempts[scanID] {
		if f.Outcome != "" && a.Outcome != f.Outcome ||
			f.ProbeID != "" && a.ProbeID != f.ProbeID ||
			len(f.IDs) > 0 && !slices.Contains(f.IDs, a.ID) {
			continue
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *aicc.Attempt) int {
		return cmp.Or(
			cmp.Compare(a.ProbeID, b.ProbeID),
			cmp.Compare(a.Index, b.Index),
			cmp.Compare(a.Repetition, b.Repetition),
			cmp.Compare(a.ID, b.ID),
		)
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	for i, a := range out {
		out[i] = cloneAttempt(a)
	}
	return out, nil
}

// CountOutcomes counts a scan's attempts by outcome and by class. An unknown
// scan has zero counts.
func (st *Store) CountOutcomes(ctx context.Context, scanID string) (*store.OutcomeCounts, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	c := &store.OutcomeCounts{
		ByOutcome: map[aicc.Outcome]int{},
		ByClass:   map[aicc.Class]map[aicc.Outcome]int{},
	}
	for _, a := range st.attempts[scanID] {
		c.Total++
		c.ByOutcome[a.Outcome]++
		if c.ByClass[a.Class] == nil {
			c.ByClass[a.Class] = map[aicc.Outcome]int{}
		}
		c.ByClass[a.Class][a.Outcome]++
	}
	return c, nil
}

// Close does nothing; the store stays usable.
func (st *Store) Close() error { return nil }

func cloneScan(s *aicc.Scan) *aicc.Scan {
	c := *s
	c.TargetConfig = bytes.Clone(s.TargetConfig)
	c.ProtocolSource = bytes.Clone(s.ProtocolSource)
	c.Options = bytes.Clone(s.Options)
	c.Seed = bytes.Clone(s.Seed)
	return &c
}

func cloneAttempt(a *aicc.Attempt) *aicc.Attempt {
	c := *a
	c.Evidence = json.RawMessage(bytes.Clone(a.Evidence))
	c.Transcript = slices.Clone(a.Transcript)
	for i := range c.Transcript {
		c.Transcript[i].ToolCalls = slices.Clone(c.Transcript[i].ToolCalls)
	}
	return &c
}
