package protocol

import (
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func TestCompileSchemaShared(t *testing.T) {
	params := []byte(`{"type":"object","properties":{"to":{"type":"string","pattern":"^[a-z]+@contoso\\.example$"}}}`)
	first, err := CompileSchema(params)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			s, err := CompileSchema(params)
			if err != nil || s != first {
				t.Errorf("CompileSchema again = %p, %v; want the shared %p", s, err, first)
			}
			if s.Validate(map[string]any{"to": "x@attacker.example"}) == nil || s.Validate(map[string]any{"to": "ops@contoso.example"}) != nil {
				t.Error("the shared schema validates wrongly")
			}
		})
	}
	wg.Wait()
	if _, err := CompileSchema([]byte(`{"type":"object","properties":{"a":{"type":"strin"}}}`)); err == nil {
		t.Error("CompileSchema of an invalid schema succeeded")
	}
}

func TestFirstViolation(t *testing.T) {
	s, err := CompileSchema([]byte(`{"type":"object","properties":{"kind":{"$ref":"#/$defs/kind"},"n":{"anyOf":[{"type":"string"},{"type":"integer"}]}},` +
		`"required":["kind"],"allOf":[{"properties":{"path/x":{"maxLength":1}}}],"$defs":{"kind":{"enum":["a","b"]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args             string
		pointer, keyword string
		message          string
	}{
		{`{"kind":"c"}`, "/kind", "/$defs/kind/enum", "value must be one of 'a', 'b'"},
		{`{}`, "/kind", "/required", "missing property 'kind'"},
		{`{"kind":"a","n":true}`, "/n", "/properties/n/anyOf", "'anyOf' failed"},
		{`{"kind":"a","path/x":"long"}`, "/path~1x", "/allOf/0/properties/path~1x/maxLength", "maxLength: got 4, want 1"},
	}
	for _, tt := range tests {
		v, _ := jsonschema.UnmarshalJSON(strings.NewReader(tt.args))
		err := s.Validate(v)
		ve, ok := err.(*jsonschema.ValidationError)
		if !ok {
			t.Fatalf("%s: Validate = %v, want a *ValidationError", tt.args, err)
		}
		got := FirstViolation(ve)
		if got.Pointer() != tt.pointer || got.Keyword != tt.keyword || got.Message != tt.message {
			t.Errorf("%s: FirstViolation = %s %s %q, want %s %s %q", tt.args, got.Pointer(), got.Keyword, got.Message, tt.pointer, tt.keyword, tt.message)
		}
	}
}
