package aicc

import "time"

// CoverageOutcome is what a coverage policy says about a model version. It
// is advisory: no outcome decides whether a developer may submit a model for
// review or release it, and any model may be reviewed voluntarily.
type CoverageOutcome string

const (
	// CoverageCovered: an authority's designation makes the model covered.
	CoverageCovered CoverageOutcome = "covered"
	// CoveragePresumedCovered: a rule presumes coverage (rebuttable), e.g.
	// the EU AI Act's compute presumption in Art. 51(2).
	CoveragePresumedCovered CoverageOutcome = "presumed_covered"
	// CoverageRecommendConsultation: an open proxy such as training compute
	// suggests consulting the designating authority.
	CoverageRecommendConsultation CoverageOutcome = "recommend_consultation"
	// CoverageNotCovered: no rule that gives coverage or consultation holds.
	CoverageNotCovered CoverageOutcome = "not_covered"
	// CoverageIndeterminate: the facts do not settle it (a fact is missing,
	// or an estimate straddles a threshold).
	CoverageIndeterminate CoverageOutcome = "indeterminate"
)

// CoverageOutcomes lists every outcome.
var CoverageOutcomes = []CoverageOutcome{
	CoverageCovered, CoveragePresumedCovered, CoverageRecommendConsultation, CoverageNotCovered, CoverageIndeterminate,
}

// Valid reports whether o is a known outcome.
func (o CoverageOutcome) Valid() bool {
	for _, v := range CoverageOutcomes {
		if o == v {
			return true
		}
	}
	return false
}

// DesignationKind is what an authority designated a model as.
type DesignationKind string

const (
	// DesignationCoveredFrontierModel: designated a covered frontier model
	// (under the June 2026 executive order, by the agencies' benchmarks).
	DesignationCoveredFrontierModel DesignationKind = "covered_frontier_model"
	// DesignationSystemicRisk: designated a general-purpose AI model with
	// systemic risk (EU AI Act Art. 51(1)(b), by the Commission).
	DesignationSystemicRisk DesignationKind = "systemic_risk"
)

// DesignationKinds lists every designation kind.
var DesignationKinds = []DesignationKind{DesignationCoveredFrontierModel, DesignationSystemicRisk}

// Valid reports whether k is a known kind.
func (k DesignationKind) Valid() bool {
	for _, v := range DesignationKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Designation is an authority's recorded designation of a model (or one
// version of it), with the document it rests on. Designations are facts
// that coverage policies read; they never decide whether a model may be
// submitted or released.
type Designation struct {
	ID    string `json:"id"`
	Model string `json:"model"`
	// Version is the designated version; empty designates every version.
	Version string `json:"version,omitempty"`
	// DeveloperOrgID, when set, limits the designation to that developer's
	// model of this name.
	DeveloperOrgID string `json:"developer_org_id,omitempty"`
	// AuthorityOrgID is the (agency) organization that recorded the
	// designation.
	AuthorityOrgID string `json:"authority_org_id"`
	// Authority names the designating authority, e.g. "NSA" or "European
	// Commission".
	Authority string          `json:"authority"`
	Kind      DesignationKind `json:"designation"`
	// Reference is the document, URL or docket the designation rests on.
	Reference string `json:"reference"`
	// Date is the day the designation takes effect (UTC midnight).
	Date      time.Time `json:"date"`
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	// RevokedAt is when the designation was revoked; nil while it stands.
	RevokedAt      *time.Time `json:"revoked_at,omitempty"`
	RevokedBy      string     `json:"revoked_by,omitempty"`
	RevocationNote string     `json:"revocation_note,omitempty"`
}

// Validate names the first field of d that is wrong.
func (d *Designation) Validate() error {
	switch {
	case d.Model == "" || len(d.Model) > 200:
		return Errorf(KindInvalid, "designation model: must be 1 to 200 characters")
	case len(d.Version) > 100:
		return Errorf(KindInvalid, "designation version: must be at most 100 characters (empty for every version)")
	case d.AuthorityOrgID == "":
		return Errorf(KindInvalid, "designation authority_org_id: required (the organization recording it)")
	case d.Authority == "" || len(d.Authority) > 200:
		return Errorf(KindInvalid, "designation authority: must be 1 to 200 characters, e.g. NSA")
	case !d.Kind.Valid():
		return Errorf(KindInvalid, "designation %q: must be one of covered_frontier_model, systemic_risk", d.Kind)
	case d.Reference == "" || len(d.Reference) > 2000:
		return Errorf(KindInvalid, "designation reference: must be 1 to 2000 characters (the document, URL or docket)")
	case d.Date.IsZero():
		return Errorf(KindInvalid, "designation date: required, e.g. 2026-06-20")
	case !isDate(d.Date):
		return Errorf(KindInvalid, "designation date: must be a date (UTC midnight), not %s", d.Date.UTC().Format(time.RFC3339))
	case len(d.Note) > 4000:
		return Errorf(KindInvalid, "designation note: must be at most 4000 characters")
	// A designation may be revoked before the date it takes effect (it
	// then never covers anything), but not before it was recorded.
	case d.RevokedAt != nil && !d.CreatedAt.IsZero() && d.RevokedAt.Before(d.CreatedAt):
		return Errorf(KindInvalid, "designation revoked_at: %s is before the designation was recorded (%s)",
			d.RevokedAt.Format(time.RFC3339), d.CreatedAt.Format(time.RFC3339))
	}
	return nil
}

// isDate reports whether t is midnight UTC, in whatever location it is
// expressed.
func isDate(t time.Time) bool {
	u := t.UTC()
	return u.Equal(time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC))
}

// Applies reports whether d designates the given model version of the
// given developer: the model names are equal, d's version is empty or
// equal, and d's developer is empty or equal.
func (d *Designation) Applies(model, version, developerOrgID string) bool {
	return d.Model == model &&
		(d.Version == "" || d.Version == version) &&
		(d.DeveloperOrgID == "" || d.DeveloperOrgID == developerOrgID)
}

// InEffect reports whether d stands at t: on or after its date and not
// revoked by then.
func (d *Designation) InEffect(t time.Time) bool {
	return !t.Before(d.Date) && (d.RevokedAt == nil || t.Before(*d.RevokedAt))
}
