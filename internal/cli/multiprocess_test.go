package cli

// The multi-process test of issue 4: two servers and two workers on one
// PostgreSQL database; one worker is killed with SIGKILL in the middle of a
// scan; the scan completes with no attempt lost or run twice, and the
// target never sees more requests in flight than the scan's limit.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/client"
	"github.com/aicc-dev/aicc/internal/refmodel"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/postgres"
)

// proc is a child aicc process.
type proc struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	stdout *syncBuffer
}

func startProc(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "AICC_TEST_MAIN=1", "AICC_LOG_LEVEL=info")
	p := &proc{cmd: cmd, stderr: &syncBuffer{}, stdout: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	return p
}

// limitTarget is the reference model behind a counter of requests in flight.
type limitTarget struct {
	h        http.Handler
	inflight atomic.Int64
	peak     atomic.Int64
	total    atomic.Int64
}

func (l *limitTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := l.inflight.Add(1)
	defer l.inflight.Add(-1)
	for {
		p := l.peak.Load()
		if n <= p || l.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if strings.HasSuffix(r.URL.Path, "/chat/completions") {
		l.total.Add(1)
	}
	l.h.ServeHTTP(w, r)
}

func TestMultiProcessPostgres(t *testing.T) {
	dsn := os.Getenv("AICC_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("needs PostgreSQL: set AICC_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable (.ci/run does)")
	}
	ctx := context.Background()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "aicc_mp_" + hex.EncodeToString(b[:])
	admin, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")

	target := &limitTarget{h: refmodel.NewHandler(refmodel.Options{Latency: 40 * time.Millisecond})}
	model := httptest.NewServer(target)
	defer model.Close()

	keys := t.TempDir()
	common := []string{"--database", dsn, "--database-schema", schema, "--data", keys, "--lease-ttl", "3s", "--rescue-after", "4s"}
	// Migrate first, so the processes start on a ready database.
	if r := runCLI(t, nil, append([]string{"migrate"}, common[:6]...)...); r.code != 0 {
		t.Fatalf("migrate: %s", r.stderr)
	}
	s1 := startProc(t, append([]string{"serve", "--addr", "127.0.0.1:0", "--workers", "-1"}, common...)...)
	url1, token := waitServe(t, s1)
	s2 := startProc(t, append([]string{"serve", "--addr", "127.0.0.1:0", "--workers", "-1"}, common...)...)
	url2, again := waitServe(t, s2)
	if token == "" || again != "" {
		t.Fatalf("admin tokens: first %q, second %q; want exactly one", token, again)
	}
	w1 := startProc(t, append([]string{"worker", "--workers", "1"}, common...)...)

	as := func(url, tok string, args ...string) string {
		t.Helper()
		r := runCLI(t, map[string]string{"AICC_SERVER": url, "AICC_TOKEN": tok, "KEY": "sk-x"}, args...)
		if r.code != 0 {
			t.Fatalf("aicc %s: %s", strings.Join(args, " "), r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	org := as(url1, token, "org", "create", "--name", "Example AI", "--kind", "developer")
	var dev struct{ Token string }
	_ = json.Unmarshal([]byte(as(url2, token, "user", "create", "--org", org, "--role", "developer", "--format", "json")), &dev)
	sub := as(url2, dev.Token, "submission", "create", "--model", "m", "--version", "1", "--release-date", time.Now().UTC().AddDate(0, 0, 20).Format(time.DateOnly),
		"--endpoint", model.URL+"/v1", "--endpoint-model", "refmodel-1.0", "--credential-env", "KEY")
	var rs struct {
		ScanID  string `json:"scan_id"`
		Planned int    `json:"planned_attempts"`
	}
	_ = json.Unmarshal([]byte(as(url1, token, "review", "start", sub, "--format", "json")), &rs)

	// Kill the worker once the scan is well under way.
	for target.total.Load() < 150 {
		time.Sleep(20 * time.Millisecond)
	}
	if err := w1.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = w1.cmd.Wait()
	killedAt := target.total.Load()
	w2 := startProc(t, append([]string{"worker", "--workers", "1"}, common...)...)
	_ = w2
	if out := as(url2, token, "review", "scans", sub); out == "" {
		t.Fatal("no scans")
	}
	done, err := waitScanDone(ctx, url1, token, sub, rs.ScanID, 2*time.Minute)
	if err != nil {
		t.Fatalf("%v\nworker 2 log:\n%s", err, w2.stderr.String())
	}
	if done != string(aicc.ScanCompleted) {
		t.Fatalf("scan ended %s", done)
	}

	db, err := postgres.Open(ctx, dsn, postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sc, err := db.GetScan(ctx, rs.ScanID)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := db.AttemptIDs(ctx, rs.ScanID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("attempt %s stored twice", id)
		}
		seen[id] = true
	}
	if len(ids) != sc.PlannedAttempts {
		t.Errorf("%d attempts stored, %d planned: attempts lost", len(ids), sc.PlannedAttempts)
	}
	atts, _ := db.ListAttempts(ctx, rs.ScanID, store.AttemptFilter{OmitTranscripts: true})
	sent := int64(0)
	for _, a := range atts {
		sent += int64(a.Requests)
	}
	// Requests the killed worker had in flight, and attempts it had done
	// but not yet written (a batch is written within 25 ms, or at 256
	// attempts), were sent but never stored, so they are sent again: at most
	// the scan's concurrency limit in flight plus one unwritten batch.
	extra := target.total.Load() - sent
	t.Logf("killed at request %d; %d requests sent again after the kill", killedAt, extra)
	if extra < 0 || extra > 16+256 {
		t.Errorf("the target saw %d requests, the stored attempts account for %d: %d extra", target.total.Load(), sent, extra)
	}
	if p := target.peak.Load(); p > 16 {
		t.Errorf("the target saw %d requests in flight, more than the scan's limit of 16", p)
	}
}

var serveAddr = regexp.MustCompile(`addr=http://(127\.0\.0\.1:\d+)`)
var adminToken = regexp.MustCompile(`(?m)^admin token: (aicc_[a-z2-7]+)$`)

func waitServe(t *testing.T, p *proc) (url, token string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := serveAddr.FindStringSubmatch(p.stderr.String()); m != nil {
			if tm := adminToken.FindStringSubmatch(p.stdout.String()); tm != nil {
				token = tm[1]
			}
			return "http://" + m[1], token
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("server did not start: %s", p.stderr.String())
	return "", ""
}

func waitScanDone(ctx context.Context, url, token, sub, scanID string, timeout time.Duration) (string, error) {
	c, err := newTestClient(url, token)
	if err != nil {
		return "", err
	}
	rs, err := waitScan(ctx, c, sub, scanID, timeout)
	if err != nil {
		return "", err
	}
	return rs.Status, nil
}

func newTestClient(url, token string) (*client.Client, error) {
	return client.New(url, aicc.NewSecret(token), nil)
}
