package service

import (
	"context"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/webhook"
)

// webhookAAD binds a sealed webhook secret to its subscription.
func webhookAAD(id string) []byte { return keyring.AAD("webhook", id, "secret") }

// WebhookInput asks for a subscription.
type WebhookInput struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// NewWebhook is a subscription as created: the only time its secret is
// shown.
type NewWebhook struct {
	*webhook.Subscription
	Secret string `json:"secret"`
}

// CreateWebhook subscribes the caller's organization to events, delivered
// as signed webhooks. The secret is sealed at rest and shown once.
func (s *Service) CreateWebhook(ctx context.Context, p aicc.Principal, in WebhookInput) (*NewWebhook, error) {
	if err := check(p, authz.WebhookCreate, authz.Resource{Kind: authz.KindWebhook, OwnerOrg: p.OrgID}); err != nil {
		return nil, err
	}
	sub, err := webhook.NewSubscription(p.OrgID, strings.TrimSpace(in.URL), in.Events, s.clock())
	if err != nil {
		return nil, err
	}
	sealed, err := s.keys.SealSecret(sub.Secret, webhookAAD(sub.ID))
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateWebhook(ctx, sub, sealed); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "webhook.create", "webhook", sub.ID, map[string]any{"url": sub.URL, "events": sub.Events})
	})
	if err != nil {
		return nil, err
	}
	secret := sub.Secret.Reveal()
	sub.Secret = aicc.Secret{}
	return &NewWebhook{Subscription: sub, Secret: secret}, nil
}

// ListWebhooks lists the caller's organization's subscriptions (all of
// them for the clearinghouse's admins), without secrets.
func (s *Service) ListWebhooks(ctx context.Context, p aicc.Principal) ([]*webhook.Subscription, error) {
	if err := check(p, authz.WebhookList, authz.Resource{Kind: authz.KindWebhook, OwnerOrg: p.OrgID}); err != nil {
		return nil, err
	}
	return s.st.ListWebhooks(ctx, p.OrgID)
}

// loadWebhook returns a subscription the principal may manage.
func (s *Service) loadWebhook(ctx context.Context, r store.ServiceReader, p aicc.Principal, a authz.Action, id string) (*webhook.Subscription, error) {
	sub, _, err := r.GetWebhook(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := check(p, a, authz.Resource{Kind: authz.KindWebhook, OwnerOrg: sub.OrgID}); err != nil {
		return nil, hide(err, "webhook", id)
	}
	return sub, nil
}

// DeleteWebhook deletes a subscription and its undelivered messages.
func (s *Service) DeleteWebhook(ctx context.Context, p aicc.Principal, id string) error {
	return s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		if _, err := s.loadWebhook(ctx, tx, p, authz.WebhookDelete, id); err != nil {
			return err
		}
		if err := tx.DeleteWebhook(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "webhook.delete", "webhook", id, nil)
	})
}

// ListDeliveries returns the latest delivery attempts of a subscription.
func (s *Service) ListDeliveries(ctx context.Context, p aicc.Principal, id string) ([]webhook.Delivery, error) {
	if _, err := s.loadWebhook(ctx, s.st, p, authz.WebhookList, id); err != nil {
		return nil, err
	}
	return s.st.ListDeliveries(ctx, id, 100)
}

// emit enqueues event, in tx, for the active subscriptions of the
// organizations that may read what it is about: the developer organization
// that owns the review, and the clearinghouse. data must hold IDs and
// states, never evidence or secrets.
func (s *Service) emit(ctx context.Context, tx store.ServiceTx, event string, sub *aicc.Submission, data any) error {
	subs, err := tx.ListWebhooks(ctx, "")
	if err != nil {
		return err
	}
	var to []*webhook.Subscription
	for _, w := range subs {
		if !w.Active {
			continue
		}
		if w.OrgID == sub.OrgID {
			to = append(to, w)
			continue
		}
		o, err := tx.GetOrg(ctx, w.OrgID)
		if err == nil && o.Kind == aicc.OrgClearinghouse {
			to = append(to, w)
		}
	}
	if len(to) == 0 {
		return nil
	}
	msgs, err := webhook.NewMessages(to, event, data, s.clock())
	if err != nil {
		return err
	}
	return tx.EnqueueMessages(ctx, msgs)
}

// Outbox is the webhook outbox for a dispatcher: the store's, with each
// subscription's secret opened from its sealed form when it is needed.
func (s *Service) Outbox() webhook.Outbox { return outbox{s} }

type outbox struct{ s *Service }

func (o outbox) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*webhook.Message, error) {
	return o.s.st.Claim(ctx, owner, now, lease, limit)
}

func (o outbox) Subscription(ctx context.Context, id string) (*webhook.Subscription, error) {
	sub, sealed, err := o.s.st.GetWebhook(ctx, id)
	if err != nil {
		return nil, err
	}
	if sub.Secret, err = o.s.keys.OpenSecret(sealed, webhookAAD(id)); err != nil {
		return nil, err
	}
	return sub, nil
}

func (o outbox) RecordDelivery(ctx context.Context, d webhook.Delivery) error {
	return o.s.st.RecordDelivery(ctx, d)
}

func (o outbox) MarkDelivered(ctx context.Context, owner, id string, at time.Time) error {
	return o.s.st.MarkDelivered(ctx, owner, id, at)
}

func (o outbox) ScheduleRetry(ctx context.Context, owner, id string, next time.Time, lastError string) error {
	return o.s.st.ScheduleRetry(ctx, owner, id, next, lastError)
}

func (o outbox) MarkDead(ctx context.Context, owner, id string, lastError string) error {
	return o.s.st.MarkDead(ctx, owner, id, lastError)
}

func (o outbox) DeactivateSubscription(ctx context.Context, id string) error {
	return o.s.st.DeactivateSubscription(ctx, id)
}
