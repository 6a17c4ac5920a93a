package webhook_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/webhook"
)

func TestNewMessages(t *testing.T) {
	findings := validSubscription(t) // finding.*, review.completed
	all := validSubscription(t)
	all.Events = []string{"*"}
	inactive := validSubscription(t)
	inactive.Events = []string{"*"}
	inactive.Active = false
	advisories := validSubscription(t)
	advisories.Events = []string{"advisory.*"}
	subs := []*webhook.Subscription{findings, all, inactive, advisories}

	data := map[string]string{"finding_id": "fnd_abcdefghijklmnop"}
	msgs, err := webhook.NewMessages(subs, "finding.confirmed", data, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].SubscriptionID != findings.ID || msgs[1].SubscriptionID != all.ID {
		t.Fatalf("messages for %+v, want one each for %s and %s", msgs, findings.ID, all.ID)
	}
	m := msgs[0]
	if !aicc.HasPrefix(m.ID, webhook.PrefixMessage) || m.ID == msgs[1].ID {
		t.Errorf("message IDs %s, %s", m.ID, msgs[1].ID)
	}
	if m.Event != "finding.confirmed" || !m.NextAttemptAt.Equal(testNow) || !m.Pending() || m.Attempts != 0 {
		t.Errorf("message = %+v", m)
	}
	want := `{"type":"finding.confirmed","timestamp":"2026-03-01T12:00:00Z","data":{"finding_id":"fnd_abcdefghijklmnop"}}`
	if string(m.Payload) != want {
		t.Errorf("payload = %s\nwant      %s", m.Payload, want)
	}
	var env webhook.Envelope
	if err := json.Unmarshal(m.Payload, &env); err != nil || env.Type != "finding.confirmed" {
		t.Errorf("payload does not decode as an Envelope: %v %+v", err, env)
	}
}

func TestNewMessagesRejects(t *testing.T) {
	subs := []*webhook.Subscription{validSubscription(t)}
	tests := []struct {
		name  string
		event string
		data  any
	}{
		{"bad event", "finding confirmed", nil},
		{"unencodable data", "finding.confirmed", func() {}},
		{"too large", "finding.confirmed", strings.Repeat("x", webhook.MaxPayload)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msgs, err := webhook.NewMessages(subs, tt.event, tt.data, testNow); err == nil {
				t.Fatalf("NewMessages = %d messages, want an error", len(msgs))
			}
		})
	}
}
