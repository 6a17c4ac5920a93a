package provider_test

import (
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
)

// TestGocsafChecker serves the sample tree over TLS on loopback, as
// /.well-known/csaf/ with directory listings, and runs
// gocsaf's csaf_checker against it: the reference tool must report no
// error. TLP:AMBER and TLP:RED paths answer 401 without a token, as
// Restricted says; AICC_CSAF_CHECKER_AUTH=1 makes the checker send it. It
// runs only when AICC_CSAF_CHECKER names the binary.
func TestGocsafChecker(t *testing.T) {
	bin := os.Getenv("AICC_CSAF_CHECKER")
	if bin == "" {
		t.Skip("set AICC_CSAF_CHECKER to a csaf_checker binary to run this test " +
			"(GOBIN=/tmp/bin go install github.com/gocsaf/csaf/v3/cmd/csaf_checker@v3.5.1)")
	}
	srv := httptest.NewUnstartedServer(nil)
	srv.StartTLS()
	defer srv.Close()
	host := srv.Listener.Addr().String()

	s, _ := testSigner(t)
	cfg := testConfig(s)
	cfg.BaseURL = "https://" + host + "/.well-known/csaf"
	files := build(t, cfg, sampleDocs(t))
	srv.Config.Handler = treeHandler(files)

	// The direct URL of the metadata spares the checker's look-up of the
	// DNS name of requirement 10; a domain would be looked up.
	report := filepath.Join(t.TempDir(), "report.json")
	args := []string{"--insecure", "-f", "json", "-o", report}
	auth := os.Getenv("AICC_CSAF_CHECKER_AUTH") != ""
	if auth {
		args = append(args, "-H", "Authorization: Bearer secret")
	}
	args = append(args, cfg.BaseURL+"/provider-metadata.json")
	out, err := exec.CommandContext(t.Context(), bin, args...).CombinedOutput()
	t.Logf("csaf_checker: %v\n%s", err, out)
	raw, rerr := os.ReadFile(report)
	if rerr != nil {
		t.Fatalf("no report: %v", rerr)
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
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Domains) != 1 {
		t.Fatalf("report on %d domains:\n%s", len(r.Domains), raw)
	}
	if !r.Domains[0].Passed {
		t.Error("the checker does not pass the provider in its role")
	}
	for _, req := range r.Domains[0].Requirements {
		for _, m := range req.Messages {
			// Warnings expected: no remote validator, no ROLIE category
			// documents (optional), and 401 for the amber and red feeds.
			// With the token, the checker also reads the amber and red
			// feeds and misses their documents in the directory
			// distributions, which list the public folders only.
			const errorType = 2
			byDesign := auth && (req.Num == 12 || req.Num == 13) && strings.Contains(m.Text, "in ROLIE, not in index.txt") &&
				(strings.Contains(m.Text, "/amber/") || strings.Contains(m.Text, "/red/"))
			if m.Type == errorType && !byDesign {
				t.Errorf("requirement %d (%s): %s", req.Num, req.Description, m.Text)
			} else {
				t.Logf("requirement %d (%s): type %d: %s", req.Num, req.Description, m.Type, m.Text)
			}
		}
	}
}

// treeHandler serves files under /.well-known/csaf/ with directory
// listings (requirement 14), and 401 for restricted paths without the token.
func treeHandler(files map[string][]byte) http.Handler {
	const prefix = "/.well-known/csaf/"
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+"{name...}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		if provider.Restricted(name) && r.Header.Get("Authorization") != "Bearer secret" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if b, ok := files[name]; ok {
			if strings.HasSuffix(name, ".json") {
				w.Header().Set("Content-Type", "application/json")
			} else {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			}
			w.Write(b)
			return
		}
		dir := strings.TrimSuffix(name, "/")
		if dir != "" {
			dir += "/"
		}
		var entries []string
		for _, f := range slices.Sorted(maps.Keys(files)) {
			if rest, ok := strings.CutPrefix(f, dir); ok {
				child, _, isDir := strings.Cut(rest, "/")
				if isDir {
					child += "/"
				}
				if !slices.Contains(entries, child) {
					entries = append(entries, child)
				}
			}
		}
		if len(entries) == 0 {
			http.NotFound(w, r)
			return
		}
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body><ul>\n")
		for _, e := range entries {
			fmt.Fprintf(w, "<li><a href=\"%s\">%s</a></li>\n", html.EscapeString(e), html.EscapeString(e))
		}
		fmt.Fprint(w, "</ul></body></html>\n")
	})
	return mux
}
