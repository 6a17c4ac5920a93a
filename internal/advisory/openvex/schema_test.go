package openvex_test

import (
	"bytes"
	"os"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// testdata/openvex_json_schema.json is openvex/spec's
// openvex_json_schema.json at d29fab0c (OpenVEX 0.2.0), copied unchanged.
const schemaFile = "testdata/openvex_json_schema.json"

var schema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	b, err := os.ReadFile(schemaFile)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaFile, doc); err != nil {
		return nil, err
	}
	return c.Compile(schemaFile)
})

// validate checks an OpenVEX document against the official schema.
func validate(t *testing.T, raw []byte) {
	t.Helper()
	s, err := schema()
	if err != nil {
		t.Fatalf("compiling the OpenVEX schema: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	if err := s.Validate(doc); err != nil {
		t.Errorf("document is not valid OpenVEX 0.2.0: %v", err)
	}
}

// TestSchemaRejects makes sure the validator is not vacuous: a document
// that breaks the schema's rules fails.
func TestSchemaRejects(t *testing.T) {
	s, err := schema()
	if err != nil {
		t.Fatal(err)
	}
	for name, raw := range map[string]string{
		"affected without action": `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://x.example/v","author":"a","timestamp":"2026-01-01T00:00:00Z","version":1,
			"statements":[{"vulnerability":{"name":"V"},"products":[{"@id":"pkg:generic/m@1"}],"status":"affected"}]}`,
		"not_affected without justification": `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://x.example/v","author":"a","timestamp":"2026-01-01T00:00:00Z","version":1,
			"statements":[{"vulnerability":{"name":"V"},"products":[{"@id":"pkg:generic/m@1"}],"status":"not_affected"}]}`,
		"bad timestamp": `{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://x.example/v","author":"a","timestamp":"yesterday","version":1,
			"statements":[{"vulnerability":{"name":"V"},"products":[{"@id":"pkg:generic/m@1"}],"status":"fixed"}]}`,
	} {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(raw)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Validate(doc) == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
