package review

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// wantFinding is the finding table written out independently of
// FindingRules; comment (no change, from every status) is checked apart.
var wantFinding = map[aicc.FindingStatus]map[FindingAction]aicc.FindingStatus{
	aicc.FindingNew: {
		ActionConfirm: aicc.FindingConfirmed, ActionReject: aicc.FindingRejected, ActionDispute: aicc.FindingDisputed,
	},
	aicc.FindingConfirmed: {
		ActionReject: aicc.FindingRejected, ActionDispute: aicc.FindingDisputed,
		ActionRetestFixed: aicc.FindingFixed, ActionRetestPartlyFixed: aicc.FindingPartial, ActionRetestNotFixed: aicc.FindingNotFixed,
	},
	aicc.FindingRejected: {
		ActionConfirm: aicc.FindingConfirmed,
	},
	aicc.FindingDisputed: {
		ActionConfirm: aicc.FindingConfirmed, ActionReject: aicc.FindingRejected,
		ActionRetestFixed: aicc.FindingFixed, ActionRetestPartlyFixed: aicc.FindingPartial, ActionRetestNotFixed: aicc.FindingNotFixed,
	},
	aicc.FindingFixed: {
		ActionRetestFixed: aicc.FindingFixed, ActionRetestPartlyFixed: aicc.FindingPartial, ActionRetestNotFixed: aicc.FindingNotFixed,
	},
	aicc.FindingPartial: {
		ActionDispute:     aicc.FindingDisputed,
		ActionRetestFixed: aicc.FindingFixed, ActionRetestPartlyFixed: aicc.FindingPartial, ActionRetestNotFixed: aicc.FindingNotFixed,
	},
	aicc.FindingNotFixed: {
		ActionDispute:     aicc.FindingDisputed,
		ActionRetestFixed: aicc.FindingFixed, ActionRetestPartlyFixed: aicc.FindingPartial, ActionRetestNotFixed: aicc.FindingNotFixed,
	},
}

func TestChangeFindingEveryCell(t *testing.T) {
	for _, from := range FindingStatuses {
		for _, a := range FindingActions {
			t.Run(fmt.Sprintf("%s/%s", from, a), func(t *testing.T) {
				want, ok := wantFinding[from][a]
				if a == ActionComment {
					want, ok = from, true
				}
				got, err := ChangeFinding(from, a, "reproduced 5/5")
				if ok {
					if err != nil || got != want {
						t.Fatalf("ChangeFinding = %q, %v; want %q", got, err, want)
					}
					return
				}
				wantKind(t, err, aicc.KindConflict)
				if msg := err.Error(); !strings.Contains(msg, string(from)) || !strings.Contains(msg, "allowed: ") {
					t.Errorf("message %q does not name the status and what it allows", msg)
				}
			})
		}
	}
}

func TestChangeFindingInvalid(t *testing.T) {
	tests := []struct {
		name      string
		from      aicc.FindingStatus
		action    FindingAction
		rationale string
	}{
		{"no rationale", aicc.FindingNew, ActionConfirm, ""},
		{"blank rationale", aicc.FindingNew, ActionReject, " \n\t "},
		{"dispute without a reason", aicc.FindingConfirmed, ActionDispute, ""},
		{"empty comment", aicc.FindingConfirmed, ActionComment, "  "},
		{"overlong rationale", aicc.FindingNew, ActionConfirm, strings.Repeat("é", MaxRationale+1)},
		{"unknown status", "approved", ActionConfirm, "ok"},
		{"unknown action", aicc.FindingNew, "approve", "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ChangeFinding(tt.from, tt.action, tt.rationale)
			wantKind(t, err, aicc.KindInvalid)
		})
	}
	if _, err := ChangeFinding(aicc.FindingNew, ActionConfirm, strings.Repeat("é", MaxRationale)); err != nil {
		t.Errorf("a rationale of exactly %d characters: %v", MaxRationale, err)
	}
}

func TestVerdictRecordsOnFinding(t *testing.T) {
	for _, v := range []Verdict{VerdictFixed, VerdictPartlyFixed, VerdictNotFixed} {
		got, err := ChangeFinding(aicc.FindingConfirmed, v.Action(), "retest")
		if err != nil || got != v.Status() || string(got) != string(v) {
			t.Errorf("verdict %s on a confirmed finding: %q, %v; want status %q", v, got, err, v.Status())
		}
	}
}

// findingTable renders the finding rules as the Markdown matrix in
// docs/review.md.
func findingTable() string {
	var b strings.Builder
	b.WriteString("| status \\ action |")
	for _, a := range FindingActions {
		fmt.Fprintf(&b, " `%s` |", a)
	}
	b.WriteString("\n|---|")
	for range FindingActions {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, s := range FindingStatuses {
		fmt.Fprintf(&b, "| `%s` |", s)
		for _, a := range FindingActions {
			to, err := ChangeFinding(s, a, "why")
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

func TestDocsFindingTable(t *testing.T) {
	doc, err := os.ReadFile("../../docs/review.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := findingTable(); !strings.Contains(string(doc), want) {
		t.Errorf("docs/review.md does not hold the finding rules as they are; put this table in it:\n%s", want)
	}
}
