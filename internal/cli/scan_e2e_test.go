package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/refmodel"
	"github.com/aicc-dev/aicc/internal/report"
)

// startRefmodelProcess runs `aicc refmodel serve` in a child process.
func startRefmodelProcess(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "refmodel", "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "AICC_TEST_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	url := "http://" + addr + "/v1"
	for i := 0; ; i++ {
		resp, err := http.Get(url + "/models")
		if err == nil {
			resp.Body.Close()
			return url
		}
		if i > 250 {
			t.Fatalf("refmodel serve did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func decodeReport(t *testing.T, r result) *report.Report {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, r.stdout)
	}
	return &rep
}

func findingClasses(rep *report.Report) []string {
	var cs []string
	for _, f := range rep.Findings {
		if !slices.Contains(cs, string(f.Class)) {
			cs = append(cs, string(f.Class))
		}
	}
	slices.Sort(cs)
	return cs
}

func TestScanAgainstRefmodelServe(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	url := startRefmodelProcess(t)
	for _, tc := range []struct {
		model        string
		wantFindings bool
	}{
		{"refmodel-1.0", true},
		{"refmodel-hardened", false},
	} {
		t.Run(tc.model, func(t *testing.T) {
			data := t.TempDir()
			rep := decodeReport(t, runCLI(t, nil, "scan", "--data", data, "--base-url", url, "--model", tc.model, "--format", "json"))
			if rep.Status != "completed" || rep.Counts.Attempts == 0 || rep.Counts.Attempts != rep.Counts.Planned {
				t.Fatalf("status %s, %d of %d attempts", rep.Status, rep.Counts.Attempts, rep.Counts.Planned)
			}
			if rep.Counts.Error != 0 {
				t.Errorf("%d attempts ended as error", rep.Counts.Error)
			}
			if got := len(rep.Findings) > 0; got != tc.wantFindings {
				t.Fatalf("findings %v, want findings: %v", findingClasses(rep), tc.wantFindings)
			}
			if rep.Protocol.Name != "core" || !strings.HasPrefix(rep.Protocol.Digest, "sha256:") || rep.ScanID == "" || rep.Target == "" {
				t.Errorf("report header incomplete: %+v", rep)
			}
			if rep.StartedAt.IsZero() || rep.FinishedAt.Before(rep.StartedAt) || rep.RequestsPerSecond <= 0 {
				t.Errorf("report times: started %v finished %v, %g req/s", rep.StartedAt, rep.FinishedAt, rep.RequestsPerSecond)
			}
			for _, f := range rep.Findings {
				if f.ID == "" || f.Title == "" || f.Severity == "" || len(f.Evidence) == 0 || len(f.Taxonomy.OWASP) == 0 {
					t.Errorf("finding incomplete: %+v", f)
				}
			}
		})
	}
}

func TestScanBuiltinQuickStart(t *testing.T) {
	data := t.TempDir()
	r := runCLI(t, nil, "scan", "--model", "builtin:refmodel-1.0", "--data", data)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"sc_", "core", "prompt_injection_direct"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text report lacks %q:\n%s", want, r.stdout)
		}
	}
	// --fail-on-findings turns confirmed findings into exit 3, and the stored
	// scan can be shown again, as HTML.
	r = runCLI(t, nil, "scan", "--model", "builtin:refmodel-1.0", "--data", data, "--fail-on-findings", "--format", "json")
	if r.code != ExitFindings {
		t.Fatalf("--fail-on-findings exit %d, want %d", r.code, ExitFindings)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "r.html")
	if r := runCLI(t, nil, "scan", "show", rep.ScanID, "--data", data, "--format", "html", "--out", out); r.code != 0 {
		t.Fatalf("scan show: exit %d: %s", r.code, r.stderr)
	}
	html, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(html), rep.ScanID) {
		t.Fatalf("html report missing or without the scan ID (%v)", err)
	}
	if r := runCLI(t, nil, "scan", "--model", "builtin:refmodel-hardened", "--data", data, "--fail-on-findings"); r.code != 0 {
		t.Fatalf("hardened model with --fail-on-findings: exit %d: %s", r.code, r.stderr)
	}
}

func TestScanDryRun(t *testing.T) {
	r := runCLI(t, nil, "scan", "--model", "builtin:refmodel-1.0", "--repeat", "3", "--dry-run", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var pl plan
	if err := json.Unmarshal([]byte(r.stdout), &pl); err != nil {
		t.Fatal(err)
	}
	if pl.Attempts == 0 || pl.Attempts%3 != 0 || pl.Requests < pl.Attempts || pl.EstInputTokens <= 0 || len(pl.Probes) == 0 {
		t.Fatalf("plan %+v", pl)
	}
}

func TestScanBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"scan"}, "--model is required"},
		{[]string{"scan", "--model", "m"}, "--base-url is required"},
		{[]string{"scan", "--model", "builtin:refmodel-9"}, "unknown reference model"},
		{[]string{"scan", "--model", "builtin:refmodel-1.0", "--format", "xml"}, `unknown --format "xml"`},
		{[]string{"scan", "--model", "builtin:refmodel-1.0", "--repeat", "0"}, "repeat must be at least 1"},
		{[]string{"scan", "--model", "builtin:refmodel-1.0", "--concurrency", "x"}, "invalid argument"},
		{[]string{"scan", "--model", "m", "--base-url", "ftp://x"}, "base"},
		{[]string{"scan", "--model", "builtin:refmodel-1.0", "--protocol", "nope.yaml"}, "nope.yaml"},
		{[]string{"scan", "--model", "builtin:refmodel-1.0", "--api-key-env", "A", "--api-key-file", "f"}, "api"},
		{[]string{"scan", "--resume", "sc_x", "--model", "m"}, "--model cannot be changed on --resume"},
		{[]string{"scan", "--bogus"}, "unknown flag"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runCLI(t, nil, append(tc.args, "--data", t.TempDir())...)
			if r.code != ExitUsage {
				t.Fatalf("exit %d, want %d; stderr: %s", r.code, ExitUsage, r.stderr)
			}
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if len(lines) != 1 || !strings.Contains(strings.ToLower(lines[0]), strings.ToLower(tc.want)) {
				t.Fatalf("stderr %q, want one line containing %q", r.stderr, tc.want)
			}
		})
	}
}

func TestScanResumeUnknownID(t *testing.T) {
	r := runCLI(t, nil, "scan", "--resume", "sc_missing", "--data", t.TempDir())
	if r.code != ExitError || !strings.Contains(r.stderr, "sc_missing") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestCredentialsNeverInOutput(t *testing.T) {
	const key = "sk-test-9f8e7d6c5b4a"
	url := startRefmodelProcess(t)
	data := t.TempDir()
	env := map[string]string{"MY_KEY": key, "AICC_LOG_LEVEL": "debug"}
	r := runCLI(t, env, "scan", "--data", data, "--base-url", url, "--model", "refmodel-1.0", "--api-key-env", "MY_KEY", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, key) {
		t.Fatal("the API key appears in the output")
	}
	db, err := os.ReadFile(filepath.Join(data, "aicc.db"))
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(filepath.Join(data, "aicc.db-wal"))
	if strings.Contains(string(db)+string(wal), key) {
		t.Fatal("the API key was stored")
	}
}

// TestScanAuthHeader scans an endpoint behind a gateway that wants the key
// in an "api-key" header and a tenant header: the scan gets through, and
// the key is neither printed nor stored while the tenant header is.
func TestScanAuthHeader(t *testing.T) {
	const key = "gw-key-5a4b3c2d1e"
	model := refmodel.NewHandler(refmodel.Options{})
	var denied atomic.Int64
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Api-Key") != key || r.Header.Get("Authorization") != "" || r.Header.Get("X-Tenant") != "t1" {
			denied.Add(1)
			http.Error(w, `{"error":{"message":"unauthorized"}}`, http.StatusUnauthorized)
			return
		}
		// Like OpenAI's reasoning models: max_tokens is refused.
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), `"max_tokens"`) || !strings.Contains(string(body), `"max_completion_tokens":64`) {
			denied.Add(1)
			http.Error(w, `{"error":{"message":"Unsupported parameter: 'max_tokens'"}}`, http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		model.ServeHTTP(w, r)
	}))
	defer gw.Close()
	data := t.TempDir()
	r := runCLI(t, map[string]string{"GW_KEY": key}, "scan", "--data", data, "--base-url", gw.URL+"/v1", "--model", "refmodel-1.0",
		"--api-key-env", "GW_KEY", "--auth-header", "api-key", "--header", "X-Tenant=t1", "--max-tokens", "64", "--max-tokens-param", "max_completion_tokens",
		"--validate", "0", "--format", "json")
	if r.code != 0 || denied.Load() != 0 {
		t.Fatalf("exit %d, %d requests denied: %s", r.code, denied.Load(), r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, key) {
		t.Fatal("the key appears in the output")
	}
	db, _ := os.ReadFile(filepath.Join(data, "aicc.db"))
	wal, _ := os.ReadFile(filepath.Join(data, "aicc.db-wal"))
	if strings.Contains(string(db)+string(wal), key) {
		t.Fatal("the key was stored")
	}
	if r := runCLI(t, nil, "scan", "--data", data, "--base-url", gw.URL+"/v1", "--model", "m", "--header", "no-equals"); r.code != ExitUsage {
		t.Errorf("--header without =: exit %d", r.code)
	}
	if r := runCLI(t, nil, "scan", "--data", data, "--base-url", gw.URL+"/v1", "--model", "m", "--auth-header", "Authorization: two words"); r.code != ExitUsage {
		t.Errorf("a bad --auth-header: exit %d", r.code)
	}
}
