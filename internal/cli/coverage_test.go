package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// extraPolicy is a valid policy file loaded with --policies.
const extraPolicy = `format: 1
id: example-agency
version: 1.0.0
title: An agency's screening policy
effective: 2020-01-01
citations:
  - id: memo
    title: The agency's screening memo, paraphrased
rules:
  - id: open-weights
    cite: [memo]
    summary: Open-weights models are worth a consultation.
    when: {open_weights: true}
    outcome: recommend_consultation
  - id: otherwise
    cite: [memo]
    summary: Otherwise not covered.
    when: {always: true}
    outcome: not_covered
`

// TestDesignationAndCoverageCLI records a designation through the CLI
// against a real server and shows the submission's coverage change.
func TestDesignationAndCoverageCLI(t *testing.T) {
	policies := t.TempDir()
	if err := os.WriteFile(filepath.Join(policies, "agency.yaml"), []byte(extraPolicy), 0o600); err != nil {
		t.Fatal(err)
	}
	url, admin := startServe(t, t.TempDir(), "--policies", policies)
	as := func(token string, args ...string) result {
		t.Helper()
		return runCLI(t, map[string]string{"AICC_SERVER": url, "AICC_TOKEN": token}, args...)
	}
	ok := func(r result) string {
		t.Helper()
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		return strings.TrimSpace(r.stdout)
	}
	member := func(org, kind, role string) string {
		t.Helper()
		id := ok(as(admin, "org", "create", "--name", org, "--kind", kind))
		var u struct{ Token string }
		if err := json.Unmarshal([]byte(ok(as(admin, "user", "create", "--org", id, "--role", role, "--format", "json"))), &u); err != nil || u.Token == "" {
			t.Fatalf("user create: %v %+v", err, u)
		}
		return u.Token
	}
	dev := member("Example AI", "developer", "developer")
	nsa := member("NSA", "agency", "analyst")

	today := time.Now().UTC().Format(time.DateOnly)
	release := time.Now().UTC().AddDate(0, 0, 21).Format(time.DateOnly)
	sub := ok(as(dev, "submission", "create", "--model", "example-chat", "--version", "1.0", "--release-date", release,
		"--endpoint", "http://127.0.0.1:9000/v1", "--endpoint-model", "refmodel-1.0",
		"--compute-ops", "3e26", "--compute-method", "6ND", "--compute-uncertainty", "0.1", "--open-weights"))
	rowOf := func(table, policy string) string {
		t.Helper()
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(policy) + `\s.*$`).FindString(table)
		if m == "" {
			t.Fatalf("no row for policy %s in\n%s", policy, table)
		}
		return m
	}
	out := ok(as(dev, "coverage", "show", sub))
	if row := rowOf(out, "clearinghouse"); !strings.Contains(row, "recommend_consultation") || !strings.Contains(row, "compute-proxy* [eo-14110-4.2b, ca-sb53-frontier]") {
		t.Errorf("clearinghouse row before the designation: %q", row)
	}
	if row := rowOf(out, "example-agency"); !strings.Contains(row, "recommend_consultation") || !strings.Contains(row, "open-weights* [memo]") {
		t.Errorf("the --policies policy's row: %q", row)
	}

	var d struct{ ID, Authority string }
	if err := json.Unmarshal([]byte(ok(as(nsa, "designation", "create", "--model", "example-chat", "--reference", "NSA notice 2026-14",
		"--date", today, "--format", "json"))), &d); err != nil || !strings.HasPrefix(d.ID, "des_") || d.Authority != "NSA" {
		t.Fatalf("designation create --format json: %v %+v", err, d)
	}
	out = ok(as(dev, "coverage", "show", sub))
	if row := rowOf(out, "clearinghouse"); !regexp.MustCompile(`\scovered\s`).MatchString(row) || !strings.Contains(row, "designated* [eo-2026]") {
		t.Errorf("clearinghouse row after the designation: %q\n%s", row, out)
	}
	var cov struct {
		Results []struct {
			PolicyID string `json:"policy_id"`
			Outcome  string `json:"outcome"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(ok(as(dev, "coverage", "show", sub, "--format", "json"))), &cov); err != nil || len(cov.Results) < 5 ||
		cov.Results[0].PolicyID != "clearinghouse" || cov.Results[0].Outcome != "covered" {
		t.Errorf("coverage show --format json: %v %+v", err, cov)
	}
	if out := ok(as(nsa, "designation", "list")); !strings.Contains(out, d.ID) || !strings.Contains(out, "covered_frontier_model by NSA") {
		t.Errorf("designation list printed %q", out)
	}
	if out := ok(as(admin, "policy", "list")); !strings.Contains(out, "example-agency") || !strings.Contains(out, "eu-ai-act-art51") {
		t.Errorf("policy list printed %q", out)
	}

	// Only agencies designate; a revocation says why.
	if r := as(dev, "designation", "create", "--model", "example-chat", "--reference", "r", "--date", today); r.code != 1 || !strings.Contains(r.stderr, "agencies") {
		t.Errorf("a developer designating: exit %d, %s", r.code, r.stderr)
	}
	if r := as(nsa, "designation", "revoke", d.ID); r.code != 2 || !strings.Contains(r.stderr, "why") {
		t.Errorf("revoke without a note: exit %d, %s", r.code, r.stderr)
	}
	if out := ok(as(nsa, "designation", "revoke", d.ID, "--note", "issued in error")); !strings.Contains(out, "revoked") {
		t.Errorf("designation revoke printed %q", out)
	}
	if row := rowOf(ok(as(dev, "coverage", "show", sub)), "clearinghouse"); !strings.Contains(row, "recommend_consultation") {
		t.Errorf("clearinghouse row after the revocation: %q", row)
	}
}

// TestServeRejectsBadPolicy checks that a policy file with a problem stops
// start-up with the file's path, line and column.
func TestServeRejectsBadPolicy(t *testing.T) {
	policies := t.TempDir()
	bad := strings.Replace(extraPolicy, "    outcome: not_covered", "    outcome: approved", 1)
	if err := os.WriteFile(filepath.Join(policies, "bad.yaml"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"aicc", "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--policies", policies},
		strings.NewReader(""), &out, &errb, func(string) string { return "" })
	want := filepath.Join(policies, "bad.yaml") + ":19:5: rules[1].outcome: \"approved\""
	if code != ExitUsage || !strings.Contains(errb.String(), want) {
		t.Errorf("serve with a bad policy: exit %d, stderr %q; want exit 2 and %q", code, errb.String(), want)
	}
	if strings.Contains(out.String(), "admin token") {
		t.Error("serve started despite the bad policy")
	}
}
