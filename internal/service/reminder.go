package service

import (
	"context"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/review"
	"github.com/aicc-dev/aicc/internal/store"
)

// progress derives when a review's steps happened from its records: the
// first scan (a submission is triaged when its first scan starts), the
// first confirmation (which shares the findings), the developer's first
// comment, dispute or remediation after it, the latest remediation and the
// latest finished retest.
func (s *Service) progress(ctx context.Context, sub *aicc.Submission) (review.Progress, error) {
	var p review.Progress
	rss, err := s.st.ListReviewScans(ctx, sub.ID)
	if err != nil {
		return p, err
	}
	for _, rs := range rss {
		if p.FirstScanAt.IsZero() || rs.CreatedAt.Before(p.FirstScanAt) {
			p.FirstScanAt = rs.CreatedAt
		}
	}
	p.TriagedAt = p.FirstScanAt
	fs, _, err := s.st.ListFindings(ctx, store.FindingFilter{SubmissionID: sub.ID}, store.Page{Limit: 1000})
	if err != nil {
		return p, err
	}
	first := func(t *time.Time, at time.Time) {
		if t.IsZero() || at.Before(*t) {
			*t = at
		}
	}
	last := func(t *time.Time, at time.Time) {
		if at.After(*t) {
			*t = at
		}
	}
	var devActs []time.Time
	for _, f := range fs {
		notes, err := s.st.ListFindingNotes(ctx, f.ID)
		if err != nil {
			return p, err
		}
		for _, n := range notes {
			switch n.Action {
			case string(review.ActionConfirm):
				first(&p.FindingsSharedAt, n.CreatedAt)
			case string(review.ActionComment), string(review.ActionDispute):
				if n.OrgID == sub.OrgID {
					devActs = append(devActs, n.CreatedAt)
				}
			}
		}
		rms, err := s.st.ListRemediations(ctx, f.ID)
		if err != nil {
			return p, err
		}
		for _, rm := range rms {
			last(&p.RemediationAt, rm.CreatedAt)
			devActs = append(devActs, rm.CreatedAt)
		}
		rts, err := s.st.ListRetests(ctx, f.ID)
		if err != nil {
			return p, err
		}
		for _, rt := range rts {
			if !rt.FinishedAt.IsZero() {
				last(&p.RetestedAt, rt.FinishedAt)
			}
		}
	}
	if !p.FindingsSharedAt.IsZero() {
		for _, at := range devActs {
			if !at.Before(p.FindingsSharedAt) {
				first(&p.RespondedAt, at)
			}
		}
	}
	return p, nil
}

// SendReminders sends, once each, the reminders the review clocks call for
// on every open review: as webhooks to the developer organization and the
// clearinghouse (event reminder.<kind>, with whom it is for), recorded in
// the audit log. It returns how many it sent.
func (s *Service) SendReminders(ctx context.Context) (int, error) {
	sent := 0
	cur := ""
	for {
		subs, next, err := s.st.ListSubmissions(ctx, store.SubmissionFilter{Open: true}, store.Page{Limit: 500, After: cur})
		if err != nil {
			return sent, err
		}
		for _, sub := range subs {
			p, err := s.progress(ctx, sub)
			if err != nil {
				return sent, err
			}
			now := s.clock()
			for _, r := range s.rules.Reminders(sub, now, p) {
				err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
					rec := &store.Reminder{Key: r.Key, SubmissionID: sub.ID, Kind: string(r.Kind), To: string(r.To), Due: r.Due, Message: r.Message, SentAt: now}
					isNew, err := tx.RecordReminder(ctx, rec)
					if err != nil || !isNew {
						return err
					}
					sent++
					if err := s.emit(ctx, tx, "reminder."+string(r.Kind), sub, map[string]any{"submission_id": sub.ID, "to": r.To, "step": r.Step, "due": r.Due, "message": r.Message}); err != nil {
						return err
					}
					return s.record(ctx, tx, system, "reminder.send", "submission", sub.ID, map[string]any{"key": r.Key, "kind": r.Kind, "to": r.To})
				})
				if err != nil {
					return sent, err
				}
			}
		}
		if next == "" {
			return sent, nil
		}
		cur = next
	}
}

// ListReminders lists the reminders sent about a submission.
func (s *Service) ListReminders(ctx context.Context, p aicc.Principal, submissionID string) ([]*store.Reminder, error) {
	sub, err := s.GetSubmission(ctx, p, submissionID)
	if err != nil {
		return nil, err
	}
	if err := check(p, authz.SubmissionRead, submissionResource(sub)); err != nil {
		return nil, err
	}
	return s.st.ListReminders(ctx, sub.ID)
}
