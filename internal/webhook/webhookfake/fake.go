// Package webhookfake holds Fake, an in-memory webhook.Outbox for tests of
// the dispatcher and of code that enqueues messages. It keeps the lease
// rules the store engines must keep.
package webhookfake

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/webhook"
)

var _ webhook.Outbox = (*Fake)(nil)

// Fake is an in-memory outbox, safe for concurrent use. It returns and
// stores copies, so callers cannot change its state behind its back.
type Fake struct {
	mu         sync.Mutex
	subs       map[string]webhook.Subscription
	msgs       map[string]*entry
	deliveries []webhook.Delivery
}

type entry struct {
	msg        webhook.Message
	owner      string
	leaseUntil time.Time
}

// New returns an empty outbox.
func New() *Fake {
	return &Fake{subs: map[string]webhook.Subscription{}, msgs: map[string]*entry{}}
}

// AddSubscription stores s, replacing any with its ID.
func (f *Fake) AddSubscription(s *webhook.Subscription) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := *s
	c.Events = slices.Clone(s.Events)
	f.subs[s.ID] = c
}

// Enqueue stores messages, as a producer's transaction would.
func (f *Fake) Enqueue(msgs ...*webhook.Message) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range msgs {
		f.msgs[m.ID] = &entry{msg: clone(m)}
	}
}

// Message returns a copy of a stored message.
func (f *Fake) Message(id string) (*webhook.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.msgs[id]
	if !ok {
		return nil, aicc.Errorf(aicc.KindNotFound, "webhook message %s: not found", id)
	}
	m := clone(&e.msg)
	return &m, nil
}

// Deliveries returns the delivery log of one message ("" for all), in the
// order recorded.
func (f *Fake) Deliveries(messageID string) []webhook.Delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []webhook.Delivery
	for _, d := range f.deliveries {
		if messageID == "" || d.MessageID == messageID {
			out = append(out, d)
		}
	}
	return out
}

// Claim implements webhook.Outbox.
func (f *Fake) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*webhook.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var due []*entry
	for _, e := range f.msgs {
		if e.msg.Pending() && !e.msg.NextAttemptAt.After(now) && !e.leaseUntil.After(now) {
			due = append(due, e)
		}
	}
	slices.SortFunc(due, func(a, b *entry) int {
		return cmp.Or(a.msg.NextAttemptAt.Compare(b.msg.NextAttemptAt), cmp.Compare(a.msg.ID, b.msg.ID))
	})
	var out []*webhook.Message
	for _, e := range due[:min(limit, len(due))] {
		e.owner, e.leaseUntil = owner, now.Add(lease)
		m := clone(&e.msg)
		out = append(out, &m)
	}
	return out, nil
}

// Subscription implements webhook.Outbox.
func (f *Fake) Subscription(ctx context.Context, id string) (*webhook.Subscription, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.subs[id]
	if !ok {
		return nil, aicc.Errorf(aicc.KindNotFound, "webhook subscription %s: not found", id)
	}
	s.Events = slices.Clone(s.Events)
	return &s, nil
}

// RecordDelivery implements webhook.Outbox.
func (f *Fake) RecordDelivery(ctx context.Context, d webhook.Delivery) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.msgs[d.MessageID]
	if !ok {
		return aicc.Errorf(aicc.KindNotFound, "webhook message %s: not found", d.MessageID)
	}
	f.deliveries = append(f.deliveries, d)
	e.msg.Attempts = max(e.msg.Attempts, d.Attempt)
	return nil
}

// MarkDelivered implements webhook.Outbox.
func (f *Fake) MarkDelivered(ctx context.Context, owner, id string, at time.Time) error {
	return f.settle(owner, id, func(m *webhook.Message) { m.DeliveredAt = at })
}

// ScheduleRetry implements webhook.Outbox.
func (f *Fake) ScheduleRetry(ctx context.Context, owner, id string, next time.Time, lastError string) error {
	return f.settle(owner, id, func(m *webhook.Message) { m.NextAttemptAt, m.LastError = next, lastError })
}

// MarkDead implements webhook.Outbox.
func (f *Fake) MarkDead(ctx context.Context, owner, id, lastError string) error {
	return f.settle(owner, id, func(m *webhook.Message) { m.Dead, m.LastError = true, lastError })
}

// DeactivateSubscription implements webhook.Outbox.
func (f *Fake) DeactivateSubscription(ctx context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.subs[id]
	if !ok {
		return aicc.Errorf(aicc.KindNotFound, "webhook subscription %s: not found", id)
	}
	s.Active = false
	f.subs[id] = s
	return nil
}

// settle applies change to a message leased to owner and ends the lease.
func (f *Fake) settle(owner, id string, change func(*webhook.Message)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.msgs[id]
	if !ok {
		return aicc.Errorf(aicc.KindNotFound, "webhook message %s: not found", id)
	}
	if e.owner != owner || !e.msg.Pending() {
		return webhook.ErrLeaseLost
	}
	change(&e.msg)
	e.owner, e.leaseUntil = "", time.Time{}
	return nil
}

func clone(m *webhook.Message) webhook.Message {
	c := *m
	c.Payload = slices.Clone(m.Payload)
	return c
}
