package advisory_test

import (
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
)

func TestEmbargoLifts(t *testing.T) {
	release := time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
	contact := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		e      advisory.Embargo
		at     time.Time
		reason string
	}{
		{"release first", advisory.Embargo{Basis: advisory.BasisRelease, Until: release, LastContact: contact.AddDate(0, 0, 30)}, release, "release"},
		{"silent developer", advisory.Embargo{Basis: advisory.BasisRelease, Until: release, LastContact: contact}, contact.AddDate(0, 0, 45), "fallback"},
		{"custom fallback", advisory.Embargo{Basis: advisory.BasisAgreed, Until: release, LastContact: contact, FallbackDays: 90}, release, "agreed"},
		{"no fallback", advisory.Embargo{Basis: advisory.BasisRelease, Until: release, LastContact: contact, FallbackDays: -1}, release, "release"},
		{"none", advisory.Embargo{Basis: advisory.BasisNone}, time.Time{}, "none"},
	} {
		l := c.e.Lifts()
		if !l.At.Equal(c.at) || l.Reason != c.reason {
			t.Errorf("%s: lifts %v (%s), want %v (%s)", c.name, l.At, l.Reason, c.at, c.reason)
		}
		if c.reason != "none" && (!c.e.Holds(c.at.Add(-time.Second)) || c.e.Holds(c.at)) {
			t.Errorf("%s: Holds is wrong around %v", c.name, c.at)
		}
	}
	if (advisory.Embargo{Basis: advisory.BasisNone}).Holds(contact) {
		t.Error("no embargo holds")
	}
}

func TestStateMachine(t *testing.T) {
	s := advisory.StateDraft
	for _, e := range []advisory.Event{advisory.EventSchedule, advisory.EventPublish, advisory.EventRevise, advisory.EventRevise, advisory.EventWithdraw} {
		n, err := s.Next(e)
		if err != nil {
			t.Fatalf("%s + %s: %v", s, e, err)
		}
		s = n
	}
	if s != advisory.StateWithdrawn {
		t.Fatalf("ended %s", s)
	}
	for _, c := range []struct {
		s advisory.State
		e advisory.Event
	}{{advisory.StateDraft, advisory.EventRevise}, {advisory.StateWithdrawn, advisory.EventPublish}, {advisory.StateDraft, advisory.EventWithdraw}, {advisory.StatePublished, advisory.EventSchedule}} {
		if _, err := c.s.Next(c.e); err == nil {
			t.Errorf("%s + %s was allowed", c.s, c.e)
		}
	}
}
