package review

import (
	"cmp"
	"slices"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Config holds the review's schedule, its retest significance level and
// its retention periods. A zero field takes its default; docs/review.md
// explains each under the name of its JSON tag.
type Config struct {
	// TriageDays: an analyst triages a submission within this many days of
	// its window opening. Default 2.
	TriageDays int `json:"triage_days,omitempty"`
	// ScanDays: the first scan starts within this many days after triage is
	// due. Default 3.
	ScanDays int `json:"scan_days,omitempty"`
	// FindingsLeadDays: findings are shared at least this many days before
	// the planned release. Default 5.
	FindingsLeadDays int `json:"findings_lead_days,omitempty"`
	// ResponseDays: the developer responds to shared findings (a comment,
	// dispute or remediation) within this many days. Default 5.
	ResponseDays int `json:"response_days,omitempty"`
	// RetestDays: a retest finishes within this many days of a remediation
	// being posted. Default 3.
	RetestDays int `json:"retest_days,omitempty"`
	// DueSoonHours: a step due within this many hours gets a "due soon"
	// reminder. Default 24.
	DueSoonHours int `json:"due_soon_hours,omitempty"`
	// ReleaseReminderDays: the days left before the planned release at
	// which both parties are reminded. Default 7 and 1.
	ReleaseReminderDays []int `json:"release_reminder_days,omitempty"`
	// MaxLeadDays: how far ahead a planned release may be, to catch typing
	// mistakes in the year. Default 365.
	MaxLeadDays int `json:"max_lead_days,omitempty"`
	// Alpha is the significance level of the retest's one-sided test.
	// Default 0.05.
	Alpha float64 `json:"alpha,omitempty"`
	// RecordRetentionDays: after a withdrawal, how long finding records
	// (statuses, rationales, comments, remediations, verdicts, scan
	// summaries: no transcripts) and the submission record are kept.
	// Default 90.
	RecordRetentionDays int `json:"record_retention_days,omitempty"`
}

// Defaults of Config's fields.
const (
	DefaultTriageDays          = 2
	DefaultScanDays            = 3
	DefaultFindingsLeadDays    = 5
	DefaultResponseDays        = 5
	DefaultRetestDays          = 3
	DefaultDueSoonHours        = 24
	DefaultMaxLeadDays         = 365
	DefaultAlpha               = 0.05
	DefaultRecordRetentionDays = 90
)

// DefaultReleaseReminderDays are the default days-left reminders.
var DefaultReleaseReminderDays = []int{7, 1}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	c.TriageDays = cmp.Or(c.TriageDays, DefaultTriageDays)
	c.ScanDays = cmp.Or(c.ScanDays, DefaultScanDays)
	c.FindingsLeadDays = cmp.Or(c.FindingsLeadDays, DefaultFindingsLeadDays)
	c.ResponseDays = cmp.Or(c.ResponseDays, DefaultResponseDays)
	c.RetestDays = cmp.Or(c.RetestDays, DefaultRetestDays)
	c.DueSoonHours = cmp.Or(c.DueSoonHours, DefaultDueSoonHours)
	c.MaxLeadDays = cmp.Or(c.MaxLeadDays, DefaultMaxLeadDays)
	c.Alpha = cmp.Or(c.Alpha, DefaultAlpha)
	c.RecordRetentionDays = cmp.Or(c.RecordRetentionDays, DefaultRecordRetentionDays)
	if len(c.ReleaseReminderDays) == 0 {
		c.ReleaseReminderDays = DefaultReleaseReminderDays
	}
	c.ReleaseReminderDays = slices.Clone(c.ReleaseReminderDays)
	slices.Sort(c.ReleaseReminderDays)
	c.ReleaseReminderDays = slices.Compact(c.ReleaseReminderDays)
	return c
}

// Validate names the first field of c (after defaults) that is wrong.
func (c Config) Validate() error {
	c = c.WithDefaults()
	days := []struct {
		name string
		v    int
		max  int
	}{
		{"triage_days", c.TriageDays, WindowDays},
		{"scan_days", c.ScanDays, WindowDays},
		{"findings_lead_days", c.FindingsLeadDays, WindowDays - 1},
		{"response_days", c.ResponseDays, 365},
		{"retest_days", c.RetestDays, 365},
		{"due_soon_hours", c.DueSoonHours, 24 * WindowDays},
		{"max_lead_days", c.MaxLeadDays, 10 * 365},
		{"record_retention_days", c.RecordRetentionDays, 10 * 365},
	}
	for _, d := range days {
		if d.v < 1 || d.v > d.max {
			return aicc.Errorf(aicc.KindInvalid, "review config %s %d: must be 1 to %d (0 takes the default)", d.name, d.v, d.max)
		}
	}
	if c.MaxLeadDays < WindowDays {
		return aicc.Errorf(aicc.KindInvalid, "review config max_lead_days %d: must be at least the %d-day window", c.MaxLeadDays, WindowDays)
	}
	for _, d := range c.ReleaseReminderDays {
		if d < 1 || d > WindowDays {
			return aicc.Errorf(aicc.KindInvalid, "review config release_reminder_days %d: each must be 1 to %d", d, WindowDays)
		}
	}
	if !(c.Alpha > 0 && c.Alpha <= 0.5) {
		return aicc.Errorf(aicc.KindInvalid, "review config alpha %v: must be above 0 and at most 0.5 (0 takes the default 0.05)", c.Alpha)
	}
	return nil
}

// Rules applies a validated Config. Build it with New; it is safe for
// concurrent use, and holds no state beyond its configuration.
type Rules struct {
	cfg Config
}

// New validates cfg, fills in its defaults and returns the rules.
func New(cfg Config) (*Rules, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Rules{cfg: cfg.WithDefaults()}, nil
}

// Config returns the configuration in force, defaults filled in.
func (r *Rules) Config() Config {
	c := r.cfg
	c.ReleaseReminderDays = slices.Clone(c.ReleaseReminderDays)
	return c
}
