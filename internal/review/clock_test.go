package review

import (
	"slices"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestClock(t *testing.T) {
	// Submitted 40 days ahead: the window opens on 2025-03-02. With the
	// defaults, triage is due 03-04, the first scan 03-07, shared findings
	// 03-27 (5 days before the release).
	early := release.Add(-days(40))
	opens := release.AddDate(0, 0, -30)
	triageDue := opens.AddDate(0, 0, 2)
	scanDue := opens.AddDate(0, 0, 5)
	shareDue := release.AddDate(0, 0, -5)
	at := func(y, m, d, h int) time.Time { return time.Date(y, time.Month(m), d, h, 0, 0, 0, time.UTC) }

	tests := []struct {
		name      string
		state     aicc.ReviewState
		submitted time.Time
		now       time.Time
		progress  Progress
		window    WindowState
		daysLeft  int
		steps     []Step // the steps that apply
		overdue   []Step
	}{
		{"before the window", aicc.ReviewSubmitted, early, release.Add(-days(35)), Progress{},
			WindowPending, 35, []Step{StepTriage, StepFirstScan, StepShareFindings}, nil},
		{"window just open", aicc.ReviewSubmitted, early, opens.Add(days(1)), Progress{},
			WindowOpen, 29, []Step{StepTriage, StepFirstScan, StepShareFindings}, nil},
		{"triage due this instant: not yet overdue", aicc.ReviewSubmitted, early, triageDue, Progress{},
			WindowOpen, 28, []Step{StepTriage, StepFirstScan, StepShareFindings}, nil},
		{"triage overdue", aicc.ReviewSubmitted, early, triageDue.Add(time.Second), Progress{},
			WindowOpen, 28, []Step{StepTriage, StepFirstScan, StepShareFindings}, []Step{StepTriage}},
		{"triaged per the state, no time known", aicc.ReviewTriaged, early, triageDue.Add(time.Second), Progress{},
			WindowOpen, 28, []Step{StepTriage, StepFirstScan, StepShareFindings}, nil},
		{"first scan overdue", aicc.ReviewTriaged, early, scanDue.Add(time.Hour), Progress{TriagedAt: at(2025, 3, 3, 9)},
			WindowOpen, 25, []Step{StepTriage, StepFirstScan, StepShareFindings}, []Step{StepFirstScan}},
		{"both overdue", aicc.ReviewSubmitted, early, scanDue.Add(time.Hour), Progress{},
			WindowOpen, 25, []Step{StepTriage, StepFirstScan, StepShareFindings}, []Step{StepTriage, StepFirstScan}},
		{"sharing overdue", aicc.ReviewValidating, early, shareDue.Add(time.Hour), Progress{TriagedAt: at(2025, 3, 3, 9), FirstScanAt: at(2025, 3, 4, 9)},
			WindowOpen, 5, []Step{StepTriage, StepFirstScan, StepShareFindings}, []Step{StepShareFindings}},
		{"shared: the developer's response is due", aicc.ReviewFindingsShared, early, at(2025, 3, 28, 0),
			Progress{FindingsSharedAt: at(2025, 3, 26, 12)},
			WindowOpen, 4, []Step{StepTriage, StepFirstScan, StepShareFindings, StepRespond}, nil},
		{"response overdue after the release date", aicc.ReviewFindingsShared, early, at(2025, 4, 1, 1),
			Progress{FindingsSharedAt: at(2025, 3, 26, 12)},
			WindowClosed, 0, []Step{StepTriage, StepFirstScan, StepShareFindings, StepRespond}, []Step{StepRespond}},
		{"a comment before sharing is no response", aicc.ReviewFindingsShared, early, at(2025, 4, 1, 1),
			Progress{FindingsSharedAt: at(2025, 3, 26, 12), RespondedAt: at(2025, 3, 20, 0)},
			WindowClosed, 0, []Step{StepTriage, StepFirstScan, StepShareFindings, StepRespond}, []Step{StepRespond}},
		{"a remediation is a response; its retest is due", aicc.ReviewRemediation, early, at(2025, 3, 29, 0),
			Progress{FindingsSharedAt: at(2025, 3, 20, 0), RemediationAt: at(2025, 3, 27, 0)},
			WindowOpen, 3, []Step{StepTriage, StepFirstScan, StepShareFindings, StepRespond, StepRetest}, nil},
		{"retest overdue: the latest retest is older than the remediation", aicc.ReviewRemediation, early, at(2025, 3, 31, 0),
			Progress{FindingsSharedAt: at(2025, 3, 10, 0), RespondedAt: at(2025, 3, 11, 0), RemediationAt: at(2025, 3, 27, 0), RetestedAt: at(2025, 3, 20, 0)},
			WindowOpen, 1, []Step{StepTriage, StepFirstScan, StepShareFindings, StepRespond, StepRetest}, []Step{StepRetest}},
		{"retested", aicc.ReviewRetest, early, at(2025, 3, 31, 0),
			Progress{FindingsSharedAt: at(2025, 3, 10, 0), RespondedAt: at(2025, 3, 11, 0), RemediationAt: at(2025, 3, 27, 0), RetestedAt: at(2025, 3, 28, 0)},
			WindowOpen, 1, []Step{StepTriage, StepFirstScan, StepShareFindings, StepRespond, StepRetest}, nil},
		{"closed review: clocks stopped", aicc.ReviewWithdrawn, early, scanDue.Add(time.Hour), Progress{},
			WindowOpen, 25, nil, nil},
		{"short window: nothing due before the release", aicc.ReviewSubmitted, release.Add(-days(1)), release.Add(-time.Hour), Progress{},
			WindowOpen, 1, []Step{StepTriage, StepFirstScan, StepShareFindings}, nil},
		{"short window: all due at the release", aicc.ReviewSubmitted, release.Add(-days(1)), release.Add(time.Second), Progress{},
			WindowClosed, 0, []Step{StepTriage, StepFirstScan, StepShareFindings}, []Step{StepTriage, StepFirstScan, StepShareFindings}},
	}
	r := rules(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := r.Clock(submission(tt.state, tt.submitted, release), tt.now, tt.progress)
			if c.Window != tt.window || c.DaysLeft != tt.daysLeft {
				t.Errorf("window %s, %d days left; want %s, %d", c.Window, c.DaysLeft, tt.window, tt.daysLeft)
			}
			var steps []Step
			for _, s := range c.Steps {
				steps = append(steps, s.Step)
				if s.Owner != s.Step.Owner() {
					t.Errorf("step %s owned by %s", s.Step, s.Owner)
				}
				if s.Due.After(c.Closes) && s.Step != StepRespond && s.Step != StepRetest {
					t.Errorf("step %s due %v, after the release %v", s.Step, s.Due, c.Closes)
				}
				if s.Overdue != slices.Contains(tt.overdue, s.Step) {
					t.Errorf("step %s overdue = %v", s.Step, s.Overdue)
				}
			}
			if !slices.Equal(steps, tt.steps) {
				t.Errorf("steps %v, want %v", steps, tt.steps)
			}
			if !slices.Equal(c.Overdue, tt.overdue) {
				t.Errorf("overdue %v, want %v", c.Overdue, tt.overdue)
			}
			if c.Stopped != !tt.state.Open() {
				t.Errorf("Stopped = %v in state %s", c.Stopped, tt.state)
			}
		})
	}
}

func TestClockDueDates(t *testing.T) {
	sub := submission(aicc.ReviewSubmitted, release.Add(-days(40)), release)
	shared := time.Date(2025, 3, 20, 6, 0, 0, 0, time.UTC)
	remediated := shared.Add(days(2))
	p := Progress{FindingsSharedAt: shared, RemediationAt: remediated}
	opens := release.AddDate(0, 0, -30)
	tests := []struct {
		cfg  Config
		want map[Step]time.Time
	}{
		{Config{}, map[Step]time.Time{
			StepTriage:        opens.AddDate(0, 0, 2),
			StepFirstScan:     opens.AddDate(0, 0, 5),
			StepShareFindings: release.AddDate(0, 0, -5),
			StepRespond:       shared.AddDate(0, 0, 5),
			StepRetest:        remediated.AddDate(0, 0, 3),
		}},
		{Config{TriageDays: 1, ScanDays: 1, FindingsLeadDays: 10, ResponseDays: 2, RetestDays: 1}, map[Step]time.Time{
			StepTriage:        opens.AddDate(0, 0, 1),
			StepFirstScan:     opens.AddDate(0, 0, 2),
			StepShareFindings: release.AddDate(0, 0, -10),
			StepRespond:       shared.AddDate(0, 0, 2),
			StepRetest:        remediated.AddDate(0, 0, 1),
		}},
		// Sharing is never due before the first scan.
		{Config{TriageDays: 10, ScanDays: 15, FindingsLeadDays: 20}, map[Step]time.Time{
			StepTriage:        opens.AddDate(0, 0, 10),
			StepFirstScan:     opens.AddDate(0, 0, 25),
			StepShareFindings: opens.AddDate(0, 0, 25),
			StepRespond:       shared.AddDate(0, 0, 5),
			StepRetest:        remediated.AddDate(0, 0, 3),
		}},
	}
	for _, tt := range tests {
		c := rules(t, tt.cfg).Clock(sub, opens, p)
		if len(c.Steps) != len(tt.want) {
			t.Fatalf("%+v: %d steps, want %d", tt.cfg, len(c.Steps), len(tt.want))
		}
		for _, s := range c.Steps {
			if !s.Due.Equal(tt.want[s.Step]) {
				t.Errorf("%+v: %s due %v, want %v", tt.cfg, s.Step, s.Due, tt.want[s.Step])
			}
		}
	}
}

func TestClockDaysLeft(t *testing.T) {
	sub := submission(aicc.ReviewScanning, release.Add(-days(20)), release)
	r := rules(t, Config{})
	tests := []struct {
		now  time.Time
		want int
	}{
		{release.Add(-days(10)), 10},
		{release.Add(-days(10) + time.Hour), 10}, // 9 days 23 hours: rounded up
		{release.Add(-days(9) - time.Nanosecond), 10},
		{release.Add(-time.Nanosecond), 1},
		{release, 0},
		{release.Add(days(3)), 0},
	}
	for _, tt := range tests {
		if got := r.Clock(sub, tt.now, Progress{}).DaysLeft; got != tt.want {
			t.Errorf("at %v: %d days left, want %d", tt.now, got, tt.want)
		}
	}
}
