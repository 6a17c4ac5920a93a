package service

import (
	"context"
	"slices"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/webhook"
)

// advisoryEvent is the data of an advisory.* webhook: summary-level
// content that the receiving organization may see, and where to read the
// rest. Details and payload never travel in a webhook.
type advisoryEvent struct {
	ID        string            `json:"id"`
	Revision  int               `json:"revision"`
	State     advisory.State    `json:"state"`
	Title     string            `json:"title"`
	Developer string            `json:"developer"`
	Class     aicc.Class        `json:"class"`
	Severity  advisory.Severity `json:"severity"`
	TLP       aicc.TLP          `json:"tlp"`
	Summary   string            `json:"summary"`
	URL       string            `json:"url"`
}

// emitAdvisory enqueues event, in tx, for every organization that may see
// a and wants it: the parties (the clearinghouse and the developer)
// always, other organizations when one of their advisory subscriptions
// matches what they may see. Each message carries only what its
// organization may see.
func (s *Service) emitAdvisory(ctx context.Context, tx store.ServiceTx, event string, a *advisory.Advisory) error {
	hooks, err := tx.ListWebhooks(ctx, "")
	if err != nil {
		return err
	}
	subs, err := tx.ListAdvisorySubscriptions(ctx, "")
	if err != nil {
		return err
	}
	byOrg := map[string][]*webhook.Subscription{}
	for _, w := range hooks {
		if w.Active {
			byOrg[w.OrgID] = append(byOrg[w.OrgID], w)
		}
	}
	var msgs []*webhook.Message
	for orgID, ws := range byOrg {
		o, err := tx.GetOrg(ctx, orgID)
		if err != nil {
			return err
		}
		v := advisory.Visible(a, advisory.Viewer{OrgID: o.ID, Kind: o.Kind})
		if v == nil {
			continue
		}
		party := o.Kind == aicc.OrgClearinghouse || o.ID == a.DeveloperOrgID
		if !party && !slices.ContainsFunc(subs, func(sb *advisory.Subscription) bool { return sb.OrgID == o.ID && sb.Filter.Matches(v) }) {
			continue
		}
		ms, err := webhook.NewMessages(ws, event, advisoryEvent{
			ID: v.ID, Revision: v.Revision, State: v.State, Title: v.Title, Developer: v.Developer, Class: v.Class,
			Severity: v.Severity, TLP: v.Summary.TLP, Summary: v.Summary.Text, URL: s.publisher.URL(v.ID),
		}, s.clock())
		if err != nil {
			return err
		}
		msgs = append(msgs, ms...)
	}
	if len(msgs) == 0 {
		return nil
	}
	return tx.EnqueueMessages(ctx, msgs)
}

// SubscriptionInput asks for advisories matching a filter.
type SubscriptionInput struct {
	Filter advisory.Filter `json:"filter"`
}

// CreateAdvisorySubscription subscribes the caller's organization to the
// advisories matching a filter, delivered to its webhooks subscribed to
// advisory.* events (admins, as for webhooks). It never widens what the
// organization may see.
func (s *Service) CreateAdvisorySubscription(ctx context.Context, p aicc.Principal, in SubscriptionInput) (*advisory.Subscription, error) {
	if err := check(p, authz.WebhookCreate, authz.Resource{Kind: authz.KindWebhook, OwnerOrg: p.OrgID}); err != nil {
		return nil, err
	}
	if err := in.Filter.Validate(); err != nil {
		return nil, err
	}
	sb := &advisory.Subscription{ID: aicc.NewID(aicc.PrefixAdvisorySub), OrgID: p.OrgID, Filter: in.Filter, CreatedAt: s.clock()}
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateAdvisorySubscription(ctx, sb); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "advisory_subscription.create", "advisory_subscription", sb.ID, map[string]any{"filter": sb.Filter})
	})
	if err != nil {
		return nil, err
	}
	return sb, nil
}

// ListAdvisorySubscriptions lists the caller's organization's subscriptions.
func (s *Service) ListAdvisorySubscriptions(ctx context.Context, p aicc.Principal) ([]*advisory.Subscription, error) {
	if err := check(p, authz.WebhookList, authz.Resource{Kind: authz.KindWebhook, OwnerOrg: p.OrgID}); err != nil {
		return nil, err
	}
	return s.st.ListAdvisorySubscriptions(ctx, p.OrgID)
}

// DeleteAdvisorySubscription deletes one of the caller's organization's
// subscriptions.
func (s *Service) DeleteAdvisorySubscription(ctx context.Context, p aicc.Principal, id string) error {
	return s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		sb, err := tx.GetAdvisorySubscription(ctx, id)
		if err != nil {
			return err
		}
		if err := check(p, authz.WebhookDelete, authz.Resource{Kind: authz.KindWebhook, OwnerOrg: sb.OrgID}); err != nil {
			return hide(err, "advisory subscription", id)
		}
		if err := tx.DeleteAdvisorySubscription(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "advisory_subscription.delete", "advisory_subscription", id, nil)
	})
}
