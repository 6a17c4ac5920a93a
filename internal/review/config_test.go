package review

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestConfigDefaults(t *testing.T) {
	c := rules(t, Config{}).Config()
	want := Config{
		TriageDays: 2, ScanDays: 3, FindingsLeadDays: 5, ResponseDays: 5, RetestDays: 3, DueSoonHours: 24,
		MaxLeadDays: 365, Alpha: 0.05, RecordRetentionDays: 90,
	}
	if !slices.Equal(c.ReleaseReminderDays, []int{1, 7}) {
		t.Errorf("ReleaseReminderDays = %v, want [1 7]", c.ReleaseReminderDays)
	}
	c.ReleaseReminderDays = nil
	if c.TriageDays != want.TriageDays || c.ScanDays != want.ScanDays || c.FindingsLeadDays != want.FindingsLeadDays ||
		c.ResponseDays != want.ResponseDays || c.RetestDays != want.RetestDays || c.DueSoonHours != want.DueSoonHours ||
		c.MaxLeadDays != want.MaxLeadDays || c.Alpha != want.Alpha || c.RecordRetentionDays != want.RecordRetentionDays {
		t.Errorf("defaults %+v, want %+v", c, want)
	}
	// Set fields are kept; the reminder days are sorted and deduplicated.
	c = rules(t, Config{TriageDays: 1, Alpha: 0.01, ReleaseReminderDays: []int{3, 14, 3}}).Config()
	if c.TriageDays != 1 || c.Alpha != 0.01 || c.ScanDays != 3 || !slices.Equal(c.ReleaseReminderDays, []int{3, 14}) {
		t.Errorf("config %+v", c)
	}
}

func TestConfigInvalid(t *testing.T) {
	tests := []struct {
		cfg   Config
		field string
	}{
		{Config{TriageDays: -1}, "triage_days"},
		{Config{ScanDays: 31}, "scan_days"},
		{Config{FindingsLeadDays: 30}, "findings_lead_days"},
		{Config{ResponseDays: -2}, "response_days"},
		{Config{RetestDays: -1}, "retest_days"},
		{Config{DueSoonHours: -1}, "due_soon_hours"},
		{Config{MaxLeadDays: 29}, "max_lead_days"},
		{Config{RecordRetentionDays: -1}, "record_retention_days"},
		{Config{ReleaseReminderDays: []int{7, 0}}, "release_reminder_days"},
		{Config{ReleaseReminderDays: []int{31}}, "release_reminder_days"},
		{Config{Alpha: 0.6}, "alpha"},
		{Config{Alpha: -0.05}, "alpha"},
		{Config{Alpha: math.NaN()}, "alpha"},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg)
		wantKind(t, err, aicc.KindInvalid)
		if !strings.Contains(err.Error(), tt.field) {
			t.Errorf("error %q does not name %s", err, tt.field)
		}
	}
}

func TestConfigCopies(t *testing.T) {
	days := []int{7, 1}
	r := rules(t, Config{ReleaseReminderDays: days})
	days[0] = 99
	c := r.Config()
	c.ReleaseReminderDays[0] = 42
	if got := r.Config().ReleaseReminderDays; !slices.Equal(got, []int{1, 7}) {
		t.Errorf("the rules' reminder days changed from outside: %v", got)
	}
	if !slices.Equal(DefaultReleaseReminderDays, []int{7, 1}) {
		t.Errorf("the defaults changed: %v", DefaultReleaseReminderDays)
	}
}
