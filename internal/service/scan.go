package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/protocol"
	"github.com/aicc-dev/aicc/internal/review"
	"github.com/aicc-dev/aicc/internal/scan"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/target"
)

// Queue enqueues scan jobs.
type Queue interface {
	EnqueueScan(ctx context.Context, scanID string) error
}

// defaultLeaseTTL is how long a worker's claim on a scan lasts without
// renewal; it renews every third of it. A worker killed mid-scan leaves the
// scan to the next one after at most this long.
const defaultLeaseTTL = 15 * time.Second

// ScanInput asks for a scan of a submission.
type ScanInput struct {
	Protocol       string   `json:"protocol"`                  // a built-in protocol; default core
	Repeat         int      `json:"repeat,omitempty"`          // default 1
	Validate       *int     `json:"validate,omitempty"`        // reruns per hit; default 5
	BudgetRequests int64    `json:"budget_requests,omitempty"` // 0: the consent's cap, if any
	Temperature    *float64 `json:"temperature,omitempty"`
}

// ReviewScanView is a scan of a review as the API shows it.
type ReviewScanView struct {
	aicc.ReviewScan
	Status          aicc.ScanStatus `json:"status"`
	StopReason      string          `json:"stop_reason,omitempty"`
	Protocol        string          `json:"protocol"`
	PlannedAttempts int             `json:"planned_attempts"`
	Requests        int64           `json:"requests"`
}

// targetConfig is what a review scan stores to reach its endpoint again:
// never the credential.
func targetConfig(e aicc.Endpoint, model string) target.Config {
	return target.Config{Kind: e.Provider, BaseURL: e.BaseURL, Model: model, AuthHeader: e.AuthHeader, MaxTokensParam: e.MaxTokensParam}
}

// StartScan starts a scan of a submission's endpoint with a built-in
// protocol, limited to what the developer consented to. A submission not
// yet triaged is triaged first. The scan runs as a job.
func (s *Service) StartScan(ctx context.Context, p aicc.Principal, submissionID string, in ScanInput) (*ReviewScanView, error) {
	sub, err := s.GetSubmission(ctx, p, submissionID)
	if err != nil {
		return nil, err
	}
	r := submissionResource(sub)
	r.Kind = authz.KindScan
	if err := check(p, authz.ReviewStartScan, r); err != nil {
		return nil, err
	}
	if in.Protocol == "" {
		in.Protocol = "core"
	}
	proto, err := protocol.Builtin(in.Protocol)
	if err != nil {
		return nil, aicc.Errorf(aicc.KindInvalid, "protocol %q: %v", in.Protocol, err)
	}
	opts := scan.Options{Repeat: max(in.Repeat, 1), Reruns: 5, BudgetRequests: in.BudgetRequests, Temperature: in.Temperature}
	if in.Validate != nil {
		opts.Reruns = *in.Validate
	}
	if c := sub.Consent.MaxRequests; c > 0 && (opts.BudgetRequests == 0 || opts.BudgetRequests > c) {
		opts.BudgetRequests = c
	}
	if len(sub.Consent.Classes) > 0 {
		for _, pr := range proto.Probes {
			if classAllowed(sub.Consent.Classes, pr.Class) {
				for i := range pr.NumVariants() {
					opts.Only = append(opts.Only, scan.AttemptRef{ProbeID: pr.ID, Index: i})
				}
			}
		}
		if len(opts.Only) == 0 {
			return nil, aicc.Errorf(aicc.KindInvalid, "protocol %s has no probe of the classes the developer consented to", proto.Name)
		}
	}
	return s.startScan(ctx, p, authz.ReviewStartScan, sub, proto, opts, sub.Endpoint.Model, "review", "", func(ctx context.Context, tx store.ServiceTx, sub *aicc.Submission) error {
		if sub.State == aicc.ReviewSubmitted {
			if err := transition(sub, review.EventTriage); err != nil {
				return err
			}
			if err := s.record(ctx, tx, p, "review.triage", "submission", sub.ID, map[string]any{"automatic": true}); err != nil {
				return err
			}
		}
		return transition(sub, review.EventScanStarted)
	})
}

func classAllowed(classes []aicc.Class, c aicc.Class) bool {
	for _, a := range classes {
		if a == c {
			return true
		}
	}
	return false
}

// startScan records a scan of a review and enqueues it. advance moves the
// review's state in the same transaction.
func (s *Service) startScan(ctx context.Context, p aicc.Principal, action authz.Action, sub *aicc.Submission, proto *protocol.Protocol, opts scan.Options, model, kind, retestID string,
	advance func(ctx context.Context, tx store.ServiceTx, sub *aicc.Submission) error) (*ReviewScanView, error) {
	if s.scans == nil || s.queue == nil {
		return nil, aicc.Errorf(aicc.KindUnavailable, "this server runs no scans (no scan store or queue configured)")
	}
	if !sub.HasCredential && sub.Endpoint.Provider != "" {
		s.log.Info("scanning without a credential", "submission", sub.ID)
	}
	cfgJSON, err := json.Marshal(targetConfig(sub.Endpoint, model))
	if err != nil {
		return nil, err
	}
	now := s.clock()
	sc, err := scan.NewScan(proto, fmt.Sprintf("%s %s model=%s (submission %s)", sub.Endpoint.Provider, sub.Endpoint.BaseURL, model, sub.ID), cfgJSON, opts, now)
	if err != nil {
		return nil, err
	}
	sc.Status = aicc.ScanInterrupted // until a worker picks it up
	sc.StopReason = "queued"
	if err := s.scans.CreateScan(ctx, sc); err != nil {
		return nil, err
	}
	rs := &aicc.ReviewScan{ScanID: sc.ID, SubmissionID: sub.ID, Kind: kind, RetestID: retestID, RequestedBy: p.UserID, CreatedAt: now}
	_, err = s.update(ctx, p, sub.ID, action, func(ctx context.Context, tx store.ServiceTx, sub *aicc.Submission) error {
		if !sub.State.Open() {
			return aicc.Errorf(aicc.KindConflict, "submission %s is %s: its review has ended", sub.ID, sub.State)
		}
		if err := advance(ctx, tx, sub); err != nil {
			return err
		}
		if err := tx.CreateReviewScan(ctx, rs); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "scan.start", "scan", sc.ID, map[string]any{
			"submission_id": sub.ID, "kind": kind, "protocol": proto.Name + "@" + proto.Version, "digest": proto.Digest,
			"planned": sc.PlannedAttempts, "budget_requests": opts.BudgetRequests, "model": model,
		})
	})
	if err != nil {
		return nil, err
	}
	if err := s.queue.EnqueueScan(ctx, sc.ID); err != nil {
		return nil, err // the scan is recorded; ResumeScans enqueues it again at start-up
	}
	return &ReviewScanView{ReviewScan: *rs, Status: sc.Status, StopReason: sc.StopReason, Protocol: proto.Name + "@" + proto.Version, PlannedAttempts: sc.PlannedAttempts}, nil
}

// ResumeScans enqueues every scan of an open review that has not finished,
// so that scans interrupted by a restart carry on.
func (s *Service) ResumeScans(ctx context.Context) (int, error) {
	if s.queue == nil {
		return 0, nil
	}
	n := 0
	cur := ""
	for {
		subs, next, err := s.st.ListSubmissions(ctx, store.SubmissionFilter{Open: true}, store.Page{Limit: 1000, After: cur})
		if err != nil {
			return n, err
		}
		for _, sub := range subs {
			rss, err := s.st.ListReviewScans(ctx, sub.ID)
			if err != nil {
				return n, err
			}
			for _, rs := range rss {
				if rs.FinishedAt.IsZero() {
					if err := s.queue.EnqueueScan(ctx, rs.ScanID); err != nil {
						return n, err
					}
					n++
				}
			}
		}
		if next == "" {
			return n, nil
		}
		cur = next
	}
}

// ListScans lists the scans of a submission.
func (s *Service) ListScans(ctx context.Context, p aicc.Principal, submissionID string) ([]*ReviewScanView, error) {
	sub, err := s.GetSubmission(ctx, p, submissionID)
	if err != nil {
		return nil, err
	}
	if err := check(p, authz.ScanList, authz.Resource{Kind: authz.KindScan, OwnerOrg: sub.OrgID, Shared: sub.Consent.ShareWithAgencies}); err != nil {
		return nil, err
	}
	rss, err := s.st.ListReviewScans(ctx, submissionID)
	if err != nil {
		return nil, err
	}
	out := make([]*ReviewScanView, 0, len(rss))
	for _, rs := range rss {
		v := &ReviewScanView{ReviewScan: *rs}
		if s.scans != nil {
			if sc, err := s.scans.GetScan(ctx, rs.ScanID); err == nil {
				v.Status, v.StopReason, v.Protocol, v.PlannedAttempts, v.Requests = sc.Status, sc.StopReason, sc.ProtocolName+"@"+sc.ProtocolVersion, sc.PlannedAttempts, sc.Requests
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// RunScan runs (or resumes) a scan of a review: the work of a scan job.
// Only one worker runs a scan at a time (a lease in the store); the scan
// stops when its review closes.
func (s *Service) RunScan(ctx context.Context, scanID string) error {
	rs, err := s.st.GetReviewScan(ctx, scanID)
	if err != nil {
		if errors.Is(err, aicc.ErrNotFound) {
			return fmt.Errorf("%w: %v", aicc.ErrWorkGone, err)
		}
		return err
	}
	if !rs.FinishedAt.IsZero() {
		return nil
	}
	sub, err := s.st.GetSubmission(ctx, rs.SubmissionID)
	if err != nil {
		return err
	}
	if !sub.State.Open() {
		return s.abandonScan(ctx, rs, sub)
	}
	held, err := s.lease(ctx, scanID)
	if err != nil {
		return err
	}
	if !held {
		return aicc.ErrLeaseHeld
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	defer func() {
		_ = s.tx(context.WithoutCancel(ctx), func(ctx context.Context, tx store.ServiceTx) error {
			return tx.ReleaseScanLease(ctx, scanID, s.workerID)
		})
	}()
	go s.keepLease(runCtx, cancel, scanID, sub.ID)

	sc, err := s.scans.GetScan(ctx, scanID)
	if err != nil {
		return err
	}
	proto, err := protocol.Parse("protocol of scan "+scanID, sc.ProtocolSource)
	if err != nil {
		return fmt.Errorf("%w: %v", aicc.ErrWorkGone, err)
	}
	var tcfg target.Config
	if err := json.Unmarshal(sc.TargetConfig, &tcfg); err != nil {
		return fmt.Errorf("%w: scan %s target: %v", aicc.ErrWorkGone, scanID, err)
	}
	if tcfg.APIKey, err = s.endpointCredential(ctx, sub); err != nil {
		return err
	}
	t, err := target.New(tcfg, s.httpClient)
	if err != nil {
		return fmt.Errorf("%w: scan %s target: %v", aicc.ErrWorkGone, scanID, err)
	}
	res, err := scan.Run(runCtx, s.scans, sc, proto, t, scan.Config{Model: tcfg.Model, Concurrency: s.scanConcurrency, Adaptive: true, Logger: s.log, RunFor: s.slice,
		// Attempts are written within 25 ms, so a worker that dies loses
		// (and the next one sends again) little besides its requests in flight.
		FlushInterval: 25 * time.Millisecond})
	if err != nil {
		return err
	}
	switch {
	case res.Scan.Status == aicc.ScanCompleted, res.Scan.StopReason == scan.StopBudgetRequests, res.Scan.StopReason == scan.StopBudgetTokens:
		return s.finishScan(context.WithoutCancel(ctx), rs, res.Scan)
	case res.Scan.StopReason == scan.StopPaused:
		return aicc.ErrWorkPaused
	case errors.Is(context.Cause(runCtx), errReviewClosed):
		if sub, err := s.st.GetSubmission(ctx, rs.SubmissionID); err == nil && sub.State == aicc.ReviewWithdrawn {
			if err := s.purgeEvidence(context.WithoutCancel(ctx), sub.ID); err != nil {
				return err
			}
		}
		return fmt.Errorf("%w: %v", aicc.ErrWorkGone, errReviewClosed)
	case ctx.Err() != nil:
		return ctx.Err() // the worker is stopping: another one resumes the scan
	}
	return fmt.Errorf("scan %s stopped: %s", scanID, res.Scan.StopReason)
}

var (
	errReviewClosed = errors.New("the review ended while its scan ran")
	errLeaseLost    = errors.New("another worker took over the scan")
)

func (s *Service) lease(ctx context.Context, scanID string) (bool, error) {
	var held bool
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		now := s.clock()
		var err error
		held, err = tx.AcquireScanLease(ctx, scanID, s.workerID, now, now.Add(s.leaseTTL))
		return err
	})
	return held, err
}

// keepLease renews the scan's lease and watches its review, cancelling the
// run when the lease is lost or the review closes.
func (s *Service) keepLease(ctx context.Context, cancel context.CancelCauseFunc, scanID, submissionID string) {
	renew := time.NewTicker(s.leaseTTL / 3)
	watch := time.NewTicker(time.Second)
	defer renew.Stop()
	defer watch.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-renew.C:
			held, err := s.lease(ctx, scanID)
			if err == nil && !held {
				cancel(errLeaseLost)
				return
			}
		case <-watch.C:
			sub, err := s.st.GetSubmission(ctx, submissionID)
			if err == nil && !sub.State.Open() {
				cancel(errReviewClosed)
				return
			}
		}
	}
}

// abandonScan ends the record of a scan whose review closed before it ran.
func (s *Service) abandonScan(ctx context.Context, rs *aicc.ReviewScan, sub *aicc.Submission) error {
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.FinishReviewScan(ctx, rs.ScanID, s.clock()); err != nil {
			return err
		}
		return s.record(ctx, tx, system, "scan.abandon", "scan", rs.ScanID, map[string]any{"submission_id": sub.ID, "state": sub.State})
	})
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: submission %s is %s", aicc.ErrWorkGone, sub.ID, sub.State)
}

// newWorkerID names this process as a lease owner.
func newWorkerID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "wkr_" + hex.EncodeToString(b[:])
}
