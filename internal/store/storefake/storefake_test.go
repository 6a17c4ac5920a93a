package storefake_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/storefake"
)

func attempt(scanID, probe string, index int, outcome aicc.Outcome, class aicc.Class) *aicc.Attempt {
	return &aicc.Attempt{
		ID:         aicc.AttemptID(scanID, probe, index, 0),
		ScanID:     scanID,
		ProbeID:    probe,
		Index:      index,
		Class:      class,
		Outcome:    outcome,
		Transcript: []aicc.Message{{Role: aicc.RoleUser, Content: "hi"}},
	}
}

func TestScans(t *testing.T) {
	ctx := context.Background()
	st := storefake.New()
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, id := range []string{"sc_a", "sc_b", "sc_c"} {
		if err := st.CreateScan(ctx, &aicc.Scan{ID: id, Status: aicc.ScanRunning, CreatedAt: t0.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateScan(ctx, &aicc.Scan{ID: "sc_a"}); aicc.KindOf(err) != aicc.KindConflict {
		t.Errorf("CreateScan of a used ID: got %v, want a conflict", err)
	}
	if _, err := st.GetScan(ctx, "sc_x"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("GetScan of an unknown ID: got %v, want not found", err)
	}
	if err := st.UpdateScan(ctx, &aicc.Scan{ID: "sc_x"}); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("UpdateScan of an unknown ID: got %v, want not found", err)
	}

	list, err := st.ListScans(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != "sc_c" || list[1].ID != "sc_b" {
		t.Errorf("ListScans(2) = %v, want sc_c, sc_b", ids(list))
	}

	// Only mutable fields change; returned scans are copies.
	if err := st.UpdateScan(ctx, &aicc.Scan{ID: "sc_a", Status: aicc.ScanCompleted, Requests: 7, Target: "changed"}); err != nil {
		t.Fatal(err)
	}
	got, err := st.GetScan(ctx, "sc_a")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != aicc.ScanCompleted || got.Requests != 7 || got.Target != "" {
		t.Errorf("after UpdateScan: status %q requests %d target %q", got.Status, got.Requests, got.Target)
	}
	got.Status = aicc.ScanFailed
	if again, _ := st.GetScan(ctx, "sc_a"); again.Status != aicc.ScanCompleted {
		t.Error("changing a returned scan changed the stored one")
	}
}

func ids(scans []*aicc.Scan) []string {
	var out []string
	for _, s := range scans {
		out = append(out, s.ID)
	}
	return out
}

func TestAttempts(t *testing.T) {
	ctx := context.Background()
	st := storefake.New()
	if err := st.CreateScan(ctx, &aicc.Scan{ID: "sc_1"}); err != nil {
		t.Fatal(err)
	}
	batch := []*aicc.Attempt{
		attempt("sc_1", "p.b", 1, aicc.OutcomeHit, aicc.ClassJailbreak),
		attempt("sc_1", "p.b", 0, aicc.OutcomePass, aicc.ClassJailbreak),
		attempt("sc_1", "p.a", 0, aicc.OutcomeHit, aicc.ClassSecretLeakage),
	}
	if err := st.InsertAttempts(ctx, batch); err != nil {
		t.Fatal(err)
	}

	// A replayed attempt is ignored, not replaced.
	replay := attempt("sc_1", "p.a", 0, aicc.OutcomeError, aicc.ClassSecretLeakage)
	if err := st.InsertAttempts(ctx, []*aicc.Attempt{replay}); err != nil {
		t.Fatal(err)
	}
	// A batch with an attempt of an unknown scan stores nothing.
	bad := []*aicc.Attempt{
		attempt("sc_1", "p.c", 0, aicc.OutcomePass, aicc.ClassJailbreak),
		attempt("sc_x", "p.c", 0, aicc.OutcomePass, aicc.ClassJailbreak),
	}
	if err := st.InsertAttempts(ctx, bad); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("InsertAttempts with an unknown scan: got %v, want not found", err)
	}

	all, err := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, a := range all {
		order = append(order, a.ProbeID+"/"+string(a.Outcome))
	}
	if want := "[p.a/hit p.b/pass p.b/hit]"; fmt.Sprint(order) != want {
		t.Errorf("ListAttempts order = %v, want %v", order, want)
	}

	tests := []struct {
		name string
		f    store.AttemptFilter
		want int
	}{
		{"outcome", store.AttemptFilter{Outcome: aicc.OutcomeHit}, 2},
		{"probe", store.AttemptFilter{ProbeID: "p.b"}, 2},
		{"probe and outcome", store.AttemptFilter{ProbeID: "p.b", Outcome: aicc.OutcomeHit}, 1},
		{"ids", store.AttemptFilter{IDs: []string{batch[0].ID, "at_unknown"}}, 1},
		{"limit", store.AttemptFilter{Limit: 1}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.ListAttempts(ctx, "sc_1", tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("got %d attempts, want %d", len(got), tt.want)
			}
		})
	}

	all[0].Transcript[0].Content = "changed"
	again, _ := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{IDs: []string{all[0].ID}})
	if again[0].Transcript[0].Content != "hi" {
		t.Error("changing a returned attempt changed the stored one")
	}

	idList, err := st.AttemptIDs(ctx, "sc_1")
	if err != nil {
		t.Fatal(err)
	}
	if len(idList) != 3 {
		t.Errorf("AttemptIDs: got %d, want 3", len(idList))
	}

	c, err := st.CountOutcomes(ctx, "sc_1")
	if err != nil {
		t.Fatal(err)
	}
	if c.Total != 3 || c.ByOutcome[aicc.OutcomeHit] != 2 || c.ByOutcome[aicc.OutcomePass] != 1 ||
		c.ByClass[aicc.ClassJailbreak][aicc.OutcomeHit] != 1 || c.ByClass[aicc.ClassSecretLeakage][aicc.OutcomeHit] != 1 {
		t.Errorf("CountOutcomes = %+v", c)
	}
}
