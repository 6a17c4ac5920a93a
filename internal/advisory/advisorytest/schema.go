package advisorytest

import (
	"bytes"
	"fmt"
	"os"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// JSONSchema is a self-contained JSON schema file (one that refers to no
// other file), compiled on first use with format assertions on.
type JSONSchema struct {
	file     string
	compiled func() (*jsonschema.Schema, error)
}

// Schema returns the schema in file, a path relative to the test's package.
func Schema(file string) *JSONSchema {
	return &JSONSchema{file: file, compiled: sync.OnceValues(func() (*jsonschema.Schema, error) {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", file, err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(file, doc); err != nil {
			return nil, err
		}
		return c.Compile(file)
	})}
}

// Check reports why raw is not valid against the schema, nil when it is.
func (s *JSONSchema) Check(raw []byte) error {
	sch, err := s.compiled()
	if err != nil {
		return fmt.Errorf("compiling %s: %w", s.file, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return sch.Validate(doc)
}
