package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/coverage"
	"github.com/aicc-dev/aicc/internal/store"
)

// Coverage is the latest evaluation of a submission's coverage: one result
// per policy, each with the rules that matched and their citations.
//
// Coverage is advisory. No outcome decides whether the model may be
// submitted, reviewed or released: any model may be reviewed voluntarily.
type Coverage struct {
	SubmissionID string `json:"submission_id"`
	Model        string `json:"model"`
	Version      string `json:"version"`
	// EvaluatedAt is when the evaluation ran; zero when the submission has
	// never been evaluated (then Results is empty).
	EvaluatedAt time.Time         `json:"evaluated_at,omitzero"`
	Results     []coverage.Result `json:"results"`
}

// policiesOf returns the policies a Service evaluates: ps, or the built-in
// ones when ps is nil. Two different policies with the same id and version
// are refused.
func policiesOf(ps []*coverage.Policy) ([]*coverage.Policy, error) {
	if ps == nil {
		b, err := coverage.Builtin()
		if err != nil {
			return nil, fmt.Errorf("coverage policies: %w", err)
		}
		return b, nil
	}
	for i, p := range ps {
		if p == nil {
			return nil, aicc.Errorf(aicc.KindInvalid, "coverage policies: policy %d is nil", i+1)
		}
	}
	merged, err := coverage.Merge(ps)
	if err != nil {
		return nil, fmt.Errorf("coverage policies: %w", err)
	}
	return merged, nil
}

// Coverage returns the latest evaluation of a submission's coverage, to
// whoever may read the submission.
func (s *Service) Coverage(ctx context.Context, p aicc.Principal, submissionID string) (*Coverage, error) {
	sub, err := s.st.GetSubmission(ctx, submissionID)
	if err != nil {
		return nil, err
	}
	if err := check(p, authz.CoverageRead, submissionResource(sub)); err != nil {
		return nil, hide(err, "submission", submissionID)
	}
	recs, err := s.st.CoverageResults(ctx, submissionID)
	if err != nil {
		return nil, err
	}
	out := &Coverage{SubmissionID: sub.ID, Model: sub.Model, Version: sub.Version, Results: make([]coverage.Result, len(recs))}
	for i, rec := range recs {
		if err := json.Unmarshal(rec.Result, &out.Results[i]); err != nil {
			return nil, fmt.Errorf("coverage of %s, policy %s: %w", submissionID, rec.PolicyID, err)
		}
		out.EvaluatedAt = rec.EvaluatedAt
	}
	return out, nil
}

// EvaluateCoverage evaluates a submission's coverage again, now, with the
// designations recorded so far, and records the evaluation as its latest.
func (s *Service) EvaluateCoverage(ctx context.Context, p aicc.Principal, submissionID string) (*Coverage, error) {
	var out *Coverage
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		sub, err := tx.GetSubmission(ctx, submissionID)
		if err != nil {
			return err
		}
		if err := check(p, authz.CoverageRead, submissionResource(sub)); err != nil {
			return hide(err, "submission", submissionID)
		}
		if err := check(p, authz.CoverageEvaluate, submissionResource(sub)); err != nil {
			return err
		}
		out, err = s.evaluateCoverage(ctx, tx, p, sub, "request")
		return err
	})
	return out, err
}

// evaluateCoverage evaluates every policy against sub's facts and the
// designations of its model, stores the results as its latest evaluation
// and logs it, in tx. cause says what prompted it. No outcome refuses
// anything.
func (s *Service) evaluateCoverage(ctx context.Context, tx store.ServiceTx, p aicc.Principal, sub *aicc.Submission, cause string) (*Coverage, error) {
	ds, err := designationsOf(ctx, tx, sub.Model)
	if err != nil {
		return nil, err
	}
	at := s.clock()
	results := coverage.EvaluateAll(s.policies, coverage.SubjectOf(sub), ds, at)
	recs := make([]store.CoverageRecord, len(results))
	outcomes := make(map[string]aicc.CoverageOutcome, len(results))
	for i, r := range results {
		raw, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("coverage of %s: %w", sub.ID, err)
		}
		recs[i] = store.CoverageRecord{
			SubmissionID: sub.ID, EvaluatedAt: at, PolicyID: r.PolicyID, PolicyVersion: r.PolicyVersion,
			PolicyDigest: r.PolicyDigest, Outcome: r.Outcome, Result: raw,
		}
		outcomes[r.PolicyID+"@"+r.PolicyVersion] = r.Outcome
	}
	if err := tx.PutCoverageResults(ctx, sub.ID, recs); err != nil {
		return nil, err
	}
	if err := s.record(ctx, tx, p, "coverage.evaluate", "submission", sub.ID, map[string]any{
		"cause": cause, "outcomes": outcomes,
	}); err != nil {
		return nil, err
	}
	return &Coverage{SubmissionID: sub.ID, Model: sub.Model, Version: sub.Version, EvaluatedAt: at, Results: results}, nil
}

// designationsOf returns every designation of a model, revoked ones
// included: evaluation decides which stood at its time.
func designationsOf(ctx context.Context, r store.ServiceReader, model string) ([]aicc.Designation, error) {
	var out []aicc.Designation
	pg := store.Page{Limit: 1000}
	for {
		ds, next, err := r.ListDesignations(ctx, store.DesignationFilter{Model: model, IncludeRevoked: true}, pg)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			out = append(out, *d)
		}
		if next == "" {
			return out, nil
		}
		pg.After = next
	}
}

// reevaluate evaluates again, in tx, the coverage of every open submission
// that designation d applies to, so that their latest evaluations reflect
// its recording or revocation.
func (s *Service) reevaluate(ctx context.Context, tx store.ServiceTx, p aicc.Principal, d *aicc.Designation, cause string) error {
	f := store.SubmissionFilter{Open: true, OrgID: d.DeveloperOrgID}
	pg := store.Page{Limit: 1000}
	for {
		subs, next, err := tx.ListSubmissions(ctx, f, pg)
		if err != nil {
			return err
		}
		for _, sub := range subs {
			if !d.Applies(sub.Model, sub.Version, sub.OrgID) {
				continue
			}
			if _, err := s.evaluateCoverage(ctx, tx, p, sub, cause+" "+d.ID); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		pg.After = next
	}
}

// PolicyInfo describes a loaded coverage policy: what it is, what it cites
// and what its rules say.
type PolicyInfo struct {
	ID              string              `json:"id"`
	Version         string              `json:"version"`
	Title           string              `json:"title"`
	Summary         string              `json:"summary,omitempty"`
	Effective       string              `json:"effective"`
	Ended           string              `json:"ended,omitempty"`
	DesignationOnly bool                `json:"designation_only"`
	Digest          string              `json:"digest"`
	Citations       []coverage.Citation `json:"citations"`
	Rules           []RuleInfo          `json:"rules"`
	// InEffect reports whether the policy applies now.
	InEffect bool `json:"in_effect"`
	// Current is set on the one version of each policy id that evaluations
	// use (see coverage.Current).
	Current bool `json:"current"`
}

// RuleInfo is what a policy's rule says, without its condition.
type RuleInfo struct {
	ID            string               `json:"id"`
	Cite          []string             `json:"cite"`
	Summary       string               `json:"summary"`
	Outcome       aicc.CoverageOutcome `json:"outcome"`
	WhenUncertain aicc.CoverageOutcome `json:"when_uncertain,omitempty"`
}

// ListPolicies lists the coverage policies the service evaluates, every
// loaded version of each.
func (s *Service) ListPolicies(ctx context.Context, p aicc.Principal) ([]PolicyInfo, error) {
	if err := check(p, authz.PolicyList, authz.Resource{Kind: authz.KindPolicy}); err != nil {
		return nil, err
	}
	now := s.clock()
	current := map[*coverage.Policy]bool{}
	for _, c := range coverage.Current(s.policies, now) {
		current[c] = true
	}
	out := make([]PolicyInfo, len(s.policies))
	for i, pol := range s.policies {
		rules := make([]RuleInfo, 0, len(pol.Rules))
		for _, r := range pol.Rules {
			rules = append(rules, RuleInfo{ID: r.ID, Cite: r.Cite, Summary: r.Summary, Outcome: r.Outcome, WhenUncertain: r.WhenUncertain})
		}
		out[i] = PolicyInfo{
			ID: pol.ID, Version: pol.Version, Title: pol.Title, Summary: pol.Summary,
			Effective: pol.Effective, Ended: pol.Ended, DesignationOnly: pol.DesignationOnly, Digest: pol.Digest,
			Citations: pol.Citations, Rules: rules, InEffect: pol.InEffect(now), Current: current[pol],
		}
	}
	return out, nil
}
