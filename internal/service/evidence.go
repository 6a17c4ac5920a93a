package service

import (
	"context"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/store"
)

// Evidence is a finding's evidence: its hit attempts with their
// transcripts, under the finding's TLP label.
type Evidence struct {
	FindingID string          `json:"finding_id"`
	TLP       aicc.TLP        `json:"tlp"`
	Attempts  []*aicc.Attempt `json:"attempts"`
	// Purged reports that the transcripts were deleted under the retention
	// rule (the submission was withdrawn).
	Purged bool `json:"purged,omitempty"`
}

// FindingEvidence returns a finding's hit attempts with their transcripts.
// Every read is logged in the audit log.
func (s *Service) FindingEvidence(ctx context.Context, p aicc.Principal, findingID string) (*Evidence, error) {
	f, sub, err := s.loadFinding(ctx, s.st, p, findingID)
	if err != nil {
		return nil, err
	}
	r := findingResource(sub, f)
	r.Kind = authz.KindEvidence
	if err := check(p, authz.EvidenceRead, r); err != nil {
		return nil, err
	}
	if s.scans == nil {
		return nil, aicc.Errorf(aicc.KindUnavailable, "this server stores no scans")
	}
	atts, err := s.scans.ListAttempts(ctx, f.ScanID, store.AttemptFilter{IDs: f.Evidence})
	if err != nil {
		return nil, err
	}
	ev := &Evidence{FindingID: f.ID, TLP: f.TLP, Attempts: atts}
	for _, a := range atts {
		if len(a.Transcript) == 0 {
			ev.Purged = true
		}
	}
	err = s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return s.record(ctx, tx, p, "evidence.read", "finding", f.ID, map[string]any{"attempts": len(atts), "tlp": f.TLP})
	})
	if err != nil {
		return nil, err
	}
	return ev, nil
}
