package coverage

import (
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// FormatVersion is the policy file format this package reads.
const FormatVersion = 1

// Policy is a versioned coverage policy: cited rules, tried in order, that
// map a model version's facts and designations to an outcome. Policies are
// data, loaded from YAML files and validated on load.
type Policy struct {
	Format  int    `yaml:"format" json:"format"`
	ID      string `yaml:"id" json:"id"`
	Version string `yaml:"version" json:"version"` // semantic version MAJOR.MINOR.PATCH
	Title   string `yaml:"title" json:"title"`
	Summary string `yaml:"summary" json:"summary,omitempty"`
	// Effective is the first day (YYYY-MM-DD) the policy applies; Ended,
	// when set, the day it stopped applying (a reference policy).
	Effective string `yaml:"effective" json:"effective"`
	Ended     string `yaml:"ended" json:"ended,omitempty"`
	// DesignationOnly declares that only a designation can make a model
	// covered or presumed covered; proxies can at most recommend
	// consultation. Validation enforces it on every rule.
	DesignationOnly bool `yaml:"designation_only" json:"designation_only"`
	// Cite lists citations for the policy as a whole (e.g. dates).
	Cite      []string   `yaml:"cite" json:"cite,omitempty"`
	Citations []Citation `yaml:"citations" json:"citations"`
	Rules     []*Rule    `yaml:"rules" json:"rules"`

	// File names the source in problems; Digest is "sha256:" and the hex
	// digest of the file's bytes. Parse sets both.
	File   string `yaml:"-" json:"-"`
	Digest string `yaml:"-" json:"digest,omitempty"`

	effective, ended        time.Time // parsed by validation
	versionLine, versionCol int       // where the version is in File, for problems across files
}

// Citation is a source a policy or rule rests on.
type Citation struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"` // the source and the provision, paraphrased
	URL   string `yaml:"url" json:"url,omitempty"`
	Note  string `yaml:"note" json:"note,omitempty"` // caveats, e.g. how well the source is confirmed
}

// Rule is one cited rule: when its condition holds, it yields its outcome.
type Rule struct {
	ID      string               `yaml:"id" json:"id"`
	Cite    []string             `yaml:"cite" json:"cite"`
	Summary string               `yaml:"summary" json:"summary"`
	When    *Condition           `yaml:"when" json:"when"`
	Outcome aicc.CoverageOutcome `yaml:"outcome" json:"outcome"`
	// WhenUncertain, when set, is the outcome the rule yields when its
	// condition cannot be decided only because an estimate's uncertainty
	// interval straddles a threshold (recommend_consultation or
	// indeterminate).
	WhenUncertain aicc.CoverageOutcome `yaml:"when_uncertain" json:"when_uncertain,omitempty"`
}

// Condition is a test over a model version's facts and designations. Each
// condition sets exactly one field.
type Condition struct {
	Always *bool        `yaml:"always" json:"always,omitempty"` // always: true holds for every model
	All    []*Condition `yaml:"all" json:"all,omitempty"`
	Any    []*Condition `yaml:"any" json:"any,omitempty"`
	Not    *Condition   `yaml:"not" json:"not,omitempty"`

	// Designated holds when an authority's designation of this kind stands
	// for the model version.
	Designated *Designated `yaml:"designated" json:"designated,omitempty"`

	// Training compute in integer or floating-point operations, compared
	// over the estimate's uncertainty interval.
	ComputeAbove   *float64 `yaml:"compute_above" json:"compute_above,omitempty"`
	ComputeAtLeast *float64 `yaml:"compute_at_least" json:"compute_at_least,omitempty"`

	// The developer's annual revenue in US dollars.
	RevenueAbove   *float64 `yaml:"revenue_above" json:"revenue_above,omitempty"`
	RevenueAtLeast *float64 `yaml:"revenue_at_least" json:"revenue_at_least,omitempty"`

	OpenWeights *bool `yaml:"open_weights" json:"open_weights,omitempty"`
	// Modality holds when the model declares this modality.
	Modality *string `yaml:"modality" json:"modality,omitempty"`
	// DeveloperSize holds when the developer's declared size is one of these.
	DeveloperSize []string `yaml:"developer_size" json:"developer_size,omitempty"`
	// CapabilityAtLeast holds when the named capability result is at least
	// the value.
	CapabilityAtLeast *Capability `yaml:"capability_at_least" json:"capability_at_least,omitempty"`
}

// Designated names the designation a condition looks for.
type Designated struct {
	Kind aicc.DesignationKind `yaml:"kind" json:"kind"`
	// Authority, when set, must equal the designation's authority (ignoring
	// case); empty accepts any authority.
	Authority string `yaml:"authority" json:"authority,omitempty"`
}

// Capability is a threshold on a named capability result.
type Capability struct {
	Name  string   `yaml:"name" json:"name"`
	Value *float64 `yaml:"value" json:"value"`
}

// InEffect reports whether the policy applies at t: on or after its
// effective day and before the day it ended, if any. Call it on a validated
// policy.
func (p *Policy) InEffect(t time.Time) bool {
	return !t.Before(p.effective) && (p.ended.IsZero() || t.Before(p.ended))
}

// citation returns the declared citation with the given id.
func (p *Policy) citation(id string) (Citation, bool) {
	for _, c := range p.Citations {
		if c.ID == id {
			return c, true
		}
	}
	return Citation{}, false
}
