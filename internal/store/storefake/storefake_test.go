package storefake_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/storefake"
	"github.com/aicc-dev/aicc/internal/store/storetest"
)

// TestSuite runs the suite every store engine passes, so that tests using
// the fake see the behaviour of a real store.
func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return storefake.New() })
}

// The tests below cover what the suite does not: a real engine copies by
// construction, the fake must do it on purpose; and the suite checks that
// bad input fails, not the kind of the error.

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func newScan(id string) *aicc.Scan {
	return &aicc.Scan{ID: id, Status: aicc.ScanRunning, CreatedAt: t0,
		TargetConfig: []byte(`{"a":1}`), Seed: []byte{1, 2, 3}}
}

func newAttempt(scanID, probe string, index int, outcome aicc.Outcome) *aicc.Attempt {
	return &aicc.Attempt{
		ID:       aicc.AttemptID(scanID, probe, index, 0),
		ScanID:   scanID,
		ProbeID:  probe,
		Index:    index,
		Phase:    aicc.PhaseDiscovery,
		Class:    aicc.ClassJailbreak,
		Outcome:  outcome,
		Evidence: json.RawMessage(`{"k":"v"}`),
		Transcript: []aicc.Message{
			{Role: aicc.RoleUser, Content: "hi"},
			{Role: aicc.RoleAssistant, ToolCalls: []aicc.ToolCall{{ID: "c1", Name: "f", Arguments: "{}"}}},
		},
	}
}

func TestCopies(t *testing.T) {
	ctx := context.Background()
	st := storefake.New()

	// Changing what was given does not change what is stored.
	s := newScan("sc_1")
	if err := st.CreateScan(ctx, s); err != nil {
		t.Fatal(err)
	}
	s.Target, s.TargetConfig[0], s.Seed[0] = "changed", 'X', 9
	a := newAttempt("sc_1", "p", 0, aicc.OutcomeHit)
	if err := st.InsertAttempts(ctx, []*aicc.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	a.Outcome, a.Evidence[0] = aicc.OutcomePass, 'X'
	a.Transcript[0].Content, a.Transcript[1].ToolCalls[0].Name = "changed", "changed"
	checkStored(t, st)

	// Changing what was returned does not either.
	got, err := st.GetScan(ctx, "sc_1")
	if err != nil {
		t.Fatal(err)
	}
	got.Status, got.TargetConfig[0], got.Seed[0] = aicc.ScanFailed, 'X', 9
	list, err := st.ListScans(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	list[0].Target, list[0].TargetConfig[0] = "changed", 'X'
	attempts, err := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{})
	if err != nil {
		t.Fatal(err)
	}
	attempts[0].Outcome, attempts[0].Evidence[0] = aicc.OutcomePass, 'X'
	attempts[0].Transcript[0].Content, attempts[0].Transcript[1].ToolCalls[0].Name = "changed", "changed"
	checkStored(t, st)
}

// checkStored fails unless st holds TestCopies' scan and attempt unchanged.
func checkStored(t *testing.T, st *storefake.Store) {
	t.Helper()
	ctx := context.Background()
	s, err := st.GetScan(ctx, "sc_1")
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != aicc.ScanRunning || s.Target != "" || string(s.TargetConfig) != `{"a":1}` ||
		!slices.Equal(s.Seed, []byte{1, 2, 3}) {
		t.Errorf("stored scan changed: %+v", s)
	}
	got, err := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d attempts stored, want 1", len(got))
	}
	a := got[0]
	if a.Outcome != aicc.OutcomeHit || string(a.Evidence) != `{"k":"v"}` ||
		a.Transcript[0].Content != "hi" || a.Transcript[1].ToolCalls[0].Name != "f" {
		t.Errorf("stored attempt changed: %+v", a)
	}
}

// TestAttemptIDsOrder checks that AttemptIDs is in ListAttempts order; the
// suite compares the IDs as a set.
func TestAttemptIDsOrder(t *testing.T) {
	ctx := context.Background()
	st := storefake.New()
	if err := st.CreateScan(ctx, newScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	for _, batch := range [][]*aicc.Attempt{
		{newAttempt("sc_1", "p.b", 10, aicc.OutcomePass), newAttempt("sc_1", "P.c", 0, aicc.OutcomeHit)},
		{newAttempt("sc_1", "p.b", 2, aicc.OutcomeHit), newAttempt("sc_1", "p.a", 1, aicc.OutcomeError)},
	} {
		if err := st.InsertAttempts(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	list, err := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, a := range list {
		want = append(want, a.ProbeID)
	}
	if !slices.Equal(want, []string{"P.c", "p.a", "p.b", "p.b"}) || list[2].Index != 2 {
		t.Errorf("ListAttempts order: probes %v, third index %d", want, list[2].Index)
	}
	ids, err := st.AttemptIDs(ctx, "sc_1")
	if err != nil {
		t.Fatal(err)
	}
	if wantIDs := idsOf(list); !slices.Equal(ids, wantIDs) {
		t.Errorf("AttemptIDs = %v, want ListAttempts order %v", ids, wantIDs)
	}
}

func idsOf(attempts []*aicc.Attempt) []string {
	var out []string
	for _, a := range attempts {
		out = append(out, a.ID)
	}
	return out
}

func TestErrorKinds(t *testing.T) {
	ctx := context.Background()
	st := storefake.New()
	if err := st.CreateScan(ctx, newScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	noCreated := newScan("sc_2")
	noCreated.CreatedAt = time.Time{}
	noID := newAttempt("sc_1", "p", 2, aicc.OutcomePass)
	noID.ID = ""
	tests := []struct {
		name string
		call func() error
		want aicc.ErrorKind
	}{
		{"create nil scan", func() error { return st.CreateScan(ctx, nil) }, aicc.KindInvalid},
		{"create scan without ID", func() error { return st.CreateScan(ctx, newScan("")) }, aicc.KindInvalid},
		{"create scan without CreatedAt", func() error { return st.CreateScan(ctx, noCreated) }, aicc.KindInvalid},
		{"create scan with a used ID", func() error { return st.CreateScan(ctx, newScan("sc_1")) }, aicc.KindConflict},
		{"update nil scan", func() error { return st.UpdateScan(ctx, nil) }, aicc.KindInvalid},
		{"update unknown scan", func() error { return st.UpdateScan(ctx, newScan("sc_x")) }, aicc.KindNotFound},
		{"get unknown scan", func() error { _, err := st.GetScan(ctx, "sc_x"); return err }, aicc.KindNotFound},
		{"insert nil attempt", func() error {
			return st.InsertAttempts(ctx, []*aicc.Attempt{newAttempt("sc_1", "p", 0, aicc.OutcomePass), nil})
		}, aicc.KindInvalid},
		{"insert attempt without ID", func() error {
			return st.InsertAttempts(ctx, []*aicc.Attempt{noID})
		}, aicc.KindInvalid},
		{"insert attempt with unknown outcome", func() error {
			return st.InsertAttempts(ctx, []*aicc.Attempt{newAttempt("sc_1", "p", 0, "bogus")})
		}, aicc.KindInvalid},
		{"insert attempt of unknown scan", func() error {
			return st.InsertAttempts(ctx, []*aicc.Attempt{newAttempt("sc_x", "p", 0, aicc.OutcomePass)})
		}, aicc.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if kind := aicc.KindOf(err); kind != tt.want {
				t.Errorf("got %v (kind %q), want kind %q", err, kind, tt.want)
			}
			if got := errors.Is(err, aicc.ErrNotFound); got != (tt.want == aicc.KindNotFound) {
				t.Errorf("errors.Is(%v, aicc.ErrNotFound) = %v", err, got)
			}
		})
	}
	if n, err := st.ListScans(ctx, 0); err != nil || len(n) != 1 {
		t.Errorf("ListScans = %d scans, %v; want only sc_1", len(n), err)
	}
	if ids, err := st.AttemptIDs(ctx, "sc_1"); err != nil || len(ids) != 0 {
		t.Errorf("AttemptIDs = %v, %v; want none", ids, err)
	}
}

func TestCanceledContext(t *testing.T) {
	st := storefake.New()
	if err := st.CreateScan(context.Background(), newScan("sc_1")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := map[string]func() error{
		"CreateScan": func() error { return st.CreateScan(ctx, newScan("sc_2")) },
		"GetScan":    func() error { _, err := st.GetScan(ctx, "sc_1"); return err },
		"ListScans":  func() error { _, err := st.ListScans(ctx, 0); return err },
		"UpdateScan": func() error { return st.UpdateScan(ctx, newScan("sc_1")) },
		"InsertAttempts": func() error {
			return st.InsertAttempts(ctx, []*aicc.Attempt{newAttempt("sc_1", "p", 0, aicc.OutcomePass)})
		},
		"AttemptIDs":    func() error { _, err := st.AttemptIDs(ctx, "sc_1"); return err },
		"ListAttempts":  func() error { _, err := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{}); return err },
		"CountOutcomes": func() error { _, err := st.CountOutcomes(ctx, "sc_1", ""); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a canceled context: got %v, want context.Canceled", name, err)
		}
	}
	if _, err := st.GetScan(context.Background(), "sc_2"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("CreateScan with a canceled context stored the scan: %v", err)
	}
	if ids, _ := st.AttemptIDs(context.Background(), "sc_1"); len(ids) != 0 {
		t.Errorf("InsertAttempts with a canceled context stored %v", ids)
	}
}
