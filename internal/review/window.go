package review

import (
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// WindowDays is the longest a review window lasts: it opens at most this
// many days before the planned release.
const WindowDays = 30

const day = 24 * time.Hour

// Window returns the review window of a submission made at submittedAt for
// a release planned at releaseDate, in UTC. It closes at the planned
// release and opens at the later of the submission and WindowDays before
// the release. A submission made at or after the release has an empty
// window: opens equals closes.
func Window(submittedAt, releaseDate time.Time) (opens, closes time.Time) {
	closes = releaseDate.UTC()
	opens = closes.AddDate(0, 0, -WindowDays)
	if s := submittedAt.UTC(); s.After(opens) {
		opens = s
	}
	if opens.After(closes) {
		opens = closes
	}
	return opens, closes
}

// CheckRelease checks the planned release date of a new submission made at
// submittedAt. The date must be a calendar date (midnight UTC), after the
// submission, and at most MaxLeadDays ahead. A release more than
// WindowDays ahead is accepted: its window opens WindowDays before the
// release.
func (r *Rules) CheckRelease(submittedAt, releaseDate time.Time) error {
	if err := r.checkDate(submittedAt, releaseDate); err != nil {
		return fmt.Errorf("check release date: %w", err)
	}
	return nil
}

func (r *Rules) checkDate(now, date time.Time) error {
	date = date.UTC()
	switch {
	case date.IsZero():
		return aicc.Errorf(aicc.KindInvalid, "release_date: required, a date such as 2025-04-01")
	case !IsDate(date):
		return aicc.Errorf(aicc.KindInvalid, "release_date %s: must be a date (midnight UTC), such as %s", date.Format(time.RFC3339), date.Format(time.DateOnly))
	case !date.After(now):
		return aicc.Errorf(aicc.KindInvalid, "release_date %s: must be in the future (it is now %s); a model already released is marked released instead",
			date.Format(time.DateOnly), now.UTC().Format(time.RFC3339))
	case date.Sub(now) > time.Duration(r.cfg.MaxLeadDays)*day:
		return aicc.Errorf(aicc.KindInvalid, "release_date %s: more than %d days ahead; check the year",
			date.Format(time.DateOnly), r.cfg.MaxLeadDays)
	}
	return nil
}

// IsDate reports whether t is a calendar date: midnight UTC.
func IsDate(t time.Time) bool {
	u := t.UTC()
	return u.Equal(time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC))
}

// ReleaseMove is the audit record of a change of the planned release date,
// with the window before and after.
type ReleaseMove struct {
	SubmissionID string    `json:"submission_id"`
	At           time.Time `json:"at"`
	OldRelease   time.Time `json:"old_release_date"`
	NewRelease   time.Time `json:"new_release_date"`
	OldOpens     time.Time `json:"old_window_opens"`
	OldCloses    time.Time `json:"old_window_closes"`
	NewOpens     time.Time `json:"new_window_opens"`
	NewCloses    time.Time `json:"new_window_closes"`
	// ShiftDays is the move in whole days: positive when the release is
	// later, negative when earlier.
	ShiftDays int `json:"shift_days"`
	// Paused is true when the window was open at the move and now opens
	// later: the clocks stop until it opens again.
	Paused bool `json:"window_paused,omitempty"`
}

// String is one line for a person reading the audit log.
func (m ReleaseMove) String() string {
	dir := "later"
	n := m.ShiftDays
	if n < 0 {
		dir, n = "earlier", -n
	}
	s := fmt.Sprintf("release moved from %s to %s (%d days %s); window now %s to %s",
		m.OldRelease.Format(time.DateOnly), m.NewRelease.Format(time.DateOnly), n, dir,
		m.NewOpens.Format(time.RFC3339), m.NewCloses.Format(time.RFC3339))
	if m.Paused {
		s += "; the window was open and is paused until it opens again"
	}
	return s
}

// MoveRelease checks a change of sub's planned release to newDate, asked at
// now, and returns the record of the move with the new window. It changes
// nothing: the caller stores newDate and logs the record.
//
// The review must be open (the release date of a closed review drives
// nothing). The new date follows the rules of CheckRelease, measured from
// now: it must be in the future, so a release that happened is marked
// released rather than moved into the past. A release date that passed
// without the review being marked released may be moved later. The window
// is recomputed from the submission time, as for a new submission: moving
// the release later than WindowDays ahead pauses an open window.
func (r *Rules) MoveRelease(sub *aicc.Submission, newDate, now time.Time) (ReleaseMove, error) {
	if !sub.State.Open() {
		return ReleaseMove{}, aicc.Errorf(aicc.KindConflict, "move release of submission %s: the review is %s, and the release date of a closed review can no longer change", sub.ID, sub.State)
	}
	if err := r.checkDate(now, newDate); err != nil {
		return ReleaseMove{}, fmt.Errorf("move release of submission %s: %w", sub.ID, err)
	}
	oldDate := sub.ReleaseDate.UTC()
	newDate = newDate.UTC()
	if newDate.Equal(oldDate) {
		return ReleaseMove{}, aicc.Errorf(aicc.KindInvalid, "move release of submission %s: release_date is already %s", sub.ID, oldDate.Format(time.DateOnly))
	}
	m := ReleaseMove{
		SubmissionID: sub.ID,
		At:           now.UTC(),
		OldRelease:   oldDate,
		NewRelease:   newDate,
		ShiftDays:    int(newDate.Sub(oldDate).Round(day) / day),
	}
	m.OldOpens, m.OldCloses = Window(sub.SubmittedAt, oldDate)
	m.NewOpens, m.NewCloses = Window(sub.SubmittedAt, newDate)
	wasOpen := !now.Before(m.OldOpens) && now.Before(m.OldCloses)
	m.Paused = wasOpen && now.Before(m.NewOpens)
	return m, nil
}
