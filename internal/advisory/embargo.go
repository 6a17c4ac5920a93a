package advisory

import (
	"fmt"
	"time"
)

// DefaultFallbackDays is how long a developer may stay silent before an
// embargo lifts anyway, as in CERT/CC's disclosure practice.
const DefaultFallbackDays = 45

// EmbargoBasis says what an embargo's date rests on.
type EmbargoBasis string

const (
	// BasisRelease anchors the embargo to the model's planned public
	// release: it lifts at release and moves when the release moves.
	BasisRelease EmbargoBasis = "release"
	// BasisAgreed is a date the parties agreed on instead.
	BasisAgreed EmbargoBasis = "agreed"
	// BasisNone is no embargo: the model is released already, or the
	// parties agreed to publish at once.
	BasisNone EmbargoBasis = "none"
)

// Embargo holds an advisory back until it lifts: at Until, or FallbackDays
// after the developer's last response, whichever comes first.
type Embargo struct {
	Basis EmbargoBasis `json:"basis"`
	Until time.Time    `json:"until,omitzero"`
	// FallbackDays is how long the developer may stay silent (0: the
	// default, 45; negative: no fallback).
	FallbackDays int `json:"fallback_days"`
	// LastContact is the developer's last response on the advisory (or
	// when they were first told of it).
	LastContact time.Time `json:"last_contact"`
}

// Lift says when and why an embargo lifts.
type Lift struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"` // release, agreed, fallback, none
}

// Lifts returns when the embargo lifts and why.
func (e Embargo) Lifts() Lift {
	l := Lift{Reason: string(e.Basis), At: e.Until}
	if e.Basis == BasisNone {
		return Lift{Reason: "none"}
	}
	days := e.FallbackDays
	if days == 0 {
		days = DefaultFallbackDays
	}
	if days > 0 && !e.LastContact.IsZero() {
		if fb := e.LastContact.AddDate(0, 0, days); l.At.IsZero() || fb.Before(l.At) {
			l = Lift{At: fb, Reason: "fallback"}
		}
	}
	return l
}

// Holds reports whether the embargo still holds at now.
func (e Embargo) Holds(now time.Time) bool {
	l := e.Lifts()
	return l.Reason != "none" && (l.At.IsZero() || now.Before(l.At))
}

func (e Embargo) validate() error {
	switch e.Basis {
	case BasisRelease, BasisAgreed:
		if e.Until.IsZero() {
			return fmt.Errorf("an embargo on %s needs its date", e.Basis)
		}
	case BasisNone:
	default:
		return fmt.Errorf("basis %q: want release, agreed or none", e.Basis)
	}
	if e.FallbackDays > 365 {
		return fmt.Errorf("fallback_days: at most 365")
	}
	return nil
}
