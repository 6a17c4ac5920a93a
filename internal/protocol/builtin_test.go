package protocol

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestBuiltins(t *testing.T) {
	names := BuiltinNames()
	if len(names) == 0 {
		t.Fatal("no built-in protocols")
	}
	atlas := atlasIDs(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			p, err := Builtin(name)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != name || p.File != "builtin:"+name {
				t.Errorf("built-in %s is named %q, file %q", name, p.Name, p.File)
			}
			if again, _ := Builtin(name); again != p {
				t.Error("Builtin parsed the protocol twice")
			}
			for _, pr := range p.Probes {
				canaries := map[string]string{}
				for _, c := range pr.Canaries {
					canaries[c] = "CANARY"
				}
				for i := range pr.NumVariants() {
					if _, err := pr.Render(i, canaries); err != nil {
						t.Errorf("Render(%s, %d): %v", pr.ID, i, err)
					}
				}
				for _, id := range pr.Taxonomy.ATLAS {
					if _, ok := atlas[id]; !ok {
						t.Errorf("probe %s: ATLAS ID %s is not an ATLAS technique (testdata/atlas-ids.tsv)", pr.ID, id)
					}
				}
			}
		})
	}
}

// atlasIDs reads the ATLAS technique IDs shipped in testdata/atlas-ids.tsv,
// a list taken from ATLAS.yaml. Where the project's reference copy of
// ATLAS.yaml is at hand (../shared/reference, beside the repository), it
// also checks that every shipped ID is a technique there, so the list
// cannot drift from its source.
func atlasIDs(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("testdata/atlas-ids.tsv")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, name, ok := strings.Cut(line, "\t")
		if !ok || !regexp.MustCompile(`^AML\.T\d{4}(\.\d{3})?$`).MatchString(id) {
			t.Fatalf("atlas-ids.tsv: malformed line %q", line)
		}
		ids[id] = name
	}
	if len(ids) < 100 {
		t.Fatalf("atlas-ids.tsv holds only %d IDs", len(ids))
	}
	src, err := os.ReadFile("../../../shared/reference/atlas/ATLAS.yaml")
	if err != nil {
		t.Logf("shipped ATLAS IDs not compared with ATLAS.yaml: %v", err)
		return ids
	}
	for id, name := range ids {
		re := regexp.MustCompile(`(?m)^\s*- id: ` + regexp.QuoteMeta(id) + `\n\s*name: ` + regexp.QuoteMeta(name) + `$`)
		if !re.Match(src) {
			t.Errorf("atlas-ids.tsv: %s %q is not a technique in ATLAS.yaml", id, name)
		}
	}
	return ids
}
