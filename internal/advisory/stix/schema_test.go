package stix_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The STIX 2.1 schemas in testdata/schemas are oasis-open/cti-stix2-json-schemas
// (schemas/common, sdos, sros at 3bf9e69d), copied unchanged. They $ref each
// other by URLs relative to their $id; each is loaded under its $id, with
// no network.
const schemaBase = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"

// schemaFor names the schema each type of object must satisfy.
var schemaFor = map[string]string{
	"attack-pattern":       "sdos/attack-pattern.json",
	"course-of-action":     "sdos/course-of-action.json",
	"identity":             "sdos/identity.json",
	"note":                 "sdos/note.json",
	"vulnerability":        "sdos/vulnerability.json",
	"relationship":         "sros/relationship.json",
	"marking-definition":   "common/marking-definition.json",
	"extension-definition": "common/extension-definition.json",
}

type schemas struct {
	byType map[string]*jsonschema.Schema
	bundle *jsonschema.Schema
}

var (
	loadOnce   sync.Once
	loaded     schemas
	loadFailed error
)

// stixSchemas compiles the schemas once for the whole test binary.
func stixSchemas(t *testing.T) schemas {
	t.Helper()
	loadOnce.Do(func() { loaded, loadFailed = compileSchemas() })
	if loadFailed != nil {
		t.Fatalf("compiling the STIX schemas: %v", loadFailed)
	}
	return loaded
}

func compileSchemas() (schemas, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.UseLoader(missingObservables{})
	err := filepath.WalkDir("testdata/schemas", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if path == filepath.FromSlash("testdata/schemas/common/bundle.json") {
			doc = withMissingSDOs(doc)
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if id == "" {
			return fmt.Errorf("%s has no $id", path)
		}
		return c.AddResource(id, doc)
	})
	if err != nil {
		return schemas{}, err
	}
	s := schemas{byType: map[string]*jsonschema.Schema{}}
	for typ, name := range schemaFor {
		if s.byType[typ], err = c.Compile(schemaBase + name); err != nil {
			return schemas{}, err
		}
	}
	if s.bundle, err = c.Compile(schemaBase + "common/bundle.json"); err != nil {
		return schemas{}, err
	}
	return s, nil
}

// withMissingSDOs adds note and extension-definition to the bundle schema's
// list of object schemas, which leaves them out (as it once left out
// infrastructure: oasis-open/cti-stix2-json-schemas#133). Without them such
// an object falls to the schema's branch for custom objects, which it
// fails: it matches both core.json and cyber-observable-core.json where
// exactly one is required. The copy on disk stays unchanged.
func withMissingSDOs(doc any) any {
	objects := doc.(map[string]any)["properties"].(map[string]any)["objects"].(map[string]any)
	known := objects["items"].(map[string]any)["anyOf"].([]any)[0].(map[string]any)
	known["oneOf"] = append(known["oneOf"].([]any),
		map[string]any{"$ref": "../sdos/note.json"},
		map[string]any{"$ref": "../common/extension-definition.json"})
	return doc
}

// missingObservables stands in for the observable (SCO) schemas that the
// bundle schema refers to and that are not copied here: each is the
// schema false, which no object satisfies. This package writes no SCOs.
type missingObservables struct{}

func (missingObservables) Load(url string) (any, error) {
	if strings.HasPrefix(url, schemaBase+"observables/") {
		return false, nil
	}
	return nil, fmt.Errorf("schema %s is not in testdata/schemas (and the tests use no network)", url)
}

// validateObject checks one object against the schema of its type.
func (s schemas) validateObject(t *testing.T, typ string, raw []byte) {
	t.Helper()
	sch, ok := s.byType[typ]
	if !ok {
		t.Errorf("no schema for objects of type %q", typ)
		return
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("object is not JSON: %v", err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("%s is not valid STIX 2.1: %v\n%s", typ, err, raw)
	}
}

// validateBundle checks a bundle against common/bundle.json.
func (s schemas) validateBundle(t *testing.T, raw []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("bundle is not JSON: %v", err)
	}
	if err := s.bundle.Validate(doc); err != nil {
		t.Errorf("bundle is not valid STIX 2.1: %v", err)
	}
}
