package osv

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// record is an OSV record, its fields in the schema's order.
type record struct {
	SchemaVersion    string      `json:"schema_version"`
	ID               string      `json:"id"`
	Modified         string      `json:"modified"`
	Published        string      `json:"published,omitempty"`
	Withdrawn        string      `json:"withdrawn,omitempty"`
	Summary          string      `json:"summary"`
	Details          string      `json:"details,omitempty"`
	Severity         []severity  `json:"severity,omitempty"`
	Affected         []affected  `json:"affected"`
	References       []reference `json:"references"`
	Credits          []credit    `json:"credits,omitempty"`
	DatabaseSpecific dbSpecific  `json:"database_specific"`
}

type severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

type affected struct {
	Package pkg         `json:"package"`
	Ranges  []versRange `json:"ranges"`
}

type pkg struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	PURL      string `json:"purl,omitempty"`
}

type versRange struct {
	Type   string  `json:"type"`
	Events []event `json:"events"`
}

// event is one event of a range: exactly one field is set.
type event struct {
	Introduced string `json:"introduced,omitempty"`
	Fixed      string `json:"fixed,omitempty"`
}

type reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

type credit struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
}

// dbSpecific is what the record says about the advisory that OSV has no
// field for.
type dbSpecific struct {
	AdvisoryID     string             `json:"advisory_id"`
	URL            string             `json:"url"`
	Revision       int                `json:"revision"`
	State          advisory.State     `json:"state"`
	TLP            aicc.TLP           `json:"tlp"` // the summary's label: the record's content is summary-level
	Developer      string             `json:"developer"`
	Class          aicc.Class         `json:"class"`
	Family         string             `json:"family,omitempty"`
	Taxonomy       aicc.Taxonomy      `json:"taxonomy"`
	CVSSScore      float64            `json:"cvss_score"`
	Rating         aicc.Severity      `json:"severity_rating,omitempty"`
	Reproduction   *aicc.Reproduction `json:"reproduction,omitempty"`
	Models         []model            `json:"models"`
	WithdrawReason string             `json:"withdraw_reason,omitempty"`
}

// model is a model version and its status.
type model struct {
	PURL          string                 `json:"purl"`
	Model         string                 `json:"model"`
	Version       string                 `json:"version"`
	Surface       advisory.Surface       `json:"surface"`
	Status        advisory.Status        `json:"status"`
	Remediation   aicc.RemediationType   `json:"remediation,omitempty"`
	Justification advisory.Justification `json:"justification,omitempty"`
	Note          string                 `json:"note,omitempty"`
	Reproduction  *aicc.Reproduction     `json:"reproduction,omitempty"`
}

func databaseSpecific(a *advisory.Advisory, p advisory.Publisher) dbSpecific {
	models := make([]model, len(a.Products))
	for i, pr := range a.Products {
		models[i] = model{PURL: advisory.ModelPURL(a.Developer, pr.Model, pr.Version, pr.Surface),
			Model: pr.Model, Version: pr.Version, Surface: pr.Surface, Status: pr.Status,
			Remediation: pr.Remediation, Justification: pr.Justification, Note: pr.Note, Reproduction: pr.Reproduction}
	}
	slices.SortFunc(models, func(x, y model) int {
		return cmp.Or(strings.Compare(x.Model, y.Model), strings.Compare(x.Version, y.Version), strings.Compare(string(x.Surface), string(y.Surface)))
	})
	return dbSpecific{
		AdvisoryID: a.ID, URL: p.URL(a.ID), Revision: a.Revision, State: a.State, TLP: a.Summary.TLP,
		Developer: a.Developer, Class: a.Class, Family: a.Family, Taxonomy: a.Taxonomy,
		CVSSScore: a.Severity.CVSSScore, Rating: a.Severity.Rating, Reproduction: a.Reproduction,
		Models: models, WithdrawReason: strings.TrimSpace(a.WithdrawReason),
	}
}

// affectedPackages returns one affected entry per package, sorted, with
// a range for each of the package's entries in the advisory.
func affectedPackages(pkgs []advisory.Package) ([]affected, error) {
	flat := make([]affected, 0, len(pkgs))
	for i, p := range pkgs {
		if err := CheckEcosystem(p.Ecosystem); err != nil {
			return nil, fmt.Errorf("packages[%d] (%s): %w", i, p.Name, err)
		}
		events := []event{{Introduced: p.Introduced}}
		if p.Fixed != "" {
			events = append(events, event{Fixed: p.Fixed})
		}
		flat = append(flat, affected{
			Package: pkg{Ecosystem: p.Ecosystem, Name: p.Name, PURL: advisory.PURLWithoutVersion(p.PURL)},
			Ranges:  []versRange{{Type: "ECOSYSTEM", Events: events}},
		})
	}
	slices.SortFunc(flat, func(x, y affected) int {
		ex, ey := x.Ranges[0].Events, y.Ranges[0].Events
		return cmp.Or(strings.Compare(x.Package.Ecosystem, y.Package.Ecosystem), strings.Compare(x.Package.Name, y.Package.Name),
			strings.Compare(x.Package.PURL, y.Package.PURL), strings.Compare(ex[0].Introduced, ey[0].Introduced),
			strings.Compare(ex[len(ex)-1].Fixed, ey[len(ey)-1].Fixed))
	})
	var out []affected
	for _, a := range flat {
		if n := len(out); n > 0 && out[n-1].Package == a.Package {
			last := &out[n-1]
			if !slices.EqualFunc(last.Ranges[len(last.Ranges)-1:], a.Ranges, func(x, y versRange) bool { return slices.Equal(x.Events, y.Events) }) {
				last.Ranges = append(last.Ranges, a.Ranges...)
			}
			continue
		}
		out = append(out, a)
	}
	return out, nil
}
