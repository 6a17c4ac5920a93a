package protocol

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schemaURL names a tool's schema while it is compiled. The .invalid
// domain cannot resolve, and no loader fetches it: a $ref to another
// document fails to compile.
const schemaURL = "https://aicc.invalid/tool.json"

// CompileSchema compiles the JSON Schema of a tool's parameters (JSON text),
// as lint and the tool_policy detector do: draft 2020-12 unless $schema
// names another draft, formats (email, date-time, uri, …) asserted,
// patterns in RE2 syntax, and nothing loaded from elsewhere, so a $ref must
// point inside the schema (#/$defs/NAME). The schema is read-only and safe
// for concurrent use; it is shared with other callers that compile the
// same text.
func CompileSchema(params []byte) (*jsonschema.Schema, error) {
	schemaCache.Lock()
	s, ok := schemaCache.m[string(params)]
	schemaCache.Unlock()
	if ok {
		return s, nil
	}
	s, err := compileSchema(params)
	if err != nil {
		return nil, err
	}
	schemaCache.Lock()
	defer schemaCache.Unlock()
	if len(schemaCache.m) >= maxCachedSchemas {
		clear(schemaCache.m)
	}
	if schemaCache.m == nil {
		schemaCache.m = map[string]*jsonschema.Schema{}
	}
	schemaCache.m[string(params)] = s
	return s, nil
}

// schemaCache holds compiled schemas by their text: the scan engine builds
// a probe's detectors for every attempt, and compiling a schema takes about
// a tenth of a millisecond.
var schemaCache struct {
	sync.Mutex
	m map[string]*jsonschema.Schema
}

// maxCachedSchemas bounds schemaCache; when it is full it starts afresh.
const maxCachedSchemas = 256

func compileSchema(params []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(params))
	if err != nil {
		return nil, fmt.Errorf("compile schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(noLoader{})
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("compile schema: %w", err)
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("compile schema: %w", err)
	}
	return s, nil
}

// noLoader refuses to load any document: a tool's schema is self-contained.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	ref := strings.TrimPrefix(url, schemaURL[:strings.LastIndexByte(schemaURL, '/')+1])
	return nil, fmt.Errorf("a tool's schema must be self-contained; it cannot refer to %s (use $defs and #/$defs/NAME)", ref)
}

// Violation is a rule of a schema that a value breaks.
type Violation struct {
	At      []string // the path to the offending value within the value, as JSON Pointer tokens
	Keyword string   // the broken keyword, as a JSON Pointer into the schema, e.g. /properties/to/pattern
	Message string   // what is wrong, e.g. 'x@attacker.example' does not match pattern '^…$'
}

// Pointer returns At as a JSON Pointer, e.g. /to; "" for the whole value.
func (v Violation) Pointer() string { return pointer(v.At) }

// FirstViolation returns the first rule err reports broken: it descends
// through references and allOf, and stops at the keyword that failed (an
// anyOf or oneOf counts as one keyword). For required and
// additionalProperties, At names the missing or extra property.
func FirstViolation(err *jsonschema.ValidationError) Violation {
	var v Violation
	walkViolations(err, false, func(w Violation) bool { v = w; return false })
	return v
}

// walkViolations calls yield with every rule err reports broken, in order,
// until yield returns false. With alternatives it also descends into anyOf
// and oneOf, to the rules the first alternative broke.
func walkViolations(e *jsonschema.ValidationError, alternatives bool, yield func(Violation) bool) bool {
	descend := false
	switch e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		descend = true
	case *kind.AnyOf, *kind.OneOf:
		if alternatives && len(e.Causes) > 0 {
			return walkViolations(e.Causes[0], alternatives, yield)
		}
	}
	if descend && len(e.Causes) > 0 {
		for _, c := range e.Causes {
			if !walkViolations(c, alternatives, yield) {
				return false
			}
		}
		return true
	}
	v := Violation{At: e.InstanceLocation, Message: e.ErrorKind.LocalizedString(schemaPrinter)}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		if len(k.Missing) > 0 {
			v.At = append(slices.Clip(v.At), k.Missing[0])
		}
	case *kind.AdditionalProperties:
		if len(k.Properties) > 0 {
			v.At = append(slices.Clip(v.At), k.Properties[0])
		}
	}
	_, frag, _ := strings.Cut(e.SchemaURL, "#")
	v.Keyword = frag + pointer(e.ErrorKind.KeywordPath())
	return yield(v)
}

var (
	schemaPrinter  = message.NewPrinter(language.English)
	pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")
)

// pointer joins tokens into a JSON Pointer (RFC 6901).
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(t))
	}
	return b.String()
}
