package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/webhook"
)

const webhookColumns = `id, org_id, url, secret_sealed, events, active, created_at`

func readWebhook(r rowScanner) (*webhook.Subscription, []byte, error) {
	var s webhook.Subscription
	var sealed []byte
	var events string
	var active int
	var created int64
	if err := r.Scan(&s.ID, &s.OrgID, &s.URL, &sealed, &events, &active, &created); err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal([]byte(events), &s.Events); err != nil {
		return nil, nil, fmt.Errorf("webhook %s events: %w", s.ID, err)
	}
	s.Active, s.CreatedAt = active != 0, time.Unix(0, created).UTC()
	return &s, sealed, nil
}

func (t *tx) CreateWebhook(ctx context.Context, s *webhook.Subscription, sealed []byte) error {
	if s.ID == "" || s.OrgID == "" || len(sealed) == 0 || s.CreatedAt.IsZero() {
		return aicc.Errorf(aicc.KindInvalid, "create webhook: id, org, sealed secret and created_at are required")
	}
	events, err := json.Marshal(s.Events)
	if err != nil {
		return err
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO webhook_subscriptions (`+webhookColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.OrgID, s.URL, sealed, string(events), boolInt(s.Active), s.CreatedAt.UnixNano())
	if err != nil {
		return fmt.Errorf("create webhook: %w", conflictOrErr(err, "webhook "+s.ID))
	}
	return nil
}

func (t *tx) DeleteWebhook(ctx context.Context, id string) error {
	if _, err := t.q.ExecContext(ctx, `DELETE FROM webhook_messages WHERE subscription_id = ? AND delivered_at IS NULL`, id); err != nil {
		return fmt.Errorf("delete webhook %s: %w", id, err)
	}
	res, err := t.q.ExecContext(ctx, `DELETE FROM webhook_subscriptions WHERE id = ?`, id)
	return affected(res, err, "webhook", id)
}

func (t *tx) EnqueueMessages(ctx context.Context, msgs []*webhook.Message) error {
	for _, m := range msgs {
		_, err := t.q.ExecContext(ctx, `INSERT INTO webhook_messages (id, subscription_id, event, payload, created_at, attempts,
			next_attempt_at, delivered_at, last_error, dead, lease_owner, lease_until) VALUES (?, ?, ?, ?, ?, 0, ?, NULL, '', 0, '', 0)`,
			m.ID, m.SubscriptionID, m.Event, []byte(m.Payload), m.CreatedAt.UnixNano(), m.NextAttemptAt.UnixNano())
		if err != nil {
			return fmt.Errorf("enqueue webhook message: %w", conflictOrErr(err, "message "+m.ID))
		}
	}
	return nil
}

func (r reader) GetWebhook(ctx context.Context, id string) (*webhook.Subscription, []byte, error) {
	s, sealed, err := readWebhook(r.q.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhook_subscriptions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound("webhook", id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("get webhook %s: %w", id, err)
	}
	return s, sealed, nil
}

func (r reader) ListWebhooks(ctx context.Context, orgID string) ([]*webhook.Subscription, error) {
	q, args := `SELECT `+webhookColumns+` FROM webhook_subscriptions`, []any{}
	if orgID != "" {
		q += ` WHERE org_id = ?`
		args = append(args, orgID)
	}
	rows, err := r.q.QueryContext(ctx, q+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	out, err := collect(rows, func(r rowScanner) (*webhook.Subscription, error) {
		s, _, err := readWebhook(r)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	return out, nil
}

func (r reader) ListDeliveries(ctx context.Context, subscriptionID string, limit int) ([]webhook.Delivery, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT d.message_id, d.attempt, d.at, d.status_code, d.duration_ns, d.error, d.response_snippet
		FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
		WHERE m.subscription_id = ? ORDER BY d.at DESC, d.message_id LIMIT ?`, subscriptionID, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	out, err := collect(rows, func(r rowScanner) (webhook.Delivery, error) {
		var d webhook.Delivery
		var at, dur int64
		err := r.Scan(&d.MessageID, &d.Attempt, &at, &d.StatusCode, &dur, &d.Error, &d.ResponseSnippet)
		d.At, d.Duration = time.Unix(0, at).UTC(), time.Duration(dur)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	return out, nil
}

// Outbox implements store.Outbox on the engine's writing connection.
type Outbox struct {
	db *sql.DB
	d  Dialect
}

// NewOutbox returns the outbox over db (SQLite: the write connection).
func NewOutbox(db *sql.DB, d Dialect) Outbox { return Outbox{db: db, d: d} }

func (o Outbox) exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := o.db.ExecContext(ctx, o.d.rebind(query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Claim leases due, pending, unleased messages to owner. The lease test is
// repeated in the outer WHERE so that, on PostgreSQL, a row another claim
// took meanwhile is re-checked and skipped.
func (o Outbox) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*webhook.Message, error) {
	n := now.UnixNano()
	rows, err := o.db.QueryContext(ctx, o.d.rebind(`UPDATE webhook_messages SET lease_owner = ?, lease_until = ?
		WHERE lease_until <= ? AND delivered_at IS NULL AND dead = 0 AND id IN (
			SELECT id FROM webhook_messages WHERE delivered_at IS NULL AND dead = 0 AND next_attempt_at <= ? AND lease_until <= ?
			ORDER BY next_attempt_at, id LIMIT ?)
		RETURNING id, subscription_id, event, payload, created_at, attempts, next_attempt_at, last_error`),
		owner, now.Add(lease).UnixNano(), n, n, n, limit)
	if err != nil {
		return nil, fmt.Errorf("claim webhook messages: %w", err)
	}
	return collect(rows, func(r rowScanner) (*webhook.Message, error) {
		var m webhook.Message
		var payload []byte
		var created, next int64
		err := r.Scan(&m.ID, &m.SubscriptionID, &m.Event, &payload, &created, &m.Attempts, &next, &m.LastError)
		m.Payload, m.CreatedAt, m.NextAttemptAt = payload, time.Unix(0, created).UTC(), time.Unix(0, next).UTC()
		return &m, err
	})
}

func (o Outbox) RecordDelivery(ctx context.Context, d webhook.Delivery) error {
	_, err := o.exec(ctx, `INSERT INTO webhook_deliveries (message_id, attempt, at, status_code, duration_ns, error, response_snippet)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id, attempt) DO NOTHING`,
		d.MessageID, d.Attempt, d.At.UnixNano(), d.StatusCode, int64(d.Duration), d.Error, d.ResponseSnippet)
	if err != nil {
		return fmt.Errorf("record delivery: %w", conflictOrErr(err, "delivery"))
	}
	if _, err := o.exec(ctx, `UPDATE webhook_messages SET attempts = ? WHERE id = ? AND attempts < ?`, d.Attempt, d.MessageID, d.Attempt); err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	return nil
}

// settle changes a message leased to owner and ends the lease.
func (o Outbox) settle(ctx context.Context, owner, id, set string, args ...any) error {
	n, err := o.exec(ctx, `UPDATE webhook_messages SET `+set+`, lease_owner = '', lease_until = 0
		WHERE id = ? AND lease_owner = ? AND delivered_at IS NULL AND dead = 0`, append(args, id, owner)...)
	if err != nil {
		return fmt.Errorf("webhook message %s: %w", id, err)
	}
	if n == 0 {
		return webhook.ErrLeaseLost
	}
	return nil
}

func (o Outbox) MarkDelivered(ctx context.Context, owner, id string, at time.Time) error {
	return o.settle(ctx, owner, id, `delivered_at = ?`, at.UnixNano())
}

func (o Outbox) ScheduleRetry(ctx context.Context, owner, id string, next time.Time, lastError string) error {
	return o.settle(ctx, owner, id, `next_attempt_at = ?, last_error = ?`, next.UnixNano(), lastError)
}

func (o Outbox) MarkDead(ctx context.Context, owner, id string, lastError string) error {
	return o.settle(ctx, owner, id, `dead = 1, last_error = ?`, lastError)
}

func (o Outbox) DeactivateSubscription(ctx context.Context, id string) error {
	if _, err := o.exec(ctx, `UPDATE webhook_subscriptions SET active = 0 WHERE id = ?`, id); err != nil {
		return fmt.Errorf("deactivate webhook %s: %w", id, err)
	}
	return nil
}

var _ store.Outbox = Outbox{}
