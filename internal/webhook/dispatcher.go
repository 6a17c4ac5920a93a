package webhook

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Dispatcher delivers the messages of an Outbox. Any number of dispatchers,
// in one process or many, may share an outbox: leases keep them from
// sending one message twice at once.
type Dispatcher struct {
	ob     Outbox
	cfg    Config
	log    *slog.Logger
	client *http.Client
}

// NewDispatcher returns a dispatcher for ob with cfg's defaults filled in,
// or an error naming the first invalid setting. A nil log discards.
func NewDispatcher(ob Outbox, cfg Config, log *slog.Logger) (*Dispatcher, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{
		ob:     ob,
		cfg:    cfg,
		log:    log.With("component", "webhook", "owner", cfg.Owner),
		client: newClient(cfg.Timeout, cfg.AllowPrivate),
	}, nil
}

// Run delivers due messages until ctx is done, then waits for the attempts
// under way and returns nil. It claims up to Concurrency messages at a
// time, claims again at once while it finds a full batch, and otherwise
// looks every PollInterval. Failures to reach the outbox are logged and
// retried at the next tick.
func (d *Dispatcher) Run(ctx context.Context) error {
	d.log.Info("webhook dispatcher started", "concurrency", d.cfg.Concurrency, "allow_private", d.cfg.AllowPrivate)
	t := time.NewTicker(d.cfg.PollInterval)
	defer t.Stop()
	for {
		for ctx.Err() == nil {
			n, err := d.RunOnce(ctx)
			if err != nil {
				if ctx.Err() == nil {
					d.log.Error("webhook outbox unavailable", "err", err)
				}
				break
			}
			if n < d.cfg.Concurrency {
				break
			}
		}
		select {
		case <-ctx.Done():
			d.log.Info("webhook dispatcher stopped")
			return nil
		case <-t.C:
		}
	}
}

// RunOnce claims up to Concurrency due messages, attempts each at once in
// parallel, records the outcomes, and returns how many it claimed.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	msgs, err := d.ob.Claim(ctx, d.cfg.Owner, d.cfg.Now(), d.cfg.Lease, d.cfg.Concurrency)
	if err != nil {
		return 0, fmt.Errorf("webhook: claim messages: %w", err)
	}
	var wg sync.WaitGroup
	for _, m := range msgs {
		wg.Go(func() { d.deliver(ctx, m) })
	}
	wg.Wait()
	return len(msgs), nil
}
