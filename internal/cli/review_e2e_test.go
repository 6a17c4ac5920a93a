package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/csaf/check"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/refmodel"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

// TestReviewQuickstart is docs/quickstart-server.md end to end: a
// developer submits refmodel-1.0 behind a loopback endpoint, an analyst
// scans it with the core protocol and confirms a finding, the developer
// posts a remediation (refmodel-1.1), and the retests tell a fixed weakness
// from one that is not; then the developer withdraws and the audit log
// verifies.
func TestReviewQuickstart(t *testing.T) {
	model := httptest.NewServer(refmodel.NewHandler(refmodel.Options{}))
	defer model.Close()
	dir := t.TempDir()
	url, admin := startServe(t, dir, "--public-url", "https://aicc.example")
	as := func(token string, args ...string) string {
		t.Helper()
		r := runCLI(t, map[string]string{"AICC_SERVER": url, "AICC_TOKEN": token, "EXAMPLE_KEY": "sk-example"}, args...)
		if r.code != 0 {
			t.Fatalf("aicc %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	org := as(admin, "org", "create", "--name", "Example AI", "--kind", "developer")
	var dev struct{ Token string }
	if err := json.Unmarshal([]byte(as(admin, "user", "create", "--org", org, "--role", "developer", "--format", "json")), &dev); err != nil {
		t.Fatal(err)
	}
	release := time.Now().UTC().AddDate(0, 0, 21).Format(time.DateOnly)
	sub := as(dev.Token, "submission", "create", "--model", "example-chat", "--version", "1.0", "--release-date", release,
		"--endpoint", model.URL+"/v1", "--endpoint-model", "refmodel-1.0", "--credential-env", "EXAMPLE_KEY")

	if out := as(admin, "review", "start", sub, "--protocol", "core", "--wait"); !strings.Contains(out, "completed") {
		t.Fatalf("review start --wait: %q", out)
	}
	var findings struct{ Items []aicc.Finding }
	if err := json.Unmarshal([]byte(as(dev.Token, "findings", "list", "--submission", sub, "--format", "json")), &findings); err != nil {
		t.Fatal(err)
	}
	byClass := map[aicc.Class]aicc.Finding{}
	for _, f := range findings.Items {
		byClass[f.Class] = f
		if f.Status != aicc.FindingNew || f.TLP != aicc.TLPRed || len(f.Evidence) == 0 {
			t.Errorf("new finding %s: status %s, TLP %s, %d evidence", f.ID, f.Status, f.TLP, len(f.Evidence))
		}
		if f.Class == aicc.ClassCyberCapability {
			t.Errorf("a capability result was made a finding: %s", f.ID)
		}
	}
	truth, _ := refmodel.GroundTruth("refmodel-1.0")
	for c := range truth {
		if _, ok := byClass[c]; !ok {
			t.Errorf("no finding of class %s, which refmodel-1.0 has", c)
		}
	}
	fixed, ok1 := byClass[aicc.ClassToolMisuse]             // fixed in refmodel-1.1
	still, ok2 := byClass[aicc.ClassSystemPromptExtraction] // not fixed in refmodel-1.1
	if !ok1 || !ok2 {
		t.Fatalf("findings by class: %v", byClass)
	}
	// The developer reads the evidence, labelled TLP:RED; the read is logged.
	var ev struct {
		TLP      aicc.TLP        `json:"tlp"`
		Attempts []*aicc.Attempt `json:"attempts"`
	}
	if err := json.Unmarshal([]byte(as(dev.Token, "finding", "evidence", fixed.ID, "--format", "json")), &ev); err != nil ||
		ev.TLP != aicc.TLPRed || len(ev.Attempts) == 0 || len(ev.Attempts[0].Transcript) == 0 {
		t.Fatalf("evidence: %v, TLP %s, %d attempts", err, ev.TLP, len(ev.Attempts))
	}
	if out := as(admin, "finding", "confirm", fixed.ID, "--note", "reproduced 5/5"); !strings.Contains(out, "confirmed") {
		t.Errorf("confirm printed %q", out)
	}
	for _, f := range []aicc.Finding{fixed, still} {
		as(dev.Token, "remediation", "create", f.ID, "--type", "guardrail", "--version", "1.1", "--endpoint-model", "refmodel-1.1")
	}
	if out := as(dev.Token, "retest", fixed.ID); !strings.Contains(out, ": fixed") {
		t.Errorf("retest of the tool-misuse finding: %q, want fixed", out)
	}
	out := as(admin, "retest", still.ID)
	if !strings.Contains(out, "not fixed") {
		t.Errorf("retest of the system-prompt finding: %q, want not fixed", out)
	}
	if rtID, _, _ := strings.Cut(out, ":"); as(dev.Token, "retest", "get", rtID) != out {
		t.Errorf("retest get %s = %q, want what the retest printed, %q", rtID, as(dev.Token, "retest", "get", rtID), out)
	}
	var got aicc.Finding
	if err := json.Unmarshal([]byte(as(dev.Token, "finding", "get", fixed.ID, "--format", "json")), &got); err != nil || got.Status != aicc.FindingFixed {
		t.Errorf("after the retest the finding is %s (%v), want fixed", got.Status, err)
	}
	// An advisory from the fixed finding: 1.0 affected, 1.1 fixed by a
	// guardrail; embargoed until the planned release, then published early
	// by agreement; a grid operator reads the summary and details, not the
	// payload.
	opOrg := as(admin, "org", "create", "--name", "Grid Operator", "--kind", "operator")
	var op struct{ Token string }
	if err := json.Unmarshal([]byte(as(admin, "user", "create", "--org", opOrg, "--role", "admin", "--format", "json")), &op); err != nil {
		t.Fatal(err)
	}
	var adv advisory.Advisory
	if err := json.Unmarshal([]byte(as(admin, "advisory", "create", "--from-finding", fixed.ID, "--details-audience", "operator",
		"--package", "PyPI:example-agent-kit@0.4.0", "--format", "json")), &adv); err != nil {
		t.Fatal(err)
	}
	if adv.State != advisory.StateDraft || len(adv.Packages) != 1 || len(adv.Products) != 2 || adv.Products[1].Status != advisory.StatusFixed || adv.Products[1].Version != "1.1" || adv.Payload.Text == "" {
		t.Fatalf("advisory draft: %+v", adv)
	}
	// A version the analyst knows is not affected joins the advisory.
	as(admin, "advisory", "edit", adv.ID, "--product", "example-chat-mini@1.0=not_affected:component_not_present",
		"--package", "PyPI:example-agent-kit@0.4.0..0.9.2")
	if out := as(admin, "advisory", "get", adv.ID); !strings.Contains(out, "example-chat-mini 1.0 (api): not_affected") {
		t.Errorf("after adding a product:\n%s", out)
	}
	if r := runCLI(t, map[string]string{"AICC_SERVER": url, "AICC_TOKEN": admin}, "advisory", "edit", adv.ID, "--product", "example-chat@2.0=broken"); r.code != ExitUsage {
		t.Errorf("a bad --product: exit %d %s", r.code, r.stderr)
	}
	if out := as(admin, "advisory", "publish", adv.ID); !strings.Contains(out, "embargoed until "+release) {
		t.Errorf("publish before the release: %q", out)
	}
	if r := runCLI(t, map[string]string{"AICC_SERVER": url, "AICC_TOKEN": op.Token}, "advisory", "get", adv.ID); r.code != ExitError || !strings.Contains(r.stderr, "not found") {
		t.Errorf("an operator read an embargoed advisory: %d %s %s", r.code, r.stdout, r.stderr)
	}
	as(dev.Token, "advisory", "statement", adv.ID, "--text", "Fixed in 1.1.")
	if out := as(admin, "advisory", "embargo", adv.ID, "--none", "--reason", "Example AI agreed to publish now"); !strings.Contains(out, " published ") {
		t.Errorf("lifting the embargo by agreement: %q", out)
	}
	if out := as(op.Token, "advisory", "get", adv.ID); !strings.Contains(out, "details [TLP:AMBER]: ") || !strings.Contains(out, "payload [TLP:RED]: withheld") ||
		strings.Contains(out, adv.Payload.Text) || !strings.Contains(out, "developer statement: Fixed in 1.1.") {
		t.Errorf("the operator's view:\n%s", out)
	}
	// Exports are deterministic: the same revision twice gives the same bytes.
	exports := filepath.Join(dir, "exports")
	path := as(admin, "advisory", "export", adv.ID, "--format", "stix", "--out", exports)
	first, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(first), `"type": "bundle"`) && !strings.Contains(string(first), `"type":"bundle"`) {
		t.Fatalf("stix export %s: %v\n%.300s", path, err, first)
	}
	if again := as(admin, "advisory", "export", adv.ID, "--format", "stix"); again != strings.TrimSpace(string(first)) {
		t.Error("a second export of the same revision differs")
	}
	// The CSAF document passes the schema and the mandatory tests, as the
	// operator's view too; the payload stays out of the operator's.
	for _, c := range []struct{ token, format string }{{admin, "csaf"}, {admin, "csaf-vex"}, {op.Token, "csaf"}, {dev.Token, "openvex"}, {op.Token, "osv"}} {
		path := as(c.token, "advisory", "export", adv.ID, "--format", c.format, "--out", filepath.Join(exports, c.format))
		doc, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(c.format, "csaf") {
			if filepath.Base(path) != strings.ToLower(adv.ID)+".json" {
				t.Errorf("CSAF file name %s", path)
			}
			rep, err := check.Validate(doc)
			if err != nil || !rep.OK() {
				t.Errorf("CSAF export (%s) is not valid: %v\n%s", c.format, err, rep)
			}
		}
		if c.format == "osv" && !strings.Contains(string(doc), `"fixed": "0.9.2"`) {
			t.Errorf("the OSV record lacks the fix the edit added:\n%s", doc)
		}
		if c.token == op.Token && strings.Contains(string(doc), adv.Payload.Text) {
			t.Error("the operator's CSAF export carries the payload")
		}
	}
	// Offline, from the data directory: the same bytes as the server's.
	online := as(admin, "advisory", "export", adv.ID, "--format", "csaf")
	if r := runCLI(t, map[string]string{}, "advisory", "export", adv.ID, "--format", "csaf", "--data", dir, "--public-url", "https://aicc.example"); r.code != 0 || strings.TrimSpace(r.stdout) != online {
		t.Errorf("offline export: %d %s; differs from the server's: %v", r.code, r.stderr, r.stdout != string(online))
	}
	if fi, err := os.Stat(filepath.Join(dir, "csaf-signing.asc")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("CSAF signing key: %v %v", fi, err)
	}
	// The operator's copy of the whole CSAF provider directory.
	csafDir := filepath.Join(dir, "csaf")
	if r := runCLI(t, map[string]string{}, "advisory", "csaf-directory", "--data", dir, "--public-url", "https://aicc.example", "--out", csafDir); r.code != 0 || !strings.Contains(r.stdout, "wrote 1 documents") {
		t.Fatalf("csaf-directory: %d %s %s", r.code, r.stdout, r.stderr)
	}
	docPath := filepath.Join(csafDir, "white", release[:4], strings.ToLower(adv.ID)+".json")
	if y := time.Now().UTC().Format("2006"); y != release[:4] {
		docPath = filepath.Join(csafDir, "white", y, strings.ToLower(adv.ID)+".json")
	}
	for _, f := range []string{"provider-metadata.json", "white/index.txt", "white/changes.csv", "white/csaf-feed-tlp-white.json"} {
		if _, err := os.Stat(filepath.Join(csafDir, f)); err != nil {
			t.Errorf("CSAF directory: %v", err)
		}
	}
	if doc, err := os.ReadFile(docPath); err != nil {
		t.Errorf("CSAF directory document: %v", err)
	} else if rep, err := check.Validate(doc); err != nil || !rep.OK() || strings.Contains(string(doc), adv.Payload.Text) {
		t.Errorf("CSAF directory document is not valid or carries the payload: %v %s", err, rep)
	}
	for _, ext := range []string{".sha256", ".sha512", ".asc"} {
		if _, err := os.Stat(docPath + ext); err != nil {
			t.Errorf("CSAF directory: %v", err)
		}
	}
	as(dev.Token, "submission", "withdraw", sub)
	// Withdrawal deletes the transcripts of every scan of the review at once.
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "aicc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, scanID := range []string{fixed.ScanID} {
		atts, err := st.ListAttempts(context.Background(), scanID, store.AttemptFilter{})
		if err != nil || len(atts) == 0 {
			t.Fatalf("attempts of %s: %d, %v", scanID, len(atts), err)
		}
		for _, a := range atts {
			if len(a.Transcript) != 0 || a.Evidence != nil {
				t.Fatalf("attempt %s of a withdrawn submission keeps its transcript", a.ID)
			}
		}
	}
	var withdrawn struct {
		Endpoint      aicc.Endpoint `json:"endpoint"`
		HasCredential bool          `json:"has_credential"`
	}
	if err := json.Unmarshal([]byte(as(dev.Token, "submission", "get", sub, "--format", "json")), &withdrawn); err != nil || withdrawn.Endpoint.BaseURL != "" || withdrawn.HasCredential {
		t.Errorf("withdrawn submission keeps its endpoint or credential: %+v %v", withdrawn, err)
	}
	if out := as(admin, "audit", "verify"); !strings.Contains(out, "intact") {
		t.Errorf("audit verify: %q", out)
	}
	if out := as(admin, "audit", "list", "--limit", "1000"); !regexp.MustCompile(`(?m)submission\.withdraw +submission `+sub+`$`).MatchString(out) || !strings.Contains(out, "evidence.read") {
		t.Errorf("audit list lacks the withdrawal or the evidence read:\n%s", out)
	}
}

// TestReviewEndpointBehindGateway reviews an endpoint that wants its key
// in an "api-key" header: the server's scan sends it there, and only there.
func TestReviewEndpointBehindGateway(t *testing.T) {
	model := refmodel.NewHandler(refmodel.Options{})
	var served, denied atomic.Int64
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Api-Key") != "sk-gateway" || r.Header.Get("Authorization") != "" {
			denied.Add(1)
			http.Error(w, `{"error":{"message":"unauthorized"}}`, http.StatusUnauthorized)
			return
		}
		served.Add(1)
		model.ServeHTTP(w, r)
	}))
	defer gw.Close()
	dir := t.TempDir()
	url, admin := startServe(t, dir)
	as := func(token string, args ...string) string {
		t.Helper()
		r := runCLI(t, map[string]string{"AICC_SERVER": url, "AICC_TOKEN": token, "GW_KEY": "sk-gateway"}, args...)
		if r.code != 0 {
			t.Fatalf("aicc %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	org := as(admin, "org", "create", "--name", "Gateway AI", "--kind", "developer")
	var dev struct{ Token string }
	if err := json.Unmarshal([]byte(as(admin, "user", "create", "--org", org, "--role", "developer", "--format", "json")), &dev); err != nil {
		t.Fatal(err)
	}
	release := time.Now().UTC().AddDate(0, 0, 21).Format(time.DateOnly)
	sub := as(dev.Token, "submission", "create", "--model", "gw-chat", "--version", "1.0", "--release-date", release,
		"--endpoint", gw.URL+"/v1", "--endpoint-model", "refmodel-1.0", "--endpoint-auth-header", "api-key", "--credential-env", "GW_KEY")
	if out := as(admin, "review", "start", sub, "--protocol", "core", "--wait"); !strings.Contains(out, "completed") {
		t.Fatalf("review start --wait: %q", out)
	}
	if served.Load() == 0 || denied.Load() != 0 {
		t.Errorf("the gateway served %d requests and denied %d", served.Load(), denied.Load())
	}
	var s struct{ Endpoint aicc.Endpoint }
	if err := json.Unmarshal([]byte(as(dev.Token, "submission", "get", sub, "--format", "json")), &s); err != nil || s.Endpoint.AuthHeader != "api-key" {
		t.Errorf("submission endpoint: %+v %v", s.Endpoint, err)
	}
	r := runCLI(t, map[string]string{"AICC_SERVER": url, "AICC_TOKEN": dev.Token}, "submission", "create", "--model", "m", "--version", "1", "--release-date", release,
		"--endpoint", gw.URL+"/v1", "--endpoint-model", "m", "--endpoint-max-tokens-param", "max_output_tokens")
	if r.code == 0 || !strings.Contains(r.stderr, "max_tokens_param") {
		t.Errorf("a bad max_tokens_param: %d %s", r.code, r.stderr)
	}
}
