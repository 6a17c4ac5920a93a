package review

import (
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestWindow(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	tests := []struct {
		name       string
		submitted  time.Time
		release    time.Time
		wantOpens  time.Time
		wantCloses time.Time
	}{
		{"40 days before: opens 30 days before", release.Add(-days(40)), release, release.Add(-days(30)), release},
		{"exactly 30 days before", release.Add(-days(30)), release, release.Add(-days(30)), release},
		{"29 days before: opens at submission", release.Add(-days(29)), release, release.Add(-days(29)), release},
		{"10 days before, mid-day", release.Add(-days(10) + 15*time.Hour + 4*time.Minute), release,
			release.Add(-days(10) + 15*time.Hour + 4*time.Minute), release},
		{"one second before", release.Add(-time.Second), release, release.Add(-time.Second), release},
		{"on release day: empty", release.Add(10 * time.Hour), release, release, release},
		{"at the release instant: empty", release, release, release, release},
		{"after release: empty", release.Add(days(5)), release, release, release},
		{"other time zone: same instant, in UTC", release.Add(-days(10)).In(ny), release.In(ny), release.Add(-days(10)), release},
		// The 30 days before a release after the March DST change in the
		// US are 720 hours in UTC, whatever zone the input is in.
		{"across a DST change", release.Add(-days(45)).In(ny), release.In(ny), release.Add(-720 * time.Hour), release},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opens, closes := Window(tt.submitted, tt.release)
			if !opens.Equal(tt.wantOpens) || !closes.Equal(tt.wantCloses) {
				t.Fatalf("Window = %v, %v; want %v, %v", opens, closes, tt.wantOpens, tt.wantCloses)
			}
			if opens.Location() != time.UTC || closes.Location() != time.UTC {
				t.Errorf("Window returned %v, %v: want UTC", opens.Location(), closes.Location())
			}
			if opens.After(closes) || closes.Sub(opens) > WindowDays*24*time.Hour {
				t.Errorf("window %v to %v: must not be reversed or longer than %d days", opens, closes, WindowDays)
			}
		})
	}
}

func TestCheckRelease(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	midnight := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		release time.Time
		want    aicc.ErrorKind
		msg     string
	}{
		{"21 days ahead", midnight.AddDate(0, 0, 21), "", ""},
		{"40 days ahead: accepted, window opens later", midnight.AddDate(0, 0, 40), "", ""},
		{"tomorrow", midnight.AddDate(0, 0, 1), "", ""},
		{"365 days ahead", midnight.AddDate(0, 0, 365), "", ""},
		{"midnight UTC given in another zone", midnight.AddDate(0, 0, 3).In(time.FixedZone("X", -5*3600)), "", ""},
		{"today: already passed", midnight, aicc.KindInvalid, "must be in the future"},
		{"yesterday", midnight.AddDate(0, 0, -1), aicc.KindInvalid, "marked released"},
		{"not a date", midnight.AddDate(0, 0, 5).Add(time.Hour), aicc.KindInvalid, "must be a date"},
		{"missing", time.Time{}, aicc.KindInvalid, "required"},
		{"too far ahead", midnight.AddDate(0, 0, 366), aicc.KindInvalid, "check the year"},
	}
	r := rules(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.CheckRelease(now, tt.release)
			wantKind(t, err, tt.want)
			if err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
		})
	}
}

func TestMoveRelease(t *testing.T) {
	type want struct {
		kind      aicc.ErrorKind
		shift     int
		newOpens  time.Time
		newCloses time.Time
		paused    bool
	}
	submitted := release.Add(-days(10)) // inside the window: it opened at submission
	tests := []struct {
		name      string
		state     aicc.ReviewState
		submitted time.Time
		now       time.Time
		newDate   time.Time
		want      want
	}{
		{"a week later", aicc.ReviewScanning, submitted, submitted.Add(days(2)), release.AddDate(0, 0, 7),
			want{shift: 7, newOpens: submitted, newCloses: release.AddDate(0, 0, 7)}},
		{"five days earlier", aicc.ReviewTriaged, submitted, submitted.Add(days(2)), release.AddDate(0, 0, -5),
			want{shift: -5, newOpens: submitted, newCloses: release.AddDate(0, 0, -5)}},
		{"far later: the open window pauses", aicc.ReviewScanning, release.Add(-days(20)), release.Add(-days(19)), release.AddDate(0, 0, 40),
			want{shift: 40, newOpens: release.AddDate(0, 0, 10), newCloses: release.AddDate(0, 0, 40), paused: true}},
		{"submitted early, window not yet open: later still", aicc.ReviewSubmitted, release.Add(-days(50)), release.Add(-days(45)), release.AddDate(0, 0, 10),
			want{shift: 10, newOpens: release.AddDate(0, 0, -20), newCloses: release.AddDate(0, 0, 10)}},
		{"earlier so that the window opens now", aicc.ReviewSubmitted, release.Add(-days(50)), release.Add(-days(45)), release.AddDate(0, 0, -40),
			want{shift: -40, newOpens: release.Add(-days(50)), newCloses: release.AddDate(0, 0, -40)}},
		{"the planned date passed unreleased: move later", aicc.ReviewRemediation, submitted, release.Add(days(2)), release.AddDate(0, 0, 14),
			want{shift: 14, newOpens: submitted, newCloses: release.AddDate(0, 0, 14)}},
		{"into the past", aicc.ReviewScanning, submitted, submitted.Add(days(5)), submitted.Add(-days(1)).Truncate(24 * time.Hour),
			want{kind: aicc.KindInvalid}},
		{"to today, already begun", aicc.ReviewScanning, submitted, release.Add(-days(3) + time.Hour), release.Add(-days(3)),
			want{kind: aicc.KindInvalid}},
		{"unchanged", aicc.ReviewScanning, submitted, submitted, release, want{kind: aicc.KindInvalid}},
		{"not a date", aicc.ReviewScanning, submitted, submitted, release.Add(days(3) + time.Minute), want{kind: aicc.KindInvalid}},
		{"too far", aicc.ReviewScanning, submitted, submitted, release.AddDate(2, 0, 0), want{kind: aicc.KindInvalid}},
		{"review complete", aicc.ReviewComplete, submitted, submitted, release.AddDate(0, 0, 7), want{kind: aicc.KindConflict}},
		{"withdrawn", aicc.ReviewWithdrawn, submitted, submitted, release.AddDate(0, 0, 7), want{kind: aicc.KindConflict}},
		{"released", aicc.ReviewReleased, submitted, submitted, release.AddDate(0, 0, 7), want{kind: aicc.KindConflict}},
	}
	r := rules(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := submission(tt.state, tt.submitted, release)
			m, err := r.MoveRelease(sub, tt.newDate, tt.now)
			if !sub.ReleaseDate.Equal(release) || sub.State != tt.state {
				t.Errorf("MoveRelease changed the submission: %+v", sub)
			}
			wantKind(t, err, tt.want.kind)
			if err != nil {
				return
			}
			oldOpens, oldCloses := Window(tt.submitted, release)
			switch {
			case m.SubmissionID != sub.ID || !m.At.Equal(tt.now):
				t.Errorf("move names %s at %v, want %s at %v", m.SubmissionID, m.At, sub.ID, tt.now)
			case !m.OldRelease.Equal(release) || !m.NewRelease.Equal(tt.newDate):
				t.Errorf("move %v → %v, want %v → %v", m.OldRelease, m.NewRelease, release, tt.newDate)
			case !m.OldOpens.Equal(oldOpens) || !m.OldCloses.Equal(oldCloses):
				t.Errorf("old window %v to %v, want %v to %v", m.OldOpens, m.OldCloses, oldOpens, oldCloses)
			case !m.NewOpens.Equal(tt.want.newOpens) || !m.NewCloses.Equal(tt.want.newCloses):
				t.Errorf("new window %v to %v, want %v to %v", m.NewOpens, m.NewCloses, tt.want.newOpens, tt.want.newCloses)
			case m.ShiftDays != tt.want.shift:
				t.Errorf("ShiftDays = %d, want %d", m.ShiftDays, tt.want.shift)
			case m.Paused != tt.want.paused:
				t.Errorf("Paused = %v, want %v", m.Paused, tt.want.paused)
			}
			s := m.String()
			dir := "later"
			if tt.want.shift < 0 {
				dir = "earlier"
			}
			for _, part := range []string{release.Format(time.DateOnly), tt.newDate.Format(time.DateOnly), dir} {
				if !strings.Contains(s, part) {
					t.Errorf("String() = %q: does not mention %q", s, part)
				}
			}
		})
	}
}

func TestIsDate(t *testing.T) {
	tests := []struct {
		t    time.Time
		want bool
	}{
		{release, true},
		{release.Add(time.Nanosecond), false},
		{release.Add(-time.Hour), false},
		{release.In(time.FixedZone("X", 3600)), true}, // the same instant
		{time.Date(2025, 4, 1, 0, 0, 0, 0, time.FixedZone("X", 3600)), false},
	}
	for _, tt := range tests {
		if got := IsDate(tt.t); got != tt.want {
			t.Errorf("IsDate(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}
