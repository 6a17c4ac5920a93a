package review

import (
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Event is something that happens to a review and may move its state.
type Event string

const (
	EventTriage            Event = "triage"             // an analyst triaged the submission
	EventScanStarted       Event = "scan_started"       // an analyst started a scan
	EventScanFinished      Event = "scan_finished"      // the last running scan finished: its hits are validated
	EventFindingsShared    Event = "findings_shared"    // analysts shared the validated findings (perhaps none) with the developer
	EventRemediationPosted Event = "remediation_posted" // the developer posted a remediation with a new model version
	EventRetestStarted     Event = "retest_started"     // a retest of a remediated finding started
	EventRetestFinished    Event = "retest_finished"    // a retest finished with a verdict
	EventComplete          Event = "complete"           // analysts closed the review: it is complete
	EventWithdraw          Event = "withdraw"           // the developer withdrew the submission
	EventMarkReleased      Event = "mark_released"      // the model was released
)

// Events lists every event in workflow order.
var Events = []Event{
	EventTriage, EventScanStarted, EventScanFinished, EventFindingsShared, EventRemediationPosted,
	EventRetestStarted, EventRetestFinished, EventComplete, EventWithdraw, EventMarkReleased,
}

// Valid reports whether e is a known event.
func (e Event) Valid() bool {
	for _, v := range Events {
		if e == v {
			return true
		}
	}
	return false
}

// TransitionRule is one allowed transition: in state From, Event moves the
// review to To. A rule whose To equals From records the event without
// moving.
type TransitionRule struct {
	From  aicc.ReviewState `json:"from"`
	Event Event            `json:"event"`
	To    aicc.ReviewState `json:"to"`
}

// TransitionRules is the whole state machine: every pair of state and event
// not listed is refused. Withdraw and mark_released are allowed in every
// open state; the closed states (review_complete, withdrawn, released)
// accept no event. Treat it as read-only.
var TransitionRules = buildRules()

func buildRules() []TransitionRule {
	const (
		submitted = aicc.ReviewSubmitted
		triaged   = aicc.ReviewTriaged
		scanning  = aicc.ReviewScanning
		validat   = aicc.ReviewValidating
		shared    = aicc.ReviewFindingsShared
		remed     = aicc.ReviewRemediation
		retest    = aicc.ReviewRetest
		complete  = aicc.ReviewComplete
	)
	rules := []TransitionRule{
		{submitted, EventTriage, triaged},

		{triaged, EventScanStarted, scanning},

		{scanning, EventScanStarted, scanning}, // another scan alongside
		{scanning, EventScanFinished, validat},

		{validat, EventScanStarted, scanning}, // a further scan before sharing
		{validat, EventFindingsShared, shared},

		{shared, EventScanStarted, scanning}, // a further scan after sharing
		{shared, EventRemediationPosted, remed},
		{shared, EventComplete, complete},

		{remed, EventRemediationPosted, remed},
		{remed, EventRetestStarted, retest},
		{remed, EventComplete, complete},

		{retest, EventRetestStarted, retest},
		{retest, EventRetestFinished, retest},
		{retest, EventRemediationPosted, remed}, // a further remediation after a verdict
		{retest, EventComplete, complete},
	}
	var out []TransitionRule
	for _, s := range aicc.ReviewStates {
		if !s.Open() {
			continue
		}
		for _, r := range rules {
			if r.From == s {
				out = append(out, r)
			}
		}
		out = append(out,
			TransitionRule{s, EventWithdraw, aicc.ReviewWithdrawn},
			TransitionRule{s, EventMarkReleased, aicc.ReviewReleased})
	}
	return out
}

// AllowedEvents lists the events state from accepts, in the order of
// Events; none for a closed or unknown state.
func AllowedEvents(from aicc.ReviewState) []Event {
	var out []Event
	for _, e := range Events {
		for _, r := range TransitionRules {
			if r.From == from && r.Event == e {
				out = append(out, e)
			}
		}
	}
	return out
}

// Transition returns the state event moves a review in state from to. An
// unknown state or event is KindInvalid; an event the state does not
// accept is KindConflict, with a message naming the state and the events
// it accepts.
func Transition(from aicc.ReviewState, event Event) (aicc.ReviewState, error) {
	if !from.Valid() {
		return "", aicc.Errorf(aicc.KindInvalid, "review state %q: unknown", from)
	}
	if !event.Valid() {
		return "", aicc.Errorf(aicc.KindInvalid, "review event %q: unknown; events are %s", event, join(Events))
	}
	for _, r := range TransitionRules {
		if r.From == from && r.Event == event {
			return r.To, nil
		}
	}
	if !from.Open() {
		return "", aicc.Errorf(aicc.KindConflict, "review is %s: a closed review accepts no event (%s refused)", from, event)
	}
	return "", aicc.Errorf(aicc.KindConflict, "review is %s: %s is not allowed now; allowed: %s", from, event, join(AllowedEvents(from)))
}

func join(events []Event) string {
	s := make([]string, len(events))
	for i, e := range events {
		s[i] = string(e)
	}
	return strings.Join(s, ", ")
}
