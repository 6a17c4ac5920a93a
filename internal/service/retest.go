package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/protocol"
	"github.com/aicc-dev/aicc/internal/report"
	"github.com/aicc-dev/aicc/internal/review"
	"github.com/aicc-dev/aicc/internal/scan"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/validate"
)

// RetestInput asks for a retest; without a remediation, the latest one.
type RetestInput struct {
	RemediationID string `json:"remediation_id,omitempty"`
}

// RetestView is a retest with its scan.
type RetestView struct {
	aicc.Retest
	Scan *ReviewScanView `json:"scan,omitempty"`
}

// before is what a retest compares against: the finding's reproduction
// rate, or, without validation, its discovery hits.
func before(f *aicc.Finding) validate.Reproduction {
	if r := f.Reproduction; r != nil && r.Attempts > 0 {
		return validate.NewReproduction(r.Successes, r.Attempts)
	}
	return validate.NewReproduction(f.Hits, max(f.Attempts, f.Hits))
}

// CreateRetest re-runs exactly the attempts (probes and variants) that
// made a finding, on the remediated model version, enough times for a
// significance test to be able to call it fixed, and later compares the
// reproduction rates (see review.Rules.Retest).
func (s *Service) CreateRetest(ctx context.Context, p aicc.Principal, findingID string, in RetestInput) (*RetestView, error) {
	f, sub, err := s.loadFinding(ctx, s.st, p, findingID)
	if err != nil {
		return nil, err
	}
	if err := check(p, authz.RetestCreate, authz.Resource{Kind: authz.KindRetest, OwnerOrg: sub.OrgID}); err != nil {
		return nil, err
	}
	rms, err := s.st.ListRemediations(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	var rm *aicc.Remediation
	for _, r := range rms {
		if in.RemediationID == "" || r.ID == in.RemediationID {
			rm = r
		}
	}
	if rm == nil {
		return nil, aicc.Errorf(aicc.KindConflict, "finding %s has no remediation to retest; the developer posts one first (aicc remediation create)", f.ID)
	}
	b := before(f)
	if b.Successes == 0 {
		return nil, aicc.Errorf(aicc.KindConflict, "finding %s never reproduced: there is nothing to show fixed", f.ID)
	}
	if s.scans == nil {
		return nil, aicc.Errorf(aicc.KindUnavailable, "this server runs no scans")
	}
	// The exact failing attempts: the probe and variant of every hit.
	hits, err := s.scans.ListAttempts(ctx, f.ScanID, store.AttemptFilter{IDs: f.Evidence, OmitTranscripts: true})
	if err != nil {
		return nil, err
	}
	var only []scan.AttemptRef
	for _, a := range hits {
		ref := scan.AttemptRef{ProbeID: a.ProbeID, Index: a.Index}
		if !slices.Contains(only, ref) {
			only = append(only, ref)
		}
	}
	if len(only) == 0 {
		return nil, aicc.Errorf(aicc.KindConflict, "finding %s has no stored evidence to re-run", f.ID)
	}
	sc, err := s.scans.GetScan(ctx, f.ScanID)
	if err != nil {
		return nil, err
	}
	proto, err := protocol.Parse("protocol of scan "+sc.ID, sc.ProtocolSource)
	if err != nil {
		return nil, err
	}
	// Enough attempts that an all-pass retest is significant, and at least
	// as many as the original measurement.
	need := max(s.rules.MinRetestAttempts(b), b.Attempts, 5)
	repeat := (need + len(only) - 1) / len(only)
	opts := scan.Options{Repeat: repeat, Reruns: 0, Only: only}
	if c := sub.Consent.MaxRequests; c > 0 {
		opts.BudgetRequests = c
	}
	model := rm.EndpointModel
	if model == "" {
		model = sub.Endpoint.Model
	}
	rt := &aicc.Retest{ID: aicc.NewID(aicc.PrefixRetest), FindingID: f.ID, RemediationID: rm.ID, Status: aicc.RetestRunning,
		Before: reproduction(b), CreatedBy: p.UserID, CreatedAt: s.clock()}
	view, err := s.startScan(ctx, p, authz.RetestCreate, sub, proto, opts, model, "retest", rt.ID, func(ctx context.Context, tx store.ServiceTx, sub *aicc.Submission) error {
		if err := transition(sub, review.EventRetestStarted); err != nil {
			return fmt.Errorf("start retest: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rt.ScanID = view.ScanID
	err = s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateRetest(ctx, rt); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "retest.create", "retest", rt.ID, map[string]any{"finding_id": f.ID, "remediation_id": rm.ID, "scan_id": rt.ScanID, "attempts": repeat * len(only), "model": model})
	})
	if err != nil {
		return nil, err
	}
	return &RetestView{Retest: *rt, Scan: view}, nil
}

// decideRetest compares a finished retest scan's rate with the finding's
// and records the verdict on the retest and the finding.
func (s *Service) decideRetest(ctx context.Context, tx store.ServiceTx, rs *aicc.ReviewScan, rep *report.Report) error {
	rt, err := tx.GetRetest(ctx, rs.RetestID)
	if err != nil {
		return err
	}
	f, err := tx.GetFinding(ctx, rt.FindingID)
	if err != nil {
		return err
	}
	now := s.clock()
	after := validate.NewReproduction(rep.Counts.Hit, rep.Counts.Hit+rep.Counts.Pass)
	rt.After, rt.FinishedAt = reproduction(after), now
	res, err := s.rules.Retest(before(f), after)
	if err != nil {
		rt.Status, rt.Reason = aicc.RetestFailed, err.Error()
		return tx.UpdateRetest(ctx, rt)
	}
	rt.Status, rt.Verdict, rt.PValue, rt.Reason = aicc.RetestDone, string(res.Verdict), res.PValue, res.Reason
	if err := tx.UpdateRetest(ctx, rt); err != nil {
		return err
	}
	next, err := review.ChangeFinding(f.Status, res.Verdict.Action(), res.Reason)
	if err == nil {
		f.Status, f.UpdatedAt = next, now
		if err := tx.UpdateFinding(ctx, f); err != nil {
			return err
		}
		note := &aicc.FindingNote{ID: aicc.NewID(aicc.PrefixComment), FindingID: f.ID, UserID: "system", Action: string(res.Verdict.Action()), Status: next, Text: res.Reason, CreatedAt: now}
		if err := tx.AddFindingNote(ctx, note); err != nil {
			return err
		}
	}
	return s.record(ctx, tx, system, "retest.finish", "retest", rt.ID, map[string]any{"finding_id": f.ID, "verdict": rt.Verdict, "p_value": rt.PValue})
}

// GetRetest returns a retest.
func (s *Service) GetRetest(ctx context.Context, p aicc.Principal, id string) (*aicc.Retest, error) {
	rt, err := s.st.GetRetest(ctx, id)
	if err != nil {
		return nil, err
	}
	_, sub, err := s.loadFinding(ctx, s.st, p, rt.FindingID)
	if err != nil {
		return nil, hide(err, "retest", id)
	}
	if err := check(p, authz.RetestRead, authz.Resource{Kind: authz.KindRetest, OwnerOrg: sub.OrgID}); err != nil {
		return nil, hide(err, "retest", id)
	}
	return rt, nil
}
