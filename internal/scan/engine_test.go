package scan_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
	"github.com/aicc-dev/aicc/internal/scan"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

// fakeTarget answers with fn and counts what it was sent.
type fakeTarget struct {
	fn       func(ctx context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error)
	calls    atomic.Int64
	inflight atomic.Int64
	peak     atomic.Int64
	mu       sync.Mutex
	seen     map[string]int // last user message → times sent
}

var _ scan.Target = (*fakeTarget)(nil)

func (f *fakeTarget) Send(ctx context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error) {
	n := f.inflight.Add(1)
	defer f.inflight.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	f.calls.Add(1)
	f.mu.Lock()
	if f.seen == nil {
		f.seen = map[string]int{}
	}
	key := req.Messages[0].Content + "|" + req.Messages[len(req.Messages)-1].Content
	f.seen[key]++
	f.mu.Unlock()
	return f.fn(ctx, req)
}

// echo is a model that repeats everything it was told: every canary leaks.
func echo(_ context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error) {
	var b strings.Builder
	for _, m := range req.Messages {
		b.WriteString(m.Content)
		b.WriteString("\n")
	}
	return &aicc.ChatResponse{Text: b.String(), Usage: aicc.Usage{InputTokens: 10, OutputTokens: 5}}, nil
}

// refuse is a model that leaks nothing.
func refuse(context.Context, *aicc.ChatRequest) (*aicc.ChatResponse, error) {
	return &aicc.ChatResponse{Text: "I can't help with that.", Usage: aicc.Usage{InputTokens: 10, OutputTokens: 5}}, nil
}

type bundle struct {
	st store.Store
	p  *protocol.Protocol
}

func setup(t *testing.T) *bundle {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "mini.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := protocol.Parse("testdata/mini.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "aicc.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &bundle{st: st, p: p}
}

func (b *bundle) newScan(t *testing.T, opts scan.Options) *aicc.Scan {
	t.Helper()
	s, err := scan.NewScan(b.p, "fake", []byte(`{}`), opts, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := b.st.CreateScan(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func fastConfig() scan.Config {
	return scan.Config{Model: "m", Concurrency: 4, Adaptive: true, RetryBase: time.Millisecond, RetryMax: 5 * time.Millisecond, FlushInterval: 5 * time.Millisecond}
}

func TestRunCompletesAndJudges(t *testing.T) {
	for _, tc := range []struct {
		name     string
		model    func(context.Context, *aicc.ChatRequest) (*aicc.ChatResponse, error)
		wantHits int
	}{
		{"echo leaks every canary", echo, 8},
		{"refusal leaks none", refuse, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := setup(t)
			s := b.newScan(t, scan.Options{Repeat: 2})
			if s.PlannedAttempts != 8 { // (3 variants + 1) × 2
				t.Fatalf("planned %d attempts, want 8", s.PlannedAttempts)
			}
			ft := &fakeTarget{fn: tc.model}
			res, err := scan.Run(context.Background(), b.st, s, b.p, ft, fastConfig())
			if err != nil {
				t.Fatal(err)
			}
			if res.Scan.Status != aicc.ScanCompleted || res.Done != 8 || res.Ran != 8 {
				t.Fatalf("status %s done %d ran %d, want completed 8 8", res.Scan.Status, res.Done, res.Ran)
			}
			// The two-turn probe calls the model twice per attempt.
			if got := ft.calls.Load(); got != 3*2+2*2 {
				t.Errorf("target saw %d requests, want 10", got)
			}
			if res.Scan.Requests != 10 || res.Scan.InputTokens != 100 || res.Scan.OutputTokens != 50 {
				t.Errorf("scan counters requests=%d in=%d out=%d, want 10 100 50", res.Scan.Requests, res.Scan.InputTokens, res.Scan.OutputTokens)
			}
			c, err := b.st.CountOutcomes(context.Background(), s.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			if c.Total != 8 || c.ByOutcome[aicc.OutcomeHit] != tc.wantHits {
				t.Errorf("counts %+v, want 8 attempts with %d hits", c, tc.wantHits)
			}
			atts, err := b.st.ListAttempts(context.Background(), s.ID, store.AttemptFilter{ProbeID: "chat"})
			if err != nil {
				t.Fatal(err)
			}
			// system, user, assistant, user, assistant
			if len(atts) != 2 || len(atts[0].Transcript) != 5 || atts[0].Requests != 2 {
				t.Fatalf("chat attempts %d, transcript %d messages, %d requests; want 2, 5, 2", len(atts), len(atts[0].Transcript), atts[0].Requests)
			}
			if tc.wantHits > 0 && (atts[0].Detector != "canary" || len(atts[0].Evidence) == 0) {
				t.Errorf("hit without detector or evidence: %+v", atts[0])
			}
		})
	}
}

func TestCanariesDifferPerAttemptAndRepeatOnRerun(t *testing.T) {
	b := setup(t)
	s := b.newScan(t, scan.Options{Repeat: 2})
	ft := &fakeTarget{fn: echo}
	if _, err := scan.Run(context.Background(), b.st, s, b.p, ft, fastConfig()); err != nil {
		t.Fatal(err)
	}
	atts, err := b.st.ListAttempts(context.Background(), s.ID, store.AttemptFilter{ProbeID: "leak"})
	if err != nil {
		t.Fatal(err)
	}
	systems := map[string]bool{}
	for _, a := range atts {
		systems[a.Transcript[0].Content] = true
	}
	if len(systems) != len(atts) {
		t.Errorf("%d attempts share system prompts: %d distinct", len(atts), len(systems))
	}
}

func TestResumeRunsOnlyWhatIsMissing(t *testing.T) {
	b := setup(t)
	s := b.newScan(t, scan.Options{Repeat: 25}) // 100 attempts
	ctx, cancel := context.WithCancel(context.Background())
	var sent atomic.Int64
	first := &fakeTarget{fn: func(ctx context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error) {
		if sent.Add(1) == 40 {
			cancel()
		}
		return echo(ctx, req)
	}}
	res, err := scan.Run(ctx, b.st, s, b.p, first, fastConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Scan.Status != aicc.ScanInterrupted || res.Scan.StopReason != scan.StopCanceled {
		t.Fatalf("after cancel: status %s (%s), want interrupted (canceled)", res.Scan.Status, res.Scan.StopReason)
	}
	doneFirst := res.Done
	if doneFirst == 0 || doneFirst >= 100 {
		t.Fatalf("first run did %d attempts, want some but not all", doneFirst)
	}
	firstIDs, err := b.st.AttemptIDs(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := b.st.GetScan(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	second := &fakeTarget{fn: echo}
	res, err = scan.Run(context.Background(), b.st, stored, b.p, second, fastConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Scan.Status != aicc.ScanCompleted || res.Done != 100 || res.Skipped != doneFirst || res.Ran != 100-doneFirst {
		t.Fatalf("resume: status %s done %d skipped %d ran %d; first run did %d", res.Scan.Status, res.Done, res.Skipped, res.Ran, doneFirst)
	}
	ids, err := b.st.AttemptIDs(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 100 {
		t.Fatalf("%d attempts stored, want 100", len(ids))
	}
	// Nothing the first run recorded was sent again: every attempt's last
	// request carries its own canary, so its key is unique.
	atts, err := b.st.ListAttempts(context.Background(), s.ID, store.AttemptFilter{IDs: firstIDs})
	if err != nil {
		t.Fatal(err)
	}
	if len(atts) != doneFirst {
		t.Fatalf("listed %d of the first run's %d attempts", len(atts), doneFirst)
	}
	for _, a := range atts {
		key := a.Transcript[0].Content + "|" + a.Transcript[len(a.Transcript)-2].Content
		if first.seen[key] != 1 || second.seen[key] != 0 {
			t.Errorf("attempt %s sent %d times by the first run and %d by the resume, want 1 and 0", a.ID, first.seen[key], second.seen[key])
		}
	}
}

func TestRequestBudgetStopsAndResumes(t *testing.T) {
	b := setup(t)
	s := b.newScan(t, scan.Options{Repeat: 10, BudgetRequests: 15}) // 40 attempts, 50 requests
	ft := &fakeTarget{fn: echo}
	res, err := scan.Run(context.Background(), b.st, s, b.p, ft, fastConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Scan.Status != aicc.ScanInterrupted || res.Scan.StopReason != scan.StopBudgetRequests {
		t.Fatalf("status %s (%s), want interrupted by the request budget", res.Scan.Status, res.Scan.StopReason)
	}
	if got := ft.calls.Load(); got > 15 {
		t.Errorf("target saw %d requests with a budget of 15", got)
	}
	if res.Scan.Requests > 15 {
		t.Errorf("scan counted %d requests with a budget of 15", res.Scan.Requests)
	}
}

func TestRetriesThenSucceeds(t *testing.T) {
	b := setup(t)
	s := b.newScan(t, scan.Options{Repeat: 1})
	var n atomic.Int64
	ft := &fakeTarget{fn: func(ctx context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error) {
		if n.Add(1)%3 != 0 { // two failures before every success
			return nil, &aicc.SendError{Reason: "HTTP 429", Status: 429, Retryable: true, Overload: true, RetryAfter: time.Millisecond}
		}
		return refuse(ctx, req)
	}}
	cfg := fastConfig()
	cfg.Concurrency = 1
	res, err := scan.Run(context.Background(), b.st, s, b.p, ft, cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := b.st.CountOutcomes(context.Background(), s.ID, "")
	if c.ByOutcome[aicc.OutcomeError] != 0 || c.ByOutcome[aicc.OutcomePass] != 4 {
		t.Fatalf("outcomes %v, want 4 pass", c.ByOutcome)
	}
	if res.Scan.Requests != 15 { // 5 successful requests, each after two rejections
		t.Errorf("counted %d requests, want 15 (retries included)", res.Scan.Requests)
	}
}

func TestFailuresEndAsErrorAndScanContinues(t *testing.T) {
	b := setup(t)
	s := b.newScan(t, scan.Options{Repeat: 5})
	var n atomic.Int64
	ft := &fakeTarget{fn: func(ctx context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error) {
		switch n.Add(1) % 3 {
		case 0:
			return nil, &aicc.SendError{Reason: "malformed JSON response: unexpected end of input"}
		case 1:
			return nil, &aicc.SendError{Reason: "HTTP 503", Status: 503, Retryable: true, Overload: true}
		}
		return refuse(ctx, req)
	}}
	cfg := fastConfig()
	cfg.MaxRetries = -1
	res, err := scan.Run(context.Background(), b.st, s, b.p, ft, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Scan.Status != aicc.ScanCompleted || res.Done != 20 {
		t.Fatalf("status %s done %d, want completed 20", res.Scan.Status, res.Done)
	}
	errs, err := b.st.ListAttempts(context.Background(), s.ID, store.AttemptFilter{Outcome: aicc.OutcomeError})
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) == 0 {
		t.Fatal("no attempt ended as error")
	}
	for _, a := range errs {
		if a.Reason == "" {
			t.Errorf("error attempt %s has no reason", a.ID)
		}
	}
}

func TestConcurrencyLimitHolds(t *testing.T) {
	b := setup(t)
	s := b.newScan(t, scan.Options{Repeat: 50})
	ft := &fakeTarget{fn: func(ctx context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error) {
		time.Sleep(time.Millisecond)
		return refuse(ctx, req)
	}}
	cfg := fastConfig()
	cfg.Concurrency = 3
	if _, err := scan.Run(context.Background(), b.st, s, b.p, ft, cfg); err != nil {
		t.Fatal(err)
	}
	if p := ft.peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak in flight %d, want at most 3 (and more than 1)", p)
	}
}

func TestProtocolMismatchRefused(t *testing.T) {
	b := setup(t)
	s := b.newScan(t, scan.Options{Repeat: 1})
	s.ProtocolDigest = "sha256:other"
	_, err := scan.Run(context.Background(), b.st, s, b.p, &fakeTarget{fn: echo}, fastConfig())
	if aicc.KindOf(err) != aicc.KindConflict {
		t.Fatalf("err %v, want a conflict", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	bad := -1.0
	for _, o := range []scan.Options{{Repeat: 0}, {Repeat: 1, Temperature: &bad}, {Repeat: 1, BudgetRequests: -1}, {Repeat: 1, Reruns: -1}, {Repeat: 1, Reruns: scan.MaxReruns + 1}} {
		if err := o.Validate(); aicc.KindOf(err) != aicc.KindInvalid {
			t.Errorf("%+v: err %v, want invalid", o, err)
		}
	}
	if err := (scan.Options{Repeat: 3, Reruns: scan.MaxReruns}).Validate(); err != nil {
		t.Error(err)
	}
}

// sometimes leaks like echo in discovery attempts, and in reruns 0, 1 and 2
// of every hit but not in reruns 3 and 4: the engine sends rerun r with
// seed+1+r, so with seed 100 every hit reproduces exactly 3 times in 5.
func sometimes(ctx context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error) {
	if req.Seed != nil && *req.Seed > 103 {
		return refuse(ctx, req)
	}
	return echo(ctx, req)
}

func TestValidationMeasuresReproduction(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	seed := int64(100)
	s := b.newScan(t, scan.Options{Repeat: 1, Reruns: 5, Seed: &seed})
	ft := &fakeTarget{fn: sometimes}
	res, err := scan.Run(ctx, b.st, s, b.p, ft, fastConfig())
	if err != nil {
		t.Fatal(err)
	}
	// 4 discovery attempts, all hits; 5 reruns of each.
	if res.Scan.Status != aicc.ScanCompleted || res.Done != 24 || res.Scan.PlannedAttempts != 24 {
		t.Fatalf("status %s, %d done of %d planned; want completed, 24 of 24", res.Scan.Status, res.Done, res.Scan.PlannedAttempts)
	}
	stored, err := b.st.GetScan(ctx, s.ID)
	if err != nil || stored.PlannedAttempts != 24 {
		t.Fatalf("stored scan plans %d attempts (%v), want 24", stored.PlannedAttempts, err)
	}
	if got := ft.calls.Load(); got != 5+25 { // the chat probe takes two requests
		t.Errorf("target saw %d requests, want 30", got)
	}
	disc, err := b.st.CountOutcomes(ctx, s.ID, aicc.PhaseDiscovery)
	if err != nil {
		t.Fatal(err)
	}
	val, err := b.st.CountOutcomes(ctx, s.ID, aicc.PhaseValidation)
	if err != nil {
		t.Fatal(err)
	}
	if disc.Total != 4 || disc.ByOutcome[aicc.OutcomeHit] != 4 || val.Total != 20 || val.ByOutcome[aicc.OutcomeHit] != 12 {
		t.Fatalf("discovery %v, validation %v; want 4 hits of 4, then 12 hits of 20", disc.ByOutcome, val.ByOutcome)
	}

	hits, err := b.st.ListAttempts(ctx, s.ID, store.AttemptFilter{Phase: aicc.PhaseDiscovery})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		reruns, err := b.st.ListAttempts(ctx, s.ID, store.AttemptFilter{ValidationOf: h.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(reruns) != 5 {
			t.Fatalf("hit %s has %d reruns, want 5", h.ID, len(reruns))
		}
		systems := map[string]bool{h.Transcript[0].Content + h.Transcript[len(h.Transcript)-2].Content: true}
		successes := 0
		for _, r := range reruns {
			if r.ID != aicc.ValidationID(s.ID, h.ID, r.Repetition) || r.Phase != aicc.PhaseValidation ||
				r.ProbeID != h.ProbeID || r.Index != h.Index || r.Class != h.Class {
				t.Errorf("rerun %+v does not re-run hit %s (%s[%d])", r, h.ID, h.ProbeID, h.Index)
			}
			if r.Outcome == aicc.OutcomeHit {
				successes++
				if r.Repetition > 2 {
					t.Errorf("rerun %d of %s hit: it was sent the scan's seed, not seed+1+r", r.Repetition, h.ID)
				}
			}
			systems[r.Transcript[0].Content+r.Transcript[len(r.Transcript)-2].Content] = true
		}
		if successes != 3 {
			t.Errorf("hit %s reproduced %d times of 5, want 3", h.ID, successes)
		}
		// Fresh canaries: no rerun sends what the hit or another rerun sent.
		if len(systems) != 6 {
			t.Errorf("hit %s and its reruns sent %d distinct prompts, want 6", h.ID, len(systems))
		}
	}
}

func TestValidationResumes(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	s := b.newScan(t, scan.Options{Repeat: 5, Reruns: 5}) // 20 hits, then 100 reruns
	cctx, cancel := context.WithCancel(ctx)
	var sent atomic.Int64
	first := &fakeTarget{fn: func(ctx context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error) {
		if sent.Add(1) == 60 { // discovery takes 25 requests, validation 125
			cancel()
		}
		return echo(ctx, req)
	}}
	res, err := scan.Run(cctx, b.st, s, b.p, first, fastConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Scan.Status != aicc.ScanInterrupted || res.Scan.PlannedAttempts != 120 || res.Done <= 20 || res.Done >= 120 {
		t.Fatalf("first run: status %s, %d done of %d planned; want interrupted during validation", res.Scan.Status, res.Done, res.Scan.PlannedAttempts)
	}
	doneFirst := res.Done
	stored, err := b.st.GetScan(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.PlannedAttempts != 120 {
		t.Errorf("stored scan plans %d attempts, want 120", stored.PlannedAttempts)
	}

	second := &fakeTarget{fn: echo}
	res, err = scan.Run(ctx, b.st, stored, b.p, second, fastConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Scan.Status != aicc.ScanCompleted || res.Done != 120 || res.Skipped != doneFirst || res.Ran != 120-doneFirst {
		t.Fatalf("resume: status %s done %d skipped %d ran %d; first run did %d", res.Scan.Status, res.Done, res.Skipped, res.Ran, doneFirst)
	}
	val, err := b.st.CountOutcomes(ctx, s.ID, aicc.PhaseValidation)
	if err != nil {
		t.Fatal(err)
	}
	if val.Total != 100 {
		t.Errorf("%d validation attempts stored, want 100", val.Total)
	}
	// Every attempt's prompts carry its own canaries: none was sent by both runs.
	for key := range second.seen {
		if first.seen[key] > 0 && !strings.HasPrefix(key, "Answer questions about cooking only.|Hello.") {
			t.Errorf("sent by both runs: %q", key)
		}
	}
}

func TestValidationCountsTowardBudget(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	s := b.newScan(t, scan.Options{Repeat: 1, Reruns: 5, BudgetRequests: 15}) // 5 requests, then 25
	ft := &fakeTarget{fn: echo}
	res, err := scan.Run(ctx, b.st, s, b.p, ft, fastConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Scan.Status != aicc.ScanInterrupted || res.Scan.StopReason != scan.StopBudgetRequests {
		t.Fatalf("status %s (%s), want interrupted by the request budget", res.Scan.Status, res.Scan.StopReason)
	}
	if ft.calls.Load() > 15 || res.Scan.Requests > 15 {
		t.Errorf("target saw %d requests, scan counted %d, with a budget of 15", ft.calls.Load(), res.Scan.Requests)
	}
	// Requests in flight when the budget ran out finished and were
	// recorded: every request sent belongs to a stored attempt.
	stored, err := b.st.ListAttempts(ctx, s.ID, store.AttemptFilter{OmitTranscripts: true})
	if err != nil {
		t.Fatal(err)
	}
	inStored := 0
	for _, a := range stored {
		inStored += a.Requests
	}
	if int64(inStored) != ft.calls.Load() || res.Scan.Requests != ft.calls.Load() {
		t.Errorf("target saw %d requests, scan counted %d, stored attempts hold %d: a request was paid for and thrown away", ft.calls.Load(), res.Scan.Requests, inStored)
	}
	val, err := b.st.CountOutcomes(ctx, s.ID, aicc.PhaseValidation)
	if err != nil {
		t.Fatal(err)
	}
	if val.Total == 0 || val.Total >= 20 {
		t.Fatalf("%d validation attempts before the budget ran out, want some", val.Total)
	}

	// A larger budget finishes the validation.
	sc, err := b.st.GetScan(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	sc.Options = []byte(`{"repeat":1,"validate":5,"budget_requests":100}`)
	res, err = scan.Run(ctx, b.st, sc, b.p, ft, fastConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Scan.Status != aicc.ScanCompleted || res.Done != 24 || res.Scan.Requests != 30 {
		t.Fatalf("after a larger budget: status %s, %d attempts, %d requests; want completed, 24, 30", res.Scan.Status, res.Done, res.Scan.Requests)
	}
}

func TestValidationWithoutHits(t *testing.T) {
	b := setup(t)
	s := b.newScan(t, scan.Options{Repeat: 2, Reruns: 5})
	res, err := scan.Run(context.Background(), b.st, s, b.p, &fakeTarget{fn: refuse}, fastConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Scan.Status != aicc.ScanCompleted || res.Done != 8 || res.Scan.PlannedAttempts != 8 {
		t.Fatalf("status %s, %d of %d; want completed 8 of 8: nothing to validate", res.Scan.Status, res.Done, res.Scan.PlannedAttempts)
	}
}

// TestRunOnly runs only the named attempts of a protocol, as a retest does.
func TestRunOnly(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	only := []scan.AttemptRef{{ProbeID: "leak", Index: 2}, {ProbeID: "chat", Index: 0}}
	s := b.newScan(t, scan.Options{Repeat: 3, Only: only})
	if s.PlannedAttempts != 6 {
		t.Fatalf("planned %d attempts, want 6", s.PlannedAttempts)
	}
	res, err := scan.Run(ctx, b.st, s, b.p, &fakeTarget{fn: refuse}, fastConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Scan.Status != aicc.ScanCompleted || res.Done != 6 {
		t.Fatalf("status %s, %d done; want completed, 6", res.Scan.Status, res.Done)
	}
	atts, err := b.st.ListAttempts(ctx, s.ID, store.AttemptFilter{OmitTranscripts: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range atts {
		if !slices.Contains(only, scan.AttemptRef{ProbeID: a.ProbeID, Index: a.Index}) {
			t.Errorf("attempt %s/%d ran, not in the plan", a.ProbeID, a.Index)
		}
	}
	if _, err := scan.NewScan(b.p, "fake", []byte(`{}`), scan.Options{Repeat: 1, Only: []scan.AttemptRef{{ProbeID: "leak", Index: 7}}}, time.Now()); aicc.KindOf(err) != aicc.KindInvalid {
		t.Errorf("a variant the probe lacks: %v, want an invalid-input error", err)
	}
}

// TestRunForPausesWithoutLosingRequests pauses a run after a while, as a
// job queue's slice does, and resumes it: every request sent belongs to a
// stored attempt, and none is sent twice.
func TestRunForPausesWithoutLosingRequests(t *testing.T) {
	ctx := context.Background()
	b := setup(t)
	s := b.newScan(t, scan.Options{Repeat: 20})
	slow := &fakeTarget{fn: func(ctx context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error) {
		time.Sleep(5 * time.Millisecond)
		return refuse(ctx, req)
	}}
	cfg := fastConfig()
	cfg.RunFor = 30 * time.Millisecond
	res, err := scan.Run(ctx, b.st, s, b.p, slow, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Scan.Status != aicc.ScanInterrupted || res.Scan.StopReason != scan.StopPaused {
		t.Fatalf("status %s (%s), want interrupted: paused", res.Scan.Status, res.Scan.StopReason)
	}
	if n := storedRequests(t, b, s.ID); n != slow.calls.Load() {
		t.Errorf("%d requests sent, stored attempts account for %d: a paused run threw responses away", slow.calls.Load(), n)
	}
	sc, _ := b.st.GetScan(ctx, s.ID)
	res, err = scan.Run(ctx, b.st, sc, b.p, slow, fastConfig())
	if err != nil || res.Scan.Status != aicc.ScanCompleted {
		t.Fatalf("resume: %v, %v", res, err)
	}
	if n := storedRequests(t, b, s.ID); n != slow.calls.Load() {
		t.Errorf("%d requests sent, stored attempts account for %d: a request was sent twice", slow.calls.Load(), n)
	}
}

// storedRequests sums the requests of a scan's stored attempts.
func storedRequests(t *testing.T, b *bundle, scanID string) int64 {
	t.Helper()
	atts, err := b.st.ListAttempts(context.Background(), scanID, store.AttemptFilter{OmitTranscripts: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, a := range atts {
		n += int64(a.Requests)
	}
	return n
}
