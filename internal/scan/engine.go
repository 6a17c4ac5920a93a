package scan

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/detect"
	"github.com/aicc-dev/aicc/internal/protocol"
	"github.com/aicc-dev/aicc/internal/store"
)

// Target is a model endpoint. Failures are *aicc.SendError.
type Target interface {
	Send(ctx context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error)
}

// Config is how the engine runs a scan: settings that may differ between
// runs of the same scan and are not stored with it.
type Config struct {
	Model          string        // model name sent in every request
	Concurrency    int           // most requests in flight (default 32)
	Adaptive       bool          // adapt the limit to the endpoint's signals
	Rate           float64       // most requests per second; 0: no limit
	AttemptTimeout time.Duration // longest one request may take (default 60s)
	MaxRetries     int           // tries after the first for a retryable failure (default 4)
	RetryBase      time.Duration // first backoff (default 250ms), doubled each try, jittered
	RetryMax       time.Duration // longest backoff (default 30s)
	BatchSize      int           // attempts per store write (default 256)
	FlushInterval  time.Duration // longest an attempt waits to be written (default 200ms)
	Logger         *slog.Logger
	// OnProgress, if set, receives snapshots about ten times a second and
	// once at the end, from one goroutine.
	OnProgress func(Progress)
	Judge      detect.LLMJudge // the LLM judge for judge detectors; nil: they end undetermined
	// RunFor, when above 0, pauses the run after this long as a spent
	// budget does: no new attempt starts, the requests in flight finish and
	// are recorded, and the scan stops as interrupted with StopPaused, to be
	// resumed later. Job queues use it to run long scans in slices.
	RunFor time.Duration
}

func (c Config) withDefaults() Config {
	c.Concurrency = cmp.Or(c.Concurrency, 32)
	c.AttemptTimeout = cmp.Or(c.AttemptTimeout, 60*time.Second)
	c.RetryBase = cmp.Or(c.RetryBase, 250*time.Millisecond)
	c.RetryMax = cmp.Or(c.RetryMax, 30*time.Second)
	c.BatchSize = cmp.Or(c.BatchSize, 256)
	c.FlushInterval = cmp.Or(c.FlushInterval, 200*time.Millisecond)
	if c.MaxRetries == 0 {
		c.MaxRetries = 4
	}
	if c.MaxRetries < 0 {
		c.MaxRetries = 0
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Validate names the first bad field.
func (c Config) Validate() error {
	switch {
	case c.Concurrency < 0 || c.Concurrency > 4096:
		return aicc.Errorf(aicc.KindInvalid, "concurrency must be between 1 and 4096, got %d", c.Concurrency)
	case c.Rate < 0:
		return aicc.Errorf(aicc.KindInvalid, "rate must not be negative, got %g", c.Rate)
	case c.AttemptTimeout < 0:
		return aicc.Errorf(aicc.KindInvalid, "attempt timeout must not be negative, got %s", c.AttemptTimeout)
	case c.Model == "":
		return aicc.Errorf(aicc.KindInvalid, "model name is required")
	}
	return nil
}

// Result summarises one run of a scan.
type Result struct {
	Scan    *aicc.Scan // the scan as stored at the end of the run
	Done    int        // attempts with an outcome, over all runs
	Ran     int        // attempts completed by this run
	Skipped int        // attempts already done by earlier runs
}

// Stop reasons recorded on interrupted scans.
const (
	StopCanceled       = "canceled"
	StopBudgetRequests = "request budget exhausted"
	StopBudgetTokens   = "token budget exhausted"
	StopPaused         = "paused"
)

var (
	errBudgetRequests = errors.New(StopBudgetRequests)
	errBudgetTokens   = errors.New(StopBudgetTokens)
	errPaused         = errors.New(StopPaused)
)

// Run runs (or resumes) the scan s of protocol p against t, storing every
// completed attempt in st. Attempts already stored are skipped.
//
// A scan has two phases. Discovery runs the protocol's plan. Validation,
// when the scan's options ask for reruns (Options.Reruns), starts once
// discovery has finished: every discovery attempt that ended as hit is run
// again Reruns times as fresh attempts (see validationFeed). Which reruns
// a scan needs follows from its stored hits, so a resumed scan finds the
// same ones, in either phase.
//
// Run returns when every attempt of both phases has an outcome, ctx is
// cancelled, a budget runs out, or the store fails; in all but the last case
// the scan's record says why, and a later Run completes it.
func Run(ctx context.Context, st store.Store, s *aicc.Scan, p *protocol.Protocol, t Target, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	opts, err := DecodeOptions(s)
	if err != nil {
		return nil, err
	}
	if p.Digest != s.ProtocolDigest {
		return nil, aicc.Errorf(aicc.KindConflict, "scan %s was planned with protocol %s, not %s", s.ID, s.ProtocolDigest, p.Digest)
	}
	doneIDs, err := st.AttemptIDs(ctx, s.ID)
	if err != nil {
		return nil, fmt.Errorf("resume scan %s: %w", s.ID, err)
	}
	done := make(map[string]struct{}, len(doneIDs))
	for _, id := range doneIDs {
		done[id] = struct{}{}
	}
	counts, err := st.CountOutcomes(ctx, s.ID, "")
	if err != nil {
		return nil, fmt.Errorf("resume scan %s: %w", s.ID, err)
	}

	e := &engine{
		cfg:     cfg,
		opts:    opts,
		scan:    s,
		target:  t,
		store:   st,
		limiter: newLimiter(cfg.Concurrency, cfg.Adaptive),
		start:   time.Now(),
	}
	e.planned.Store(int64(s.PlannedAttempts))
	if cfg.Rate > 0 {
		e.rate = rate.NewLimiter(rate.Limit(cfg.Rate), max(1, int(cfg.Rate/20)))
	}
	e.requests.Store(s.Requests)
	e.tokens.Store(s.InputTokens + s.OutputTokens)
	e.inTokens.Store(s.InputTokens)
	e.outTokens.Store(s.OutputTokens)
	e.done.Store(int64(len(done)))
	e.hits.Store(int64(counts.ByOutcome[aicc.OutcomeHit]))
	e.errs.Store(int64(counts.ByOutcome[aicc.OutcomeError]))
	e.resumed = len(done)

	s.Status = aicc.ScanRunning
	s.StopReason = ""
	s.FinishedAt = time.Time{}
	if err := st.UpdateScan(ctx, s); err != nil {
		return nil, fmt.Errorf("start scan %s: %w", s.ID, err)
	}
	cfg.Logger.Info("scan started", "scan", s.ID, "planned", s.PlannedAttempts, "done", len(done))

	// runCtx ends the run at once (Ctrl-C, a failing store); halting (a
	// budget) only stops new attempts and requests, so the requests in
	// flight finish and are recorded rather than paid for and thrown away.
	runCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	halted, halt := context.WithCancelCause(runCtx)
	defer halt(nil)
	e.halted, e.halt = halted, halt
	if cfg.RunFor > 0 {
		pause := time.AfterFunc(cfg.RunFor, func() { halt(errPaused) })
		defer pause.Stop()
	}

	// Progress ticks until the workers of the last phase finish.
	progDone := make(chan struct{})
	var progWG sync.WaitGroup
	if cfg.OnProgress != nil {
		progWG.Add(1)
		go func() {
			defer progWG.Done()
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-progDone:
					return
				case <-tick.C:
					cfg.OnProgress(e.progress())
				}
			}
		}()
	}

	skipped := 0
	storeErr := e.runPhase(runCtx, stop, discoveryFeed(s.ID, p, opts, done, &skipped))
	if storeErr == nil && halted.Err() == nil && opts.Reruns > 0 {
		storeErr = e.validate(runCtx, stop, p, done, &skipped)
	}
	close(progDone)
	progWG.Wait()

	// Settle the scan's record.
	s.Requests = e.requests.Load()
	s.InputTokens = e.inTokens.Load()
	s.OutputTokens = e.outTokens.Load()
	s.ActiveSeconds += time.Since(e.start).Seconds()
	total := int(e.done.Load())
	cause := context.Cause(halted)
	switch {
	case storeErr != nil:
		s.Status, s.StopReason = aicc.ScanFailed, "store: "+storeErr.Error()
	case cause == nil: // every attempt of both phases has an outcome
		s.Status, s.StopReason = aicc.ScanCompleted, ""
		s.FinishedAt = time.Now().UTC()
	case errors.Is(cause, errBudgetRequests), errors.Is(cause, errBudgetTokens), errors.Is(cause, errPaused):
		s.Status, s.StopReason = aicc.ScanInterrupted, cause.Error()
	default:
		s.Status, s.StopReason = aicc.ScanInterrupted, StopCanceled
	}
	// The caller's ctx may be cancelled; the final record must still land.
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := st.UpdateScan(saveCtx, s); err != nil && storeErr == nil {
		storeErr = err
	}
	if cfg.OnProgress != nil {
		cfg.OnProgress(e.progress())
	}
	res := &Result{Scan: s, Done: total, Ran: total - e.resumed, Skipped: skipped}
	cfg.Logger.Info("scan stopped", "scan", s.ID, "status", s.Status, "reason", s.StopReason, "done", total, "ran", res.Ran)
	if storeErr != nil {
		return res, fmt.Errorf("scan %s: store: %w", s.ID, storeErr)
	}
	return res, nil
}

type plannedAttempt struct {
	id           string
	probe        *protocol.Probe
	index        int
	rep          int    // the repetition; for a rerun, its number
	validationOf string // for a rerun, the hit it re-runs
}

// discoveryFeed yields the protocol's plan, every probe × variant ×
// repetition (only those of opts.Only when it is set), without the attempts in done, which it counts in skipped.
func discoveryFeed(scanID string, p *protocol.Protocol, opts Options, done map[string]struct{}, skipped *int) iter.Seq[plannedAttempt] {
	return func(yield func(plannedAttempt) bool) {
		for _, probe := range p.Probes {
			for idx := range probe.NumVariants() {
				if !opts.includes(probe.ID, idx) {
					continue
				}
				for rep := range opts.Repeat {
					id := aicc.AttemptID(scanID, probe.ID, idx, rep)
					if _, ok := done[id]; ok {
						*skipped++
						continue
					}
					if !yield(plannedAttempt{id: id, probe: probe, index: idx, rep: rep}) {
						return
					}
				}
			}
		}
	}
}

// runPhase runs the attempts feed yields on cfg.Concurrency workers, with a
// recorder that writes them in batches, and returns when all are recorded
// or the run halts (see Run). It returns the store's error, if any.
func (e *engine) runPhase(ctx context.Context, stop context.CancelCauseFunc, feed iter.Seq[plannedAttempt]) error {
	e.records = make(chan *aicc.Attempt, e.cfg.BatchSize*2)
	recErr := make(chan error, 1)
	go func() { recErr <- e.record(ctx, stop) }()

	work := make(chan plannedAttempt)
	var wg sync.WaitGroup
	for range e.cfg.Concurrency {
		wg.Go(func() {
			for pa := range work {
				e.runAttempt(ctx, pa)
			}
		})
	}
send:
	for pa := range feed {
		select {
		case work <- pa:
		case <-e.halted.Done():
			break send
		}
	}
	close(work)
	wg.Wait()
	close(e.records)
	return <-recErr
}

type engine struct {
	cfg     Config
	opts    Options
	scan    *aicc.Scan // its fields change only while no phase runs
	target  Target
	store   store.Store
	limiter *limiter
	rate    *rate.Limiter
	records chan *aicc.Attempt // the running phase's; set before it starts
	halted  context.Context    // done once no new attempt or request may start
	halt    context.CancelCauseFunc
	start   time.Time
	resumed int

	planned    atomic.Int64 // attempts planned, the validation phase's once known
	validating atomic.Bool  // the validation phase has started

	requests  atomic.Int64 // over all runs
	tokens    atomic.Int64
	inTokens  atomic.Int64
	outTokens atomic.Int64
	runReqs   atomic.Int64 // this run
	done      atomic.Int64
	hits      atomic.Int64
	errs      atomic.Int64
}

func (e *engine) progress() Progress {
	return Progress{
		Done:     int(e.done.Load()),
		Total:    int(e.planned.Load()),
		Phase:    e.phase(),
		Hits:     int(e.hits.Load()),
		Errors:   int(e.errs.Load()),
		Requests: e.runReqs.Load(),
		Limit:    e.limiter.current(),
		Elapsed:  time.Since(e.start),
		Resumed:  e.resumed,
	}
}

func (e *engine) phase() aicc.Phase {
	if e.validating.Load() {
		return aicc.PhaseValidation
	}
	return aicc.PhaseDiscovery
}

// canaries derives an attempt's canary values from the scan's secret seed,
// so a re-run of the same attempt uses the same values and no one who lacks
// the seed can predict them.
func (e *engine) canaries(attemptID string, names []string) map[string]string {
	if len(names) == 0 {
		return nil
	}
	out := make(map[string]string, len(names))
	for _, n := range names {
		m := hmac.New(sha256.New, e.scan.Seed)
		m.Write([]byte(attemptID))
		m.Write([]byte{0})
		m.Write([]byte(n))
		out[n] = canaryText(m.Sum(nil))
	}
	return out
}

// canaryText renders 12 characters of upper-case letters and digits, without
// look-alikes, starting with a letter.
func canaryText(sum []byte) string {
	const letters = "ABCDEFGHJKMNPQRSTUVWXYZ"
	const alnum = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	b := make([]byte, 12)
	b[0] = letters[int(sum[0])%len(letters)]
	for i := 1; i < len(b); i++ {
		b[i] = alnum[int(sum[i])%len(alnum)]
	}
	return string(b)
}

// runAttempt plays one attempt's conversation, judges it and queues the
// record. An attempt cut short by cancellation or a budget is not recorded,
// so a resumed scan runs it again. It starts only if the request budget
// covers its whole conversation (retries aside), so a budget never strands
// half a conversation whose requests were paid for.
func (e *engine) runAttempt(ctx context.Context, pa plannedAttempt) {
	started := time.Now().UTC()
	canaries := e.canaries(pa.id, pa.probe.Canaries)
	script, err := pa.probe.Render(pa.index, canaries)
	att := &aicc.Attempt{
		ID:         pa.id,
		ScanID:     e.scan.ID,
		ProbeID:    pa.probe.ID,
		Index:      pa.index,
		Repetition: pa.rep,
		Phase:      aicc.PhaseDiscovery,
		Class:      pa.probe.Class,
		StartedAt:  started,
	}
	if pa.validationOf != "" {
		att.Phase, att.ValidationOf = aicc.PhaseValidation, pa.validationOf
	}
	if err != nil {
		e.finish(att, aicc.OutcomeError, "render: "+err.Error())
		return
	}
	req := aicc.ChatRequest{
		Model:       e.cfg.Model,
		Tools:       script.Tools,
		Temperature: cmp.Or(script.Sampling.Temperature, e.opts.Temperature),
		Seed:        rerunSeed(e.opts.Seed, pa),
		MaxTokens:   cmp.Or(script.Sampling.MaxTokens, e.opts.MaxTokens),
	}
	if e.halted.Err() != nil || !e.reserve(len(script.CallAfter)) {
		return
	}
	reserved := len(script.CallAfter)
	defer func() { e.requests.Add(-int64(reserved)) }() // reserved but never sent
	history := make([]aicc.Message, 0, len(script.Messages)+len(script.CallAfter))
	var responses []aicc.ChatResponse
	next := 0
	for _, at := range script.CallAfter {
		history = append(history, script.Messages[next:at+1]...)
		next = at + 1
		// A model's tool calls must be answered before the conversation goes on.
		if n := len(responses); n > 0 {
			for _, tc := range responses[n-1].ToolCalls {
				history = append(history, aicc.Message{Role: aicc.RoleTool, ToolCallID: tc.ID, Name: tc.Name, Content: `{"error":"this tool is not available in this test"}`})
			}
		}
		req.Messages = history
		resp, n, err := e.send(ctx, &req, &reserved)
		att.Requests += n
		if err != nil {
			if ctx.Err() != nil || e.halted.Err() != nil {
				return // cancelled or out of budget: leave it for the resume
			}
			att.Transcript = history
			e.finish(att, aicc.OutcomeError, err.Error())
			return
		}
		att.InputTokens += resp.Usage.InputTokens
		att.OutputTokens += resp.Usage.OutputTokens
		responses = append(responses, *resp)
		history = append(history, aicc.Message{Role: aicc.RoleAssistant, Content: resp.Text, ToolCalls: resp.ToolCalls})
	}
	att.Transcript = history

	ds := make([]detect.Detector, 0, len(script.Detectors))
	for _, spec := range script.Detectors {
		d, err := detect.New(spec)
		if err != nil {
			e.finish(att, aicc.OutcomeError, "detector: "+err.Error())
			return
		}
		ds = append(ds, d)
	}
	v := detect.Judge(ctx, ds, &detect.Input{Canaries: canaries, Tools: script.Tools, Responses: responses, Transcript: history, Judge: e.cfg.Judge})
	att.Detector = v.Detector
	if v.Evidence != nil {
		att.Evidence, _ = json.Marshal(v.Evidence) // plain struct: cannot fail
	}
	e.finish(att, v.Outcome, v.Reason)
}

func (e *engine) finish(att *aicc.Attempt, o aicc.Outcome, reason string) {
	att.Outcome = o
	att.Reason = reason
	att.FinishedAt = time.Now().UTC()
	switch o {
	case aicc.OutcomeHit:
		e.hits.Add(1)
	case aicc.OutcomeError:
		e.errs.Add(1)
	}
	e.records <- att
}

// reserve counts n requests against the request budget before they are
// sent; when the budget cannot cover them it halts the run and reports
// false.
func (e *engine) reserve(n int) bool {
	total := e.requests.Add(int64(n))
	if b := e.opts.BudgetRequests; b > 0 && total > b {
		e.requests.Add(-int64(n))
		e.halt(errBudgetRequests)
		return false
	}
	return true
}

// send sends one request with retries. It returns the number of requests
// sent. The first try uses one of the requests the attempt *reserved, if
// any are left, and may go ahead after the run halts; every other try is
// counted against the budgets before it is sent, and none starts once the
// run has halted.
func (e *engine) send(ctx context.Context, req *aicc.ChatRequest, reserved *int) (*aicc.ChatResponse, int, error) {
	sent := 0
	for try := 0; ; try++ {
		fromReserve := try == 0 && *reserved > 0
		wait := ctx // what may interrupt the waits before sending
		if !fromReserve {
			if e.halted.Err() != nil {
				return nil, sent, context.Cause(e.halted)
			}
			if b := e.opts.BudgetTokens; b > 0 && e.tokens.Load() >= b {
				e.halt(errBudgetTokens)
				return nil, sent, errBudgetTokens
			}
			if !e.reserve(1) {
				return nil, sent, errBudgetRequests
			}
			wait = e.halted
		}
		unreserve := func() {
			if !fromReserve {
				e.requests.Add(-1)
			}
		}
		if e.rate != nil {
			if err := e.rate.Wait(wait); err != nil {
				unreserve()
				return nil, sent, err
			}
		}
		started, err := e.limiter.acquire(wait)
		if err != nil {
			unreserve()
			return nil, sent, err
		}
		if fromReserve {
			*reserved--
		}
		sent++
		e.runReqs.Add(1)
		rctx, cancel := context.WithTimeout(ctx, e.cfg.AttemptTimeout)
		resp, err := e.target.Send(rctx, req)
		cancel()
		if err == nil {
			e.limiter.release(started, false)
			e.inTokens.Add(int64(resp.Usage.InputTokens))
			e.outTokens.Add(int64(resp.Usage.OutputTokens))
			e.tokens.Add(int64(resp.Usage.InputTokens + resp.Usage.OutputTokens))
			return resp, sent, nil
		}
		var se *aicc.SendError
		isSendErr := errors.As(err, &se)
		retryable := isSendErr && se.Retryable && ctx.Err() == nil
		// Overload, server errors and timeouts all mean: slow down.
		e.limiter.release(started, retryable)
		if !retryable || try >= e.cfg.MaxRetries {
			if isSendErr && try > 0 {
				return nil, sent, fmt.Errorf("%w (after %d tries)", err, try+1)
			}
			return nil, sent, err
		}
		pause := e.backoff(try)
		if se.RetryAfter > pause {
			pause = min(se.RetryAfter, 5*time.Minute)
		}
		e.cfg.Logger.Debug("retrying request", "reason", se.Reason, "try", try+1, "wait", pause)
		t := time.NewTimer(pause)
		select {
		case <-e.halted.Done():
			t.Stop()
			return nil, sent, context.Cause(e.halted)
		case <-t.C:
		}
	}
}

// backoff is the wait before retry number try+1: exponential with full jitter
// over its upper half, so that retries of a burst spread out.
func (e *engine) backoff(try int) time.Duration {
	d := e.cfg.RetryBase << min(try, 16)
	if d > e.cfg.RetryMax || d <= 0 {
		d = e.cfg.RetryMax
	}
	return d/2 + rand.N(d/2+1)
}

// record writes attempts in batches: when BatchSize are waiting or the
// oldest has waited FlushInterval. It also saves the scan's counters with
// every batch, so an interrupted scan's record is close to the truth.
func (e *engine) record(ctx context.Context, stop context.CancelCauseFunc) error {
	batch := make([]*aicc.Attempt, 0, e.cfg.BatchSize)
	tick := time.NewTicker(e.cfg.FlushInterval)
	defer tick.Stop()
	var failed error
	flush := func() {
		if len(batch) == 0 || failed != nil {
			batch = batch[:0]
			return
		}
		// Writes must land even while the run is being cancelled.
		wctx := context.WithoutCancel(ctx)
		if err := e.store.InsertAttempts(wctx, batch); err != nil {
			failed = err
			stop(err)
			batch = batch[:0]
			return
		}
		e.done.Add(int64(len(batch)))
		batch = batch[:0]
		s := *e.scan
		s.Requests = e.requests.Load()
		s.InputTokens = e.inTokens.Load()
		s.OutputTokens = e.outTokens.Load()
		if err := e.store.UpdateScan(wctx, &s); err != nil {
			failed = err
			stop(err)
		}
	}
	for {
		select {
		case a, ok := <-e.records:
			if !ok {
				flush()
				return failed
			}
			batch = append(batch, a)
			if len(batch) >= e.cfg.BatchSize {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}
