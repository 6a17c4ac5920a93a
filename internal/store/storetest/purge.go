package storetest

import (
	"context"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

func testPurgeEvidence(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_1")
	createScan(t, st, "sc_2")
	var atts []*aicc.Attempt
	for i := range 3 {
		atts = append(atts, NewAttempt("sc_1", "p", i, 0, aicc.ClassSecretLeakage, aicc.OutcomeHit))
	}
	keep := atts[1].ID
	other := NewAttempt("sc_2", "p", 0, 0, aicc.ClassSecretLeakage, aicc.OutcomeHit)
	if err := st.InsertAttempts(ctx, append(atts, other)); err != nil {
		t.Fatal(err)
	}
	n, err := st.PurgeEvidence(ctx, "sc_1", []string{keep})
	if err != nil || n != 2 {
		t.Fatalf("PurgeEvidence = %d, %v; want 2 attempts purged", n, err)
	}
	got, err := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range got {
		kept := a.ID == keep
		if kept != (len(a.Transcript) > 0) || kept != (a.Evidence != nil) {
			t.Errorf("attempt %s: %d messages, evidence %q after the purge (kept: %v)", a.ID, len(a.Transcript), a.Evidence, kept)
		}
		if a.Outcome == "" || a.ProbeID == "" {
			t.Errorf("attempt %s lost its outcome or probe", a.ID)
		}
	}
	if o, _ := st.ListAttempts(ctx, "sc_2", store.AttemptFilter{}); len(o) != 1 || len(o[0].Transcript) == 0 {
		t.Error("another scan's evidence was purged")
	}
	if n, err := st.PurgeEvidence(ctx, "sc_1", nil); err != nil || n != 1 {
		t.Errorf("second purge = %d, %v; want only the kept attempt", n, err)
	}
}
