package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/protocol"
)

const fullProtocol = "../protocol/testdata/full.yaml"

func TestProtocolList(t *testing.T) {
	core, err := protocol.Builtin("core")
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "protocol", "list")
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if !regexp.MustCompile(`^NAME +VERSION +PROBES +ATTEMPTS +DIGEST$`).MatchString(lines[0]) {
		t.Errorf("header = %q", lines[0])
	}
	row := regexp.MustCompile(`(?m)^core +` + regexp.QuoteMeta(core.Version) + ` +(\d+) +(\d+) +(sha256:[0-9a-f]{64})$`).FindStringSubmatch(r.stdout)
	if row == nil || row[3] != core.Digest {
		t.Errorf("no row for core %s %s in:\n%s", core.Version, core.Digest, r.stdout)
	}

	r = runCLI(t, nil, "protocol", "list", "--format", "json")
	var list []struct {
		Name            string `json:"name"`
		Probes          int    `json:"probes"`
		PlannedAttempts int    `json:"planned_attempts"`
		Digest          string `json:"digest"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatalf("list --format json: %v\n%s", err, r.stdout)
	}
	if len(list) == 0 || list[0].Name != "core" || list[0].Probes != len(core.Probes) ||
		list[0].PlannedAttempts != core.PlannedAttempts(1) || list[0].Digest != core.Digest {
		t.Errorf("list = %+v", list)
	}
}

func TestProtocolShow(t *testing.T) {
	r := runCLI(t, nil, "protocol", "show", fullProtocol)
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"full 1.2.3 (" + fullProtocol + ")",
		"probes:   4, 7 planned attempts per repetition",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show output lacks %q:\n%s", want, r.stdout)
		}
	}
	if !regexp.MustCompile(`(?m)^leak\.system +system_prompt_extraction +high +3 +LLM07:2025 AML\.T0051\.000 CWE-200$`).MatchString(r.stdout) {
		t.Errorf("no line for probe leak.system:\n%s", r.stdout)
	}

	r = runCLI(t, nil, "protocol", "show", fullProtocol, "--format", "yaml")
	src, err := os.ReadFile(fullProtocol)
	if err != nil {
		t.Fatal(err)
	}
	if r.stdout != string(src) {
		t.Error("show --format yaml did not print the exact source")
	}

	r = runCLI(t, nil, "protocol", "show", "builtin:core", "--format", "json")
	var s struct {
		Name      string `json:"name"`
		ProbeList []struct {
			ID        string   `json:"id"`
			Variants  int      `json:"variants"`
			Detectors []string `json:"detectors"`
		} `json:"probe_list"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("show --format json: %v\n%s", err, r.stdout)
	}
	if s.Name != "core" || len(s.ProbeList) == 0 || s.ProbeList[0].Variants < 1 || len(s.ProbeList[0].Detectors) == 0 {
		t.Errorf("show json = %+v", s)
	}
}

func TestProtocolLint(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("format: 1\nname: Bad\nversion: 1.0.0\nprobes: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(fullProtocol)
	full, err := protocol.Parse(fullProtocol, src)
	if err != nil {
		t.Fatal(err)
	}

	r := runCLI(t, nil, "protocol", "lint", fullProtocol)
	if want := fullProtocol + ": ok (4 probes, " + full.Digest + ")\n"; r.code != ExitOK || r.stdout != want {
		t.Errorf("lint clean file: exit %d, stdout %q, want %q", r.code, r.stdout, want)
	}

	missing := filepath.Join(dir, "missing.yaml")
	r = runCLI(t, nil, "protocol", "lint", bad, fullProtocol, missing)
	if r.code != ExitError {
		t.Errorf("exit %d, want %d", r.code, ExitError)
	}
	wantOut := bad + `:2:1: name: "Bad" must match ^[a-z0-9][a-z0-9_-]*$` + "\n" +
		bad + ":4:1: probes: at least one probe is required\n" +
		fullProtocol + ": ok (4 probes, " + full.Digest + ")\n"
	if r.stdout != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, wantOut)
	}
	if !strings.Contains(r.stderr, missing) || !strings.Contains(r.stderr, "2 of 3 protocol files failed lint") {
		t.Errorf("stderr = %q, want the missing file named and a count", r.stderr)
	}
}

func TestProtocolUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"protocol", "list", "--format", "xml"}, "text, json"},
		{[]string{"protocol", "show", "core", "--format", "csv"}, "text, json, yaml"},
		{[]string{"protocol", "show"}, "protocol name or file"},
		{[]string{"protocol", "lint"}, "protocol files"},
		{[]string{"protocol", "bogus"}, "list, show or lint"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runCLI(t, nil, tt.args...)
			if r.code != ExitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", r.code, r.stderr, ExitUsage, tt.want)
			}
		})
	}
	r := runCLI(t, nil, "protocol", "show", "builtin:nope")
	if r.code == ExitOK || !strings.Contains(r.stderr, "nope") {
		t.Errorf("show builtin:nope: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestProtocolHelpHasExamples(t *testing.T) {
	cmd := newProtocolCmd(&env{})
	for _, c := range append(cmd.Commands(), cmd) {
		if c.Example == "" {
			t.Errorf("aicc %s has no Example", c.Name())
		}
	}
}
