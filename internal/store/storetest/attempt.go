package storetest

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

func testAttemptRoundTrip(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_1")

	full := NewAttempt("sc_1", "pi.tool", 0, 0, aicc.ClassToolMisuse, aicc.OutcomeHit)
	bare := &aicc.Attempt{ // no evidence, no transcript, no times
		ID: "at_bare", ScanID: "sc_1", ProbeID: "pi.tool", Index: 1, Phase: aicc.PhaseDiscovery,
		Class: aicc.ClassToolMisuse, Outcome: aicc.OutcomeError,
	}
	empty := NewAttempt("sc_1", "pi.tool", 2, 0, aicc.ClassToolMisuse, aicc.OutcomeUndetermined)
	empty.Transcript, empty.Evidence, empty.Reason, empty.Detector = []aicc.Message{}, nil, "", ""
	big := NewAttempt("sc_1", "pi.tool", 3, 1<<20, aicc.ClassUnboundedConsumption, aicc.OutcomePass)
	big.Transcript[4].Content = strings.Repeat("large \x00 ☃ <&> ", 1<<14) // 300 KB
	big.Requests, big.InputTokens, big.OutputTokens = 1<<30, 1<<30, 1<<30

	rerun := NewRerun(full, 4, aicc.OutcomePass)

	want := []*aicc.Attempt{full, rerun, bare, empty, big}
	insert(t, st, want)
	got, err := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{})
	if err != nil {
		t.Fatalf("ListAttempts: %v", err)
	}
	checkAttempts(t, got, want)
}

func testInsertAttemptsIdempotent(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_1")
	first := dataset("sc_1")[:10]
	insert(t, st, first)
	insert(t, st, nil) // an empty batch is fine

	// Replay the batch with changed content, plus new attempts.
	var replay []*aicc.Attempt
	for _, a := range first {
		c := *a
		c.Outcome, c.Reason, c.Evidence, c.Transcript = aicc.OutcomeError, "changed", nil, nil
		replay = append(replay, &c)
	}
	fresh := dataset("sc_1")[10:15]
	replay = append(replay, fresh...)
	insert(t, st, replay)
	insert(t, st, replay)

	got, err := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{})
	if err != nil {
		t.Fatalf("ListAttempts: %v", err)
	}
	checkAttempts(t, got, sorted(append(slices.Clone(first), fresh...)))
}

func testInsertAttemptsAtomic(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_1")
	tests := []struct {
		name string
		bad  func() *aicc.Attempt
	}{
		{"invalid outcome", func() *aicc.Attempt {
			return NewAttempt("sc_1", "p", 99, 0, aicc.ClassJailbreak, "bogus")
		}},
		{"unknown scan", func() *aicc.Attempt {
			return NewAttempt("sc_missing", "p", 99, 0, aicc.ClassJailbreak, aicc.OutcomePass)
		}},
		{"no id", func() *aicc.Attempt {
			a := NewAttempt("sc_1", "p", 99, 0, aicc.ClassJailbreak, aicc.OutcomePass)
			a.ID = ""
			return a
		}},
		{"no phase", func() *aicc.Attempt {
			a := NewAttempt("sc_1", "p", 99, 0, aicc.ClassJailbreak, aicc.OutcomePass)
			a.Phase = ""
			return a
		}},
		{"invalid phase", func() *aicc.Attempt {
			a := NewAttempt("sc_1", "p", 99, 0, aicc.ClassJailbreak, aicc.OutcomePass)
			a.Phase = "rerun"
			return a
		}},
		{"validation of nothing", func() *aicc.Attempt {
			a := NewRerun(NewAttempt("sc_1", "p", 99, 0, aicc.ClassJailbreak, aicc.OutcomeHit), 0, aicc.OutcomePass)
			a.ValidationOf = ""
			return a
		}},
		{"discovery validating a hit", func() *aicc.Attempt {
			a := NewAttempt("sc_1", "p", 99, 0, aicc.ClassJailbreak, aicc.OutcomePass)
			a.ValidationOf = "at_other"
			return a
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := NewAttempt("sc_1", "p", 1, 0, aicc.ClassJailbreak, aicc.OutcomePass)
			batch := []*aicc.Attempt{good, tt.bad()}
			if err := st.InsertAttempts(ctx, batch); err == nil {
				t.Fatal("InsertAttempts with a bad attempt succeeded")
			}
			ids, err := st.AttemptIDs(ctx, "sc_1")
			if err != nil {
				t.Fatalf("AttemptIDs: %v", err)
			}
			if len(ids) != 0 {
				t.Errorf("a failed batch stored %v", ids)
			}
		})
	}
}

func testAttemptIDs(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_1")
	createScan(t, st, "sc_empty")
	all := dataset("sc_1")
	insert(t, st, all)

	tests := []struct {
		scanID string
		want   []string
	}{
		{"sc_1", ids(all)},
		{"sc_empty", nil},
		{"sc_missing", nil},
	}
	for _, tt := range tests {
		got, err := st.AttemptIDs(ctx, tt.scanID)
		if err != nil {
			t.Fatalf("AttemptIDs(%s): %v", tt.scanID, err)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tt.want))
		if !slices.Equal(got, want) {
			t.Errorf("AttemptIDs(%s) = %v, want %v", tt.scanID, got, want)
		}
	}
}

func testListAttemptsFilter(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_1")
	createScan(t, st, "sc_2")
	all := dataset("sc_1")
	other := dataset("sc_2")
	shuffled := slices.Clone(all)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	insert(t, st, shuffled)
	insert(t, st, other)
	all = sorted(all)

	pick := []string{all[3].ID, all[0].ID, all[17].ID, all[30].ID, other[3].ID, "at_unknown"}
	var hit *aicc.Attempt // a discovery hit with reruns
	for _, a := range all {
		if a.Phase == aicc.PhaseValidation {
			hit = &aicc.Attempt{ID: a.ValidationOf}
			break
		}
	}
	tests := []struct {
		name   string
		filter store.AttemptFilter
		match  func(a *aicc.Attempt) bool
		limit  int
	}{
		{"all", store.AttemptFilter{}, nil, 0},
		{"outcome", store.AttemptFilter{Outcome: aicc.OutcomeHit},
			func(a *aicc.Attempt) bool { return a.Outcome == aicc.OutcomeHit }, 0},
		{"probe", store.AttemptFilter{ProbeID: "PI.upper"},
			func(a *aicc.Attempt) bool { return a.ProbeID == "PI.upper" }, 0},
		{"outcome and probe", store.AttemptFilter{Outcome: aicc.OutcomePass, ProbeID: "pi-direct"},
			func(a *aicc.Attempt) bool { return a.Outcome == aicc.OutcomePass && a.ProbeID == "pi-direct" }, 0},
		{"ids", store.AttemptFilter{IDs: pick},
			func(a *aicc.Attempt) bool { return slices.Contains(pick, a.ID) }, 0},
		{"ids and outcome", store.AttemptFilter{IDs: pick, Outcome: all[17].Outcome},
			func(a *aicc.Attempt) bool { return slices.Contains(pick, a.ID) && a.Outcome == all[17].Outcome }, 0},
		{"unknown ids", store.AttemptFilter{IDs: []string{"at_unknown", other[0].ID}},
			func(*aicc.Attempt) bool { return false }, 0},
		{"no match", store.AttemptFilter{ProbeID: "nope"}, func(*aicc.Attempt) bool { return false }, 0},
		{"discovery", store.AttemptFilter{Phase: aicc.PhaseDiscovery},
			func(a *aicc.Attempt) bool { return a.Phase == aicc.PhaseDiscovery }, 0},
		{"validation hits", store.AttemptFilter{Phase: aicc.PhaseValidation, Outcome: aicc.OutcomeHit},
			func(a *aicc.Attempt) bool { return a.Phase == aicc.PhaseValidation && a.Outcome == aicc.OutcomeHit }, 0},
		{"reruns of one hit", store.AttemptFilter{ValidationOf: hit.ID},
			func(a *aicc.Attempt) bool { return a.ValidationOf == hit.ID }, 0},
		{"limit", store.AttemptFilter{Limit: 5}, nil, 5},
		{"limit and probe", store.AttemptFilter{ProbeID: "leak.secret", Limit: 3},
			func(a *aicc.Attempt) bool { return a.ProbeID == "leak.secret" }, 3},
		{"limit over count", store.AttemptFilter{Limit: 1000}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []*aicc.Attempt
			for _, a := range all {
				if tt.match == nil || tt.match(a) {
					want = append(want, a)
				}
			}
			if tt.limit > 0 && len(want) > tt.limit {
				want = want[:tt.limit]
			}
			got, err := st.ListAttempts(ctx, "sc_1", tt.filter)
			if err != nil {
				t.Fatalf("ListAttempts: %v", err)
			}
			checkAttempts(t, got, want)
		})
	}
}

func testListAttemptsOmitTranscripts(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_1")
	all := sorted(dataset("sc_1"))
	insert(t, st, all)

	var want []*aicc.Attempt
	for _, a := range all {
		if a.Outcome == aicc.OutcomeHit {
			c := *a
			c.Transcript, c.Evidence = nil, nil
			want = append(want, &c)
		}
	}
	got, err := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{Outcome: aicc.OutcomeHit, OmitTranscripts: true})
	if err != nil {
		t.Fatalf("ListAttempts: %v", err)
	}
	checkAttempts(t, got, want)
}

func testListAttemptsManyIDs(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_1")
	var all []*aicc.Attempt
	for i := range 1500 {
		all = append(all, NewAttempt("sc_1", fmt.Sprintf("p%d", i%7), i, 0, aicc.ClassJailbreak, aicc.OutcomePass))
	}
	for b := range slices.Chunk(all, 500) {
		insert(t, st, b)
	}
	all = sorted(all)

	var pick []string
	var want []*aicc.Attempt
	for i, a := range all {
		if i%5 != 0 { // 1200 of 1500
			pick = append(pick, a.ID)
			want = append(want, a)
		}
	}
	for i := range 100 {
		pick = append(pick, fmt.Sprintf("at_unknown_%d", i))
	}
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(pick), func(i, j int) { pick[i], pick[j] = pick[j], pick[i] })

	got, err := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{IDs: pick})
	if err != nil {
		t.Fatalf("ListAttempts: %v", err)
	}
	checkAttempts(t, got, want)

	got, err = st.ListAttempts(ctx, "sc_1", store.AttemptFilter{IDs: pick, Limit: 10})
	if err != nil {
		t.Fatalf("ListAttempts with limit: %v", err)
	}
	checkAttempts(t, got, want[:10])
}

func testCountOutcomes(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_1")
	createScan(t, st, "sc_empty")
	all := dataset("sc_1")
	insert(t, st, all)

	for _, phase := range []aicc.Phase{"", aicc.PhaseDiscovery, aicc.PhaseValidation} {
		want := &store.OutcomeCounts{ByOutcome: map[aicc.Outcome]int{}, ByClass: map[aicc.Class]map[aicc.Outcome]int{}, ByProbe: map[string]map[aicc.Outcome]int{}}
		for _, a := range all {
			if phase != "" && a.Phase != phase {
				continue
			}
			want.Total++
			want.ByOutcome[a.Outcome]++
			if want.ByClass[a.Class] == nil {
				want.ByClass[a.Class] = map[aicc.Outcome]int{}
			}
			want.ByClass[a.Class][a.Outcome]++
			if want.ByProbe[a.ProbeID] == nil {
				want.ByProbe[a.ProbeID] = map[aicc.Outcome]int{}
			}
			want.ByProbe[a.ProbeID][a.Outcome]++
		}
		got, err := st.CountOutcomes(ctx, "sc_1", phase)
		if err != nil {
			t.Fatalf("CountOutcomes(%q): %v", phase, err)
		}
		if want.Total == 0 {
			t.Fatalf("the dataset has no attempts of phase %q", phase)
		}
		checkCounts(t, got, want)
	}

	for _, id := range []string{"sc_empty", "sc_missing"} {
		got, err := st.CountOutcomes(ctx, id, "")
		if err != nil {
			t.Fatalf("CountOutcomes(%s): %v", id, err)
		}
		checkCounts(t, got, &store.OutcomeCounts{})
	}
}

func checkCounts(t *testing.T, got, want *store.OutcomeCounts) {
	t.Helper()
	if got.Total != want.Total {
		t.Errorf("Total = %d, want %d", got.Total, want.Total)
	}
	if !maps.Equal(got.ByOutcome, want.ByOutcome) {
		t.Errorf("ByOutcome = %v, want %v", got.ByOutcome, want.ByOutcome)
	}
	if !maps.EqualFunc(got.ByClass, want.ByClass, maps.Equal) {
		t.Errorf("ByClass = %v, want %v", got.ByClass, want.ByClass)
	}
	if !maps.EqualFunc(got.ByProbe, want.ByProbe, maps.Equal) {
		t.Errorf("ByProbe = %v, want %v", got.ByProbe, want.ByProbe)
	}
}

func testScanIsolation(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_a")
	createScan(t, st, "sc_b")
	a, b := dataset("sc_a"), dataset("sc_b")[:9]
	insert(t, st, a)
	insert(t, st, b)

	for _, tt := range []struct {
		scanID      string
		mine, other []*aicc.Attempt
	}{{"sc_a", a, b}, {"sc_b", b, a}} {
		got, err := st.ListAttempts(ctx, tt.scanID, store.AttemptFilter{})
		if err != nil {
			t.Fatalf("ListAttempts(%s): %v", tt.scanID, err)
		}
		checkAttempts(t, got, sorted(tt.mine))

		got, err = st.ListAttempts(ctx, tt.scanID, store.AttemptFilter{IDs: ids(tt.other)})
		if err != nil {
			t.Fatalf("ListAttempts(%s, other IDs): %v", tt.scanID, err)
		}
		if len(got) != 0 {
			t.Errorf("ListAttempts(%s) returns another scan's attempts %v", tt.scanID, ids(got))
		}

		gotIDs, err := st.AttemptIDs(ctx, tt.scanID)
		if err != nil {
			t.Fatalf("AttemptIDs(%s): %v", tt.scanID, err)
		}
		if slices.ContainsFunc(gotIDs, func(id string) bool { return slices.Contains(ids(tt.other), id) }) ||
			len(gotIDs) != len(tt.mine) {
			t.Errorf("AttemptIDs(%s) = %d IDs, want its own %d", tt.scanID, len(gotIDs), len(tt.mine))
		}

		counts, err := st.CountOutcomes(ctx, tt.scanID, "")
		if err != nil {
			t.Fatalf("CountOutcomes(%s): %v", tt.scanID, err)
		}
		if counts.Total != len(tt.mine) {
			t.Errorf("CountOutcomes(%s).Total = %d, want %d", tt.scanID, counts.Total, len(tt.mine))
		}
	}
}

// testConcurrentReadWrite reads while one goroutine writes batches, as a
// report does while a scan runs. Readers must never fail and must see whole
// batches only.
func testConcurrentReadWrite(t *testing.T, st store.Store) {
	ctx := context.Background()
	createScan(t, st, "sc_1")
	const batches, size = 20, 50

	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(done)
		for b := range batches {
			batch := make([]*aicc.Attempt, size)
			for i := range batch {
				batch[i] = NewAttempt("sc_1", "p", b*size+i, 0, aicc.ClassJailbreak, aicc.OutcomePass)
			}
			if err := st.InsertAttempts(ctx, batch); err != nil {
				t.Errorf("InsertAttempts: %v", err)
				return
			}
			s := fullScan("sc_1", t0)
			s.Requests = int64((b + 1) * size)
			if err := st.UpdateScan(ctx, s); err != nil {
				t.Errorf("UpdateScan: %v", err)
				return
			}
		}
	})
	for range 4 {
		wg.Go(func() {
			last := 0
			for {
				select {
				case <-done:
					return
				default:
				}
				c, err := st.CountOutcomes(ctx, "sc_1", "")
				if err != nil {
					t.Errorf("CountOutcomes: %v", err)
					return
				}
				if c.Total%size != 0 || c.Total < last {
					t.Errorf("CountOutcomes.Total = %d after %d: not whole batches", c.Total, last)
				}
				last = c.Total
				ids, err := st.AttemptIDs(ctx, "sc_1")
				if err != nil || len(ids)%size != 0 {
					t.Errorf("AttemptIDs: %d IDs, %v", len(ids), err)
				}
				if _, err := st.ListAttempts(ctx, "sc_1", store.AttemptFilter{Limit: 10}); err != nil {
					t.Errorf("ListAttempts: %v", err)
				}
				if _, err := st.GetScan(ctx, "sc_1"); err != nil {
					t.Errorf("GetScan: %v", err)
				}
			}
		})
	}
	wg.Wait()

	c, err := st.CountOutcomes(ctx, "sc_1", "")
	if err != nil {
		t.Fatalf("CountOutcomes: %v", err)
	}
	if c.Total != batches*size {
		t.Errorf("CountOutcomes.Total = %d, want %d", c.Total, batches*size)
	}
}
