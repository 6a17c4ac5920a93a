package coverage

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Subject is the model version whose coverage is evaluated.
type Subject struct {
	Model          string          `json:"model"`
	Version        string          `json:"version"`
	DeveloperOrgID string          `json:"developer_org_id,omitempty"`
	Facts          aicc.ModelFacts `json:"facts"`
}

// SubjectOf returns the subject a submission names.
func SubjectOf(s *aicc.Submission) Subject {
	return Subject{Model: s.Model, Version: s.Version, DeveloperOrgID: s.OrgID, Facts: s.Facts}
}

// RuleMatch is a rule that held, or could not be decided, with why.
type RuleMatch struct {
	RuleID string `json:"rule_id"`
	// Outcome is the outcome the rule gives: its when_uncertain outcome when
	// it held only that way.
	Outcome   aicc.CoverageOutcome `json:"outcome"`
	Citations []Citation           `json:"citations"`
	Summary   string               `json:"summary"` // what the rule says
	Reason    string               `json:"reason"`  // the facts and designations that decided it, or left it open
	// Designations are the IDs of the designations the rule rests on.
	Designations []string `json:"designations,omitempty"`
	// Missing names the facts the rule needed and did not have.
	Missing []string `json:"missing,omitempty"`
	// Uncertain is set when an estimate's uncertainty interval straddles a
	// threshold of the rule.
	Uncertain bool `json:"uncertain,omitempty"`
	// Decides is set on the rule whose outcome is the result's.
	Decides bool `json:"decides,omitempty"`
}

// Result is a policy's advisory outcome for one model version. Nothing in
// it gates submission or release: any model may be reviewed voluntarily.
type Result struct {
	PolicyID      string `json:"policy_id"`
	PolicyVersion string `json:"policy_version"`
	PolicyTitle   string `json:"policy_title"`
	PolicyDigest  string `json:"policy_digest,omitempty"`
	// InEffect reports whether the policy applied at the evaluation time;
	// a reference policy (ended) or one not yet effective is still
	// evaluated, for information.
	InEffect bool                 `json:"in_effect"`
	Outcome  aicc.CoverageOutcome `json:"outcome"`
	// Matched lists the rules whose condition held, in policy order; the
	// first decides unless an earlier rule was undecided.
	Matched []RuleMatch `json:"matched"`
	// Undecided lists the rules whose condition could not be decided.
	Undecided []RuleMatch `json:"undecided,omitempty"`
	// Missing names the facts that rules tried before the deciding one
	// needed and did not have: supplying them can settle an indeterminate
	// outcome.
	Missing     []string  `json:"missing,omitempty"`
	EvaluatedAt time.Time `json:"evaluated_at"`
}

// Evaluate applies a valid policy (from Parse, LoadDir, Builtin, or one
// that passed Validate) to a model version and the designations recorded
// for it, at time at.
//
// Rules are tried in order and the first that holds decides; when none
// holds the outcome is not_covered. A condition holds, fails or is
// undecided: undecided when a fact it needs is missing, or when the
// training compute's uncertainty interval straddles a threshold. A rule
// undecided only by a straddled interval that declares when_uncertain holds
// with that outcome. Otherwise an undecided rule before the deciding one
// might have decided instead: if its outcome differs from the one that
// decides, the result is indeterminate, and Missing names the facts to
// supply.
//
// Only designations that apply to the subject's model, version and
// developer and stand at at (dated on or before it, not revoked by then)
// count.
func Evaluate(p *Policy, s Subject, ds []aicc.Designation, at time.Time) Result {
	e := &env{facts: s.Facts}
	for _, d := range ds {
		if d.Applies(s.Model, s.Version, s.DeveloperOrgID) && d.InEffect(at) {
			e.designations = append(e.designations, d)
		}
	}
	res := Result{
		PolicyID: p.ID, PolicyVersion: p.Version, PolicyTitle: p.Title, PolicyDigest: p.Digest,
		InEffect: p.InEffect(at), EvaluatedAt: at, Matched: []RuleMatch{},
	}
	var possible []aicc.CoverageOutcome // outcomes the facts leave possible
	deciding := -1                      // index in res.Matched of the first rule that held
	var missing []string
	for _, r := range p.Rules {
		if r == nil || r.When == nil {
			continue
		}
		v := r.When.eval(e)
		m := RuleMatch{
			RuleID: r.ID, Outcome: r.Outcome, Citations: p.citations(r.Cite), Summary: r.Summary,
			Reason: strings.Join(v.reasons, "; "), Designations: v.designations, Missing: v.missing, Uncertain: v.straddles,
		}
		if v.truth == unknown && len(v.missing) == 0 && r.WhenUncertain != "" {
			v.truth, m.Outcome = yes, r.WhenUncertain
		}
		switch v.truth {
		case yes:
			res.Matched = append(res.Matched, m)
			if deciding < 0 {
				deciding = len(res.Matched) - 1
				possible = union(possible, m.Outcome)
			}
		case unknown:
			res.Undecided = append(res.Undecided, m)
			if deciding < 0 {
				possible = union(possible, r.Outcome)
				missing = union(missing, v.missing...)
			}
		}
	}
	if deciding < 0 {
		possible = union(possible, aicc.CoverageNotCovered)
	}
	if len(possible) == 1 {
		res.Outcome = possible[0]
		if deciding >= 0 {
			res.Matched[deciding].Decides = true
		}
	} else {
		res.Outcome = aicc.CoverageIndeterminate
	}
	slices.Sort(missing)
	res.Missing = missing
	return res
}

// citations returns the declared citations with the given ids.
func (p *Policy) citations(ids []string) []Citation {
	out := make([]Citation, 0, len(ids))
	for _, id := range ids {
		if c, ok := p.citation(id); ok {
			out = append(out, c)
		}
	}
	return out
}

// EvaluateAll evaluates the current version of each policy (see Current)
// and returns the results in the order the policies were given.
func EvaluateAll(ps []*Policy, s Subject, ds []aicc.Designation, at time.Time) []Result {
	cur := Current(ps, at)
	out := make([]Result, len(cur))
	for i, p := range cur {
		out[i] = Evaluate(p, s, ds, at)
	}
	return out
}

// Current picks one version of each policy id, in the order ids first
// appear: the highest version effective at at, or, when no version is
// effective yet, the one that takes effect first.
func Current(ps []*Policy, at time.Time) []*Policy {
	var (
		order []string
		best  = map[string]*Policy{}
	)
	for _, p := range ps {
		b, seen := best[p.ID]
		if !seen {
			order = append(order, p.ID)
			best[p.ID] = p
			continue
		}
		pe, be := !at.Before(p.effective), !at.Before(b.effective)
		switch {
		case pe && !be,
			pe && be && compareVersions(p.Version, b.Version) > 0,
			!pe && !be && p.effective.Before(b.effective):
			best[p.ID] = p
		}
	}
	out := make([]*Policy, len(order))
	for i, id := range order {
		out[i] = best[id]
	}
	return out
}

// compareVersions compares two MAJOR.MINOR.PATCH versions.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
