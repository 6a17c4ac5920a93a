package advisory

import "github.com/aicc-dev/aicc/internal/aicc"

// State is where an advisory is in its disclosure.
type State string

const (
	StateDraft     State = "draft"     // being written; only the clearinghouse and the developer see it
	StateEmbargoed State = "embargoed" // ready, waiting for its embargo to lift; still not shared
	StatePublished State = "published" // shared with its audiences
	StateUpdated   State = "updated"   // published, and revised since
	StateWithdrawn State = "withdrawn" // published, then withdrawn; the notice stays
)

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	switch s {
	case StateDraft, StateEmbargoed, StatePublished, StateUpdated, StateWithdrawn:
		return true
	}
	return false
}

// Public reports whether an advisory in state s has been published (it may
// have been revised or withdrawn since).
func (s State) Public() bool {
	return s == StatePublished || s == StateUpdated || s == StateWithdrawn
}

// Event is something that moves an advisory's state.
type Event string

const (
	EventSchedule Event = "schedule" // publish requested while the embargo holds
	EventPublish  Event = "publish"  // the embargo lifted, or publication was requested after it
	EventRevise   Event = "revise"   // a published advisory changes
	EventWithdraw Event = "withdraw"
	EventUnlock   Event = "unlock" // an embargoed advisory goes back to draft for edits
)

var transitions = map[State]map[Event]State{
	StateDraft:     {EventSchedule: StateEmbargoed, EventPublish: StatePublished},
	StateEmbargoed: {EventPublish: StatePublished, EventUnlock: StateDraft},
	StatePublished: {EventRevise: StateUpdated, EventWithdraw: StateWithdrawn},
	StateUpdated:   {EventRevise: StateUpdated, EventWithdraw: StateWithdrawn},
}

// Next returns the state event leads to from s, or a conflict error naming
// what is possible.
func (s State) Next(e Event) (State, error) {
	if n, ok := transitions[s][e]; ok {
		return n, nil
	}
	return "", aicc.Errorf(aicc.KindConflict, "an advisory that is %s cannot %s", s, e)
}
