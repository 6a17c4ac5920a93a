package scan

import (
	"context"
	"fmt"
	"iter"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
	"github.com/aicc-dev/aicc/internal/store"
)

// The validation phase: reruns of every discovery hit (docs/engine.md).

// validate runs the validation phase: it lists the scan's discovery hits,
// records how many attempts the scan now plans, and runs the reruns not yet
// done. It returns the store's error, if any; a cancellation is not one.
func (e *engine) validate(ctx context.Context, stop context.CancelCauseFunc, p *protocol.Protocol, done map[string]struct{}, skipped *int) error {
	hits, err := e.store.ListAttempts(ctx, e.scan.ID, store.AttemptFilter{
		Outcome: aicc.OutcomeHit, Phase: aicc.PhaseDiscovery, OmitTranscripts: true,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil // cancelled: the resume validates
		}
		return fmt.Errorf("list hits to validate: %w", err)
	}
	planned := e.opts.Planned(p) + len(hits)*e.opts.Reruns
	e.planned.Store(int64(planned))
	e.validating.Store(true)
	e.scan.PlannedAttempts = planned
	s := *e.scan
	s.Requests = e.requests.Load()
	s.InputTokens = e.inTokens.Load()
	s.OutputTokens = e.outTokens.Load()
	if err := e.store.UpdateScan(context.WithoutCancel(ctx), &s); err != nil {
		return fmt.Errorf("start validation: %w", err)
	}
	e.cfg.Logger.Info("validation started", "scan", e.scan.ID, "hits", len(hits), "reruns", e.opts.Reruns, "planned", planned)
	return e.runPhase(ctx, stop, validationFeed(e.scan.ID, p, hits, e.opts.Reruns, done, skipped))
}

// validationFeed yields, for every hit, the reruns attempts that re-run
// it, without those in done, which it counts in skipped. Rerun r of hit h
// is a fresh attempt of h's probe and variant with ID
// aicc.ValidationID(scan, h, r): its canaries, derived from that ID, are
// new, so a model cannot pass by repeating what it saw, and a verifier
// cannot match a value left over from the hit.
func validationFeed(scanID string, p *protocol.Protocol, hits []*aicc.Attempt, reruns int, done map[string]struct{}, skipped *int) iter.Seq[plannedAttempt] {
	return func(yield func(plannedAttempt) bool) {
		for _, h := range hits {
			probe := p.Probe(h.ProbeID)
			if probe == nil || h.Index >= probe.NumVariants() {
				continue // not of this protocol: cannot happen while digests match
			}
			for r := range reruns {
				id := aicc.ValidationID(scanID, h.ID, r)
				if _, ok := done[id]; ok {
					*skipped++
					continue
				}
				if !yield(plannedAttempt{id: id, probe: probe, index: h.Index, rep: r, validationOf: h.ID}) {
					return
				}
			}
		}
	}
}

// rerunSeed is the sampling seed of an attempt: the scan's for discovery
// attempts, and seed+1+r for rerun r of a hit, so that with a fixed seed the
// reruns still sample differently from the hit and from each other, in the
// same way on every resume. Without a seed there is none.
func rerunSeed(seed *int64, pa plannedAttempt) *int64 {
	if seed == nil || pa.validationOf == "" {
		return seed
	}
	s := *seed + 1 + int64(pa.rep)
	return &s
}
