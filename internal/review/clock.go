package review

import (
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Step is a step of a review that has a due date.
type Step string

const (
	StepTriage        Step = "triage"             // an analyst triages the submission
	StepFirstScan     Step = "first_scan"         // an analyst starts the first scan
	StepShareFindings Step = "share_findings"     // analysts share the validated findings with the developer
	StepRespond       Step = "developer_response" // the developer comments on, disputes or remediates shared findings
	StepRetest        Step = "retest"             // a posted remediation is retested
)

// Steps lists every step in workflow order.
var Steps = []Step{StepTriage, StepFirstScan, StepShareFindings, StepRespond, StepRetest}

// Owner is who the step waits for: the clearinghouse or the developer.
func (s Step) Owner() aicc.OrgKind {
	if s == StepRespond {
		return aicc.OrgDeveloper
	}
	return aicc.OrgClearinghouse
}

// Progress holds when the steps of a review happened, as the store knows
// them from the review's history. A zero time means not yet.
type Progress struct {
	TriagedAt        time.Time // the triage event
	FirstScanAt      time.Time // the first scan_started event
	FindingsSharedAt time.Time // the first findings_shared event
	RespondedAt      time.Time // the developer's first comment, dispute or remediation after findings were shared
	RemediationAt    time.Time // the latest remediation posted
	RetestedAt       time.Time // the latest retest finished
}

// WindowState is where now stands relative to the review window.
type WindowState string

const (
	WindowPending WindowState = "pending" // the window opens later
	WindowOpen    WindowState = "open"
	WindowClosed  WindowState = "closed" // the planned release has come
)

// StepClock is one step's due date and whether it is done or overdue.
type StepClock struct {
	Step    Step         `json:"step"`
	Owner   aicc.OrgKind `json:"owner"`
	Due     time.Time    `json:"due"`
	Done    bool         `json:"done"`
	DoneAt  time.Time    `json:"done_at,omitzero"` // zero when done is known only from the state
	Overdue bool         `json:"overdue"`
}

// Clock is where a review stands against its window at one instant.
type Clock struct {
	Opens  time.Time   `json:"window_opens"`
	Closes time.Time   `json:"window_closes"`
	Window WindowState `json:"window"`
	// DaysLeft is the whole days until the planned release, rounded up; 0
	// at or after it.
	DaysLeft int `json:"days_left"`
	// Stopped is true when the review is closed: its steps have no due
	// dates any more.
	Stopped bool        `json:"stopped,omitempty"`
	Steps   []StepClock `json:"steps,omitempty"` // the steps that apply, in workflow order
	Overdue []Step      `json:"overdue,omitempty"`
}

// Clock computes where sub stands at now, given its progress.
//
// The schedule, from the window's opening: triage is due TriageDays after
// it opens; the first scan ScanDays after that; shared findings
// FindingsLeadDays before the release, and never before the first scan is
// due. Each of these is due at the release at the latest, so a short window
// compresses the schedule. Once findings are shared, the developer's
// response is due ResponseDays later; once a remediation is posted, its
// retest is due RetestDays later. A step is overdue when it is not done and
// its due time has passed. A closed review's clocks are stopped.
func (r *Rules) Clock(sub *aicc.Submission, now time.Time, p Progress) Clock {
	now = now.UTC()
	c := Clock{}
	c.Opens, c.Closes = Window(sub.SubmittedAt, sub.ReleaseDate)
	switch {
	case now.Before(c.Opens):
		c.Window = WindowPending
	case now.Before(c.Closes):
		c.Window = WindowOpen
	default:
		c.Window = WindowClosed
	}
	if left := c.Closes.Sub(now); left > 0 {
		c.DaysLeft = int((left + day - 1) / day)
	}
	if !sub.State.Open() {
		c.Stopped = true
		return c
	}

	days := func(n int) time.Duration { return time.Duration(n) * day }
	capAt := func(t time.Time) time.Time {
		if t.After(c.Closes) {
			return c.Closes
		}
		return t
	}
	triageDue := capAt(c.Opens.Add(days(r.cfg.TriageDays)))
	scanDue := capAt(c.Opens.Add(days(r.cfg.TriageDays + r.cfg.ScanDays)))
	shareDue := c.Closes.Add(-days(r.cfg.FindingsLeadDays))
	if shareDue.Before(scanDue) {
		shareDue = scanDue
	}

	st := sub.State
	add := func(s Step, due, doneAt time.Time, doneByState bool) {
		sc := StepClock{Step: s, Owner: s.Owner(), Due: due, DoneAt: doneAt.UTC(), Done: !doneAt.IsZero() || doneByState}
		sc.Overdue = !sc.Done && now.After(due)
		c.Steps = append(c.Steps, sc)
		if sc.Overdue {
			c.Overdue = append(c.Overdue, s)
		}
	}
	add(StepTriage, triageDue, p.TriagedAt, st != aicc.ReviewSubmitted)
	add(StepFirstScan, scanDue, p.FirstScanAt, st != aicc.ReviewSubmitted && st != aicc.ReviewTriaged)
	add(StepShareFindings, shareDue, p.FindingsSharedAt,
		st == aicc.ReviewFindingsShared || st == aicc.ReviewRemediation || st == aicc.ReviewRetest)
	if !p.FindingsSharedAt.IsZero() {
		responded := p.RespondedAt
		if responded.IsZero() || responded.Before(p.FindingsSharedAt) {
			responded = time.Time{}
			if !p.RemediationAt.Before(p.FindingsSharedAt) {
				responded = p.RemediationAt // a remediation is a response
			}
		}
		add(StepRespond, p.FindingsSharedAt.UTC().Add(days(r.cfg.ResponseDays)), responded, false)
	}
	if !p.RemediationAt.IsZero() {
		retested := p.RetestedAt
		if retested.Before(p.RemediationAt) {
			retested = time.Time{} // the latest retest is of an earlier remediation
		}
		add(StepRetest, p.RemediationAt.UTC().Add(days(r.cfg.RetestDays)), retested, false)
	}
	return c
}
