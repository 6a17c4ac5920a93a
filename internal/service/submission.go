package service

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/review"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/target"
)

// SubmissionInput asks for a voluntary pre-release review of a model
// version.
type SubmissionInput struct {
	// OrgID is the developer organization the model belongs to; empty for
	// the caller's own.
	OrgID       string            `json:"org_id,omitempty"`
	Model       string            `json:"model"`
	Version     string            `json:"version"`
	Facts       aicc.ModelFacts   `json:"facts"`
	ReleaseDate string            `json:"release_date"` // YYYY-MM-DD
	Endpoint    aicc.Endpoint     `json:"endpoint"`
	Consent     aicc.ConsentScope `json:"consent"`
	// Credential is the endpoint's API key, sealed at rest, never returned,
	// and deleted when the review ends.
	Credential aicc.Secret `json:"-"`
}

// credentialAAD binds a sealed credential to its submission.
func credentialAAD(submissionID string) []byte {
	return keyring.AAD("submission", submissionID, "credential")
}

// ParseDate reads a calendar date (YYYY-MM-DD) as midnight UTC.
func ParseDate(field, s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, aicc.Errorf(aicc.KindInvalid, "%s %q: must be a date such as 2026-12-31", field, s)
	}
	return t, nil
}

func checkEndpoint(e aicc.Endpoint) error {
	switch e.Provider {
	case "openai", "anthropic", "http":
	default:
		return aicc.Errorf(aicc.KindInvalid, "endpoint provider %q: must be openai, anthropic or http", e.Provider)
	}
	u, err := url.Parse(e.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return aicc.Errorf(aicc.KindInvalid, "endpoint base_url %q: must be an http or https URL without credentials in it", e.BaseURL)
	}
	if e.Model == "" && e.Provider != "http" {
		return aicc.Errorf(aicc.KindInvalid, "endpoint model: required for provider %s", e.Provider)
	}
	if _, _, err := target.ParseAuthHeader(e.AuthHeader); err != nil {
		return aicc.Errorf(aicc.KindInvalid, "endpoint auth_header: %v", err)
	}
	switch {
	case e.MaxTokensParam == "" || e.MaxTokensParam == "max_tokens":
	case e.MaxTokensParam == "max_completion_tokens" && e.Provider == "openai":
	default:
		return aicc.Errorf(aicc.KindInvalid, "endpoint max_tokens_param %q: max_tokens, or max_completion_tokens for provider openai", e.MaxTokensParam)
	}
	return nil
}

func checkFacts(f aicc.ModelFacts) error {
	if c := f.Compute; c != nil {
		switch {
		case c.Operations < 0:
			return aicc.Errorf(aicc.KindInvalid, "facts training_compute operations: must not be negative")
		case c.Uncertainty < 0 || c.Uncertainty > 10:
			return aicc.Errorf(aicc.KindInvalid, "facts training_compute uncertainty: a relative uncertainty between 0 and 10 (0.3 = ±30%%)")
		case c.Operations > 0 && c.Method == "":
			return aicc.Errorf(aicc.KindInvalid, "facts training_compute method: say how the figure was estimated, e.g. 6ND")
		}
	}
	for _, c := range f.Capabilities {
		if c < 0 || c > 1 {
			return aicc.Errorf(aicc.KindInvalid, "facts capabilities: rates between 0 and 1")
		}
	}
	return nil
}

// CreateSubmission submits a model version for review.
func (s *Service) CreateSubmission(ctx context.Context, p aicc.Principal, in SubmissionInput) (*aicc.Submission, error) {
	orgID := in.OrgID
	if orgID == "" {
		orgID = p.OrgID
	}
	if err := check(p, authz.SubmissionCreate, authz.Resource{Kind: authz.KindSubmission, OwnerOrg: orgID}); err != nil {
		return nil, err
	}
	now := s.clock()
	sub := &aicc.Submission{
		ID: aicc.NewID(aicc.PrefixSubmission), OrgID: orgID,
		Model: strings.TrimSpace(in.Model), Version: strings.TrimSpace(in.Version),
		Facts: in.Facts, Endpoint: in.Endpoint, Consent: in.Consent,
		State: aicc.ReviewSubmitted, SubmittedAt: now, UpdatedAt: now, CreatedBy: p.UserID,
	}
	switch {
	case sub.Model == "" || len(sub.Model) > 200:
		return nil, aicc.Errorf(aicc.KindInvalid, "model: a name of 1 to 200 characters")
	case sub.Version == "" || len(sub.Version) > 100:
		return nil, aicc.Errorf(aicc.KindInvalid, "version: 1 to 100 characters")
	}
	var err error
	if sub.ReleaseDate, err = ParseDate("release_date", in.ReleaseDate); err != nil {
		return nil, err
	}
	if err := s.rules.CheckRelease(now, sub.ReleaseDate); err != nil {
		return nil, err
	}
	if err := checkEndpoint(sub.Endpoint); err != nil {
		return nil, err
	}
	if err := checkFacts(sub.Facts); err != nil {
		return nil, err
	}
	for _, c := range sub.Consent.Classes {
		if !c.Valid() {
			return nil, aicc.Errorf(aicc.KindInvalid, "consent classes: unknown class %q", c)
		}
	}
	var sealed []byte
	if !in.Credential.IsZero() {
		if sealed, err = s.keys.SealSecret(in.Credential, credentialAAD(sub.ID)); err != nil {
			return nil, err
		}
		sub.HasCredential = true
	}
	err = s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		o, err := tx.GetOrg(ctx, orgID)
		if err != nil {
			return err
		}
		if o.Kind != aicc.OrgDeveloper {
			return aicc.Errorf(aicc.KindInvalid, "org %s is a %s organization; submissions belong to developer organizations", o.ID, o.Kind)
		}
		if err := tx.CreateSubmission(ctx, sub); err != nil {
			return err
		}
		if sealed != nil {
			if err := tx.PutCredential(ctx, sub.ID, sealed); err != nil {
				return err
			}
		}
		opens, closes := review.Window(sub.SubmittedAt, sub.ReleaseDate)
		if err := s.emit(ctx, tx, "submission.created", sub, map[string]any{"submission_id": sub.ID, "model": sub.Model, "version": sub.Version,
			"release_date": sub.ReleaseDate.Format(time.DateOnly), "window_opens": opens}); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, "submission.create", "submission", sub.ID, map[string]any{
			"model": sub.Model, "version": sub.Version, "release_date": sub.ReleaseDate.Format(time.DateOnly),
			"window_opens": opens, "window_closes": closes, "credential": sub.HasCredential,
		}); err != nil {
			return err
		}
		// Advisory: no coverage outcome refuses a submission.
		_, err = s.evaluateCoverage(ctx, tx, p, sub, "submission.create")
		return err
	})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// submissionResource describes a submission to authz.
func submissionResource(sub *aicc.Submission) authz.Resource {
	return authz.Resource{Kind: authz.KindSubmission, OwnerOrg: sub.OrgID, Shared: sub.Consent.ShareWithAgencies}
}

// GetSubmission returns a submission the principal may read. One it may not
// read is reported as not found, so that its existence is not revealed.
func (s *Service) GetSubmission(ctx context.Context, p aicc.Principal, id string) (*aicc.Submission, error) {
	sub, err := s.st.GetSubmission(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := check(p, authz.SubmissionRead, submissionResource(sub)); err != nil {
		return nil, hide(err, "submission", id)
	}
	return sub, nil
}

// hide turns a refusal to read an object into not-found, so that a caller
// cannot learn which IDs exist in other organizations; an unauthenticated
// caller still learns that they must authenticate.
func hide(err error, kind, id string) error {
	if aicc.KindOf(err) == aicc.KindForbidden {
		return &aicc.Error{Kind: aicc.KindNotFound, Message: kind + " " + id + " not found"}
	}
	return err
}

// SubmissionQuery narrows ListSubmissions.
type SubmissionQuery struct {
	OrgID string
	State aicc.ReviewState
	Open  bool
}

// ListSubmissions lists the submissions the principal may see.
func (s *Service) ListSubmissions(ctx context.Context, p aicc.Principal, q SubmissionQuery, pg store.Page) ([]*aicc.Submission, string, error) {
	if err := check(p, authz.SubmissionList, authz.Resource{Kind: authz.KindSubmission, OwnerOrg: q.OrgID}); err != nil {
		return nil, "", err
	}
	f := store.SubmissionFilter{OrgID: q.OrgID, State: q.State, Open: q.Open}
	sc := authz.Scope(p, authz.KindSubmission)
	switch sc.Mode {
	case authz.ScopeAll:
	case authz.ScopeOrg:
		f.OrgID = sc.OrgID
	case authz.ScopeShared:
		// Few submissions are shared with agencies; filter after reading.
		subs, next, err := s.st.ListSubmissions(ctx, f, pg)
		if err != nil {
			return nil, "", err
		}
		out := subs[:0]
		for _, sub := range subs {
			if sc.Includes(submissionResource(sub)) {
				out = append(out, sub)
			}
		}
		return out, next, nil
	default:
		return nil, "", nil
	}
	return s.st.ListSubmissions(ctx, f, pg)
}

// update loads a submission in a transaction, checks the action, lets fn
// change it and stores it.
func (s *Service) update(ctx context.Context, p aicc.Principal, id string, a authz.Action, fn func(ctx context.Context, tx store.ServiceTx, sub *aicc.Submission) error) (*aicc.Submission, error) {
	var out *aicc.Submission
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		sub, err := tx.GetSubmission(ctx, id)
		if err != nil {
			return err
		}
		if err := check(p, authz.SubmissionRead, submissionResource(sub)); err != nil {
			return hide(err, "submission", id)
		}
		r := submissionResource(sub)
		r.Kind = a.Kind()
		if err := check(p, a, r); err != nil {
			return err
		}
		if err := fn(ctx, tx, sub); err != nil {
			return err
		}
		sub.UpdatedAt = s.clock()
		if err := tx.UpdateSubmission(ctx, sub); err != nil {
			return err
		}
		out = sub
		return nil
	})
	return out, err
}

// transition moves sub's review by event, or says why it cannot.
func transition(sub *aicc.Submission, e review.Event) error {
	next, err := review.Transition(sub.State, e)
	if err != nil {
		return err
	}
	sub.State = next
	return nil
}

// MoveRelease changes the planned release date; the window moves with it
// and the move is logged.
func (s *Service) MoveRelease(ctx context.Context, p aicc.Principal, id, date string) (*aicc.Submission, error) {
	newDate, err := ParseDate("release_date", date)
	if err != nil {
		return nil, err
	}
	return s.update(ctx, p, id, authz.SubmissionUpdate, func(ctx context.Context, tx store.ServiceTx, sub *aicc.Submission) error {
		m, err := s.rules.MoveRelease(sub, newDate, s.clock())
		if err != nil {
			return err
		}
		sub.ReleaseDate = m.NewRelease
		if err := s.followRelease(ctx, tx, p, sub); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, "submission.release_moved", sub, map[string]any{"submission_id": sub.ID, "release_date": m.NewRelease.Format(time.DateOnly)}); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "submission.move_release", "submission", sub.ID, m)
	})
}

// Withdraw withdraws a submission at the developer's request, at any time:
// the credential is deleted at once, and the review ends. What happens to
// the evidence is the retention rule of package review (docs/review.md).
func (s *Service) Withdraw(ctx context.Context, p aicc.Principal, id, reason string) (*aicc.Submission, error) {
	sub, err := s.update(ctx, p, id, authz.SubmissionWithdraw, func(ctx context.Context, tx store.ServiceTx, sub *aicc.Submission) error {
		if err := transition(sub, review.EventWithdraw); err != nil {
			return err
		}
		// The unreleased endpoint's address and model name go at once.
		sub.Endpoint = aicc.Endpoint{Provider: sub.Endpoint.Provider}
		if err := s.holdAdvisories(ctx, tx, p, sub); err != nil {
			return err
		}
		return s.close(ctx, tx, p, sub, "submission.withdraw", reason)
	})
	if err != nil {
		return nil, err
	}
	// Running scans see the withdrawal within a second and stop; the
	// evidence they stored is deleted now, and what they store in that
	// second when they stop.
	if err := s.purgeEvidence(context.WithoutCancel(ctx), sub.ID); err != nil {
		s.log.Error("purging the evidence of a withdrawn submission", "submission", sub.ID, "err", err)
	}
	return sub, nil
}

// purgeEvidence deletes the transcripts and detector evidence of every scan
// of a withdrawn submission (the retention rule of review.PurgePlan; no
// published advisory holds any yet) and logs how many were deleted.
func (s *Service) purgeEvidence(ctx context.Context, submissionID string) error {
	if s.scans == nil {
		return nil
	}
	rss, err := s.st.ListReviewScans(ctx, submissionID)
	if err != nil {
		return err
	}
	total := 0
	for _, rs := range rss {
		n, err := s.scans.PurgeEvidence(ctx, rs.ScanID, nil)
		if err != nil {
			return err
		}
		total += n
	}
	return s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return s.record(ctx, tx, system, "evidence.purge", "submission", submissionID, map[string]any{"scans": len(rss), "attempts": total, "rule": "withdrawn: transcripts and evidence deleted at once"})
	})
}

// MarkReleased records that the model was released. A model may be
// released whatever the state of its review, open findings included.
func (s *Service) MarkReleased(ctx context.Context, p aicc.Principal, id string) (*aicc.Submission, error) {
	return s.update(ctx, p, id, authz.SubmissionMarkReleased, func(ctx context.Context, tx store.ServiceTx, sub *aicc.Submission) error {
		if err := transition(sub, review.EventMarkReleased); err != nil {
			return err
		}
		// The model is out: embargoes anchored to its release lift now,
		// even if it came out before the planned date.
		if now := s.clock(); now.Before(sub.ReleaseDate) {
			released := *sub
			released.ReleaseDate = now
			if err := s.followRelease(ctx, tx, p, &released); err != nil {
				return err
			}
		}
		return s.close(ctx, tx, p, sub, "submission.mark_released", "")
	})
}

// close ends a review: the endpoint credential is deleted in the same
// transaction, and the fact is logged.
func (s *Service) close(ctx context.Context, tx store.ServiceTx, p aicc.Principal, sub *aicc.Submission, action, reason string) error {
	if err := tx.DeleteCredential(ctx, sub.ID); err != nil {
		return err
	}
	had := sub.HasCredential
	sub.HasCredential = false
	sub.ClosedAt = s.clock()
	if len(reason) > 2000 {
		return aicc.Errorf(aicc.KindInvalid, "reason: at most 2,000 characters")
	}
	if err := s.emit(ctx, tx, "submission."+string(sub.State), sub, map[string]any{"submission_id": sub.ID, "state": sub.State}); err != nil {
		return err
	}
	return s.record(ctx, tx, p, action, "submission", sub.ID, map[string]any{
		"state": sub.State, "credential_deleted": had, "reason": reason,
	})
}

// endpointCredential opens a submission's credential for a scan.
func (s *Service) endpointCredential(ctx context.Context, sub *aicc.Submission) (aicc.Secret, error) {
	sealed, err := s.st.Credential(ctx, sub.ID)
	if errors.Is(err, aicc.ErrNotFound) {
		return aicc.Secret{}, nil
	}
	if err != nil {
		return aicc.Secret{}, err
	}
	return s.keys.OpenSecret(sealed, credentialAAD(sub.ID))
}
