package review

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// brief is "kind step to" for each reminder, to compare sets.
func brief(rs []Reminder) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s %s %s", r.Kind, r.Step, r.To))
	}
	return out
}

func TestReminders(t *testing.T) {
	early := release.Add(-days(40))
	opens := release.AddDate(0, 0, -30)
	tests := []struct {
		name  string
		state aicc.ReviewState
		now   time.Time
		p     Progress
		want  []string
	}{
		{"before the window: none", aicc.ReviewSubmitted, opens.Add(-time.Hour), Progress{}, nil},
		{"window open", aicc.ReviewSubmitted, opens.Add(time.Hour), Progress{},
			[]string{"window_opened  clearinghouse", "window_opened  developer"}},
		{"triage due within a day", aicc.ReviewSubmitted, opens.Add(days(1) + time.Hour), Progress{},
			[]string{"window_opened  clearinghouse", "window_opened  developer", "due_soon triage clearinghouse"}},
		{"triage overdue, the first scan not yet due soon", aicc.ReviewSubmitted, opens.Add(days(2) + time.Hour), Progress{},
			[]string{"window_opened  clearinghouse", "window_opened  developer", "overdue triage clearinghouse"}},
		{"a week left", aicc.ReviewValidating, release.Add(-days(7)), Progress{},
			[]string{"window_opened  clearinghouse", "window_opened  developer",
				"release_near  clearinghouse", "release_near  developer"}},
		{"the developer's response overdue", aicc.ReviewFindingsShared, release.Add(-days(8)),
			Progress{FindingsSharedAt: release.Add(-days(14))},
			[]string{"window_opened  clearinghouse", "window_opened  developer", "overdue developer_response developer"}},
		{"release passed, review open", aicc.ReviewFindingsShared, release.Add(time.Hour),
			Progress{FindingsSharedAt: release.Add(-days(4)), RespondedAt: release.Add(-days(3))},
			[]string{"release_passed  developer"}},
		{"closed review: none", aicc.ReviewComplete, opens.Add(days(20)), Progress{}, nil},
		{"withdrawn review: none", aicc.ReviewWithdrawn, opens.Add(days(20)), Progress{}, nil},
	}
	r := rules(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := submission(tt.state, early, release)
			rs := r.Reminders(sub, tt.now, tt.p)
			if got := brief(rs); !slices.Equal(got, tt.want) {
				t.Fatalf("reminders\n%q\nwant\n%q", got, tt.want)
			}
			seen := map[string]bool{}
			for _, rem := range rs {
				if seen[rem.Key] {
					t.Errorf("duplicate key %s", rem.Key)
				}
				seen[rem.Key] = true
				if rem.SubmissionID != sub.ID || !strings.HasPrefix(rem.Key, sub.ID+"/") {
					t.Errorf("reminder %+v is not keyed by its submission", rem)
				}
				if !strings.Contains(rem.Message, sub.ID) || !strings.Contains(rem.Message, "example-chat 1.0") {
					t.Errorf("message %q does not name the submission", rem.Message)
				}
			}
		})
	}
}

// TestReminderKeysStable: the same situation seen at two instants yields
// the same keys, so a notifier that runs every few minutes sends each once.
func TestReminderKeysStable(t *testing.T) {
	r := rules(t, Config{})
	sub := submission(aicc.ReviewSubmitted, release.Add(-days(40)), release)
	opens := release.AddDate(0, 0, -30)
	keys := func(now time.Time) []string {
		var k []string
		for _, rem := range r.Reminders(sub, now, Progress{}) {
			k = append(k, rem.Key)
		}
		return k
	}
	a, b := keys(opens.Add(days(2)+time.Minute)), keys(opens.Add(days(2)+5*time.Hour))
	if len(a) == 0 || !slices.Equal(a, b) {
		t.Errorf("keys changed between two runs:\n%q\n%q", a, b)
	}
	// A due-soon and an overdue reminder of one step are different notices.
	soon, late := keys(opens.Add(days(1)+time.Hour)), keys(opens.Add(days(2)+time.Hour))
	if slices.Equal(soon, late) {
		t.Errorf("due-soon and overdue share keys: %q", soon)
	}
}

func TestReleaseNearThresholds(t *testing.T) {
	r := rules(t, Config{})
	sub := submission(aicc.ReviewScanning, release.Add(-days(20)), release)
	nearKey := func(now time.Time) string {
		for _, rem := range r.Reminders(sub, now, Progress{FirstScanAt: now}) {
			if rem.Kind == ReminderReleaseNear && rem.To == aicc.OrgDeveloper {
				return rem.Key
			}
		}
		return ""
	}
	k10, k7, k3, k1 := nearKey(release.Add(-days(10))), nearKey(release.Add(-days(7))), nearKey(release.Add(-days(3))), nearKey(release.Add(-time.Hour))
	switch {
	case k10 != "":
		t.Errorf("10 days left: reminder %s, want none", k10)
	case k7 == "" || k7 != k3:
		t.Errorf("7 and 3 days left: keys %q and %q, want one reminder of the 7-day threshold", k7, k3)
	case k1 == "" || k1 == k7:
		t.Errorf("1 day left: key %q, want a new reminder (7-day key %q)", k1, k7)
	}
}

// TestReminderKeysFollowRelease: moving the release date moves the due
// dates, and the reminders of the new dates are new notices.
func TestReminderKeysFollowRelease(t *testing.T) {
	r := rules(t, Config{})
	submitted := release.Add(-days(20))
	now := release.Add(-days(3)) // sharing is overdue before and after the move
	before := r.Reminders(submission(aicc.ReviewValidating, submitted, release), now, Progress{TriagedAt: submitted, FirstScanAt: submitted})
	moved := submission(aicc.ReviewValidating, submitted, release.AddDate(0, 0, 1))
	after := r.Reminders(moved, now, Progress{TriagedAt: submitted, FirstScanAt: submitted})
	key := func(rs []Reminder, k ReminderKind) string {
		for _, rem := range rs {
			if rem.Kind == k && rem.Step == StepShareFindings {
				return rem.Key
			}
		}
		return ""
	}
	if a, b := key(before, ReminderOverdue), key(after, ReminderOverdue); a == "" || b == "" || a == b {
		t.Errorf("overdue sharing keys before and after the move: %q, %q; want two different keys", a, b)
	}
}
