package coverage

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"math"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestParseFields(t *testing.T) {
	src := head + rule + "summary: Sum\nended: 2027-01-01\ncite: [s]\n"
	p := mustParse(t, src)
	sum := sha256.Sum256([]byte(src))
	if p.Digest != "sha256:"+hex.EncodeToString(sum[:]) || p.File != "test.yaml" {
		t.Errorf("digest %s, file %s", p.Digest, p.File)
	}
	r := p.Rules[0]
	if p.ID != "t" || p.Version != "1.0.0" || p.Summary != "Sum" || len(p.Citations) != 1 ||
		r.ID != "r" || *r.When.ComputeAbove != 1e26 || r.Outcome != aicc.CoverageRecommendConsultation {
		t.Errorf("parsed %+v, rule %+v", p, r)
	}
	if p.InEffect(day(2025, 12, 31)) || !p.InEffect(day(2026, 1, 1)) || p.InEffect(day(2027, 1, 1)) {
		t.Error("InEffect does not follow effective and ended")
	}
}

func TestLoadDir(t *testing.T) {
	valid := func(id, version string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(strings.NewReplacer("id: t", "id: "+id, "1.0.0", version).Replace(head + rule))}
	}
	t.Run("loads yaml files in name order", func(t *testing.T) {
		ps, err := LoadDir(fstest.MapFS{
			"b.yml":        valid("b", "1.0.0"),
			"a.yaml":       valid("a", "1.0.0"),
			"a2.yaml":      valid("a", "1.1.0"),
			"README.md":    {Data: []byte("# not a policy")},
			".draft.yaml":  {Data: []byte("not: valid")},
			"sub/x.yaml":   {Data: []byte("not: valid")},
			"notes.yaml~":  {Data: []byte("not: valid")},
			"archive.json": {Data: []byte("{}")},
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range ps {
			got = append(got, p.File+"="+p.ID+"@"+p.Version)
		}
		if want := "a.yaml=a@1.0.0 a2.yaml=a@1.1.0 b.yml=b@1.0.0"; strings.Join(got, " ") != want {
			t.Errorf("loaded %v; want %s", got, want)
		}
	})
	t.Run("reports every file's problems", func(t *testing.T) {
		_, err := LoadDir(fstest.MapFS{
			"a.yaml": {Data: []byte(head + strings.Replace(rule, "recommend_consultation", "approved", 1))},
			"b.yaml": {Data: []byte("format: 1\ncolour: red\n")},
			"c.yaml": valid("c", "1.0.0"),
			"d.yaml": valid("c", "1.0.0"),
		})
		var le *LintError
		if !errors.As(err, &le) {
			t.Fatalf("LoadDir = %v; want a *LintError", err)
		}
		for _, w := range []string{
			`a.yaml:14:5: rules[0].outcome: "approved"`,
			`b.yaml:2:1: colour: unknown field`,
			`d.yaml:3:1: version: policy c version 1.0.0 is already defined in c.yaml`,
		} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("no problem %q in\n%v", w, err)
			}
		}
	})
	t.Run("too large", func(t *testing.T) {
		_, err := LoadDir(fstest.MapFS{"big.yaml": {Data: make([]byte, MaxFileSize+1)}})
		if err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Errorf("LoadDir = %v; want too large", err)
		}
	})
	t.Run("not a directory", func(t *testing.T) {
		_, err := LoadDir(fstest.MapFS{})
		if err != nil {
			t.Errorf("empty directory: %v", err)
		}
		_, err = LoadDir(missingFS{})
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("LoadDir(missing) = %v; want fs.ErrNotExist", err)
		}
	})
}

type missingFS struct{}

func (missingFS) Open(string) (fs.File, error) { return nil, fs.ErrNotExist }

func TestMerge(t *testing.T) {
	builtin, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := BuiltinPolicy(ClearinghouseID)
	again, err := Parse("copy.yaml", mustRead(t, "builtin/clearinghouse.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := Merge(builtin, []*Policy{again})
	if err != nil || len(ps) != len(builtin) {
		t.Errorf("Merge with an identical copy = %d policies, %v; want %d, nil", len(ps), err, len(builtin))
	}
	newer, err := Parse("newer.yaml", []byte(strings.Replace(string(mustRead(t, "builtin/clearinghouse.yaml")), "version: 1.0.0", "version: 1.1.0", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if ps, err := Merge(builtin, []*Policy{newer}); err != nil || len(ps) != len(builtin)+1 {
		t.Errorf("Merge with a new version = %d policies, %v", len(ps), err)
	}
	changed, err := Parse("changed.yaml", []byte(strings.Replace(string(mustRead(t, "builtin/clearinghouse.yaml")), "Not designated,", "Not designated at all,", 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Merge(builtin, []*Policy{changed})
	if err == nil || !strings.Contains(err.Error(), "changed.yaml:") || !strings.Contains(err.Error(), "already defined in "+ch.File) {
		t.Errorf("Merge with a changed policy under the same version = %v", err)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	src, err := builtinFS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func FuzzParse(f *testing.F) {
	files, _ := fs.Glob(builtinFS, "builtin/*.yaml")
	for _, file := range files {
		src, _ := builtinFS.ReadFile(file)
		f.Add(src)
	}
	f.Add([]byte(head + rule))
	f.Add([]byte(orderPolicy))
	f.Add([]byte(head + strings.Replace(rule, "{compute_above: 1e26}", "{all: [{not: {designated: {kind: systemic_risk}}}, {any: [{developer_size: [large]}, {capability_at_least: {name: x, value: 1}}]}]}", 1)))
	f.Add([]byte("a: &x [1]\nb: *x\n"))
	f.Add([]byte("format: 1\n---\n"))
	f.Add([]byte("{{"))
	designations := []aicc.Designation{
		designation(aicc.DesignationCoveredFrontierModel, "NSA"),
		designation(aicc.DesignationSystemicRisk, "European Commission"),
	}
	facts := []aicc.ModelFacts{
		{},
		withRevenue(withModalities(compute(1e26, 0.3), "text", "bio_sequence"), 1e9),
		{Compute: &aicc.ComputeEstimate{Operations: math.MaxFloat64, Uncertainty: math.Inf(1)}, DeveloperSize: "large",
			Capabilities: map[string]float64{"x": 2}, OpenWeights: true},
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Parse("fuzz.yaml", src)
		if err != nil {
			var le *LintError
			if !errors.As(err, &le) || len(le.Problems) == 0 {
				t.Fatalf("Parse error %T %v is not a *LintError with problems", err, err)
			}
			for _, pr := range le.Problems {
				if pr.File != "fuzz.yaml" || pr.Message == "" {
					t.Fatalf("problem without file or message: %+v", pr)
				}
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse succeeded but Validate fails: %v", err)
		}
		when := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, fc := range facts {
			for _, ds := range [][]aicc.Designation{nil, designations} {
				r := Evaluate(p, subject(fc), ds, when)
				if !r.Outcome.Valid() {
					t.Fatalf("outcome %q is not valid", r.Outcome)
				}
				if p.DesignationOnly && ds == nil && (r.Outcome == aicc.CoverageCovered || r.Outcome == aicc.CoveragePresumedCovered) {
					t.Fatalf("designation_only policy gave %s without designations", r.Outcome)
				}
			}
		}
	})
}
