package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// bookkeepingTimeout bounds the outbox writes after an attempt. They run
// even when the dispatcher is stopping, so that a finished attempt is
// recorded.
const bookkeepingTimeout = 5 * time.Second

type verdict int

const (
	delivered verdict = iota // 2xx
	retry                    // worth another attempt later
	dead                     // no point in another attempt
	released                 // not attempted: hand back, due at once
)

// outcome is what one attempt came to.
type outcome struct {
	verdict    verdict
	reason     string        // why it failed; empty when delivered
	retryAfter time.Duration // from a Retry-After header
	gone       bool          // 410: the receiver wants no more messages
}

// deliver makes one attempt at m and records the outcome.
func (d *Dispatcher) deliver(ctx context.Context, m *Message) {
	log := d.log.With("message", m.ID, "subscription", m.SubscriptionID, "event", m.Event)
	bk, cancel := context.WithTimeout(context.WithoutCancel(ctx), bookkeepingTimeout)
	defer cancel()

	sub, err := d.ob.Subscription(ctx, m.SubscriptionID)
	switch {
	case errors.Is(err, aicc.ErrNotFound):
		d.settle(bk, log, m, nil, outcome{verdict: dead, reason: "subscription deleted"})
		return
	case err != nil && ctx.Err() != nil: // stopping
		d.settle(bk, log, m, nil, outcome{verdict: released, reason: "interrupted: dispatcher stopped"})
		return
	case err != nil:
		log.Error("webhook subscription unavailable; the message waits for its lease to expire", "err", err)
		return
	case !sub.Active:
		d.settle(bk, log, m, nil, outcome{verdict: dead, reason: "subscription inactive"})
		return
	}

	rctx, cancelReq := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancelReq()
	at := d.cfg.Now()
	req, err := d.request(rctx, sub, m, at)
	if err != nil {
		d.settle(bk, log, m, nil, outcome{verdict: dead, reason: err.Error()})
		return
	}
	start := time.Now()
	row := &Delivery{MessageID: m.ID, Attempt: m.Attempts + 1, At: at}
	var out outcome
	resp, err := d.client.Do(req)
	if err != nil {
		if ctx.Err() != nil { // stopping: hand the message back untouched
			d.settle(bk, log, m, nil, outcome{verdict: released, reason: "interrupted: dispatcher stopped"})
			return
		}
		out = classifyError(err, d.cfg.Timeout)
	} else {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseRead))
		_ = resp.Body.Close()
		row.StatusCode = resp.StatusCode
		row.ResponseSnippet = truncate(string(body), maxSnippet)
		out = classifyResponse(resp, at)
	}
	row.Duration = time.Since(start)
	row.Error = truncate(out.reason, maxErrorLen)
	d.settle(bk, log, m, row, out)
}

// request builds the signed POST of m to sub.
func (d *Dispatcher) request(ctx context.Context, sub *Subscription, m *Message, at time.Time) (*http.Request, error) {
	if err := ValidURL(sub.URL); err != nil {
		return nil, err
	}
	sig, err := Sign(sub.Secret, m.ID, at, m.Payload)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.URL, bytes.NewReader(m.Payload))
	if err != nil {
		return nil, aicc.Errorf(aicc.KindInvalid, "subscription url: cannot build a request")
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", UserAgent)
	h.Set(HeaderID, m.ID)
	h.Set(HeaderTimestamp, fmt.Sprint(at.Unix()))
	h.Set(HeaderSignature, sig)
	return req, nil
}

// classifyResponse decides what a response means:
//   - 2xx: delivered;
//   - 3xx: dead, since redirects are not followed and a retry would get the same;
//   - 410 Gone: dead, and the subscription is deactivated;
//   - 408, 425 and 429: retry, honouring Retry-After;
//   - any other 4xx: dead, since the receiver rejects this message;
//   - 5xx and anything else: retry, honouring Retry-After.
func classifyResponse(resp *http.Response, now time.Time) outcome {
	code := resp.StatusCode
	switch {
	case code >= 200 && code <= 299:
		return outcome{verdict: delivered}
	case code >= 300 && code <= 399:
		return outcome{verdict: dead, reason: fmt.Sprintf("status %d: redirects are not followed; set the subscription URL to the final address", code)}
	case code == http.StatusGone:
		return outcome{verdict: dead, reason: "status 410: the receiver is gone; subscription deactivated", gone: true}
	case code == http.StatusRequestTimeout || code == http.StatusTooEarly || code == http.StatusTooManyRequests:
	case code >= 400 && code <= 499:
		return outcome{verdict: dead, reason: fmt.Sprintf("status %d: the receiver rejected the message; not retried", code)}
	}
	ra, _ := parseRetryAfter(resp.Header.Get("Retry-After"), now)
	return outcome{verdict: retry, reason: fmt.Sprintf("status %d", code), retryAfter: ra}
}

// classifyError decides what a failed request means: a refused address is
// dead (retrying would be refused again); timeouts and connection errors
// are retried. The URL is left out of the reason.
func classifyError(err error, timeout time.Duration) outcome {
	if errors.Is(err, ErrBlockedAddress) {
		var b *BlockedAddressError
		errors.As(err, &b)
		return outcome{verdict: dead, reason: b.Error()}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return outcome{verdict: retry, reason: fmt.Sprintf("no response within %s", timeout)}
		}
		err = ue.Err
	}
	return outcome{verdict: retry, reason: err.Error()}
}

// settle records the attempt row (nil when none was made) and moves m to
// its next state.
func (d *Dispatcher) settle(ctx context.Context, log *slog.Logger, m *Message, row *Delivery, out outcome) {
	attempts := m.Attempts
	if row != nil {
		attempts = row.Attempt
		if err := d.ob.RecordDelivery(ctx, *row); err != nil {
			log.Error("webhook delivery log write failed", "attempt", row.Attempt, "err", err)
		}
	}
	now := d.cfg.Now()
	reason := truncate(out.reason, maxErrorLen)
	var err error
	switch {
	case out.verdict == delivered:
		err = d.ob.MarkDelivered(ctx, d.cfg.Owner, m.ID, now)
		log.Debug("webhook delivered", "attempt", attempts)
	case out.verdict == released:
		err = d.ob.ScheduleRetry(ctx, d.cfg.Owner, m.ID, now, reason)
	case out.verdict == retry && attempts < d.cfg.MaxAttempts:
		next := now.Add(max(jitter(d.cfg.backoff(attempts)), out.retryAfter))
		err = d.ob.ScheduleRetry(ctx, d.cfg.Owner, m.ID, next, reason)
		log.Info("webhook attempt failed; will retry", "attempt", attempts, "next", next, "reason", reason)
	default:
		if out.verdict == retry {
			reason = truncate(fmt.Sprintf("gave up after %d attempts: %s", attempts, out.reason), maxErrorLen)
		}
		err = d.ob.MarkDead(ctx, d.cfg.Owner, m.ID, reason)
		log.Warn("webhook message dead", "attempts", attempts, "reason", reason)
		if err == nil && out.gone {
			if derr := d.ob.DeactivateSubscription(ctx, m.SubscriptionID); derr != nil {
				log.Error("webhook subscription deactivation failed", "err", derr)
			} else {
				log.Warn("webhook subscription deactivated: receiver answered 410 Gone")
			}
		}
	}
	switch {
	case errors.Is(err, ErrLeaseLost):
		log.Warn("webhook message lease lost before its outcome was recorded", "err", err)
	case err != nil:
		log.Error("webhook outbox update failed", "err", err)
	}
}

// jitter spreads d by ±20 %, so that receivers recovering from an outage
// are not hit by every retry at once.
func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// parseRetryAfter reads a Retry-After value, delay-seconds or an HTTP date
// relative to now, clamped to [0, 24 h].
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := parseSeconds(v); err == nil {
		d = secs
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return min(max(d, 0), maxRetryAfter), true
}

func parseSeconds(v string) (time.Duration, error) {
	var n int64
	if v == "" || len(v) > 10 {
		return 0, errors.New("not delay-seconds")
	}
	for i := range len(v) {
		if v[i] < '0' || v[i] > '9' {
			return 0, errors.New("not delay-seconds")
		}
		n = n*10 + int64(v[i]-'0')
	}
	return time.Duration(n) * time.Second, nil
}
