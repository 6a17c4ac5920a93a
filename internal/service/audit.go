package service

import (
	"context"
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/audit"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/store"
)

// record appends the audit entry of an action to the log, in tx, chained
// to the entry before it. detail (marshalled to canonical JSON) must never
// hold secrets.
func (s *Service) record(ctx context.Context, tx store.ServiceTx, p aicc.Principal, action, kind, id string, detail any) error {
	var d []byte
	if detail != nil {
		var err error
		if d, err = audit.DetailOf(detail); err != nil {
			return fmt.Errorf("audit %s: %w", action, err)
		}
	}
	e := audit.Entry{
		Time: s.clock(), ActorUserID: p.UserID, ActorOrgID: p.OrgID, TokenID: p.TokenID,
		Action: action, ObjectKind: kind, ObjectID: id, Detail: d,
	}
	if err := e.Validate(); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	head, err := tx.AuditHead(ctx)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	next := s.chain.Next(head, e)
	if err := tx.AppendAudit(ctx, &next); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// AuditEntries returns audit entries after a sequence number.
func (s *Service) AuditEntries(ctx context.Context, p aicc.Principal, afterSeq int64, limit int) ([]audit.Entry, error) {
	if err := check(p, authz.AuditRead, authz.Resource{Kind: authz.KindAudit}); err != nil {
		return nil, err
	}
	return s.st.AuditEntries(ctx, afterSeq, limit)
}

// VerifyAudit checks the whole audit chain, and that the given checkpoints
// (heads printed by earlier verifications) are still in it. The
// verification itself is logged.
func (s *Service) VerifyAudit(ctx context.Context, p aicc.Principal, checkpoints []audit.Checkpoint) (audit.Report, error) {
	if err := check(p, authz.AuditVerify, authz.Resource{Kind: authz.KindAudit}); err != nil {
		return audit.Report{}, err
	}
	rep, err := audit.Verify(ctx, audit.Read(ctx, s.st, 0), s.auditKey, audit.Options{Checkpoints: checkpoints})
	if err != nil {
		return rep, err
	}
	err = s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return s.record(ctx, tx, p, "audit.verify", "audit", "", map[string]any{"entries": rep.Entries, "intact": rep.OK()})
	})
	return rep, err
}
