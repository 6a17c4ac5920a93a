package service

import (
	"context"
	"slices"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/report"
	"github.com/aicc-dev/aicc/internal/review"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/validate"
)

// finishScan records the end of a review's scan: a review scan's findings
// are merged into the review's (one per class and family), a retest's
// verdict is decided.
func (s *Service) finishScan(ctx context.Context, rs *aicc.ReviewScan, sc *aicc.Scan) error {
	rep, err := report.Build(ctx, s.scans, sc.ID)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		cur, err := tx.GetReviewScan(ctx, rs.ScanID)
		if err != nil {
			return err
		}
		if !cur.FinishedAt.IsZero() {
			return nil // another worker finished it first
		}
		sub, err := tx.GetSubmission(ctx, rs.SubmissionID)
		if err != nil {
			return err
		}
		now := s.clock()
		if err := tx.FinishReviewScan(ctx, rs.ScanID, now); err != nil {
			return err
		}
		detail := map[string]any{"submission_id": sub.ID, "status": sc.Status, "stop_reason": sc.StopReason, "attempts": rep.Counts.Attempts, "hits": rep.Counts.Hit}
		if rs.Kind == "retest" {
			if err := s.decideRetest(ctx, tx, rs, rep); err != nil {
				return err
			}
		} else {
			n, err := s.mergeFindings(ctx, tx, sub, sc.ID, rep)
			if err != nil {
				return err
			}
			detail["findings"] = n
		}
		if err := s.record(ctx, tx, system, "scan.finish", "scan", sc.ID, detail); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, "scan.finished", sub, map[string]any{"submission_id": sub.ID, "scan_id": sc.ID, "kind": rs.Kind, "status": sc.Status}); err != nil {
			return err
		}
		// The review moves on when its last running scan ends.
		rss, err := tx.ListReviewScans(ctx, sub.ID)
		if err != nil {
			return err
		}
		for _, o := range rss {
			if o.FinishedAt.IsZero() && o.ScanID != rs.ScanID {
				return nil
			}
		}
		event := review.EventScanFinished
		if rs.Kind == "retest" {
			event = review.EventRetestFinished
		}
		if next, err := review.Transition(sub.State, event); err == nil && next != sub.State {
			sub.State, sub.UpdatedAt = next, now
			if err := tx.UpdateSubmission(ctx, sub); err != nil {
				return err
			}
		}
		return nil
	})
}

// mergeFindings adds a scan's findings to its review, updating the
// finding of the same class and family when there is one.
func (s *Service) mergeFindings(ctx context.Context, tx store.ServiceTx, sub *aicc.Submission, scanID string, rep *report.Report) (int, error) {
	existing, _, err := tx.ListFindings(ctx, store.FindingFilter{SubmissionID: sub.ID}, store.Page{Limit: 1000})
	if err != nil {
		return 0, err
	}
	now := s.clock()
	n := 0
	for _, rf := range rep.Findings {
		if rf.Class == aicc.ClassCyberCapability {
			continue // capabilities are results, not findings
		}
		var f *aicc.Finding
		for _, e := range existing {
			if e.Class == rf.Class && e.Family == rf.Family {
				f = e
			}
		}
		isNew := f == nil
		if isNew {
			f = &aicc.Finding{ID: aicc.NewID(aicc.PrefixFinding), SubmissionID: sub.ID, Class: rf.Class, Family: rf.Family,
				Status: aicc.FindingNew, TLP: aicc.TLPRed, CreatedAt: now}
		}
		f.ScanID, f.Probes, f.Title, f.Severity, f.Taxonomy = scanID, rf.Probes, rf.Title, rf.Severity, rf.Taxonomy
		f.Verified, f.Detector, f.Hits, f.Attempts, f.Evidence = rf.Status == report.StatusConfirmed, rf.Detector, rf.Hits, rf.Attempts, rf.Evidence
		f.Reproduction = nil
		if rf.Reproduction != nil {
			f.Reproduction = reproduction(*rf.Reproduction)
		}
		if rf.CVSS != nil {
			f.CVSSVector, f.CVSSScore = rf.CVSS.Vector, rf.CVSS.Score
		}
		f.UpdatedAt = now
		if isNew {
			err = tx.CreateFinding(ctx, f)
		} else {
			err = tx.UpdateFinding(ctx, f)
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func reproduction(r validate.Reproduction) *aicc.Reproduction {
	return &aicc.Reproduction{Attempts: r.Attempts, Successes: r.Successes, Rate: r.Rate, CILow: r.CILow, CIHigh: r.CIHigh}
}

// findingResource describes a finding of sub to authz.
func findingResource(sub *aicc.Submission, f *aicc.Finding) authz.Resource {
	return authz.Resource{Kind: authz.KindFinding, OwnerOrg: sub.OrgID, TLP: f.TLP, Shared: sub.Consent.ShareWithAgencies}
}

// FindingView is a finding with its history.
type FindingView struct {
	aicc.Finding
	Notes        []*aicc.FindingNote `json:"notes"`
	Remediations []*aicc.Remediation `json:"remediations"`
	Retests      []*aicc.Retest      `json:"retests"`
}

// loadFinding returns a finding the principal may read, with its
// submission; one it may not is not found.
func (s *Service) loadFinding(ctx context.Context, r store.ServiceReader, p aicc.Principal, id string) (*aicc.Finding, *aicc.Submission, error) {
	f, err := r.GetFinding(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	sub, err := r.GetSubmission(ctx, f.SubmissionID)
	if err != nil {
		return nil, nil, err
	}
	if err := check(p, authz.FindingRead, findingResource(sub, f)); err != nil {
		return nil, nil, hide(err, "finding", id)
	}
	return f, sub, nil
}

// GetFinding returns a finding with its notes, remediations and retests.
func (s *Service) GetFinding(ctx context.Context, p aicc.Principal, id string) (*FindingView, error) {
	f, _, err := s.loadFinding(ctx, s.st, p, id)
	if err != nil {
		return nil, err
	}
	v := &FindingView{Finding: *f}
	if v.Notes, err = s.st.ListFindingNotes(ctx, id); err != nil {
		return nil, err
	}
	if v.Remediations, err = s.st.ListRemediations(ctx, id); err != nil {
		return nil, err
	}
	if v.Retests, err = s.st.ListRetests(ctx, id); err != nil {
		return nil, err
	}
	return v, nil
}

// ListFindings lists a submission's findings that the principal may read.
func (s *Service) ListFindings(ctx context.Context, p aicc.Principal, submissionID string, status aicc.FindingStatus, pg store.Page) ([]*aicc.Finding, string, error) {
	sub, err := s.GetSubmission(ctx, p, submissionID)
	if err != nil {
		return nil, "", err
	}
	if err := check(p, authz.FindingList, authz.Resource{Kind: authz.KindFinding, OwnerOrg: sub.OrgID, Shared: sub.Consent.ShareWithAgencies}); err != nil {
		return nil, "", err
	}
	fs, next, err := s.st.ListFindings(ctx, store.FindingFilter{SubmissionID: sub.ID, Status: status}, pg)
	if err != nil {
		return nil, "", err
	}
	out := fs[:0]
	for _, f := range fs {
		if authz.Allowed(p, authz.FindingRead, findingResource(sub, f)) {
			out = append(out, f)
		}
	}
	return out, next, nil
}

// actOnFinding applies a finding action (confirm, reject, dispute,
// comment) with its rationale and records it.
func (s *Service) actOnFinding(ctx context.Context, p aicc.Principal, id string, a authz.Action, action review.FindingAction, text string) (*aicc.Finding, error) {
	var out *aicc.Finding
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		f, sub, err := s.loadFinding(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if err := check(p, a, findingResource(sub, f)); err != nil {
			return err
		}
		if !sub.State.Open() {
			return aicc.Errorf(aicc.KindConflict, "submission %s is %s: its review has ended", sub.ID, sub.State)
		}
		text = strings.TrimSpace(text)
		next, err := review.ChangeFinding(f.Status, action, text)
		if err != nil {
			return err
		}
		now := s.clock()
		f.Status, f.UpdatedAt = next, now
		if err := tx.UpdateFinding(ctx, f); err != nil {
			return err
		}
		note := &aicc.FindingNote{ID: aicc.NewID(aicc.PrefixComment), FindingID: f.ID, UserID: p.UserID, OrgID: p.OrgID, Action: string(action), Status: next, Text: text, CreatedAt: now}
		if err := tx.AddFindingNote(ctx, note); err != nil {
			return err
		}
		// Confirming a finding shares the review's findings with the developer.
		if action == review.ActionConfirm && sub.State == aicc.ReviewValidating {
			if err := transition(sub, review.EventFindingsShared); err != nil {
				return err
			}
			sub.UpdatedAt = now
			if err := tx.UpdateSubmission(ctx, sub); err != nil {
				return err
			}
			if err := s.record(ctx, tx, p, "review.share_findings", "submission", sub.ID, map[string]any{"on": "confirm"}); err != nil {
				return err
			}
		}
		if err := s.developerResponded(ctx, tx, p, sub); err != nil {
			return err
		}
		out = f
		if err := s.emit(ctx, tx, "finding."+string(action), sub, map[string]any{"submission_id": sub.ID, "finding_id": f.ID, "status": next}); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "finding."+string(action), "finding", f.ID, map[string]any{"status": next, "note_id": note.ID})
	})
	return out, err
}

// ConfirmFinding confirms a finding with the analyst's rationale.
func (s *Service) ConfirmFinding(ctx context.Context, p aicc.Principal, id, note string) (*aicc.Finding, error) {
	return s.actOnFinding(ctx, p, id, authz.FindingConfirm, review.ActionConfirm, note)
}

// RejectFinding rejects a finding as a false positive, with a rationale.
func (s *Service) RejectFinding(ctx context.Context, p aicc.Principal, id, note string) (*aicc.Finding, error) {
	return s.actOnFinding(ctx, p, id, authz.FindingReject, review.ActionReject, note)
}

// DisputeFinding records the developer's dispute of a finding.
func (s *Service) DisputeFinding(ctx context.Context, p aicc.Principal, id, note string) (*aicc.Finding, error) {
	return s.actOnFinding(ctx, p, id, authz.FindingDispute, review.ActionDispute, note)
}

// CommentFinding adds a remark to a finding.
func (s *Service) CommentFinding(ctx context.Context, p aicc.Principal, id, note string) (*aicc.Finding, error) {
	return s.actOnFinding(ctx, p, id, authz.FindingComment, review.ActionComment, note)
}

// RemediationInput describes how a developer addressed a finding.
type RemediationInput struct {
	Type          aicc.RemediationType `json:"type"`
	Version       string               `json:"version"`
	EndpointModel string               `json:"endpoint_model,omitempty"`
	Note          string               `json:"note,omitempty"`
}

// CreateRemediation records a remediation of a finding, with the model
// version to retest.
func (s *Service) CreateRemediation(ctx context.Context, p aicc.Principal, findingID string, in RemediationInput) (*aicc.Remediation, error) {
	if !in.Type.Valid() {
		names := make([]string, len(aicc.RemediationTypes))
		for i, t := range aicc.RemediationTypes {
			names[i] = string(t)
		}
		return nil, aicc.Errorf(aicc.KindInvalid, "remediation type %q: one of %s", in.Type, strings.Join(names, ", "))
	}
	in.Version = strings.TrimSpace(in.Version)
	if in.Version == "" || len(in.Version) > 100 || len(in.Note) > 4000 || len(in.EndpointModel) > 200 {
		return nil, aicc.Errorf(aicc.KindInvalid, "remediation: version (1 to 100 characters) is required; note at most 4,000 characters")
	}
	var out *aicc.Remediation
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		f, sub, err := s.loadFinding(ctx, tx, p, findingID)
		if err != nil {
			return err
		}
		if err := check(p, authz.RemediationCreate, authz.Resource{Kind: authz.KindRemediation, OwnerOrg: sub.OrgID}); err != nil {
			return err
		}
		if sub.State == aicc.ReviewValidating || sub.State == aicc.ReviewScanning {
			// A developer may remediate as soon as they see a finding.
			if sub.State == aicc.ReviewValidating {
				if err := transition(sub, review.EventFindingsShared); err != nil {
					return err
				}
			}
		}
		if slices.Contains([]aicc.ReviewState{aicc.ReviewFindingsShared, aicc.ReviewRemediation, aicc.ReviewRetest}, sub.State) {
			if err := transition(sub, review.EventRemediationPosted); err != nil {
				return err
			}
		} else if !sub.State.Open() {
			return aicc.Errorf(aicc.KindConflict, "submission %s is %s: its review has ended", sub.ID, sub.State)
		}
		now := s.clock()
		sub.UpdatedAt = now
		if err := tx.UpdateSubmission(ctx, sub); err != nil {
			return err
		}
		rm := &aicc.Remediation{ID: aicc.NewID(aicc.PrefixRemediation), FindingID: f.ID, SubmissionID: sub.ID, Type: in.Type, Version: in.Version,
			EndpointModel: strings.TrimSpace(in.EndpointModel), Note: in.Note, CreatedBy: p.UserID, CreatedAt: now}
		if err := tx.CreateRemediation(ctx, rm); err != nil {
			return err
		}
		if err := s.developerResponded(ctx, tx, p, sub); err != nil {
			return err
		}
		out = rm
		return s.record(ctx, tx, p, "remediation.create", "remediation", rm.ID, map[string]any{"finding_id": f.ID, "type": rm.Type, "version": rm.Version})
	})
	return out, err
}
