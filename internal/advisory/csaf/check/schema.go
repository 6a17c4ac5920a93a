package check

import (
	"bytes"
	"embed"
	"fmt"
	"regexp"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed schema/*.json
var schemaFS embed.FS

// The $id URLs under which the CSAF schema refers to the schemas.
const (
	csafSchemaURL = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"
	cvss20URL     = "https://www.first.org/cvss/cvss-v2.0.json"
	cvss30URL     = "https://www.first.org/cvss/cvss-v3.0.json"
	cvss31URL     = "https://www.first.org/cvss/cvss-v3.1.json"
)

// schemas holds the compiled CSAF schema and the CVSS schemas it references.
type schemas struct {
	csaf, cvss20, cvss30, cvss31 *jsonschema.Schema
}

// compiledSchemas compiles the embedded schemas once per process.
var compiledSchemas = sync.OnceValues(compileSchemas)

func compileSchemas() (*schemas, error) {
	c := jsonschema.NewCompiler()
	c.UseLoader(embeddedOnly{})
	c.AssertFormat() // CSAF requires date-time (RFC 3339) and uri values
	for url, file := range map[string]string{
		csafSchemaURL: "schema/csaf_json_schema.json",
		cvss20URL:     "schema/cvss-v2.0.json",
		cvss30URL:     "schema/cvss-v3.0.json",
		cvss31URL:     "schema/cvss-v3.1.json",
	} {
		raw, err := schemaFS.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read embedded schema %s: %w", file, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("parse embedded schema %s: %w", file, err)
		}
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("register schema %s: %w", url, err)
		}
	}
	var s schemas
	for _, x := range []struct {
		url string
		dst **jsonschema.Schema
	}{{csafSchemaURL, &s.csaf}, {cvss20URL, &s.cvss20}, {cvss30URL, &s.cvss30}, {cvss31URL, &s.cvss31}} {
		sch, err := c.Compile(x.url)
		if err != nil {
			return nil, fmt.Errorf("compile schema %s: %w", x.url, err)
		}
		*x.dst = sch
	}
	return &s, nil
}

// embeddedOnly refuses to load any schema that was not registered, so that a
// reference to an unknown URL fails compilation instead of reaching out.
type embeddedOnly struct{}

func (embeddedOnly) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema %s is not embedded", url)
}

// cvssPath matches the instance location of a CVSS object: violations there
// belong to test 6.1.8.
var cvssPath = regexp.MustCompile(`^/vulnerabilities/\d+/scores/\d+/cvss_v[23](/|$)`)

// validateDocument validates the whole document against the CSAF schema and
// reports each violation as test "schema", except those inside CVSS objects,
// which test 6.1.8 reports.
func (s *schemas) validateDocument(v any, r *Report) {
	for _, f := range schemaFindings(s.csaf, v, "") {
		if !cvssPath.MatchString(f.Path) {
			r.add("schema", f.Path, "%s", f.Message)
		}
	}
}

// schemaFindings validates v and returns one finding per failed leaf
// keyword, with paths prefixed by base.
func schemaFindings(sch *jsonschema.Schema, v any, base string) []Violation {
	err := sch.Validate(v)
	if err == nil {
		return nil
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []Violation{{Path: base, Message: err.Error()}}
	}
	p := message.NewPrinter(language.English)
	var out []Violation
	seen := map[Violation]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		f := Violation{Path: base + pointer(e.InstanceLocation), Message: e.ErrorKind.LocalizedString(p)}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	walk(verr)
	return out
}
