package review

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// wantTransitions is the state machine written out independently of
// TransitionRules: state → event → new state. Every pair not listed is
// refused.
var wantTransitions = map[aicc.ReviewState]map[Event]aicc.ReviewState{
	aicc.ReviewSubmitted: {
		EventTriage: aicc.ReviewTriaged,
	},
	aicc.ReviewTriaged: {
		EventScanStarted: aicc.ReviewScanning,
	},
	aicc.ReviewScanning: {
		EventScanStarted:  aicc.ReviewScanning,
		EventScanFinished: aicc.ReviewValidating,
	},
	aicc.ReviewValidating: {
		EventScanStarted:    aicc.ReviewScanning,
		EventFindingsShared: aicc.ReviewFindingsShared,
	},
	aicc.ReviewFindingsShared: {
		EventScanStarted:       aicc.ReviewScanning,
		EventRemediationPosted: aicc.ReviewRemediation,
		EventComplete:          aicc.ReviewComplete,
	},
	aicc.ReviewRemediation: {
		EventRemediationPosted: aicc.ReviewRemediation,
		EventRetestStarted:     aicc.ReviewRetest,
		EventComplete:          aicc.ReviewComplete,
	},
	aicc.ReviewRetest: {
		EventRetestStarted:     aicc.ReviewRetest,
		EventRetestFinished:    aicc.ReviewRetest,
		EventRemediationPosted: aicc.ReviewRemediation,
		EventComplete:          aicc.ReviewComplete,
	},
}

func TestTransitionEveryCell(t *testing.T) {
	for _, from := range aicc.ReviewStates {
		for _, e := range Events {
			t.Run(fmt.Sprintf("%s/%s", from, e), func(t *testing.T) {
				want, ok := wantTransitions[from][e]
				if from.Open() && (e == EventWithdraw || e == EventMarkReleased) {
					want, ok = aicc.ReviewWithdrawn, true
					if e == EventMarkReleased {
						want = aicc.ReviewReleased
					}
				}
				got, err := Transition(from, e)
				if ok {
					if err != nil || got != want {
						t.Fatalf("Transition = %q, %v; want %q", got, err, want)
					}
					return
				}
				wantKind(t, err, aicc.KindConflict)
				if got != "" {
					t.Errorf("refused transition returned state %q", got)
				}
				msg := err.Error()
				if !strings.Contains(msg, string(from)) || !strings.Contains(msg, string(e)) {
					t.Errorf("message %q does not name state %s and event %s", msg, from, e)
				}
				if from.Open() && !strings.Contains(msg, "allowed: "+join(AllowedEvents(from))) {
					t.Errorf("message %q does not list the allowed events", msg)
				}
			})
		}
	}
}

func TestTransitionUnknown(t *testing.T) {
	_, err := Transition("approved", EventTriage)
	wantKind(t, err, aicc.KindInvalid)
	_, err = Transition(aicc.ReviewSubmitted, "approve")
	wantKind(t, err, aicc.KindInvalid)
	_, err = Transition("", "")
	wantKind(t, err, aicc.KindInvalid)
}

func TestTransitionRulesShape(t *testing.T) {
	seen := map[[2]string]bool{}
	for _, r := range TransitionRules {
		k := [2]string{string(r.From), string(r.Event)}
		if seen[k] {
			t.Errorf("rule for %s/%s listed twice", r.From, r.Event)
		}
		seen[k] = true
		if !r.From.Open() || !r.To.Valid() || !r.Event.Valid() {
			t.Errorf("rule %+v: must leave an open state for a known state on a known event", r)
		}
	}
	// Every state is reachable from submitted, and from every open state a
	// closed one is.
	reach := map[aicc.ReviewState]bool{aicc.ReviewSubmitted: true}
	for changed := true; changed; {
		changed = false
		for _, r := range TransitionRules {
			if reach[r.From] && !reach[r.To] {
				reach[r.To], changed = true, true
			}
		}
	}
	for _, s := range aicc.ReviewStates {
		if !reach[s] {
			t.Errorf("state %s is unreachable from submitted", s)
		}
		if s.Open() && len(AllowedEvents(s)) < 3 {
			t.Errorf("open state %s allows only %v", s, AllowedEvents(s))
		}
		if !s.Open() && len(AllowedEvents(s)) != 0 {
			t.Errorf("closed state %s allows %v", s, AllowedEvents(s))
		}
	}
}

// TestNoGatekeeping: the review is advisory. No state, event, action,
// status, step or verdict is named for approving, denying, licensing,
// permitting or blocking a release.
func TestNoGatekeeping(t *testing.T) {
	var names []string
	for _, s := range aicc.ReviewStates {
		names = append(names, string(s))
	}
	for _, e := range Events {
		names = append(names, string(e))
	}
	for _, a := range FindingActions {
		names = append(names, string(a))
	}
	for _, s := range FindingStatuses {
		names = append(names, string(s))
	}
	for _, s := range Steps {
		names = append(names, string(s))
	}
	for _, v := range []Verdict{VerdictFixed, VerdictPartlyFixed, VerdictNotFixed} {
		names = append(names, string(v))
	}
	for _, k := range []ReminderKind{ReminderWindowOpened, ReminderReleaseNear, ReminderDueSoon, ReminderOverdue, ReminderReleasePassed} {
		names = append(names, string(k))
	}
	forbidden := []string{"approv", "deny", "denied", "licen", "permit", "block", "grant", "clear_for", "go_no_go", "gate"}
	for _, n := range names {
		l := strings.ToLower(n)
		for _, f := range forbidden {
			if strings.Contains(l, f) {
				t.Errorf("name %q contains %q: the review grants and blocks nothing", n, f)
			}
		}
		if strings.Contains(l, "reject") && strings.Contains(l, "release") {
			t.Errorf("name %q rejects a release", n)
		}
	}
	// A release can be recorded from every open state: nothing holds it.
	for _, s := range aicc.ReviewStates {
		if got, err := Transition(s, EventMarkReleased); s.Open() && (err != nil || got != aicc.ReviewReleased) {
			t.Errorf("mark_released from %s: %q, %v", s, got, err)
		}
	}
}

// stateTable renders the state machine as the Markdown matrix in
// docs/review.md.
func stateTable() string {
	var b strings.Builder
	b.WriteString("| state \\ event |")
	for _, e := range Events {
		fmt.Fprintf(&b, " `%s` |", e)
	}
	b.WriteString("\n|---|")
	for range Events {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, s := range aicc.ReviewStates {
		fmt.Fprintf(&b, "| `%s` |", s)
		for _, e := range Events {
			to, err := Transition(s, e)
			if err != nil {
				b.WriteString(" |")
			} else {
				fmt.Fprintf(&b, " %s |", to)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestDocsStateTable(t *testing.T) {
	doc, err := os.ReadFile("../../docs/review.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := stateTable(); !strings.Contains(string(doc), want) {
		t.Errorf("docs/review.md does not hold the state machine as it is; put this table in it:\n%s", want)
	}
}
