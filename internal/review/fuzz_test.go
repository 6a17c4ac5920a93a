package review

import (
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// FuzzTransitions feeds the state machines states, events and rationales
// as an API body would carry them: any string. Whatever comes in, the
// answer is a known state or an error, and nothing leaves a closed state.
func FuzzTransitions(f *testing.F) {
	f.Add("submitted", "triage", "new", "confirm", "reproduced 5/5")
	f.Add("released", "withdraw", "fixed", "dispute", "")
	f.Add("approved", "approve", "licensed", "permit", "\x00")
	f.Fuzz(func(t *testing.T, state, event, status, action, rationale string) {
		to, err := Transition(aicc.ReviewState(state), Event(event))
		if err == nil && (!to.Valid() || !aicc.ReviewState(state).Open()) {
			t.Fatalf("Transition(%q, %q) = %q: must leave an open state for a known one", state, event, to)
		}
		if err != nil && to != "" {
			t.Fatalf("Transition(%q, %q) = %q with error %v", state, event, to, err)
		}
		fs, err := ChangeFinding(aicc.FindingStatus(status), FindingAction(action), rationale)
		if err == nil && !validFindingStatus(fs) {
			t.Fatalf("ChangeFinding(%q, %q) = %q: unknown status", status, action, fs)
		}
	})
}
