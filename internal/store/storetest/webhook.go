package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/webhook"
)

func testWebhookOutbox(t *testing.T, st store.Service) {
	ctx := context.Background()
	sub := &webhook.Subscription{ID: "wh_1", OrgID: "org_1", URL: "https://hooks.example/x", Events: []string{"submission.*"}, Active: true, CreatedAt: t0}
	msgs := []*webhook.Message{
		{ID: "msg_1", SubscriptionID: "wh_1", Event: "submission.created", Payload: []byte(`{"a":1}`), CreatedAt: t0, NextAttemptAt: t0},
		{ID: "msg_2", SubscriptionID: "wh_1", Event: "submission.withdrawn", Payload: []byte(`{"a":2}`), CreatedAt: t0, NextAttemptAt: t0.Add(time.Hour)},
	}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateOrg(ctx, newOrg("org_1", "A", aicc.OrgDeveloper, t0)); err != nil {
			return err
		}
		if err := tx.CreateWebhook(ctx, sub, []byte{1, 2, 3}); err != nil {
			return err
		}
		return tx.EnqueueMessages(ctx, msgs)
	})
	got, sealed, err := st.GetWebhook(ctx, "wh_1")
	if err != nil || got.URL != sub.URL || string(sealed) != "\x01\x02\x03" || !got.Secret.IsZero() || len(got.Events) != 1 {
		t.Fatalf("GetWebhook = %+v, %x, %v", got, sealed, err)
	}
	// Only the due message is claimed, and only by one owner at a time.
	c1, err := st.Claim(ctx, "d1", t0.Add(time.Minute), time.Minute, 10)
	if err != nil || len(c1) != 1 || c1[0].ID != "msg_1" || string(c1[0].Payload) != `{"a":1}` {
		t.Fatalf("Claim = %+v, %v", c1, err)
	}
	if c2, _ := st.Claim(ctx, "d2", t0.Add(90*time.Second), time.Minute, 10); len(c2) != 0 {
		t.Fatalf("a leased message was claimed again: %+v", c2)
	}
	if err := st.RecordDelivery(ctx, webhook.Delivery{MessageID: "msg_1", Attempt: 1, At: t0.Add(time.Minute), StatusCode: 500, Duration: time.Second, Error: "500"}); err != nil {
		t.Fatal(err)
	}
	if err := st.ScheduleRetry(ctx, "d2", "msg_1", t0.Add(5*time.Minute), "500"); !errors.Is(err, webhook.ErrLeaseLost) {
		t.Errorf("a retry by a dispatcher without the lease: %v, want ErrLeaseLost", err)
	}
	if err := st.ScheduleRetry(ctx, "d1", "msg_1", t0.Add(5*time.Minute), "500"); err != nil {
		t.Fatal(err)
	}
	c3, _ := st.Claim(ctx, "d2", t0.Add(6*time.Minute), time.Minute, 10)
	if len(c3) != 1 || c3[0].Attempts != 1 || c3[0].LastError != "500" {
		t.Fatalf("after the retry is due: %+v", c3)
	}
	if err := st.MarkDelivered(ctx, "d2", "msg_1", t0.Add(6*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if c4, _ := st.Claim(ctx, "d1", t0.Add(10*time.Minute), time.Minute, 10); len(c4) != 0 {
		t.Errorf("a delivered message was claimed: %+v", c4)
	}
	ds, err := st.ListDeliveries(ctx, "wh_1", 10)
	if err != nil || len(ds) != 1 || ds[0].StatusCode != 500 {
		t.Errorf("ListDeliveries = %+v, %v", ds, err)
	}
	if err := st.DeactivateSubscription(ctx, "wh_1"); err != nil {
		t.Fatal(err)
	}
	if s, _, _ := st.GetWebhook(ctx, "wh_1"); s.Active {
		t.Error("a deactivated subscription is active")
	}
	inTx(t, st, func(ctx context.Context, tx store.ServiceTx) error { return tx.DeleteWebhook(ctx, "wh_1") })
	if _, _, err := st.GetWebhook(ctx, "wh_1"); !errors.Is(err, aicc.ErrNotFound) {
		t.Errorf("a deleted webhook: %v", err)
	}
	if c5, _ := st.Claim(ctx, "d1", t0.Add(2*time.Hour), time.Minute, 10); len(c5) != 0 {
		t.Errorf("a deleted webhook's pending message was claimed: %+v", c5)
	}
}
