package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/store"
)

// changeAdvisory loads an advisory in a transaction, checks that p may do
// action, lets fn change it, validates and writes it, and returns it.
func (s *Service) changeAdvisory(ctx context.Context, p aicc.Principal, id string, action authz.Action,
	fn func(ctx context.Context, tx store.ServiceTx, a *advisory.Advisory) error) (*advisory.Advisory, error) {
	var out *advisory.Advisory
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		a, err := s.loadAdvisory(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if err := check(p, action, a.Resource(a.Summary)); err != nil {
			return err
		}
		if err := fn(ctx, tx, a); err != nil {
			return err
		}
		a.UpdatedAt = s.clock()
		if err := tx.UpdateAdvisory(ctx, a); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, err
}

// PublishAdvisory publishes an advisory: at once when its embargo no
// longer holds, otherwise it becomes embargoed and is published when the
// embargo lifts (at the model's release, an agreed date, or the fallback).
func (s *Service) PublishAdvisory(ctx context.Context, p aicc.Principal, id string) (*advisory.Advisory, error) {
	return s.changeAdvisory(ctx, p, id, authz.AdvisoryPublish, func(ctx context.Context, tx store.ServiceTx, a *advisory.Advisory) error {
		now := s.clock()
		if a.Embargo.Holds(now) {
			next, err := a.State.Next(advisory.EventSchedule)
			if err != nil {
				return err
			}
			a.State = next
			l := a.Embargo.Lifts()
			return s.record(ctx, tx, p, "advisory.schedule", "advisory", a.ID, map[string]any{"lifts_at": l.At, "reason": l.Reason})
		}
		return s.publish(ctx, tx, p, a, now)
	})
}

// publish makes revision 1 of a public.
func (s *Service) publish(ctx context.Context, tx store.ServiceTx, p aicc.Principal, a *advisory.Advisory, now time.Time) error {
	next, err := a.State.Next(advisory.EventPublish)
	if err != nil {
		return err
	}
	l := a.Embargo.Lifts()
	now = now.Truncate(time.Millisecond)
	a.State, a.Revision, a.PublishedAt, a.RevisedAt, a.UpdatedAt = next, 1, now, now, now
	a.History = []advisory.Revision{{Number: 1, Date: now, Summary: "Initial public release."}}
	if err := tx.PutAdvisoryRevision(ctx, a); err != nil {
		return err
	}
	if err := s.record(ctx, tx, p, "advisory.publish", "advisory", a.ID, map[string]any{"revision": 1, "embargo": l.Reason}); err != nil {
		return err
	}
	if err := s.publishTAXII(ctx, tx, a); err != nil {
		return err
	}
	return s.emitAdvisory(ctx, tx, "advisory.published", a)
}

// revise makes a new revision of a published advisory, after fn changed it.
func (s *Service) revise(ctx context.Context, tx store.ServiceTx, p aicc.Principal, a *advisory.Advisory, event advisory.Event, summary string) error {
	next, err := a.State.Next(event)
	if err != nil {
		return err
	}
	// Revisions are dated to the millisecond, as STIX and CSAF print
	// them, and each after the one before.
	now := s.clock().Truncate(time.Millisecond)
	if !now.After(a.RevisedAt) {
		now = a.RevisedAt.Add(time.Millisecond)
	}
	a.State, a.Revision, a.RevisedAt = next, a.Revision+1, now
	a.History = append(a.History, advisory.Revision{Number: a.Revision, Date: now, Summary: summary})
	if err := tx.PutAdvisoryRevision(ctx, a); err != nil {
		return err
	}
	if err := s.record(ctx, tx, p, "advisory.revise", "advisory", a.ID, map[string]any{"revision": a.Revision, "summary": summary, "state": a.State}); err != nil {
		return err
	}
	if err := s.publishTAXII(ctx, tx, a); err != nil {
		return err
	}
	ev := "advisory.updated"
	if a.State == advisory.StateWithdrawn {
		ev = "advisory.withdrawn"
	}
	return s.emitAdvisory(ctx, tx, ev, a)
}

// AdvisoryPatch changes an advisory. Nil fields stay as they are. A draft
// or embargoed advisory changes in place; a published one gets a new
// revision, whose Summary (RevisionSummary) is required.
type AdvisoryPatch struct {
	Title    *string             `json:"title,omitempty"`
	Summary  *advisory.Tier      `json:"summary,omitempty"`
	Details  *advisory.Tier      `json:"details,omitempty"`
	Payload  *advisory.Tier      `json:"payload,omitempty"`
	Products []advisory.Product  `json:"products,omitempty"`
	Packages *[]advisory.Package `json:"packages,omitempty"`
	Severity *advisory.Severity  `json:"severity,omitempty"`
	// RevisionSummary says what changed, for a published advisory's
	// revision history.
	RevisionSummary string `json:"revision_summary,omitempty"`
}

// UpdateAdvisory applies a patch (analysts).
func (s *Service) UpdateAdvisory(ctx context.Context, p aicc.Principal, id string, in AdvisoryPatch) (*advisory.Advisory, error) {
	return s.changeAdvisory(ctx, p, id, authz.AdvisoryUpdate, func(ctx context.Context, tx store.ServiceTx, a *advisory.Advisory) error {
		if a.State == advisory.StateWithdrawn {
			return aicc.Errorf(aicc.KindConflict, "advisory %s is withdrawn; it can no longer change", a.ID)
		}
		if a.State.Public() && strings.TrimSpace(in.RevisionSummary) == "" {
			return aicc.Errorf(aicc.KindInvalid, "advisory %s is published: say what changed in revision_summary, for its revision history", a.ID)
		}
		var changed []string
		if in.Title != nil {
			a.Title, changed = strings.TrimSpace(*in.Title), append(changed, "title")
		}
		for name, t := range map[string]struct {
			in  *advisory.Tier
			cur *advisory.Tier
		}{"summary": {in.Summary, &a.Summary}, "details": {in.Details, &a.Details}, "payload": {in.Payload, &a.Payload}} {
			if t.in != nil {
				nt := *t.in
				nt.Withheld = false
				*t.cur, changed = nt, append(changed, name)
			}
		}
		if in.Products != nil {
			a.Products, changed = in.Products, append(changed, "products")
		}
		if in.Packages != nil {
			a.Packages, changed = *in.Packages, append(changed, "packages")
		}
		if in.Severity != nil {
			a.Severity, changed = *in.Severity, append(changed, "severity")
		}
		if len(changed) == 0 {
			return aicc.Errorf(aicc.KindInvalid, "nothing to change")
		}
		slices.Sort(changed)
		if a.State.Public() {
			if err := a.Validate(); err != nil {
				return err
			}
			return s.revise(ctx, tx, p, a, advisory.EventRevise, strings.TrimSpace(in.RevisionSummary))
		}
		return s.record(ctx, tx, p, "advisory.update", "advisory", a.ID, map[string]any{"changed": changed})
	})
}

// EmbargoInput moves an advisory's embargo, as the parties agreed.
type EmbargoInput struct {
	// Basis is release (follow the model's planned release), agreed (Until)
	// or none (publish when asked).
	Basis advisory.EmbargoBasis `json:"basis"`
	Until time.Time             `json:"until,omitzero"`
	// FallbackDays, when set, replaces the fallback period (-1: none).
	FallbackDays *int `json:"fallback_days,omitempty"`
	// Reason records the agreement: who agreed, and why.
	Reason string `json:"reason"`
}

// MoveEmbargo changes an unpublished advisory's embargo (analysts, recording
// what the parties agreed). Every change is logged with the old and new
// dates. An embargoed advisory whose embargo no longer holds is published
// at once.
func (s *Service) MoveEmbargo(ctx context.Context, p aicc.Principal, id string, in EmbargoInput) (*advisory.Advisory, error) {
	if strings.TrimSpace(in.Reason) == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "reason: say who agreed to move the embargo, and why")
	}
	return s.changeAdvisory(ctx, p, id, authz.AdvisoryUpdate, func(ctx context.Context, tx store.ServiceTx, a *advisory.Advisory) error {
		if a.State.Public() {
			return aicc.Errorf(aicc.KindConflict, "advisory %s is published; its embargo is over", a.ID)
		}
		old := a.Embargo
		e := a.Embargo
		e.Basis, e.Until = in.Basis, in.Until
		if in.Basis == advisory.BasisRelease && in.Until.IsZero() {
			sub, err := tx.GetSubmission(ctx, a.SubmissionID)
			if err != nil {
				return fmt.Errorf("the embargo follows the release of submission %s: %w", a.SubmissionID, err)
			}
			e.Until = sub.ReleaseDate
		}
		if in.Basis == advisory.BasisNone {
			e.Until = time.Time{}
		}
		if in.FallbackDays != nil {
			e.FallbackDays = *in.FallbackDays
		}
		a.Embargo = e
		if err := a.Validate(); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, "advisory.embargo", "advisory", a.ID, map[string]any{
			"old_basis": old.Basis, "old_until": old.Until, "old_lifts_at": old.Lifts().At,
			"basis": e.Basis, "until": e.Until, "lifts_at": e.Lifts().At, "reason": in.Reason}); err != nil {
			return err
		}
		if a.State == advisory.StateEmbargoed && !e.Holds(s.clock()) {
			return s.publish(ctx, tx, system, a, s.clock())
		}
		return nil
	})
}

// followRelease moves the embargoes anchored to a submission's release
// when the release moves (called in the transaction that moves it).
func (s *Service) followRelease(ctx context.Context, tx store.ServiceTx, p aicc.Principal, sub *aicc.Submission) error {
	as, err := unpublished(ctx, tx, sub.ID)
	if err != nil {
		return err
	}
	for _, a := range as {
		if a.Embargo.Basis != advisory.BasisRelease || a.Embargo.Until.Equal(sub.ReleaseDate) {
			continue
		}
		old := a.Embargo.Until
		a.Embargo.Until, a.UpdatedAt = sub.ReleaseDate, s.clock()
		if err := tx.UpdateAdvisory(ctx, a); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, "advisory.embargo", "advisory", a.ID, map[string]any{
			"old_until": old, "until": a.Embargo.Until, "basis": a.Embargo.Basis, "reason": "the model's planned release moved"}); err != nil {
			return err
		}
	}
	return nil
}

// AttachStatement attaches (or replaces) the developer's statement. It
// counts as the developer's response, so the fallback clock starts again;
// on a published advisory it makes a new revision.
func (s *Service) AttachStatement(ctx context.Context, p aicc.Principal, id, text string) (*advisory.Advisory, error) {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > 16<<10 {
		return nil, aicc.Errorf(aicc.KindInvalid, "statement: required, at most 16 KiB")
	}
	return s.changeAdvisory(ctx, p, id, authz.AdvisoryStatement, func(ctx context.Context, tx store.ServiceTx, a *advisory.Advisory) error {
		if a.State == advisory.StateWithdrawn {
			return aicc.Errorf(aicc.KindConflict, "advisory %s is withdrawn", a.ID)
		}
		now := s.clock()
		a.Statement = &advisory.Statement{Text: text, By: p.UserID, AddedAt: now}
		a.Embargo.LastContact = now
		if a.State.Public() {
			return s.revise(ctx, tx, p, a, advisory.EventRevise, "Developer statement attached.")
		}
		return s.record(ctx, tx, p, "advisory.statement", "advisory", a.ID, map[string]any{"bytes": len(text)})
	})
}

// WithdrawAdvisory withdraws a published advisory: a last revision says
// so and why; feeds and collections keep the notice.
func (s *Service) WithdrawAdvisory(ctx context.Context, p aicc.Principal, id, reason string) (*advisory.Advisory, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "reason: say why the advisory is withdrawn; it goes into its revision history")
	}
	return s.changeAdvisory(ctx, p, id, authz.AdvisoryPublish, func(ctx context.Context, tx store.ServiceTx, a *advisory.Advisory) error {
		if !a.State.Public() {
			return aicc.Errorf(aicc.KindConflict, "advisory %s is %s, not published: there is nothing to withdraw", a.ID, a.State)
		}
		a.WithdrawnAt, a.WithdrawReason = s.clock(), reason
		return s.revise(ctx, tx, p, a, advisory.EventWithdraw, "Withdrawn: "+reason)
	})
}

// LiftEmbargoes publishes the embargoed advisories whose embargo has
// lifted, and returns how many. The server calls it every minute.
func (s *Service) LiftEmbargoes(ctx context.Context) (int, error) {
	now := s.clock()
	ids, err := s.st.DueAdvisories(ctx, now)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
			a, err := tx.GetAdvisory(ctx, id)
			if err != nil {
				return err
			}
			if a.State != advisory.StateEmbargoed || a.Embargo.Holds(now) {
				return nil // changed meanwhile
			}
			if err := s.publish(ctx, tx, system, a, now); err != nil {
				return err
			}
			if err := tx.UpdateAdvisory(ctx, a); err != nil {
				return err
			}
			n++
			return nil
		})
		if aicc.KindOf(err) == aicc.KindConflict {
			continue // another server published it first (its revision exists)
		}
		if err != nil {
			return n, fmt.Errorf("lift the embargo of %s: %w", id, err)
		}
	}
	return n, nil
}

// holdAdvisories is what a withdrawal does to the submission's advisories
// that are not published yet (in the withdrawal's transaction): an
// embargoed one goes back to draft, so that the embargo's lift no longer
// publishes it, and every one loses its payload, which is evidence and goes
// with the rest of it. Published advisories are public already and stay.
func (s *Service) holdAdvisories(ctx context.Context, tx store.ServiceTx, p aicc.Principal, sub *aicc.Submission) error {
	as, err := unpublished(ctx, tx, sub.ID)
	if err != nil {
		return err
	}
	for _, a := range as {
		was := a.State
		if a.State == advisory.StateEmbargoed {
			if a.State, err = a.State.Next(advisory.EventUnlock); err != nil {
				return err
			}
		}
		a.Payload.Text, a.UpdatedAt = "", s.clock()
		if err := tx.UpdateAdvisory(ctx, a); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, "advisory.hold", "advisory", a.ID, map[string]any{"was": was, "state": a.State,
			"reason": "the submission was withdrawn: not published, its payload deleted with the evidence"}); err != nil {
			return err
		}
	}
	return nil
}

// developerResponded restarts the embargo fallback clock of the
// submission's unpublished advisories when the developer acts on its
// review (a comment, a dispute, a remediation): a developer who responds
// has not stopped responding.
func (s *Service) developerResponded(ctx context.Context, tx store.ServiceTx, p aicc.Principal, sub *aicc.Submission) error {
	if p.OrgID == "" || p.OrgID != sub.OrgID {
		return nil
	}
	as, err := unpublished(ctx, tx, sub.ID)
	if err != nil {
		return err
	}
	now := s.clock()
	for _, a := range as {
		a.Embargo.LastContact, a.UpdatedAt = now, now
		if err := tx.UpdateAdvisory(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// unpublished lists the advisories of a submission's review that are not
// published yet (drafts and embargoed ones).
func unpublished(ctx context.Context, r store.ServiceReader, submissionID string) ([]*advisory.Advisory, error) {
	var out []*advisory.Advisory
	pg := store.Page{Limit: 1000}
	for {
		as, next, err := r.ListAdvisories(ctx, store.AdvisoryFilter{SubmissionID: submissionID,
			States: []advisory.State{advisory.StateDraft, advisory.StateEmbargoed}}, pg)
		if err != nil {
			return nil, err
		}
		out = append(out, as...)
		if next == "" {
			return out, nil
		}
		pg.After = next
	}
}
