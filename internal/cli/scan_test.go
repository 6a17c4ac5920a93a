package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/report"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

// recordingEndpoint is an OpenAI-compatible endpoint that answers every
// request politely after a delay, and counts the requests by the system
// prompt, which carries the attempt's own canary.
type recordingEndpoint struct {
	mu   sync.Mutex
	seen map[string]int
}

func (r *recordingEndpoint) handler(delay time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var body struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		if err := json.NewDecoder(req.Body).Decode(&body); err != nil || len(body.Messages) == 0 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		r.seen[body.Messages[0].Content]++
		r.mu.Unlock()
		time.Sleep(delay)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"I can't share that."},"finish_reason":"stop"}],"usage":{"prompt_tokens":30,"completion_tokens":6}}`)
	})
}

func TestScanResumesAfterKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ep := &recordingEndpoint{seen: map[string]int{}}
	srv := httptest.NewServer(ep.handler(3 * time.Millisecond))
	defer srv.Close()
	data := t.TempDir()
	const planned = 2000

	cmd := exec.Command(os.Args[0], "scan", "--data", data, "--base-url", srv.URL+"/v1", "--model", "m",
		"--protocol", filepath.Join("testdata", "single.yaml"), "--repeat", fmt.Sprint(planned), "--concurrency", "4", "--format", "json")
	cmd.Env = append(os.Environ(), "AICC_TEST_MAIN=1")
	var childErr strings.Builder
	cmd.Stderr = &childErr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	st, err := sqlite.Open(context.Background(), filepath.Join(data, "aicc.db"))
	for i := 0; err != nil && i < 100; i++ { // the child creates the database
		time.Sleep(20 * time.Millisecond)
		st, err = sqlite.Open(context.Background(), filepath.Join(data, "aicc.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	// Kill -9 once a few hundred attempts are stored.
	var scanID string
	deadline := time.Now().Add(30 * time.Second)
	for {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the scan stored too few attempts in 30s; its stderr:\n%s", childErr.String())
		}
		select {
		case <-exited:
			t.Fatalf("the scan exited before it was killed; its stderr:\n%s", childErr.String())
		case <-time.After(10 * time.Millisecond):
		}
		scans, err := st.ListScans(context.Background(), 1)
		if err != nil || len(scans) == 0 {
			continue
		}
		scanID = scans[0].ID
		c, err := st.CountOutcomes(context.Background(), scanID, "")
		if err == nil && c.Total >= 300 {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited

	before, err := st.ListAttempts(context.Background(), scanID, store.AttemptFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(before) >= planned {
		t.Fatalf("the scan finished (%d attempts) before it was killed", len(before))
	}
	ep.mu.Lock()
	for _, a := range before {
		if n := ep.seen[a.Transcript[0].Content]; n != 1 {
			t.Fatalf("attempt %s stored before the kill was sent %d times", a.ID, n)
		}
	}
	ep.mu.Unlock()

	r := runCLI(t, nil, "scan", "--resume", scanID, "--data", data, "--format", "json")
	if r.code != 0 {
		t.Fatalf("resume exited %d: %s", r.code, r.stderr)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("resume report: %v\n%s", err, r.stdout)
	}
	if rep.Status != "completed" || rep.Counts.Attempts != planned || rep.Counts.Pass != planned {
		t.Fatalf("after resume: status %s, %d attempts (%d pass), want completed %d", rep.Status, rep.Counts.Attempts, rep.Counts.Pass, planned)
	}
	// Not one attempt stored before the kill was sent again.
	ep.mu.Lock()
	defer ep.mu.Unlock()
	for _, a := range before {
		if n := ep.seen[a.Transcript[0].Content]; n != 1 {
			t.Errorf("attempt %s was sent %d times, want once", a.ID, n)
		}
	}
	after, err := st.AttemptIDs(context.Background(), scanID)
	if err != nil {
		t.Fatal(err)
	}
	uniq := map[string]bool{}
	for _, id := range after {
		uniq[id] = true
	}
	if len(after) != planned || len(uniq) != planned {
		t.Fatalf("%d attempts stored (%d distinct), want %d", len(after), len(uniq), planned)
	}
	// Every endpoint request belongs to a stored attempt (the killed process
	// may have sent some it never stored; those were sent again).
	if len(ep.seen) != planned {
		t.Errorf("endpoint saw %d distinct attempts, want %d", len(ep.seen), planned)
	}
}
