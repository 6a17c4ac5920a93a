package service

import (
	"context"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/review"
	"github.com/aicc-dev/aicc/internal/store"
)

// advanceEvents are the workflow events analysts trigger by hand; the
// others follow from scans, confirmations, remediations and retests, or
// are the developer's (withdraw) or anyone's record of a fact (release).
var advanceEvents = map[string]review.Event{
	"triage":          review.EventTriage,
	"findings_shared": review.EventFindingsShared,
	"complete":        review.EventComplete,
}

// Advance moves a review by an analyst's event: triage, findings_shared or
// complete. Completing a review ends it: the endpoint credential is deleted.
// None of these approves or blocks a release.
func (s *Service) Advance(ctx context.Context, p aicc.Principal, submissionID, event, note string) (*aicc.Submission, error) {
	e, ok := advanceEvents[event]
	if !ok {
		return nil, aicc.Errorf(aicc.KindInvalid, "event %q: one of triage, findings_shared, complete", event)
	}
	if len(note) > 2000 {
		return nil, aicc.Errorf(aicc.KindInvalid, "note: at most 2,000 characters")
	}
	return s.update(ctx, p, submissionID, authz.ReviewAdvance, func(ctx context.Context, tx store.ServiceTx, sub *aicc.Submission) error {
		from := sub.State
		if err := transition(sub, e); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, "review."+event, "submission", sub.ID, map[string]any{"from": from, "to": sub.State, "note": note}); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, "review."+event, sub, map[string]any{"submission_id": sub.ID, "state": sub.State}); err != nil {
			return err
		}
		if e == review.EventComplete {
			return s.close(ctx, tx, p, sub, "submission.complete", note)
		}
		return nil
	})
}
