// Package storefake is an in-memory store.Store for tests of the packages
// that consume a store. It passes storetest, the suite every engine passes,
// so it follows the store contract: not-found is an error, an invalid scan
// or batch of attempts is refused whole, an attempt already stored is never
// replaced, times come back in UTC and empty byte fields as nil, and results
// come in the documented order. It keeps copies of what it is given and
// returns copies, so callers cannot change its contents behind its back. Like
// an engine, it fails a call whose context is already done.
package storefake

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

var _ store.Store = (*Store)(nil)

// Store is an in-memory store.Store, safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	scans    map[string]*aicc.Scan
	attempts map[string][]*aicc.Attempt // by scan ID, in ListAttempts order
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

// CreateScan stores a copy of s. It must have an ID and a CreatedAt; a used
// ID is a conflict.
func (st *Store) CreateScan(ctx context.Context, s *aicc.Scan) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch {
	case s == nil:
		return aicc.Errorf(aicc.KindInvalid, "create scan: no scan")
	case s.ID == "":
		return aicc.Errorf(aicc.KindInvalid, "create scan: scan has no ID")
	case s.CreatedAt.IsZero():
		return aicc.Errorf(aicc.KindInvalid, "create scan: scan %q has no CreatedAt", s.ID)
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
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.scans[id]
	if !ok {
		return nil, aicc.Errorf(aicc.KindNotFound, "get scan: scan %q not found", id)
	}
	return cloneScan(s), nil
}

// ListScans returns copies of the scans, newest first (by CreatedAt, then
// ID), at most limit (0: all).
func (st *Store) ListScans(ctx context.Context, limit int) ([]*aicc.Scan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]*aicc.Scan, 0, len(st.scans))
	for _, s := range st.scans {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *aicc.Scan) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), strings.Compare(b.ID, a.ID))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	for i, s := range out {
		out[i] = cloneScan(s)
	}
	return out, nil
}

// UpdateScan writes the mutable fields of a stored scan: Status, StopReason,
// PlannedAttempts, Requests, InputTokens, OutputTokens, StartedAt,
// FinishedAt, ActiveSeconds.
func (st *Store) UpdateScan(ctx context.Context, s *aicc.Scan) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s == nil {
		return aicc.Errorf(aicc.KindInvalid, "update scan: no scan")
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	cur, ok := st.scans[s.ID]
	if !ok {
		return aicc.Errorf(aicc.KindNotFound, "update scan: scan %q not found", s.ID)
	}
	cur.Status = s.Status
	cur.StopReason = s.StopReason
	cur.PlannedAttempts = s.PlannedAttempts
	cur.Requests = s.Requests
	cur.InputTokens = s.InputTokens
	cur.OutputTokens = s.OutputTokens
	cur.StartedAt = utc(s.StartedAt)
	cur.FinishedAt = utc(s.FinishedAt)
	cur.ActiveSeconds = s.ActiveSeconds
	return nil
}

// InsertAttempts stores copies of attempts, all or none. Attempts whose ID
// is already stored, earlier or in the same batch, are left as they were. A
// batch with an invalid attempt (nil, no ID, an unknown outcome, phase or
// scan, a ValidationOf that does not fit the phase) is refused whole with an
// error of kind aicc.KindInvalid.
func (st *Store) InsertAttempts(ctx context.Context, attempts []*aicc.Attempt) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	for i, a := range attempts {
		switch {
		case a == nil:
			return aicc.Errorf(aicc.KindInvalid, "insert attempts: attempt %d is nil", i)
		case a.ID == "":
			return aicc.Errorf(aicc.KindInvalid, "insert attempts: attempt %d (probe %q) has no ID", i, a.ProbeID)
		case !a.Outcome.Valid():
			return aicc.Errorf(aicc.KindInvalid, "insert attempts: attempt %s has invalid outcome %q", a.ID, a.Outcome)
		case !a.Phase.Valid():
			return aicc.Errorf(aicc.KindInvalid, "insert attempts: attempt %s has invalid phase %q", a.ID, a.Phase)
		case (a.Phase == aicc.PhaseValidation) != (a.ValidationOf != ""):
			return aicc.Errorf(aicc.KindInvalid, "insert attempts: attempt %s: validation_of %q does not fit phase %s", a.ID, a.ValidationOf, a.Phase)
		}
		if _, ok := st.scans[a.ScanID]; !ok {
			return aicc.Errorf(aicc.KindInvalid, "insert attempts: attempt %s is of unknown scan %q", a.ID, a.ScanID)
		}
	}
	changed := map[string]bool{}
	for _, a := range attempts {
		if st.ids[a.ID] {
			continue
		}
		st.ids[a.ID] = true
		st.attempts[a.ScanID] = append(st.attempts[a.ScanID], cloneAttempt(a))
		changed[a.ScanID] = true
	}
	for scanID := range changed {
		slices.SortFunc(st.attempts[scanID], compareAttempts)
	}
	return nil
}

// compareAttempts is ListAttempts order: probe ID (in byte order), index,
// repetition, then ID.
func compareAttempts(a, b *aicc.Attempt) int {
	return cmp.Or(
		strings.Compare(a.ProbeID, b.ProbeID),
		cmp.Compare(a.Index, b.Index),
		cmp.Compare(a.Repetition, b.Repetition),
		strings.Compare(a.ID, b.ID),
	)
}

// AttemptIDs returns the IDs of a scan's stored attempts, in ListAttempts
// order. An unknown scan has none.
func (st *Store) AttemptIDs(ctx context.Context, scanID string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	var ids []string
	for _, a := range st.attempts[scanID] {
		ids = append(ids, a.ID)
	}
	return ids, nil
}

// ListAttempts returns copies of a scan's attempts matching f, ordered by
// probe ID, index, repetition. An unknown scan has none.
func (st *Store) ListAttempts(ctx context.Context, scanID string, f store.AttemptFilter) ([]*aicc.Attempt, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var want map[string]bool
	if len(f.IDs) > 0 {
		want = make(map[string]bool, len(f.IDs))
		for _, id := range f.IDs {
			want[id] = true
		}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []*aicc.Attempt
	for _, a := range st.attempts[scanID] {
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
		if f.Outcome != "" && a.Outcome != f.Outcome ||
			f.ProbeID != "" && a.ProbeID != f.ProbeID ||
			f.Phase != "" && a.Phase != f.Phase ||
			f.ValidationOf != "" && a.ValidationOf != f.ValidationOf ||
			want != nil && !want[a.ID] {
			continue
		}
		c := cloneAttempt(a)
		if f.OmitTranscripts {
			c.Transcript, c.Evidence = nil, nil
		}
		out = append(out, c)
	}
	return out, nil
}

// CountOutcomes counts a scan's attempts of one phase (every phase when
// phase is empty) by outcome, by class and by probe. An unknown scan has
// zero counts.
func (st *Store) CountOutcomes(ctx context.Context, scanID string, phase aicc.Phase) (*store.OutcomeCounts, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	c := &store.OutcomeCounts{
		ByOutcome: map[aicc.Outcome]int{},
		ByClass:   map[aicc.Class]map[aicc.Outcome]int{},
		ByProbe:   map[string]map[aicc.Outcome]int{},
	}
	for _, a := range st.attempts[scanID] {
		if phase != "" && a.Phase != phase {
			continue
		}
		c.Total++
		if c.ByProbe[a.ProbeID] == nil {
			c.ByProbe[a.ProbeID] = map[aicc.Outcome]int{}
		}
		c.ByProbe[a.ProbeID][a.Outcome]++
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

// cloneScan returns a deep copy of s, as an engine would store it: times in
// UTC, empty byte fields nil.
func cloneScan(s *aicc.Scan) *aicc.Scan {
	c := *s
	c.TargetConfig = cloneBytes(s.TargetConfig)
	c.ProtocolSource = cloneBytes(s.ProtocolSource)
	c.Options = cloneBytes(s.Options)
	c.Seed = cloneBytes(s.Seed)
	c.CreatedAt = utc(s.CreatedAt)
	c.StartedAt = utc(s.StartedAt)
	c.FinishedAt = utc(s.FinishedAt)
	return &c
}

// cloneAttempt returns a deep copy of a, as an engine would store it: times
// in UTC, empty evidence nil.
func cloneAttempt(a *aicc.Attempt) *aicc.Attempt {
	c := *a
	c.Evidence = json.RawMessage(cloneBytes(a.Evidence))
	c.Transcript = slices.Clone(a.Transcript)
	for i := range c.Transcript {
		c.Transcript[i].ToolCalls = slices.Clone(c.Transcript[i].ToolCalls)
	}
	c.StartedAt = utc(a.StartedAt)
	c.FinishedAt = utc(a.FinishedAt)
	return &c
}

// cloneBytes copies b; empty is nil.
func cloneBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return bytes.Clone(b)
}

// utc is t in UTC without a monotonic reading; the zero time stays zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// PurgeEvidence empties the transcript and evidence of a scan's attempts
// except the kept ones.
func (st *Store) PurgeEvidence(ctx context.Context, scanID string, keep []string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	n := 0
	for _, a := range st.attempts[scanID] {
		if slices.Contains(keep, a.ID) || (len(a.Transcript) == 0 && a.Evidence == nil) {
			continue
		}
		a.Transcript, a.Evidence = nil, nil
		n++
	}
	return n, nil
}

// DeleteScan deletes a scan and its attempts.
func (st *Store) DeleteScan(ctx context.Context, scanID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.attempts, scanID)
	delete(st.scans, scanID)
	return nil
}
