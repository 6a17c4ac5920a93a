// Package storetest is the one suite every store engine must pass (SQLite
// always, PostgreSQL when a server is available), so that the engines cannot
// drift apart. An engine's test calls Run with a function that opens a new,
// empty store.
package storetest

import (
	"testing"

	"github.com/aicc-dev/aicc/internal/store"
)

// Run runs the suite. open must return a new, empty store each time it is
// called; Run closes it when the test using it ends.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, st store.Store)
	}{
		{"ScanRoundTrip", testScanRoundTrip},
		{"ScanNotFound", testScanNotFound},
		{"CreateScanDuplicate", testCreateScanDuplicate},
		{"CreateScanInvalid", testCreateScanInvalid},
		{"UpdateScan", testUpdateScan},
		{"ListScans", testListScans},
		{"AttemptRoundTrip", testAttemptRoundTrip},
		{"InsertAttemptsIdempotent", testInsertAttemptsIdempotent},
		{"InsertAttemptsAtomic", testInsertAttemptsAtomic},
		{"AttemptIDs", testAttemptIDs},
		{"ListAttemptsFilter", testListAttemptsFilter},
		{"ListAttemptsOmitTranscripts", testListAttemptsOmitTranscripts},
		{"ListAttemptsManyIDs", testListAttemptsManyIDs},
		{"CountOutcomes", testCountOutcomes},
		{"ScanIsolation", testScanIsolation},
		{"ConcurrentReadWrite", testConcurrentReadWrite},
		{"PurgeEvidence", testPurgeEvidence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() {
				if err := st.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tt.run(t, st)
		})
	}
}
