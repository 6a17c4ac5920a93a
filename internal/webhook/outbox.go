package webhook

import (
	"context"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Outbox is what a Dispatcher needs from storage. The store engines
// implement it; webhookfake.Fake is the in-memory one for tests.
//
// A dispatcher works on a message only while it holds the message's lease:
// Claim grants leases, and MarkDelivered, ScheduleRetry and MarkDead end
// them. Two dispatchers therefore never send the same message at once,
// unless one overruns its lease (the lease is longer than the request
// timeout, so only a stalled process does). Delivery is at least once:
// a crash after the request but before the state change sends the message
// again when the lease expires, with the same webhook-id.
type Outbox interface {
	// Claim leases to owner, until now+lease, up to limit messages that are
	// pending (neither delivered nor dead), due (NextAttemptAt <= now) and
	// not leased to anyone until after now, earliest due first, and returns
	// them. A lease that has expired may be claimed by another owner.
	Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*Message, error)

	// Subscription returns a subscription, active or not; an error for
	// which errors.Is(err, aicc.ErrNotFound) holds when it was deleted.
	Subscription(ctx context.Context, id string) (*Subscription, error)

	// RecordDelivery appends d to the delivery log and sets the message's
	// Attempts to d.Attempt (if greater). It does not require the lease: the
	// attempt was made, and the log says so.
	RecordDelivery(ctx context.Context, d Delivery) error

	// MarkDelivered sets DeliveredAt and ends the lease.
	MarkDelivered(ctx context.Context, owner, messageID string, at time.Time) error
	// ScheduleRetry sets NextAttemptAt and LastError and ends the lease.
	ScheduleRetry(ctx context.Context, owner, messageID string, next time.Time, lastError string) error
	// MarkDead sets Dead and LastError and ends the lease.
	MarkDead(ctx context.Context, owner, messageID string, lastError string) error
	// The three methods above return ErrLeaseLost, changing nothing, when
	// the message is no longer leased to owner: another owner claimed it
	// after the lease expired, or it was already settled. A late owner
	// whose expired lease nobody took over may still settle it.

	// DeactivateSubscription sets Active to false, after the receiver
	// answered 410 Gone. New messages are no longer created for it.
	DeactivateSubscription(ctx context.Context, id string) error
}

// ErrLeaseLost is returned by an Outbox when a dispatcher changes a message
// whose lease it no longer holds. It is of kind aicc.KindConflict.
var ErrLeaseLost = &aicc.Error{Kind: aicc.KindConflict, Message: "webhook: message lease lost (another dispatcher claimed it, or it is done)"}
