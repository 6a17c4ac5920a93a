package osv

import (
	_ "embed"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// ecosystemsJSON is ossf/osv-schema's ecosystems.json at 51b8156b, copied
// unchanged: the ecosystem names of OSV schema 1.7.5 and what their
// package names mean.
//
//go:embed ecosystems.json
var ecosystemsJSON []byte

var ecosystems = sync.OnceValue(func() map[string]string {
	var m map[string]string
	if err := json.Unmarshal(ecosystemsJSON, &m); err != nil {
		panic("osv: the embedded ecosystems.json is not a JSON object: " + err.Error())
	}
	return m
})

// Ecosystems lists the ecosystem names OSV defines.
func Ecosystems() []string {
	return slices.Sorted(maps.Keys(ecosystems()))
}

// CheckEcosystem reports whether s is an OSV ecosystem: one of the defined
// names, optionally followed by ":" and a non-empty suffix (a release, a
// repository) as some ecosystems allow.
func CheckEcosystem(s string) error {
	name, suffix, hasSuffix := strings.Cut(s, ":")
	if _, ok := ecosystems()[name]; !ok {
		return aicc.Errorf(aicc.KindInvalid, "ecosystem %q is not one OSV defines (PyPI, npm, Go, crates.io, Maven, …; see https://ossf.github.io/osv-schema/#affectedpackage-field)", s)
	}
	if hasSuffix && suffix == "" {
		return aicc.Errorf(aicc.KindInvalid, "ecosystem %q: nothing after the colon", s)
	}
	return nil
}
