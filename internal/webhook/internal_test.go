package webhook

import (
	"errors"
	"math"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestPublicAddr(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"2606:4700:4700::1111", true},
		{"64:ff9b::808:808", true}, // NAT64 of 8.8.8.8
		{"127.0.0.1", false},
		{"127.8.9.10", false},
		{"::1", false},
		{"::ffff:127.0.0.1", false}, // IPv4-mapped loopback
		{"64:ff9b::7f00:1", false},  // NAT64 of 127.0.0.1
		{"64:ff9b::a00:1", false},   // NAT64 of 10.0.0.1
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"192.168.1.1", false},
		{"fc00::1", false},
		{"fd00:ec2::254", false}, // a cloud metadata service
		{"169.254.169.254", false},
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"ff02::1", false},
		{"ff0e::1", false},
		{"0.0.0.0", false},
		{"::", false},
		{"100.64.0.1", false},
		{"198.18.0.1", false},
		{"192.0.2.1", false},
		{"240.0.0.1", false},
		{"255.255.255.255", false},
		{"2001:db8::1", false},
		{"2002:7f00:1::1", false}, // 6to4
	}
	for _, tt := range tests {
		if got := publicAddr(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("publicAddr(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

func TestGuardDial(t *testing.T) {
	tests := []struct {
		address string
		blocked bool
	}{
		{"8.8.8.8:443", false},
		{"[2606:4700:4700::1111]:443", false},
		{"127.0.0.1:8080", true},
		{"[::1]:80", true},
		{"169.254.169.254:80", true},
		{"example.com:443", true}, // not resolved: nothing to vouch for
	}
	for _, tt := range tests {
		err := guardDial("tcp", tt.address, nil)
		if got := errors.Is(err, ErrBlockedAddress); got != tt.blocked {
			t.Errorf("guardDial(%s) = %v, want blocked %v", tt.address, err, tt.blocked)
		}
	}
}

func TestBackoffSchedule(t *testing.T) {
	c, err := Config{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{30 * time.Second, 90 * time.Second, 270 * time.Second, 810 * time.Second,
		2430 * time.Second, 7290 * time.Second, 6 * time.Hour, 6 * time.Hour, 6 * time.Hour}
	var total time.Duration
	for i, w := range want {
		if got := c.backoff(i + 1); got != w {
			t.Errorf("backoff after attempt %d = %s, want %s", i+1, got, w)
		}
		total += w
	}
	// docs/webhooks.md promises 10 attempts over about 21 hours.
	if c.MaxAttempts != 10 || len(want) != c.MaxAttempts-1 || total != 21*time.Hour+2*time.Minute {
		t.Errorf("%d attempts over %s", c.MaxAttempts, total)
	}

	huge := Config{BackoffBase: time.Second, BackoffMax: math.MaxInt64}
	if got := huge.backoff(1000); got <= 0 || got != math.MaxInt64 {
		t.Errorf("backoff overflowed: %s", got)
	}
}

func TestJitter(t *testing.T) {
	for range 1000 {
		if got := jitter(100 * time.Second); got < 80*time.Second || got > 120*time.Second {
			t.Fatalf("jitter(100s) = %s, want within ±20%%", got)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"120", 120 * time.Second, true},
		{"0", 0, true},
		{now.Add(time.Hour).Format(http.TimeFormat), time.Hour, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"999999", 24 * time.Hour, true},
		{"99999999999999999999", 0, false},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.v, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzParseRetryAfter: a receiver's header never yields a wait outside
// [0, 24 h].
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "Sun, 01 Mar 2026 13:00:00 GMT", "-1", "9999999999"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		if d, _ := parseRetryAfter(v, now); d < 0 || d > maxRetryAfter {
			t.Fatalf("parseRetryAfter(%q) = %s", v, d)
		}
	})
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abcdefghijk", 10, "abcdefghij"},
		{"ab€", 4, "ab"}, // € is 3 bytes: not split
		{"ab\xffcd", 10, "ab\uFFFDcd"},
		{strings.Repeat("é", 600), 1024, strings.Repeat("é", 512)},
	}
	for _, tt := range tests {
		got := truncate(tt.in, tt.n)
		if got != tt.want || len(got) > tt.n || !utf8.ValidString(got) {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestConfig(t *testing.T) {
	c, err := Config{Timeout: 30 * time.Second}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if c.Lease != 90*time.Second || c.Concurrency != DefaultConcurrency || c.Owner == "" || c.Now == nil {
		t.Errorf("defaults = %+v", c)
	}
	invalid := []Config{
		{Concurrency: -1},
		{PollInterval: -time.Second},
		{Timeout: -time.Second},
		{Timeout: time.Minute, Lease: time.Minute},
		{MaxAttempts: -1},
		{BackoffBase: -time.Second},
		{BackoffBase: time.Hour, BackoffMax: time.Minute},
	}
	for _, c := range invalid {
		if _, err := c.withDefaults(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}
