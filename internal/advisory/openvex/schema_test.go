package openvex_test

import (
	"encoding/json"
	"testing"

	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
)

// testdata/openvex_json_schema.json is openvex/spec's
// openvex_json_schema.json at d29fab0c (OpenVEX 0.2.0), copied unchanged.
const schemaFile = "testdata/openvex_json_schema.json"

var schema = advisorytest.Schema(schemaFile)

// validate checks a document against the official schema.
func validate(t *testing.T, raw []byte) {
	t.Helper()
	if err := schema.Check(raw); err != nil {
		t.Errorf("document is not valid OpenVEX 0.2.0: %v\n%s", err, raw)
	}
}

// TestSchemaRejects makes sure the validator is not vacuous: a document
// that breaks the schema's rules fails.
func TestSchemaRejects(t *testing.T) {
	for name, raw := range map[string]string{
		"affected without action": `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://x.example/v","author":"a","timestamp":"2026-01-01T00:00:00Z","version":1,
			"statements":[{"vulnerability":{"name":"V"},"products":[{"@id":"pkg:generic/m@1"}],"status":"affected"}]}`,
		"not_affected without justification": `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://x.example/v","author":"a","timestamp":"2026-01-01T00:00:00Z","version":1,
			"statements":[{"vulnerability":{"name":"V"},"products":[{"@id":"pkg:generic/m@1"}],"status":"not_affected"}]}`,
		"bad timestamp": `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://x.example/v","author":"a","timestamp":"yesterday","version":1,
			"statements":[{"vulnerability":{"name":"V"},"products":[{"@id":"pkg:generic/m@1"}],"status":"fixed"}]}`,
	} {
		if !json.Valid([]byte(raw)) {
			t.Fatalf("%s: not JSON", name)
		}
		if schema.Check([]byte(raw)) == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
