package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `aicc serve` in the background on a free loopback port,
// with any extra flags, and returns its URL and the admin token it printed.
func startServe(t *testing.T, dir string, flags ...string) (url, token string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"aicc", "serve", "--data", dir, "--addr", "127.0.0.1:0"}, flags...), strings.NewReader(""), &out, &errb,
			func(k string) string { return map[string]string{"AICC_LOG_LEVEL": "info"}[k] })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d: %s", code, errb.String())
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	})
	addr := regexp.MustCompile(`addr=http://(127\.0\.0\.1:\d+)`)
	tok := regexp.MustCompile(`(?m)^admin token: (aicc_[a-z2-7]+)$`)
	for range 500 {
		if m := addr.FindStringSubmatch(errb.String()); m != nil {
			if tm := tok.FindStringSubmatch(out.String()); tm != nil {
				token = tm[1]
			}
			return "http://" + m[1], token
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, errb.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start: %s", errb.String())
	return "", ""
}

// TestServeQuickstart follows docs/quickstart-server.md as far as the
// service goes today: first start, organizations, users, a submission,
// withdrawal and the audit log's verification, all through the CLI.
func TestServeQuickstart(t *testing.T) {
	dir := t.TempDir()
	url, admin := startServe(t, dir)
	if admin == "" {
		t.Fatal("first start printed no admin token line")
	}
	as := func(token string, args ...string) result {
		t.Helper()
		return runCLI(t, map[string]string{"AICC_SERVER": url, "AICC_TOKEN": token, "EXAMPLE_KEY": "sk-example-secret"}, args...)
	}
	ok := func(r result) string {
		t.Helper()
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	var org struct{ ID string }
	if err := json.Unmarshal([]byte(ok(as(admin, "org", "create", "--name", "Example AI", "--kind", "developer", "--format", "json"))), &org); err != nil || !strings.HasPrefix(org.ID, "org_") {
		t.Fatalf("org create --format json: %v %+v", err, org)
	}
	var user struct{ ID, Token string }
	if err := json.Unmarshal([]byte(ok(as(admin, "user", "create", "--org", org.ID, "--role", "developer", "--format", "json"))), &user); err != nil || user.Token == "" {
		t.Fatalf("user create --format json: %v %+v", err, user)
	}
	release := time.Now().UTC().AddDate(0, 0, 21).Format(time.DateOnly)
	sub := ok(as(user.Token, "submission", "create", "--model", "example-chat", "--version", "1.0", "--release-date", release,
		"--endpoint", "http://127.0.0.1:9000/v1", "--endpoint-model", "refmodel-1.0", "--credential-env", "EXAMPLE_KEY"))
	if !strings.HasPrefix(sub, "sub_") {
		t.Fatalf("submission create printed %q, want its ID", sub)
	}
	var got struct {
		State         string `json:"state"`
		HasCredential bool   `json:"has_credential"`
	}
	if err := json.Unmarshal([]byte(ok(as(user.Token, "submission", "get", sub, "--format", "json"))), &got); err != nil || got.State != "submitted" || !got.HasCredential {
		t.Fatalf("submission get: %v %+v", err, got)
	}
	// Another developer organization cannot see it.
	ok(as(admin, "org", "create", "--name", "Rival AI", "--kind", "developer"))
	if r := as("aicc_notatoken", "submission", "get", sub); r.code == 0 || !strings.Contains(r.stderr, "not valid") {
		t.Errorf("a bad token: exit %d, %s", r.code, r.stderr)
	}
	if out := ok(as(user.Token, "submission", "withdraw", sub, "--reason", "postponed")); !strings.Contains(out, "withdrawn") {
		t.Errorf("withdraw printed %q", out)
	}
	if out := ok(as(admin, "user", "list", "--org", org.ID)); !strings.Contains(out, user.ID) {
		t.Errorf("user list printed %q", out)
	}
	if out := ok(as(user.Token, "org", "get", org.ID)); !strings.Contains(out, "Example AI") {
		t.Errorf("org get printed %q", out)
	}
	ok(as(user.Token, "submission", "reminders", sub))
	// Tokens: a new one works, and stops working when revoked.
	var tk struct{ ID, Token string }
	if err := json.Unmarshal([]byte(ok(as(user.Token, "token", "create", "--user", user.ID, "--name", "ci", "--format", "json"))), &tk); err != nil || tk.Token == "" {
		t.Fatalf("token create: %v %+v", err, tk)
	}
	ok(as(tk.Token, "submission", "list"))
	ok(as(user.Token, "token", "revoke", "--user", user.ID, tk.ID))
	if r := as(tk.Token, "submission", "list"); r.code == 0 {
		t.Error("a revoked token still works")
	}
	// An analyst's manual step, and a refused one: a triaged review cannot be completed yet.
	sub2 := ok(as(user.Token, "submission", "create", "--model", "m2", "--version", "1", "--release-date", release,
		"--endpoint", "http://127.0.0.1:9000/v1", "--endpoint-model", "m"))
	if out := ok(as(admin, "review", "triage", sub2)); !strings.Contains(out, "triaged") {
		t.Errorf("review triage printed %q", out)
	}
	if r := as(admin, "review", "complete", sub2); r.code != 1 || !strings.Contains(r.stderr, "triaged") {
		t.Errorf("completing a triaged review: exit %d, %s", r.code, r.stderr)
	}
	// Webhooks: the secret is printed once; lists do not show it.
	hook := ok(as(admin, "webhook", "create", "--url", "https://hooks.example/aicc", "--event", "submission.*"))
	if !strings.Contains(hook, "secret: whsec_") {
		t.Errorf("webhook create printed %q", hook)
	}
	if out := ok(as(admin, "webhook", "list")); !strings.Contains(out, "hooks.example") || strings.Contains(out, "whsec_") {
		t.Errorf("webhook list printed %q", out)
	}
	if out := ok(as(admin, "audit", "verify")); !strings.Contains(out, "intact") {
		t.Errorf("audit verify printed %q", out)
	}
	// Bad input: a one-line error, exit 2.
	if r := as(user.Token, "submission", "create", "--model", "m", "--version", "1", "--release-date", "tomorrow", "--endpoint", "http://127.0.0.1:9/v1", "--endpoint-model", "m"); r.code != 2 || !strings.Contains(r.stderr, "release_date") {
		t.Errorf("bad date: exit %d, %s", r.code, r.stderr)
	}
	if r := runCLI(t, map[string]string{"AICC_SERVER": url}, "org", "list"); r.code != 2 || !strings.Contains(r.stderr, "AICC_TOKEN") {
		t.Errorf("no token: exit %d, %s", r.code, r.stderr)
	}
}

// TestServeRestart checks that a second start prints no token, keeps the
// data, and accepts the token of the first.
func TestServeRestart(t *testing.T) {
	dir := t.TempDir()
	var admin string
	t.Run("first", func(t *testing.T) {
		_, admin = startServe(t, dir)
		if admin == "" {
			t.Fatal("no admin token on first start")
		}
	}) // the server stops when the subtest ends
	url, again := startServe(t, dir)
	if again != "" {
		t.Errorf("a second start printed a token")
	}
	r := runCLI(t, map[string]string{"AICC_SERVER": url, "AICC_TOKEN": admin}, "org", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "clearinghouse") {
		t.Fatalf("org list after restart: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
}
