package app_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/app"
	"github.com/aicc-dev/aicc/internal/config"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

// TestServedCSAFDirectoryPassesChecker runs gocsaf's csaf_checker against
// the provider directory `aicc serve` serves (over TLS on loopback), with
// real advisories' documents. It runs only when AICC_CSAF_CHECKER names the
// binary (GOBIN=/tmp/bin go install github.com/gocsaf/csaf/v3/cmd/csaf_checker@v3.5.1).
func TestServedCSAFDirectoryPassesChecker(t *testing.T) {
	bin := os.Getenv("AICC_CSAF_CHECKER")
	if bin == "" {
		t.Skip("set AICC_CSAF_CHECKER to a csaf_checker binary to run this test")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, config.DBPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	for i, label := range []aicc.TLP{aicc.TLPClear, aicc.TLPClear, aicc.TLPGreen, aicc.TLPAmber} {
		a := advisorytest.Example()
		a.ID = advisory.FormatID(2026, i+1)
		a.Summary.TLP = label
		if label == aicc.TLPAmber {
			a.Summary.Audience = advisory.Audience{Kinds: []aicc.OrgKind{aicc.OrgOperator}}
		}
		a.Revision, a.State, a.History = 1, advisory.StatePublished, a.History[:1]
		a.RevisedAt = a.PublishedAt.Add(time.Duration(i) * time.Hour)
		a.History[0].Date = a.RevisedAt
		a.PublishedAt = a.RevisedAt
		if err := db.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateAdvisory(ctx, a) }); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	srv := httptest.NewUnstartedServer(nil)
	a, err := app.Open(ctx, app.Config{DataDir: dir, ScanWorkers: -1, PublicURL: "https://" + srv.Listener.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv.Config.Handler = a.Handler()
	srv.StartTLS()
	defer srv.Close()
	for _, token := range []string{"", a.AdminToken} {
		t.Run(map[bool]string{true: "anonymous", false: "with a token"}[token == ""], func(t *testing.T) {
			runChecker(t, bin, srv.URL, token)
		})
	}
	// A mirror: csaf_downloader fetches every document it may read and
	// checks its hashes and signature (the public two without a token, all
	// four with the clearinghouse's).
	if dl := os.Getenv("AICC_CSAF_DOWNLOADER"); dl != "" {
		for _, c := range []struct {
			token string
			want  int
		}{{"", 2}, {a.AdminToken, 4}} {
			out := t.TempDir()
			args := []string{"--insecure", "-d", out}
			if c.token != "" {
				args = append(args, "-H", "Authorization: Bearer "+c.token)
			}
			res, err := exec.CommandContext(t.Context(), dl, append(args, srv.URL+"/.well-known/csaf/provider-metadata.json")...).CombinedOutput()
			if err != nil {
				t.Fatalf("csaf_downloader: %v\n%s", err, res)
			}
			var docs []string
			_ = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
					docs = append(docs, p)
				}
				return nil
			})
			if len(docs) != c.want {
				t.Errorf("csaf_downloader (token %v) mirrored %d documents, want %d: %v\n%s", c.token != "", len(docs), c.want, docs, res)
			}
		}
	}
}

// runChecker runs csaf_checker on the provider at base, with a token if
// given, and fails on every error it reports. With a token the checker
// also reads the restricted feeds and finds their documents missing from
// the directory distributions, which list the public folder only: that is
// by design.
func runChecker(t *testing.T, bin, base, token string) {
	report := filepath.Join(t.TempDir(), "report.json")
	args := []string{"--insecure", "-f", "json", "-o", report}
	if token != "" {
		args = append(args, "-H", "Authorization: Bearer "+token)
	}
	out, err := exec.CommandContext(t.Context(), bin, append(args, base+"/.well-known/csaf/provider-metadata.json")...).CombinedOutput()
	t.Logf("csaf_checker: %v\n%s", err, out)
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("no report: %v", err)
	}
	var r struct {
		Domains []struct {
			Passed       bool `json:"passed"`
			Requirements []struct {
				Num         int    `json:"num"`
				Description string `json:"description"`
				Messages    []struct {
					Type int    `json:"type"`
					Text string `json:"text"`
				} `json:"messages"`
			} `json:"requirements"`
		} `json:"domains"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || len(r.Domains) != 1 {
		t.Fatalf("report: %v\n%s", err, raw)
	}
	if !r.Domains[0].Passed {
		t.Error("the checker does not pass the provider in its role")
	}
	for _, req := range r.Domains[0].Requirements {
		for _, m := range req.Messages {
			byDesign := token != "" && (req.Num == 12 || req.Num == 13) && strings.Contains(m.Text, "in ROLIE, not in index.txt") &&
				(strings.Contains(m.Text, "/green/") || strings.Contains(m.Text, "/amber/"))
			if m.Type == 2 && !byDesign {
				t.Errorf("requirement %d (%s): %s", req.Num, req.Description, m.Text)
			} else {
				t.Logf("requirement %d (%s): type %d: %s", req.Num, req.Description, m.Type, m.Text)
			}
		}
	}
}
