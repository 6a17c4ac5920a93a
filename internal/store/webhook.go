package store

import (
	"context"
	"time"

	"github.com/aicc-dev/aicc/internal/webhook"
)

// WebhookReader reads subscriptions and the outbox. A subscription's secret
// is kept sealed (by the service's keyring); the store never sees it in
// clear, so subscriptions come back with Secret zero and the sealed bytes
// apart.
type WebhookReader interface {
	// GetWebhook returns a subscription and its sealed secret.
	GetWebhook(ctx context.Context, id string) (*webhook.Subscription, []byte, error)
	// ListWebhooks lists an organization's subscriptions ("" for all).
	ListWebhooks(ctx context.Context, orgID string) ([]*webhook.Subscription, error)
	// ListDeliveries returns the delivery log of a subscription's messages,
	// newest first, at most limit.
	ListDeliveries(ctx context.Context, subscriptionID string, limit int) ([]webhook.Delivery, error)
}

// WebhookWriter writes them, inside a ServiceTx: messages are enqueued in
// the same transaction as the change they announce.
type WebhookWriter interface {
	CreateWebhook(ctx context.Context, s *webhook.Subscription, sealedSecret []byte) error
	// DeleteWebhook deletes a subscription and its pending messages.
	DeleteWebhook(ctx context.Context, id string) error
	EnqueueMessages(ctx context.Context, msgs []*webhook.Message) error
}

// Outbox is the webhook outbox as a dispatcher needs it, with the
// subscription's secret sealed (see WebhookReader).
type Outbox interface {
	Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*webhook.Message, error)
	RecordDelivery(ctx context.Context, d webhook.Delivery) error
	MarkDelivered(ctx context.Context, owner, messageID string, at time.Time) error
	ScheduleRetry(ctx context.Context, owner, messageID string, next time.Time, lastError string) error
	MarkDead(ctx context.Context, owner, messageID string, lastError string) error
	DeactivateSubscription(ctx context.Context, id string) error
}
