package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

func testScanRoundTrip(t *testing.T, st store.Store) {
	ctx := context.Background()
	local := time.FixedZone("UTC+5:30", 5*3600+1800)
	tests := []struct {
		name string
		scan *aicc.Scan
	}{
		{"full", fullScan("sc_full", t0)},
		{"minimal", minimalScan("sc_minimal", t0.Add(time.Second))},
		{"running", func() *aicc.Scan {
			s := fullScan("sc_running", t0.Add(2*time.Second))
			s.Status, s.StopReason, s.FinishedAt = aicc.ScanRunning, "", time.Time{}
			return s
		}()},
		{"local times", func() *aicc.Scan {
			s := fullScan("sc_local", t0.Add(3*time.Second).In(local))
			s.StartedAt = s.StartedAt.In(local)
			return s
		}()},
		{"empty bytes", func() *aicc.Scan {
			s := fullScan("sc_empty", t0.Add(4*time.Second))
			s.TargetConfig, s.ProtocolSource, s.Options, s.Seed = []byte{}, []byte{}, []byte{}, []byte{}
			return s
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := st.CreateScan(ctx, tt.scan); err != nil {
				t.Fatalf("CreateScan: %v", err)
			}
			got, err := st.GetScan(ctx, tt.scan.ID)
			if err != nil {
				t.Fatalf("GetScan: %v", err)
			}
			checkScan(t, got, tt.scan)

			list, err := st.ListScans(ctx, 0)
			if err != nil {
				t.Fatalf("ListScans: %v", err)
			}
			i := slices.IndexFunc(list, func(s *aicc.Scan) bool { return s.ID == tt.scan.ID })
			if i < 0 {
				t.Fatalf("ListScans does not return %s", tt.scan.ID)
			}
			checkScan(t, list[i], tt.scan)
		})
	}
}

func testScanNotFound(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_present")

	_, err := st.GetScan(ctx, "sc_missing")
	if !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("GetScan(missing) error = %v, want one matching aicc.ErrNotFound", err)
	}
	err = st.UpdateScan(ctx, minimalScan("sc_missing", t0))
	if !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("UpdateScan(missing) error = %v, want one matching aicc.ErrNotFound", err)
	}
	if _, err := st.GetScan(ctx, "sc_missing"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("UpdateScan(missing) created the scan")
	}
}

func testCreateScanDuplicate(t *testing.T, st store.Store) {
	ctx := context.Background()
	orig := createScan(t, st, "sc_dup")

	again := minimalScan("sc_dup", t0.Add(time.Hour))
	err := st.CreateScan(ctx, again)
	if err == nil {
		t.Fatal("CreateScan with a used ID succeeded")
	}
	if kind := aicc.KindOf(err); kind != aicc.KindConflict {
		t.Errorf("CreateScan with a used ID: kind %q (%v), want %q", kind, err, aicc.KindConflict)
	}
	got, err := st.GetScan(ctx, "sc_dup")
	if err != nil {
		t.Fatalf("GetScan: %v", err)
	}
	checkScan(t, got, orig)
}

func testCreateScanInvalid(t *testing.T, st store.Store) {
	ctx := context.Background()
	tests := []struct {
		name string
		scan *aicc.Scan
	}{
		{"no id", minimalScan("", t0)},
		{"no created_at", minimalScan("sc_nocreated", time.Time{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := st.CreateScan(ctx, tt.scan); err == nil {
				t.Fatal("CreateScan succeeded")
			}
			list, err := st.ListScans(ctx, 0)
			if err != nil {
				t.Fatalf("ListScans: %v", err)
			}
			if len(list) != 0 {
				t.Errorf("ListScans returns %d scans after a failed CreateScan", len(list))
			}
		})
	}
}

func testUpdateScan(t *testing.T, st store.Store) {
	ctx := context.Background()
	tests := []struct {
		name   string
		before *aicc.Scan
		update func(s *aicc.Scan)
	}{
		{"finish", minimalScan("sc_finish", t0), func(s *aicc.Scan) {
			s.Status = aicc.ScanCompleted
			s.StopReason = "done"
			s.Requests, s.InputTokens, s.OutputTokens = 1<<33, 1<<34, 1<<35
			s.PlannedAttempts = 1500 // the validation phase adds its reruns
			s.StartedAt = t0.Add(time.Second)
			s.FinishedAt = t0.Add(time.Minute + 1)
			s.ActiveSeconds = 59.000000001
		}},
		{"resume clears finish", fullScan("sc_resume", t0), func(s *aicc.Scan) {
			s.Status = aicc.ScanRunning
			s.StopReason = ""
			s.FinishedAt = time.Time{}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := st.CreateScan(ctx, tt.before); err != nil {
				t.Fatalf("CreateScan: %v", err)
			}
			want := *tt.before
			tt.update(&want)

			// Immutable fields are not written, whatever the caller holds.
			arg := want
			arg.Target = "changed"
			arg.TargetConfig = []byte(`{"changed":true}`)
			arg.ProtocolName, arg.ProtocolVersion, arg.ProtocolDigest = "changed", "9.9.9", "sha256:ff"
			arg.ProtocolSource, arg.Options, arg.Seed = []byte("changed"), []byte(`{}`), []byte{9}
			arg.CreatedAt = t0.Add(-time.Hour)
			if err := st.UpdateScan(ctx, &arg); err != nil {
				t.Fatalf("UpdateScan: %v", err)
			}
			got, err := st.GetScan(ctx, want.ID)
			if err != nil {
				t.Fatalf("GetScan: %v", err)
			}
			checkScan(t, got, &want)
		})
	}
}

func testListScans(t *testing.T, st store.Store) {
	ctx := context.Background()
	list, err := st.ListScans(ctx, 0)
	if err != nil {
		t.Fatalf("ListScans on an empty store: %v", err)
	}
	if len(list) != 0 {
		t.Fatalf("ListScans on an empty store returns %d scans", len(list))
	}

	// Created out of order; listed newest first.
	for _, i := range []int{3, 0, 4, 1, 2} {
		s := minimalScan("sc_"+string(rune('a'+i)), t0.Add(time.Duration(i)*time.Nanosecond))
		if err := st.CreateScan(ctx, s); err != nil {
			t.Fatalf("CreateScan: %v", err)
		}
	}
	tests := []struct {
		limit int
		want  []string
	}{
		{0, []string{"sc_e", "sc_d", "sc_c", "sc_b", "sc_a"}},
		{2, []string{"sc_e", "sc_d"}},
		{5, []string{"sc_e", "sc_d", "sc_c", "sc_b", "sc_a"}},
		{9, []string{"sc_e", "sc_d", "sc_c", "sc_b", "sc_a"}},
	}
	for _, tt := range tests {
		list, err := st.ListScans(ctx, tt.limit)
		if err != nil {
			t.Fatalf("ListScans(%d): %v", tt.limit, err)
		}
		var got []string
		for _, s := range list {
			got = append(got, s.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ListScans(%d) = %v, want %v", tt.limit, got, tt.want)
		}
	}
}
