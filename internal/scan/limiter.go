package scan

import (
	"context"
	"sync"
	"time"
)

// limiter is an adaptive concurrency limit (additive increase, multiplicative
// decrease, as TCP congestion control): each success raises the limit by
// 1/limit, so it grows by about one per round trip; an overload signal (429,
// 503, 5xx, timeout) cuts it by decreaseFactor, at most once per round trip:
// only a request that started after the last cut can cut again, so one burst
// of rejections counts once.
type limiter struct {
	mu        sync.Mutex
	limit     float64
	max       float64
	inflight  int
	waiters   []chan struct{}
	lastCut   time.Time
	adaptive  bool
	decreases int
}

const decreaseFactor = 0.9

func newLimiter(max int, adaptive bool) *limiter {
	return &limiter{limit: float64(max), max: float64(max), adaptive: adaptive}
}

// acquire waits for a slot and returns the time the request may be said to
// start, which release needs.
func (l *limiter) acquire(ctx context.Context) (time.Time, error) {
	l.mu.Lock()
	if l.inflight < int(l.limit) && len(l.waiters) == 0 {
		l.inflight++
		l.mu.Unlock()
		return time.Now(), nil
	}
	ch := make(chan struct{})
	l.waiters = append(l.waiters, ch)
	l.mu.Unlock()
	select {
	case <-ch:
		return time.Now(), nil
	case <-ctx.Done():
		l.mu.Lock()
		for i, w := range l.waiters {
			if w == ch {
				l.waiters = append(l.waiters[:i], l.waiters[i+1:]...)
				l.mu.Unlock()
				return time.Time{}, ctx.Err()
			}
		}
		// Woken at the same moment: the slot is ours; give it back.
		l.mu.Unlock()
		l.release(time.Time{}, false)
		return time.Time{}, ctx.Err()
	}
}

// release frees a slot. overload says the endpoint signalled it is over
// capacity or failing; started is acquire's time.
func (l *limiter) release(started time.Time, overload bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inflight--
	if l.adaptive && !started.IsZero() {
		if overload {
			if started.After(l.lastCut) {
				l.limit = max(1, l.limit*decreaseFactor)
				l.lastCut = time.Now()
				l.decreases++
			}
		} else if l.limit < l.max {
			l.limit = min(l.max, l.limit+1/l.limit)
		}
	}
	for len(l.waiters) > 0 && l.inflight < int(l.limit) {
		ch := l.waiters[0]
		l.waiters = l.waiters[1:]
		l.inflight++
		close(ch)
	}
}

// current returns the limit now.
func (l *limiter) current() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return int(l.limit)
}
