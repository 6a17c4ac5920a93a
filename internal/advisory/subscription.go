package advisory

import (
	"fmt"
	"slices"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Subscription is a consumer organization's standing request for the
// advisories that match its filter. It never widens what the organization
// may see: a match is delivered only as far as Visible allows.
type Subscription struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	Filter    Filter    `json:"filter"`
	CreatedAt time.Time `json:"created_at"`
}

// Filter selects advisories. Empty lists match everything.
type Filter struct {
	Developers  []string      `json:"developers,omitempty"`   // developer organization IDs
	Classes     []aicc.Class  `json:"classes,omitempty"`      // techniques' classes
	MinSeverity aicc.Severity `json:"min_severity,omitempty"` // at least this rating
	TLP         []aicc.TLP    `json:"tlp,omitempty"`          // summaries labelled with one of these
}

var severityRank = map[aicc.Severity]int{aicc.SeverityInfo: 0, aicc.SeverityLow: 1, aicc.SeverityMedium: 2, aicc.SeverityHigh: 3, aicc.SeverityCritical: 4}

// Validate checks a filter.
func (f Filter) Validate() error {
	if f.MinSeverity != "" && !f.MinSeverity.Valid() {
		return aicc.Errorf(aicc.KindInvalid, "filter min_severity %q: want info, low, medium, high or critical", f.MinSeverity)
	}
	for _, t := range f.TLP {
		if !t.Valid() {
			return aicc.Errorf(aicc.KindInvalid, "filter tlp %q: not a TLP 2.0 label", t)
		}
	}
	if len(f.Developers)+len(f.Classes)+len(f.TLP) > 200 {
		return aicc.Errorf(aicc.KindInvalid, "filter: at most 200 values in all")
	}
	return nil
}

// Matches reports whether a passes the filter.
func (f Filter) Matches(a *Advisory) bool {
	switch {
	case len(f.Developers) > 0 && !slices.Contains(f.Developers, a.DeveloperOrgID):
		return false
	case len(f.Classes) > 0 && !slices.Contains(f.Classes, a.Class):
		return false
	case f.MinSeverity != "" && severityRank[a.Severity.Rating] < severityRank[f.MinSeverity]:
		return false
	case len(f.TLP) > 0 && !slices.Contains(f.TLP, a.Summary.TLP):
		return false
	}
	return true
}

// String describes the filter for logs and the CLI.
func (f Filter) String() string {
	return fmt.Sprintf("developers=%v classes=%v min_severity=%q tlp=%v", f.Developers, f.Classes, f.MinSeverity, f.TLP)
}
