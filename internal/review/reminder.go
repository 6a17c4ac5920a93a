package review

import (
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// ReminderKind is why a reminder is sent.
type ReminderKind string

const (
	ReminderWindowOpened  ReminderKind = "window_opened"  // the review window is open
	ReminderReleaseNear   ReminderKind = "release_near"   // a few days are left before the planned release
	ReminderDueSoon       ReminderKind = "due_soon"       // a step is due within DueSoonHours
	ReminderOverdue       ReminderKind = "overdue"        // a step's due time has passed
	ReminderReleasePassed ReminderKind = "release_passed" // the planned release came and the review is still open
)

// Reminder is a notice for one party about one review. Key identifies it:
// a notifier records the keys it sent and sends each key once. The key
// holds the due time it is about, so a moved release date or a new
// remediation yields new reminders, and a review asked about again at a
// later instant yields the same keys.
type Reminder struct {
	Key          string       `json:"key"`
	SubmissionID string       `json:"submission_id"`
	Kind         ReminderKind `json:"kind"`
	Step         Step         `json:"step,omitempty"`
	To           aicc.OrgKind `json:"to"` // clearinghouse (its analysts) or developer (the submitting organization)
	Due          time.Time    `json:"due"`
	Message      string       `json:"message"`
}

// Reminders returns the reminders due for sub at now, in a stable order:
// the window's, then each step's. A closed review has none.
func (r *Rules) Reminders(sub *aicc.Submission, now time.Time, p Progress) []Reminder {
	c := r.Clock(sub, now, p)
	if c.Stopped {
		return nil
	}
	now = now.UTC()
	name := fmt.Sprintf("submission %s (%s %s)", sub.ID, sub.Model, sub.Version)
	var out []Reminder
	add := func(kind ReminderKind, step Step, to aicc.OrgKind, due time.Time, tag, msg string) {
		what := string(step)
		if step == "" {
			what = "window"
		}
		if tag != "" {
			what += "@" + tag
		}
		out = append(out, Reminder{
			Key:          fmt.Sprintf("%s/%s/%s/%s/%s", sub.ID, kind, what, due.UTC().Format(time.RFC3339), to),
			SubmissionID: sub.ID, Kind: kind, Step: step, To: to, Due: due.UTC(), Message: msg,
		})
	}
	both := []aicc.OrgKind{aicc.OrgClearinghouse, aicc.OrgDeveloper}
	release := c.Closes.Format(time.DateOnly)

	switch c.Window {
	case WindowOpen:
		for _, to := range both {
			add(ReminderWindowOpened, "", to, c.Opens, "",
				fmt.Sprintf("The review window of %s is open until the planned release on %s.", name, release))
		}
		for _, d := range r.cfg.ReleaseReminderDays { // ascending: the smallest threshold reached
			if c.DaysLeft <= d {
				for _, to := range both {
					add(ReminderReleaseNear, "", to, c.Closes, fmt.Sprintf("%dd", d),
						fmt.Sprintf("%s: %s left before the planned release on %s.", name, plural(c.DaysLeft, "day"), release))
				}
				break
			}
		}
	case WindowClosed:
		add(ReminderReleasePassed, "", aicc.OrgDeveloper, c.Closes, "",
			fmt.Sprintf("The planned release of %s on %s has come and its review is still %s: mark the model released, or move the release date.", name, release, sub.State))
	}

	soon := time.Duration(r.cfg.DueSoonHours) * time.Hour
	for _, s := range c.Steps {
		switch {
		case s.Done:
		case s.Overdue:
			add(ReminderOverdue, s.Step, s.Owner, s.Due, "",
				fmt.Sprintf("%s: %s is overdue; it was due %s.", name, stepTitle[s.Step], s.Due.Format(time.RFC3339)))
		case s.Due.Sub(now) <= soon:
			add(ReminderDueSoon, s.Step, s.Owner, s.Due, "",
				fmt.Sprintf("%s: %s is due %s.", name, stepTitle[s.Step], s.Due.Format(time.RFC3339)))
		}
	}
	return out
}

var stepTitle = map[Step]string{
	StepTriage:        "triage",
	StepFirstScan:     "the first scan",
	StepShareFindings: "sharing the findings",
	StepRespond:       "the developer's response to the shared findings",
	StepRetest:        "the retest of the latest remediation",
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
