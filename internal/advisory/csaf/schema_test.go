package csaf_test

import (
	"bytes"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The schemas in testdata/schema are the official CSAF 2.0 schema (errata
// 01) and the FIRST CVSS schemas it references, copied unchanged from
// oasis-tcs/csaf at 27af37f5 (csaf_2.0_errata_01/csaf_json_schema.json,
// csaf_2.0/referenced_schema/first/). Each is registered under the URL by
// which the CSAF schema refers to it, so that nothing is fetched.
var schemaFiles = map[string]string{
	"https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json": "testdata/schema/csaf_json_schema.json",
	"https://www.first.org/cvss/cvss-v2.0.json":                        "testdata/schema/cvss-v2.0.json",
	"https://www.first.org/cvss/cvss-v3.0.json":                        "testdata/schema/cvss-v3.0.json",
	"https://www.first.org/cvss/cvss-v3.1.json":                        "testdata/schema/cvss-v3.1.json",
}

const csafSchemaURL = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"

var compileSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat() // date-time and uri values are part of CSAF
	c.UseLoader(noNetwork{})
	for url, file := range schemaFiles {
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	return c.Compile(csafSchemaURL)
})

type noNetwork struct{}

func (noNetwork) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema %s is not in testdata", url)
}

// validateSchema fails the test unless doc satisfies the official schema.
func validateSchema(t *testing.T, doc []byte) {
	t.Helper()
	s, err := compileSchema()
	if err != nil {
		t.Fatalf("compiling the CSAF schema: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("the document does not satisfy the CSAF 2.0 schema: %v", err)
	}
}
