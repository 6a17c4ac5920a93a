package protocol

import (
	"os"
	"regexp"
	"testing"
)

func TestBuiltins(t *testing.T) {
	names := BuiltinNames()
	if len(names) == 0 {
		t.Fatal("no built-in protocols")
	}
	// Every ATLAS ID must exist in the ATLAS data the project references.
	atlas, err := os.ReadFile("../../../shared/reference/atlas/ATLAS.yaml")
	if err != nil {
		t.Logf("ATLAS IDs not checked: %v", err)
	}
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
					if atlas != nil && !regexp.MustCompile(`(?m)^\s*- id: `+regexp.QuoteMeta(id)+`$`).Match(atlas) {
						t.Errorf("probe %s: ATLAS ID %s is not in ATLAS.yaml", pr.ID, id)
					}
				}
			}
		})
	}
}
