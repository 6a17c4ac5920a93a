package aicc

import (
	"strings"
	"testing"
	"time"
)

func validDesignation() Designation {
	return Designation{
		Model: "example-chat", AuthorityOrgID: "org_x", Authority: "NSA",
		Kind: DesignationCoveredFrontierModel, Reference: "NSA memo 2026-17",
		Date: time.Date(2026, 6, 20, 0, 0, 0, 0, time.UTC),
	}
}

func TestDesignationValidate(t *testing.T) {
	revoked := func(d time.Time) func(*Designation) { return func(x *Designation) { x.RevokedAt = &d } }
	for _, tc := range []struct {
		name   string
		change func(*Designation)
		field  string // "" when valid
	}{
		{"valid", func(*Designation) {}, ""},
		{"every version", func(d *Designation) { d.Version = "" }, ""},
		{"date in another zone at UTC midnight", func(d *Designation) { d.Date = d.Date.In(time.FixedZone("X", 3600)) }, ""},
		{"no model", func(d *Designation) { d.Model = "" }, "model"},
		{"long version", func(d *Designation) { d.Version = strings.Repeat("v", 101) }, "version"},
		{"no recording org", func(d *Designation) { d.AuthorityOrgID = "" }, "authority_org_id"},
		{"no authority", func(d *Designation) { d.Authority = "" }, "authority"},
		{"unknown kind", func(d *Designation) { d.Kind = "approved" }, `"approved"`},
		{"no reference", func(d *Designation) { d.Reference = "" }, "reference"},
		{"no date", func(d *Designation) { d.Date = time.Time{} }, "date"},
		{"date with a time", func(d *Designation) { d.Date = d.Date.Add(time.Hour) }, "date"},
		{"long note", func(d *Designation) { d.Note = strings.Repeat("n", 4001) }, "note"},
		{"revoked before it takes effect", revoked(time.Date(2026, 6, 19, 0, 0, 0, 0, time.UTC)), ""},
		{"revoked before it was recorded", func(d *Designation) {
			d.CreatedAt = time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)
			revoked(time.Date(2026, 6, 10, 11, 0, 0, 0, time.UTC))(d)
		}, "revoked_at"},
		{"revoked after its date", revoked(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := validDesignation()
			tc.change(&d)
			err := d.Validate()
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tc.field != "" && err == nil:
				t.Fatalf("Validate accepted a designation with a bad %s", tc.field)
			case tc.field != "" && (!strings.Contains(err.Error(), tc.field) || KindOf(err) != KindInvalid):
				t.Fatalf("Validate = %v (kind %s); want kind invalid naming %s", err, KindOf(err), tc.field)
			}
		})
	}
}

func TestDesignationApplies(t *testing.T) {
	d := validDesignation()
	d.Version = "1.0"
	d.DeveloperOrgID = "org_dev"
	all := validDesignation()
	for _, tc := range []struct {
		name                  string
		d                     Designation
		model, version, devID string
		want                  bool
	}{
		{"same version and developer", d, "example-chat", "1.0", "org_dev", true},
		{"other version", d, "example-chat", "1.1", "org_dev", false},
		{"other developer", d, "example-chat", "1.0", "org_other", false},
		{"developer unknown", d, "example-chat", "1.0", "", false},
		{"other model", d, "example-code", "1.0", "org_dev", false},
		{"model names are exact", d, "Example-Chat", "1.0", "org_dev", false},
		{"every version, any developer", all, "example-chat", "7.2", "org_any", true},
	} {
		if got := tc.d.Applies(tc.model, tc.version, tc.devID); got != tc.want {
			t.Errorf("%s: Applies(%q, %q, %q) = %v; want %v", tc.name, tc.model, tc.version, tc.devID, got, tc.want)
		}
	}
}

func TestDesignationInEffect(t *testing.T) {
	d := validDesignation()
	day := d.Date
	if d.InEffect(day.Add(-time.Nanosecond)) || !d.InEffect(day) || !d.InEffect(day.AddDate(1, 0, 0)) {
		t.Error("a standing designation is in effect from its date on, and not before")
	}
	rev := day.AddDate(0, 1, 0)
	d.RevokedAt = &rev
	if !d.InEffect(rev.Add(-time.Nanosecond)) || d.InEffect(rev) || d.InEffect(rev.AddDate(0, 0, 1)) {
		t.Error("a revoked designation stands until it is revoked, and not after")
	}
}

func TestCoverageOutcomeValid(t *testing.T) {
	for _, o := range CoverageOutcomes {
		if !o.Valid() {
			t.Errorf("%s is not valid", o)
		}
	}
	for _, o := range []CoverageOutcome{"", "approved", "denied", "COVERED"} {
		if o.Valid() {
			t.Errorf("%q is valid", o)
		}
	}
}
