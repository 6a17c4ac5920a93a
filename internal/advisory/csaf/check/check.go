package check

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Violation is one failed check.
type Violation struct {
	Test    string // "schema" or the number of a mandatory test, e.g. "6.1.3" or "6.1.27.9"
	Path    string // JSON pointer to the offending value, e.g. /product_tree/branches/0
	Message string
}

func (v Violation) String() string {
	path := v.Path
	if path == "" {
		path = "/"
	}
	return fmt.Sprintf("%s at %s: %s", v.Test, path, v.Message)
}

// Report lists the violations found in one document, schema violations first,
// then those of the mandatory tests in the order of the specification.
type Report struct {
	Violations []Violation
}

// OK reports whether the document passed the schema and every mandatory test.
func (r *Report) OK() bool { return len(r.Violations) == 0 }

// String lists the violations one per line.
func (r *Report) String() string {
	if r.OK() {
		return "valid CSAF 2.0 document"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "invalid CSAF 2.0 document: %d violation(s)", len(r.Violations))
	for _, v := range r.Violations {
		b.WriteString("\n  ")
		b.WriteString(v.String())
	}
	return b.String()
}

// Err returns nil for a valid document and otherwise an error listing the
// violations, for callers that must refuse an invalid document.
func (r *Report) Err() error {
	if r.OK() {
		return nil
	}
	return errors.New(r.String())
}

func (r *Report) add(test, path, format string, args ...any) {
	r.Violations = append(r.Violations, Violation{Test: test, Path: path, Message: fmt.Sprintf(format, args...)})
}

// Validate checks a CSAF 2.0 document against the JSON schema and every
// mandatory test of section 6.1. The error is only for input that is not a
// single JSON value, or for a failure of the validator itself; every problem
// of the document is in the Report.
func Validate(doc []byte) (*Report, error) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("csaf check: parse document: %w", err)
	}
	s, err := compiledSchemas()
	if err != nil {
		return nil, fmt.Errorf("csaf check: %w", err)
	}
	r := &Report{}
	s.validateDocument(v, r)
	d := newDocument(v, s)
	for _, t := range mandatoryTests() {
		t.run(d, r)
	}
	return r, nil
}

type mandatoryTest struct {
	id  string
	run func(d *document, r *Report)
}

// mandatoryTests lists the tests of section 6.1 in the order of the
// specification.
func mandatoryTests() []mandatoryTest {
	return []mandatoryTest{
		{"6.1.1", test6_1_1},
		{"6.1.2", test6_1_2},
		{"6.1.3", test6_1_3},
		{"6.1.4", test6_1_4},
		{"6.1.5", test6_1_5},
		{"6.1.6", test6_1_6},
		{"6.1.7", test6_1_7},
		{"6.1.8", test6_1_8},
		{"6.1.9", test6_1_9},
		{"6.1.10", test6_1_10},
		{"6.1.11", test6_1_11},
		{"6.1.12", test6_1_12},
		{"6.1.13", test6_1_13},
		{"6.1.14", test6_1_14},
		{"6.1.15", test6_1_15},
		{"6.1.16", test6_1_16},
		{"6.1.17", test6_1_17},
		{"6.1.18", test6_1_18},
		{"6.1.19", test6_1_19},
		{"6.1.20", test6_1_20},
		{"6.1.21", test6_1_21},
		{"6.1.22", test6_1_22},
		{"6.1.23", test6_1_23},
		{"6.1.24", test6_1_24},
		{"6.1.25", test6_1_25},
		{"6.1.26", test6_1_26},
		{"6.1.27.1", test6_1_27_1},
		{"6.1.27.2", test6_1_27_2},
		{"6.1.27.3", test6_1_27_3},
		{"6.1.27.4", test6_1_27_4},
		{"6.1.27.5", test6_1_27_5},
		{"6.1.27.6", test6_1_27_6},
		{"6.1.27.7", test6_1_27_7},
		{"6.1.27.8", test6_1_27_8},
		{"6.1.27.9", test6_1_27_9},
		{"6.1.27.10", test6_1_27_10},
		{"6.1.27.11", test6_1_27_11},
		{"6.1.28", test6_1_28},
		{"6.1.29", test6_1_29},
		{"6.1.30", test6_1_30},
		{"6.1.31", test6_1_31},
		{"6.1.32", test6_1_32},
		{"6.1.33", test6_1_33},
	}
}
