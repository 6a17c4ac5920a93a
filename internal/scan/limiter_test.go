package scan

import (
	"context"
	"testing"
	"time"
)

func TestLimiterCutsOncePerRoundTrip(t *testing.T) {
	l := newLimiter(100, true)
	ctx := context.Background()
	// Ten requests start together, then all are rejected: one cut, not ten.
	var starts []time.Time
	for range 10 {
		s, err := l.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		starts = append(starts, s)
	}
	time.Sleep(time.Millisecond)
	for _, s := range starts {
		l.release(s, true)
	}
	if got := l.current(); got != 90 {
		t.Fatalf("limit after one burst of rejections = %d, want 90", got)
	}
	// A request started after the cut may cut again.
	s, _ := l.acquire(ctx)
	l.release(s, true)
	if got := l.current(); got != 81 {
		t.Fatalf("limit after a later rejection = %d, want 81", got)
	}
}

func TestLimiterGrowsBackToMax(t *testing.T) {
	l := newLimiter(8, true)
	l.limit = 2
	for range 200 {
		s, _ := l.acquire(context.Background())
		l.release(s, false)
	}
	if got := l.current(); got != 8 {
		t.Fatalf("limit after successes = %d, want the max 8", got)
	}
}

func TestLimiterFixedWhenNotAdaptive(t *testing.T) {
	l := newLimiter(8, false)
	s, _ := l.acquire(context.Background())
	l.release(s, true)
	if got := l.current(); got != 8 {
		t.Fatalf("fixed limit moved to %d", got)
	}
}

func TestLimiterBlocksAtLimitAndHonoursContext(t *testing.T) {
	l := newLimiter(1, true)
	s, _ := l.acquire(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := l.acquire(ctx); err == nil {
		t.Fatal("second acquire at limit 1 succeeded")
	}
	got := make(chan struct{})
	go func() {
		s2, err := l.acquire(context.Background())
		if err == nil {
			l.release(s2, false)
		}
		close(got)
	}()
	l.release(s, false)
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("waiter not woken by release")
	}
	if l.inflight != 0 {
		t.Fatalf("in flight %d after all released", l.inflight)
	}
}
