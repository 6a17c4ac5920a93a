package service

import (
	"context"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// PurgeExpired applies the last step of the retention rule for withdrawn
// reviews (review.PurgePlan): RecordRetentionDays after the withdrawal, the
// submission and every record of its review go, with its scans and their
// attempts. The audit log keeps the facts. It returns how many submissions
// it purged.
func (s *Service) PurgeExpired(ctx context.Context) (int, error) {
	days := s.rules.Config().RecordRetentionDays
	now := s.clock()
	n := 0
	cur := ""
	for {
		subs, next, err := s.st.ListSubmissions(ctx, store.SubmissionFilter{State: aicc.ReviewWithdrawn}, store.Page{Limit: 500, After: cur})
		if err != nil {
			return n, err
		}
		for _, sub := range subs {
			if sub.ClosedAt.IsZero() || now.Before(sub.ClosedAt.Add(time.Duration(days)*24*time.Hour)) {
				continue
			}
			var scans []string
			err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
				var err error
				if scans, err = tx.DeleteSubmissionRecords(ctx, sub.ID); err != nil {
					return err
				}
				return s.record(ctx, tx, system, "submission.purge_records", "submission", sub.ID, map[string]any{
					"withdrawn_at": sub.ClosedAt, "retention_days": days, "scans": len(scans)})
			})
			if err != nil {
				return n, err
			}
			if s.scans != nil {
				for _, id := range scans {
					if err := s.scans.DeleteScan(ctx, id); err != nil {
						return n, err
					}
				}
			}
			n++
		}
		if next == "" {
			return n, nil
		}
		cur = next
	}
}
