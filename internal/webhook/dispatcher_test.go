package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/webhook"
	"github.com/aicc-dev/aicc/internal/webhook/webhookfake"
)

// clock is a settable clock for Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// received is one request as the receiver saw it.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a loopback webhook endpoint that records requests and
// answers as respond says (n counts requests from 0).
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []received
	respond func(n int, w http.ResponseWriter, r *http.Request)
}

func newReceiver(t *testing.T, respond func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	t.Helper()
	rc := &receiver{respond: respond}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		n := len(rc.reqs)
		rc.reqs = append(rc.reqs, received{r.Header.Clone(), body})
		rc.mu.Unlock()
		rc.respond(n, w, r)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.reqs...)
}

func status(code int) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
}

type bundle struct {
	ob   *webhookfake.Fake
	clk  *clock
	sub  *webhook.Subscription
	recv *receiver
	d    *webhook.Dispatcher
}

// setup returns a dispatcher on a fake outbox with one subscription to a
// loopback receiver, with AllowPrivate set (the receiver is on 127.0.0.1)
// and the clock at testNow unless cfg sets Now.
func setup(t *testing.T, cfg webhook.Config, respond func(int, http.ResponseWriter, *http.Request)) *bundle {
	t.Helper()
	cfg.AllowPrivate = true
	return newBundle(t, cfg, respond)
}

func newBundle(t *testing.T, cfg webhook.Config, respond func(int, http.ResponseWriter, *http.Request)) *bundle {
	t.Helper()
	b := &bundle{ob: webhookfake.New(), clk: &clock{t: testNow}, recv: newReceiver(t, respond)}
	sub, err := webhook.NewSubscription(aicc.NewID(aicc.PrefixOrg), b.recv.URL+"/hook", []string{"*"}, testNow)
	if err != nil {
		t.Fatal(err)
	}
	b.sub = sub
	b.ob.AddSubscription(sub)
	if cfg.Now == nil {
		cfg.Now = b.clk.Now
	}
	b.d, err = webhook.NewDispatcher(b.ob, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// enqueue adds one message for b.sub and returns its ID.
func (b *bundle) enqueue(t *testing.T, event string) string {
	t.Helper()
	msgs, err := webhook.NewMessages([]*webhook.Subscription{b.sub}, event, map[string]string{"finding_id": "fnd_abcdefghijklmnop"}, b.clk.Now())
	if err != nil || len(msgs) != 1 {
		t.Fatalf("NewMessages = %v, %v", msgs, err)
	}
	b.ob.Enqueue(msgs...)
	return msgs[0].ID
}

func (b *bundle) runOnce(t *testing.T, want int) {
	t.Helper()
	n, err := b.d.RunOnce(t.Context())
	if err != nil || n != want {
		t.Fatalf("RunOnce = %d, %v; want %d claimed", n, err, want)
	}
}

func (b *bundle) message(t *testing.T, id string) *webhook.Message {
	t.Helper()
	m, err := b.ob.Message(id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDeliverSigned(t *testing.T) {
	b := setup(t, webhook.Config{}, status(http.StatusNoContent))
	id := b.enqueue(t, "finding.confirmed")
	b.runOnce(t, 1)

	reqs := b.recv.requests()
	if len(reqs) != 1 {
		t.Fatalf("receiver got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	m := b.message(t, id)
	checks := map[string][2]string{
		"User-Agent":        {r.header.Get("User-Agent"), "aicc-webhook/1"},
		"Content-Type":      {r.header.Get("Content-Type"), "application/json"},
		"webhook-id":        {r.header.Get("webhook-id"), id},
		"webhook-timestamp": {r.header.Get("webhook-timestamp"), strconv.FormatInt(testNow.Unix(), 10)},
		"body":              {string(r.body), string(m.Payload)},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if !refAccepts(b.sub.Secret.Reveal(), r.header, r.body) {
		t.Error("the reference Standard Webhooks check rejects the delivery")
	}
	if err := webhook.Verify(b.sub.Secret, r.header, r.body, testNow, 0); err != nil {
		t.Errorf("Verify: %v", err)
	}
	tampered := r.header.Clone()
	tampered.Set("webhook-timestamp", strconv.FormatInt(testNow.Unix()+1, 10))
	if refAccepts(b.sub.Secret.Reveal(), tampered, r.body) || webhook.Verify(b.sub.Secret, tampered, r.body, testNow, 0) == nil {
		t.Error("a tampered timestamp verifies")
	}
	body := []byte(strings.Replace(string(r.body), "fnd_", "fnd-", 1))
	if refAccepts(b.sub.Secret.Reveal(), r.header, body) || webhook.Verify(b.sub.Secret, r.header, body, testNow, 0) == nil {
		t.Error("a tampered body verifies")
	}

	if !m.DeliveredAt.Equal(testNow) || m.Dead || m.Attempts != 1 || m.LastError != "" {
		t.Errorf("message after delivery = %+v", m)
	}
	log := b.ob.Deliveries(id)
	if len(log) != 1 || log[0].Attempt != 1 || log[0].StatusCode != 204 || !log[0].At.Equal(testNow) || log[0].Error != "" {
		t.Errorf("delivery log = %+v", log)
	}
	b.runOnce(t, 0) // nothing left
}

func TestRetryWithBackoffThenSuccess(t *testing.T) {
	b := setup(t, webhook.Config{BackoffBase: time.Minute}, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n < 2 {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, "database is down")
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	id := b.enqueue(t, "finding.confirmed")

	for attempt, base := range []time.Duration{time.Minute, 3 * time.Minute} {
		start := b.clk.Now()
		b.runOnce(t, 1)
		m := b.message(t, id)
		lo, hi := start.Add(base*8/10), start.Add(base*12/10)
		if !m.Pending() || m.Attempts != attempt+1 || m.NextAttemptAt.Before(lo) || m.NextAttemptAt.After(hi) || m.LastError != "status 500" {
			t.Fatalf("after failed attempt %d: %+v; want next attempt in [%s, %s]", attempt+1, m, lo, hi)
		}
		b.clk.Set(m.NextAttemptAt.Add(-time.Second))
		b.runOnce(t, 0) // not due yet
		b.clk.Set(m.NextAttemptAt)
	}
	b.runOnce(t, 1)

	if m := b.message(t, id); m.DeliveredAt.IsZero() || m.Attempts != 3 {
		t.Fatalf("message = %+v, want delivered on attempt 3", m)
	}
	reqs := b.recv.requests()
	if len(reqs) != 3 {
		t.Fatalf("receiver got %d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		if r.header.Get("webhook-id") != id {
			t.Errorf("request %d webhook-id = %s, want %s on every retry", i, r.header.Get("webhook-id"), id)
		}
		if !refAccepts(b.sub.Secret.Reveal(), r.header, r.body) {
			t.Errorf("request %d does not verify", i)
		}
	}
	if reqs[0].header.Get("webhook-timestamp") == reqs[2].header.Get("webhook-timestamp") {
		t.Error("retries reuse the first attempt's timestamp")
	}
	log := b.ob.Deliveries(id)
	var got []string
	for _, d := range log {
		got = append(got, fmt.Sprintf("%d:%d:%s:%s", d.Attempt, d.StatusCode, d.Error, d.ResponseSnippet))
	}
	want := []string{"1:500:status 500:database is down", "2:500:status 500:database is down", "3:200::"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("delivery log = %q, want %q", got, want)
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		code   int
		header string
		want   time.Duration // exact wait; 0 for the jittered backoff
	}{
		{"429 with seconds", http.StatusTooManyRequests, "120", 120 * time.Second},
		{"503 with a date", http.StatusServiceUnavailable, testNow.Add(time.Hour).Format(http.TimeFormat), time.Hour},
		{"500 with seconds", http.StatusInternalServerError, "600", 10 * time.Minute},
		{"429 with a year", http.StatusTooManyRequests, "31536000", 24 * time.Hour},
		{"429 without Retry-After", http.StatusTooManyRequests, "", 0},
		{"429 with garbage", http.StatusTooManyRequests, "later", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t, webhook.Config{BackoffBase: time.Second, BackoffMax: time.Second}, func(_ int, w http.ResponseWriter, _ *http.Request) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(tt.code)
			})
			id := b.enqueue(t, "finding.confirmed")
			b.runOnce(t, 1)
			m := b.message(t, id)
			wait := m.NextAttemptAt.Sub(testNow)
			if tt.want != 0 && wait != tt.want {
				t.Errorf("next attempt after %s, want %s", wait, tt.want)
			}
			if tt.want == 0 && (wait < 800*time.Millisecond || wait > 1200*time.Millisecond) {
				t.Errorf("next attempt after %s, want the 1 s backoff ±20%%", wait)
			}
			if !m.Pending() {
				t.Errorf("message = %+v, want pending", m)
			}
		})
	}
}

func TestStatusOutcomes(t *testing.T) {
	const (
		delivered = "delivered"
		retry     = "retry"
		dead      = "dead"
	)
	tests := []struct {
		code       int
		want       string
		subsActive bool
	}{
		{200, delivered, true},
		{201, delivered, true},
		{202, delivered, true},
		{204, delivered, true},
		{301, dead, true},
		{304, dead, true},
		{400, dead, true},
		{401, dead, true},
		{404, dead, true},
		{410, dead, false},
		{413, dead, true},
		{408, retry, true},
		{425, retry, true},
		{429, retry, true},
		{500, retry, true},
		{502, retry, true},
		{503, retry, true},
		{504, retry, true},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			b := setup(t, webhook.Config{}, status(tt.code))
			id := b.enqueue(t, "finding.confirmed")
			b.runOnce(t, 1)
			m := b.message(t, id)
			got := retry
			switch {
			case !m.DeliveredAt.IsZero():
				got = delivered
			case m.Dead:
				got = dead
			}
			if got != tt.want {
				t.Errorf("status %d: message %s (%q), want %s", tt.code, got, m.LastError, tt.want)
			}
			if tt.want == dead && !strings.Contains(m.LastError, strconv.Itoa(tt.code)) {
				t.Errorf("last error %q does not name the status", m.LastError)
			}
			sub, err := b.ob.Subscription(t.Context(), b.sub.ID)
			if err != nil || sub.Active != tt.subsActive {
				t.Errorf("subscription active = %v, want %v", sub.Active, tt.subsActive)
			}
			if log := b.ob.Deliveries(id); len(log) != 1 || log[0].StatusCode != tt.code {
				t.Errorf("delivery log = %+v", log)
			}
		})
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	target := newReceiver(t, status(http.StatusOK))
	b := setup(t, webhook.Config{}, func(_ int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/elsewhere", http.StatusTemporaryRedirect)
	})
	id := b.enqueue(t, "finding.confirmed")
	b.runOnce(t, 1)
	if n := len(target.requests()); n != 0 {
		t.Errorf("redirect target got %d requests", n)
	}
	if m := b.message(t, id); !m.Dead || !strings.Contains(m.LastError, "redirect") {
		t.Errorf("message = %+v, want dead for a redirect", m)
	}
}

func TestGiveUpAfterMaxAttempts(t *testing.T) {
	b := setup(t, webhook.Config{MaxAttempts: 3, BackoffBase: time.Second}, status(http.StatusBadGateway))
	id := b.enqueue(t, "finding.confirmed")
	for range 3 {
		b.runOnce(t, 1)
		b.clk.Add(time.Hour)
	}
	b.runOnce(t, 0)
	m := b.message(t, id)
	if !m.Dead || m.Attempts != 3 || m.LastError != "gave up after 3 attempts: status 502" {
		t.Errorf("message = %+v, want dead after 3 attempts", m)
	}
	if n := len(b.recv.requests()); n != 3 {
		t.Errorf("receiver got %d requests, want 3", n)
	}
}

func TestTimeoutIsRetried(t *testing.T) {
	b := setup(t, webhook.Config{Timeout: 50 * time.Millisecond}, func(_ int, _ http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; the dispatcher hangs up
	})
	id := b.enqueue(t, "finding.confirmed")
	b.runOnce(t, 1)
	m := b.message(t, id)
	log := b.ob.Deliveries(id)
	if !m.Pending() || m.Attempts != 1 || len(log) != 1 || log[0].StatusCode != 0 || !strings.Contains(log[0].Error, "no response within 50ms") {
		t.Errorf("message = %+v, log = %+v; want a retry after a timeout", m, log)
	}
}

func TestConnectionRefusedIsRetried(t *testing.T) {
	b := setup(t, webhook.Config{}, status(http.StatusOK))
	b.recv.Close() // nothing listens any more
	id := b.enqueue(t, "finding.confirmed")
	b.runOnce(t, 1)
	m := b.message(t, id)
	if !m.Pending() || m.Attempts != 1 || m.LastError == "" || strings.Contains(m.LastError, b.recv.URL) {
		t.Errorf("message = %+v; want a retry whose error leaves out the URL", m)
	}
}

func TestResponseSnippetTruncated(t *testing.T) {
	long := strings.Repeat("€", 2000) // 6000 bytes
	b := setup(t, webhook.Config{}, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, long)
	})
	id := b.enqueue(t, "finding.confirmed")
	b.runOnce(t, 1)
	log := b.ob.Deliveries(id)
	if len(log) != 1 {
		t.Fatalf("delivery log = %+v", log)
	}
	s := log[0].ResponseSnippet
	if len(s) > 1024 || len(s) < 1020 || !utf8.ValidString(s) || !strings.HasPrefix(long, s) {
		t.Errorf("snippet of %d bytes, valid UTF-8 %v", len(s), utf8.ValidString(s))
	}
}

func TestSubscriptionGone(t *testing.T) {
	tests := []struct {
		name   string
		change func(b *bundle)
		want   string
	}{
		{"deleted", func(b *bundle) {
			b.sub.ID = aicc.NewID(aicc.PrefixWebhook) // the message points at an unknown subscription
		}, "subscription deleted"},
		{"inactive", func(b *bundle) {
			b.sub.Active = false
			b.ob.AddSubscription(b.sub)
		}, "subscription inactive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t, webhook.Config{}, status(http.StatusOK))
			tt.change(b)
			msg := &webhook.Message{ID: aicc.NewID(webhook.PrefixMessage), SubscriptionID: b.sub.ID, Event: "finding.confirmed",
				Payload: []byte(`{}`), CreatedAt: testNow, NextAttemptAt: testNow}
			b.ob.Enqueue(msg)
			b.runOnce(t, 1)
			m := b.message(t, msg.ID)
			if !m.Dead || m.LastError != tt.want || m.Attempts != 0 || len(b.ob.Deliveries(msg.ID)) != 0 || len(b.recv.requests()) != 0 {
				t.Errorf("message = %+v; want dead with %q and no attempt", m, tt.want)
			}
		})
	}
}

func TestSSRFGuard(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "localhost"} {
		t.Run(host, func(t *testing.T) {
			b := newBundle(t, webhook.Config{}, status(http.StatusOK)) // AllowPrivate false: the default
			b.sub.URL = strings.Replace(b.recv.URL, "127.0.0.1", host, 1)
			b.ob.AddSubscription(b.sub)
			id := b.enqueue(t, "finding.confirmed")
			b.runOnce(t, 1)
			if n := len(b.recv.requests()); n != 0 {
				t.Fatalf("receiver got %d requests through the guard", n)
			}
			m := b.message(t, id)
			if !m.Dead || !strings.Contains(m.LastError, "non-public address") {
				t.Errorf("message = %+v; want dead, refused", m)
			}
			if log := b.ob.Deliveries(id); len(log) != 1 || !strings.Contains(log[0].Error, "non-public address") {
				t.Errorf("delivery log = %+v", log)
			}
		})
	}
}

// TestLeaseBlocksSecondDispatcher holds one dispatcher inside a delivery
// and shows that a second one cannot claim the message meanwhile.
func TestLeaseBlocksSecondDispatcher(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	b := setup(t, webhook.Config{}, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 0 {
			close(entered)
			<-release
		}
		w.WriteHeader(http.StatusOK)
	})
	other, err := webhook.NewDispatcher(b.ob, webhook.Config{AllowPrivate: true, Now: b.clk.Now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := b.enqueue(t, "finding.confirmed")

	done := make(chan error, 1)
	go func() { _, err := b.d.RunOnce(t.Context()); done <- err }()
	<-entered
	if n, err := other.RunOnce(t.Context()); n != 0 || err != nil {
		t.Errorf("second dispatcher claimed %d (%v) while the first held the lease", n, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n, _ := other.RunOnce(t.Context()); n != 0 {
		t.Errorf("second dispatcher claimed a delivered message")
	}
	if m := b.message(t, id); m.DeliveredAt.IsZero() || len(b.recv.requests()) != 1 {
		t.Errorf("message = %+v after %d requests, want delivered once", m, len(b.recv.requests()))
	}
}

// TestTwoDispatchersDeliverEachOnce runs two dispatchers on one outbox
// until everything is delivered, and counts what the receiver saw.
func TestTwoDispatchersDeliverEachOnce(t *testing.T) {
	const n = 40
	b := setup(t, webhook.Config{}, status(http.StatusOK))
	ids := map[string]bool{}
	for range n {
		ids[b.enqueue(t, "finding.confirmed")] = true
	}
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for _, owner := range []string{"a", "b"} {
		d, err := webhook.NewDispatcher(b.ob, webhook.Config{Owner: owner, AllowPrivate: true, PollInterval: time.Millisecond, Concurrency: 3}, nil)
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			if err := d.Run(ctx); err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	for delivered := 0; delivered < n; {
		delivered = 0
		for id := range ids {
			if m := b.message(t, id); !m.DeliveredAt.IsZero() {
				delivered++
			}
		}
		if ctx.Err() != nil {
			t.Fatal("test context done before every message was delivered")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	wg.Wait()

	seen := map[string]int{}
	for _, r := range b.recv.requests() {
		seen[r.header.Get("webhook-id")]++
	}
	for id := range ids {
		if seen[id] != 1 {
			t.Errorf("message %s received %d times, want once", id, seen[id])
		}
	}
	if len(seen) != n {
		t.Errorf("receiver saw %d distinct messages, want %d", len(seen), n)
	}
}

// TestStopHandsMessageBack cancels the dispatcher's context during a
// request: the message is due again at once, with no attempt counted.
func TestStopHandsMessageBack(t *testing.T) {
	entered := make(chan struct{})
	b := setup(t, webhook.Config{}, func(_ int, _ http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	})
	id := b.enqueue(t, "finding.confirmed")
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-entered; cancel() }()
	if _, err := b.d.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	m := b.message(t, id)
	if !m.Pending() || m.Attempts != 0 || !m.NextAttemptAt.Equal(testNow) || !strings.Contains(m.LastError, "interrupted") {
		t.Errorf("message = %+v; want handed back", m)
	}
	if n, err := b.d.RunOnce(t.Context()); n != 1 || err != nil {
		t.Errorf("after restart RunOnce = %d, %v; want the message claimed again", n, err)
	}
}

func TestRunStopsWhenContextDone(t *testing.T) {
	b := setup(t, webhook.Config{PollInterval: time.Millisecond}, status(http.StatusOK))
	id := b.enqueue(t, "finding.confirmed")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.d.Run(ctx) }()
	for b.message(t, id).DeliveredAt.IsZero() {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
}

type failingOutbox struct{ webhook.Outbox }

func (failingOutbox) Claim(context.Context, string, time.Time, time.Duration, int) ([]*webhook.Message, error) {
	return nil, errors.New("disk on fire")
}

func TestRunOnceReportsOutboxErrors(t *testing.T) {
	d, err := webhook.NewDispatcher(failingOutbox{}, webhook.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.RunOnce(t.Context()); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("RunOnce = %v", err)
	}
}

func TestNewDispatcherRejectsBadConfig(t *testing.T) {
	_, err := webhook.NewDispatcher(webhookfake.New(), webhook.Config{Timeout: time.Minute, Lease: time.Minute}, nil)
	if aicc.KindOf(err) != aicc.KindInvalid || !strings.Contains(err.Error(), "lease") {
		t.Errorf("NewDispatcher = %v, want an invalid lease", err)
	}
}

func TestBadStoredSubscriptionIsDead(t *testing.T) {
	tests := []struct {
		name   string
		change func(*webhook.Subscription)
		want   string
	}{
		{"scheme", func(s *webhook.Subscription) { s.URL = "file:///etc/passwd" }, "scheme"},
		{"secret", func(s *webhook.Subscription) { s.Secret = aicc.NewSecret("whsec_c2hvcnQ=") }, "secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := setup(t, webhook.Config{}, status(http.StatusOK))
			tt.change(b.sub)
			b.ob.AddSubscription(b.sub)
			id := b.enqueue(t, "finding.confirmed")
			b.runOnce(t, 1)
			if m := b.message(t, id); !m.Dead || !strings.Contains(m.LastError, tt.want) || m.Attempts != 0 {
				t.Errorf("message = %+v; want dead naming %q", m, tt.want)
			}
		})
	}
}
