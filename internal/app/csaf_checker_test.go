package app_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
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
	for i, label := range []aicc.TLP{aicc.TLPClear, aicc.TLPClear, aicc.TLPGreen} {
		a := advisorytest.Example()
		a.ID = advisory.FormatID(2026, i+1)
		a.Summary.TLP = label
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
	report := filepath.Join(t.TempDir(), "report.json")
	out, err := exec.CommandContext(t.Context(), bin, "--insecure", "-f", "json", "-o", report,
		srv.URL+"/.well-known/csaf/provider-metadata.json").CombinedOutput()
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
			if m.Type == 2 {
				t.Errorf("requirement %d (%s): %s", req.Num, req.Description, m.Text)
			} else {
				t.Logf("requirement %d (%s): type %d: %s", req.Num, req.Description, m.Type, m.Text)
			}
		}
	}
}
