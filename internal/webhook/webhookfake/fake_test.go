package webhookfake_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/webhook"
	"github.com/aicc-dev/aicc/internal/webhook/webhookfake"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func message(due time.Time) *webhook.Message {
	return &webhook.Message{ID: aicc.NewID(webhook.PrefixMessage), SubscriptionID: aicc.NewID(aicc.PrefixWebhook),
		Event: "finding.confirmed", Payload: []byte(`{}`), CreatedAt: now, NextAttemptAt: due}
}

func TestClaimDueOnlyEarliestFirst(t *testing.T) {
	f := webhookfake.New()
	late, early, future := message(now), message(now.Add(-time.Minute)), message(now.Add(time.Second))
	f.Enqueue(late, early, future)
	got, err := f.Claim(t.Context(), "a", now, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != early.ID || got[1].ID != late.ID {
		t.Fatalf("claimed %v, want the two due ones, earliest first", got)
	}
	if again, _ := f.Claim(t.Context(), "b", now, time.Minute, 10); len(again) != 0 {
		t.Errorf("leased messages claimed again: %v", again)
	}
	if lim, _ := f.Claim(t.Context(), "b", now.Add(time.Hour), time.Minute, 1); len(lim) != 1 {
		t.Errorf("limit 1 claimed %d", len(lim))
	}
}

func TestLease(t *testing.T) {
	tests := []struct {
		name    string
		settle  func(f *webhookfake.Fake, owner, id string) error
		pending bool
	}{
		{"delivered", func(f *webhookfake.Fake, owner, id string) error {
			return f.MarkDelivered(t.Context(), owner, id, now)
		}, false},
		{"retry", func(f *webhookfake.Fake, owner, id string) error {
			return f.ScheduleRetry(t.Context(), owner, id, now.Add(time.Hour), "status 500")
		}, true},
		{"dead", func(f *webhookfake.Fake, owner, id string) error {
			return f.MarkDead(t.Context(), owner, id, "status 400")
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := webhookfake.New()
			m := message(now)
			f.Enqueue(m)
			if got, _ := f.Claim(t.Context(), "a", now, time.Minute, 1); len(got) != 1 {
				t.Fatal("a did not claim")
			}
			// a stalls past its lease; b takes the message over.
			later := now.Add(2 * time.Minute)
			if got, _ := f.Claim(t.Context(), "b", later, time.Minute, 1); len(got) != 1 {
				t.Fatal("b did not claim after the lease expired")
			}
			if err := tt.settle(f, "a", m.ID); !errors.Is(err, webhook.ErrLeaseLost) || aicc.KindOf(err) != aicc.KindConflict {
				t.Fatalf("a settled a message b holds: %v", err)
			}
			if err := tt.settle(f, "b", m.ID); err != nil {
				t.Fatalf("b: %v", err)
			}
			if err := tt.settle(f, "b", m.ID); tt.name != "retry" && !errors.Is(err, webhook.ErrLeaseLost) {
				t.Errorf("settled twice: %v", err)
			}
			got, _ := f.Message(m.ID)
			if got.Pending() != tt.pending {
				t.Errorf("message = %+v, pending want %v", got, tt.pending)
			}
		})
	}
}

func TestRecordDelivery(t *testing.T) {
	f := webhookfake.New()
	m := message(now)
	f.Enqueue(m)
	for _, d := range []webhook.Delivery{{MessageID: m.ID, Attempt: 1, StatusCode: 500}, {MessageID: m.ID, Attempt: 2, StatusCode: 200}} {
		if err := f.RecordDelivery(t.Context(), d); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := f.Message(m.ID)
	if got.Attempts != 2 || len(f.Deliveries(m.ID)) != 2 || len(f.Deliveries("")) != 2 {
		t.Errorf("attempts %d, log %+v", got.Attempts, f.Deliveries(m.ID))
	}
	if err := f.RecordDelivery(t.Context(), webhook.Delivery{MessageID: "msg_unknown"}); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("unknown message: %v", err)
	}
}

func TestSubscriptions(t *testing.T) {
	f := webhookfake.New()
	s, err := webhook.NewSubscription(aicc.NewID(aicc.PrefixOrg), "https://example.com/hook", []string{"*"}, now)
	if err != nil {
		t.Fatal(err)
	}
	f.AddSubscription(s)
	if err := f.DeactivateSubscription(t.Context(), s.ID); err != nil {
		t.Fatal(err)
	}
	got, err := f.Subscription(t.Context(), s.ID)
	if err != nil || got.Active || got.Secret.Reveal() != s.Secret.Reveal() {
		t.Errorf("subscription = %+v, %v", got, err)
	}
	if _, err := f.Subscription(t.Context(), "wh_unknown"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("unknown subscription: %v", err)
	}
}
