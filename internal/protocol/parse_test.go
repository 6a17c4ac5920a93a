package protocol

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestDigest(t *testing.T) {
	src, err := os.ReadFile("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Parse("a.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("b.yaml", bytes.Clone(src))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(src)
	if want := "sha256:" + hex.EncodeToString(sum[:]); a.Digest != want || b.Digest != want {
		t.Errorf("digests %s, %s; want %s for both", a.Digest, b.Digest, want)
	}
	if !bytes.Equal(a.Source, src) || a.File != "a.yaml" {
		t.Errorf("Source or File not set: %q", a.File)
	}
	changed := bytes.Replace(src, []byte("Every field"), []byte("every field"), 1)
	c, err := Parse("a.yaml", changed)
	if err != nil {
		t.Fatal(err)
	}
	if c.Digest == a.Digest {
		t.Errorf("a one-byte change kept the digest %s", c.Digest)
	}
	src[0] = 'X' // Parse keeps its own copy of the source
	if a.Source[0] == 'X' {
		t.Error("Parse kept the caller's buffer as Source")
	}
}

func TestParseFields(t *testing.T) {
	p := loadFull(t)
	if p.Name != "full" || p.Version != "1.2.3" || p.Format != 1 || len(p.Probes) != 4 {
		t.Fatalf("parsed %s %s format %d with %d probes", p.Name, p.Version, p.Format, len(p.Probes))
	}
	pr := p.Probe("leak.system")
	if pr.Class != aicc.ClassSystemPromptExtraction || pr.Severity != aicc.SeverityHigh ||
		pr.Taxonomy.ATLAS[0] != "AML.T0051.000" || *pr.Sampling.Temperature != 0 || pr.Sampling.MaxTokens != 256 {
		t.Errorf("leak.system = %+v", pr)
	}
	tool := p.Probe("indirect.tool").Tools[0]
	if tool.Parameters["type"] != "object" {
		t.Errorf("tool parameters = %v", tool.Parameters)
	}
	p = loadNext(t)
	d := p.Probe("leak.system.obfuscated").Derive
	if d == nil || d.From != "leak.system" || !slices.Equal(d.Transforms, []string{"base64", "leetspeak"}) {
		t.Errorf("derive = %+v", d)
	}
	if c := p.Probe("ctf.caesar").Challenge; c == nil || c.Kind != ChallengeCaesar || c.Level != 2 {
		t.Errorf("challenge = %+v", c)
	}
	ds := p.Probe("code.lookup").Detectors
	if !slices.Equal(ds[0].Languages, []string{"python", "sql"}) || ds[1].Ecosystem != "pypi" || ds[2].MaxOutputTokens != 4000 || ds[2].MaxToolCalls != 5 {
		t.Errorf("code.lookup detectors = %+v", ds)
	}
}

func TestLoad(t *testing.T) {
	for _, ref := range []string{"builtin:core", "core"} {
		p, err := Load(ref)
		if err != nil {
			t.Fatalf("Load(%q): %v", ref, err)
		}
		if p.File != "builtin:core" {
			t.Errorf("Load(%q).File = %q", ref, p.File)
		}
	}
	p, err := Load("testdata/minimal.yaml")
	if err != nil || p.Name != "minimal" || p.File != "testdata/minimal.yaml" {
		t.Fatalf("Load(testdata/minimal.yaml) = %v, %v", p, err)
	}
	_, err = Load("builtin:nope")
	if aicc.KindOf(err) != aicc.KindNotFound || !strings.Contains(err.Error(), "core") {
		t.Errorf("Load(builtin:nope) = %v, want not found listing the built-ins", err)
	}
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	if _, err := Load(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Load(missing) = %v, want an error naming the file", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte(head+okProbe+"    severity: urgent\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadFile(bad)
	var le *LintError
	if !errors.As(err, &le) || !strings.HasPrefix(err.Error(), bad+":14:5: ") {
		t.Errorf("LoadFile(bad) = %v, want a lint error at %s:14:5", err, bad)
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(head + okProbe))
	f.Add([]byte("a: &x [1]\nb: *x\n"))
	f.Add([]byte("format: 1\n---\n"))
	f.Add([]byte("{{"))
	f.Add([]byte(head + okProbe + derivedProbe))
	f.Add([]byte(head + challengeProbe("program_secret", 0)))
	f.Add([]byte(head + challengeProbe("injectable_param", 3) + strings.Replace(derivedProbe, "from: p", "from: c", 1)))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Parse("fuzz.yaml", src)
		if err != nil {
			var le *LintError
			if !errors.As(err, &le) || len(le.Problems) == 0 {
				t.Fatalf("Parse error %T %v is not a *LintError with problems", err, err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse succeeded but Validate fails: %v", err)
		}
		for _, pr := range p.Probes {
			canaries := map[string]string{}
			for _, c := range pr.Canaries {
				canaries[c] = "CANARY" + c
			}
			for i := range pr.NumVariants() {
				s, err := pr.Render(i, canaries)
				if err != nil {
					t.Fatalf("Render(%s, %d): %v", pr.ID, i, err)
				}
				if len(s.CallAfter) == 0 || s.CallAfter[len(s.CallAfter)-1] != len(s.Messages)-1 {
					t.Fatalf("Render(%s, %d): CallAfter %v does not end at the last of %d messages", pr.ID, i, s.CallAfter, len(s.Messages))
				}
				if (pr.Challenge != nil) != strings.HasPrefix(s.Flag, "FLAG{") || (pr.Derive != nil) != (s.Transform != "") {
					t.Fatalf("Render(%s, %d): flag %q, transform %q", pr.ID, i, s.Flag, s.Transform)
				}
				checkToolPolicies(t, s)
			}
		}
	})
}

// checkToolPolicies checks what lint promises the tool_policy detector of a
// rendered script: every tool's schema and every deny_arguments pattern
// compiles.
func checkToolPolicies(t *testing.T, s *Script) {
	t.Helper()
	for _, d := range s.Detectors {
		if d.Type != DetectorToolPolicy {
			continue
		}
		for _, tool := range d.Tools {
			if len(tool.Parameters) == 0 {
				continue
			}
			if _, err := CompileSchema(tool.Parameters); err != nil {
				t.Fatalf("%s: tool %s passed lint, but its schema does not compile: %v", s.ProbeID, tool.Name, err)
			}
		}
		for tool, pats := range d.DenyArguments {
			for _, p := range pats {
				if _, err := regexp.Compile(p); err != nil {
					t.Fatalf("%s: deny_arguments of %s passed lint, but %q does not compile: %v", s.ProbeID, tool, p, err)
				}
			}
		}
	}
}
