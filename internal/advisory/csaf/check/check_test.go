package check

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// testCases is testdata/testcases.json, the index of the official OASIS
// validator test documents.
type testCases struct {
	Tests []struct {
		ID       string     `json:"id"`
		Group    string     `json:"group"`
		Failures []testFile `json:"failures"`
		Valid    []testFile `json:"valid"`
	} `json:"tests"`
}

type testFile struct {
	Name string `json:"name"`
}

// knownGaps lists official test documents that this package cannot classify
// correctly, with the reason. It is empty: every mandatory case passes.
var knownGaps = map[string]string{}

func loadTestCases(t testing.TB) testCases {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "testcases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tc testCases
	if err := json.Unmarshal(raw, &tc); err != nil {
		t.Fatalf("parse testcases.json: %v", err)
	}
	return tc
}

func validateFile(t testing.TB, name string) *Report {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Validate(raw)
	if err != nil {
		t.Fatalf("Validate(%s): %v", name, err)
	}
	return r
}

// TestOfficialTestCases runs every mandatory test document of the OASIS
// CSAF TC: a failing document must fail the very test it was written for,
// a valid one must pass everything, schema included.
func TestOfficialTestCases(t *testing.T) {
	tc := loadTestCases(t)
	var failures, valid int
	for _, test := range tc.Tests {
		if test.Group != "mandatory" {
			continue
		}
		for _, f := range test.Failures {
			t.Run(test.ID+"/fail/"+filepath.Base(f.Name), func(t *testing.T) {
				if reason, ok := knownGaps[f.Name]; ok {
					t.Skip(reason)
				}
				failures++
				r := validateFile(t, f.Name)
				if !slices.ContainsFunc(r.Violations, func(v Violation) bool { return v.Test == test.ID }) {
					t.Errorf("want a violation of test %s, got:\n%s", test.ID, r)
				}
			})
		}
		for _, f := range test.Valid {
			t.Run(test.ID+"/valid/"+filepath.Base(f.Name), func(t *testing.T) {
				if reason, ok := knownGaps[f.Name]; ok {
					t.Skip(reason)
				}
				valid++
				if r := validateFile(t, f.Name); !r.OK() {
					t.Errorf("want no violation, got:\n%s", r)
				}
			})
		}
	}
	t.Logf("checked %d failing and %d valid mandatory test documents", failures, valid)
	if failures == 0 || valid == 0 {
		t.Fatal("no mandatory test documents found")
	}
}

// TestEveryMandatoryTestImplemented checks that each mandatory test of the
// official index is run by Validate, and nothing else.
func TestEveryMandatoryTestImplemented(t *testing.T) {
	var ids []string
	for _, m := range mandatoryTests() {
		ids = append(ids, m.id)
	}
	var want []string
	for _, test := range loadTestCases(t).Tests {
		if test.Group == "mandatory" {
			want = append(want, test.ID)
		}
	}
	if !slices.Equal(ids, want) {
		t.Errorf("mandatory tests:\n got %v\nwant %v", ids, want)
	}
}

func TestValidateNotJSON(t *testing.T) {
	for _, in := range []string{"", "{", "not json", `{"document": {}} trailing`, "\x00"} {
		if r, err := Validate([]byte(in)); err == nil {
			t.Errorf("Validate(%q) = %v, nil; want an error", in, r)
		}
	}
}

func TestValidateJSONThatIsNotADocument(t *testing.T) {
	for _, in := range []string{"null", "[]", "42", `"x"`, "{}"} {
		r, err := Validate([]byte(in))
		if err != nil {
			t.Fatalf("Validate(%q): %v", in, err)
		}
		if r.OK() || r.Err() == nil {
			t.Errorf("Validate(%q) passed; want schema violations", in)
		}
		if r.Violations[0].Test != "schema" {
			t.Errorf("Validate(%q): first violation %v; want a schema violation", in, r.Violations[0])
		}
	}
}

func TestReportString(t *testing.T) {
	r := validateFile(t, "mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-03-01.json")
	s := r.String()
	for _, want := range []string{"6.1.3", "/product_tree/relationships/0/full_product_name/product_id", "CSAFPID-9080701"} {
		if !strings.Contains(s, want) {
			t.Errorf("Report.String() = %q; want it to contain %q", s, want)
		}
	}
	ok := validateFile(t, "mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-01-11.json")
	if got := ok.String(); got != "valid CSAF 2.0 document" || ok.Err() != nil {
		t.Errorf("valid document: String() = %q, Err() = %v", got, ok.Err())
	}
}

func ExampleValidate() {
	doc, err := os.ReadFile("testdata/mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-03-01.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := Validate(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	// Output:
	// invalid CSAF 2.0 document: 1 violation(s)
	//   6.1.3 at /product_tree/relationships/0/full_product_name/product_id: product ID "CSAFPID-9080701" is defined in terms of itself (circular relationship)
}

func FuzzValidate(f *testing.F) {
	tc := loadTestCases(f)
	for _, test := range tc.Tests {
		if test.Group != "mandatory" {
			continue
		}
		for _, file := range append(test.Failures, test.Valid...) {
			raw, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(file.Name)))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(raw)
		}
	}
	f.Add([]byte(`{"vulnerabilities":[{"scores":[{"cvss_v3":{"vectorString":"CVSS:3.1/AV:N"}}]}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		r, err := Validate(doc)
		if err == nil && r == nil {
			t.Fatal("Validate returned neither a report nor an error")
		}
	})
}

func BenchmarkValidate(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "mandatory", "oasis_csaf_tc-csaf_2_0-2021-6-1-27-09-16.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		r, err := Validate(raw)
		if err != nil || !r.OK() {
			b.Fatalf("Validate: %v %v", r, err)
		}
	}
}

// edit replaces the value at a JSON pointer with a JSON value; an empty
// value deletes it, and a last token "-" appends to an array.
type edit struct{ ptr, val string }

// edited returns a test document with edits applied.
func edited(t *testing.T, name string, edits ...edit) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		var val any
		if e.val != "" {
			if err := json.Unmarshal([]byte(e.val), &val); err != nil {
				t.Fatalf("edit %s: %v", e.ptr, err)
			}
		}
		doc = setPointer(t, doc, strings.Split(e.ptr, "/")[1:], val, e.val == "")
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func setPointer(t *testing.T, cur any, tokens []string, val any, del bool) any {
	t.Helper()
	tok := tokens[0]
	switch c := cur.(type) {
	case map[string]any:
		switch {
		case len(tokens) > 1:
			c[tok] = setPointer(t, c[tok], tokens[1:], val, del)
		case del:
			delete(c, tok)
		default:
			c[tok] = val
		}
		return c
	case []any:
		if tok == "-" && len(tokens) == 1 {
			return append(c, val)
		}
		i, err := strconv.Atoi(tok)
		if err != nil || i < 0 || i >= len(c) {
			t.Fatalf("bad array index %q", tok)
		}
		switch {
		case len(tokens) > 1:
			c[i] = setPointer(t, c[i], tokens[1:], val, del)
		case del:
			return slices.Delete(c, i, i+1)
		default:
			c[i] = val
		}
		return c
	}
	t.Fatalf("cannot follow %q into %T", tok, cur)
	return nil
}

// TestEdits changes valid official documents in ways the official cases do
// not cover and checks the exact violations.
func TestEdits(t *testing.T) {
	const (
		cvss3 = "mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-08-11.json"
		cvss2 = "mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-08-13.json"
		base  = "mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-01-11.json"
	)
	type want struct{ test, path string }
	tests := []struct {
		name  string
		file  string
		edits []edit
		want  []want // exactly these violations, in order
	}{
		{"date-time format is asserted", base,
			[]edit{{"/document/tracking/current_release_date", `"2021-07-21"`}},
			[]want{{"schema", "/document/tracking/current_release_date"}}},
		{"uri format is asserted", base,
			[]edit{{"/document/publisher/namespace", `"not a uri"`}},
			[]want{{"schema", "/document/publisher/namespace"}}},
		{"CWE used by aicc", cvss3,
			[]edit{{"/vulnerabilities/0/cwe", `{"id": "CWE-1427", "name": "Improper Neutralization of Input Used for LLM Prompting"}`}},
			nil},
		{"CWE not in the embedded list", cvss3,
			[]edit{{"/vulnerabilities/0/cwe", `{"id": "CWE-99999", "name": "Unknown"}`}},
			[]want{{"6.1.11", "/vulnerabilities/0/cwe/id"}}},
		{"CVSS schema violations are 6.1.8, not schema", cvss3,
			[]edit{{"/vulnerabilities/0/scores/0/cvss_v3/baseSeverity", ""}, {"/vulnerabilities/0/scores/0/cvss_v3/scope", `"SIDEWAYS"`}},
			[]want{{"6.1.8", "/vulnerabilities/0/scores/0/cvss_v3"}, {"6.1.8", "/vulnerabilities/0/scores/0/cvss_v3/scope"}}},
		{"unknown CVSS v3 version", cvss3,
			[]edit{{"/vulnerabilities/0/scores/0/cvss_v3/version", `"3.2"`}, {"/vulnerabilities/0/scores/0/cvss_v3/vectorString", `"CVSS:3.2/AV:L"`}},
			[]want{{"6.1.8", "/vulnerabilities/0/scores/0/cvss_v3"}}},
		{"CVSS v2 vector without base metrics", cvss2,
			[]edit{{"/vulnerabilities/0/scores/0/cvss_v2/vectorString", `"AV:L/AC:L"`}},
			[]want{{"6.1.8", "/vulnerabilities/0/scores/0/cvss_v2/vectorString"}}},
		{"CVSS v2 vector with part of the environmental group", cvss2,
			[]edit{{"/vulnerabilities/0/scores/0/cvss_v2/vectorString", `"AV:L/AC:L/Au:M/C:C/I:C/A:C/TD:N"`},
				{"/vulnerabilities/0/scores/0/cvss_v2/environmentalScore", `0`}},
			nil},
		{"CVSS v2 wrong temporal score", cvss2,
			[]edit{{"/vulnerabilities/0/scores/0/cvss_v2/vectorString", `"AV:L/AC:L/Au:M/C:C/I:C/A:C/E:U/RL:OF/RC:UC"`},
				{"/vulnerabilities/0/scores/0/cvss_v2/temporalScore", `6.5`}},
			[]want{{"6.1.9", "/vulnerabilities/0/scores/0/cvss_v2/temporalScore"}}},
		{"CVSS v3 right temporal score", cvss3,
			[]edit{{"/vulnerabilities/0/scores/0/cvss_v3/vectorString", `"CVSS:3.1/AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:H/A:H/E:U"`},
				{"/vulnerabilities/0/scores/0/cvss_v3/temporalScore", `6.0`},
				{"/vulnerabilities/0/scores/0/cvss_v3/temporalSeverity", `"MEDIUM"`}},
			nil},
		{"CVSS v3 wrong temporal score and severity", cvss3,
			[]edit{{"/vulnerabilities/0/scores/0/cvss_v3/vectorString", `"CVSS:3.1/AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:H/A:H/E:U"`},
				{"/vulnerabilities/0/scores/0/cvss_v3/temporalScore", `6.5`},
				{"/vulnerabilities/0/scores/0/cvss_v3/temporalSeverity", `"HIGH"`}},
			[]want{{"6.1.9", "/vulnerabilities/0/scores/0/cvss_v3/temporalScore"}, {"6.1.9", "/vulnerabilities/0/scores/0/cvss_v3/temporalSeverity"}}},
		{"CVSS property the vector leaves out", cvss3,
			[]edit{{"/vulnerabilities/0/scores/0/cvss_v3/exploitCodeMaturity", `"HIGH"`}},
			nil},
		{"CVSS property that contradicts a temporal metric", cvss3,
			[]edit{{"/vulnerabilities/0/scores/0/cvss_v3/vectorString", `"CVSS:3.1/AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:H/A:H/E:X"`},
				{"/vulnerabilities/0/scores/0/cvss_v3/exploitCodeMaturity", `"HIGH"`}},
			[]want{{"6.1.10", "/vulnerabilities/0/scores/0/cvss_v3/exploitCodeMaturity"}}},
		{"undefined product in scores", cvss3,
			[]edit{{"/vulnerabilities/0/scores/0/products/-", `"CSAFPID-1"`}},
			[]want{{"6.1.1", "/vulnerabilities/0/scores/0/products/1"}}},
		{"circular definition over two relationships", base,
			[]edit{{"/product_tree/relationships", `[
				{"category": "installed_on", "full_product_name": {"name": "X", "product_id": "X"}, "product_reference": "Y", "relates_to_product_reference": "CSAFPID-9080700"},
				{"category": "installed_on", "full_product_name": {"name": "Y", "product_id": "Y"}, "product_reference": "X", "relates_to_product_reference": "CSAFPID-9080701"},
				{"category": "installed_on", "full_product_name": {"name": "Z", "product_id": "Z"}, "product_reference": "X", "relates_to_product_reference": "CSAFPID-9080701"}]`}},
			[]want{{"6.1.3", "/product_tree/relationships/0/full_product_name/product_id"}, {"6.1.3", "/product_tree/relationships/1/full_product_name/product_id"}}},
		{"involvements at the same instant written differently", cvss3,
			[]edit{{"/vulnerabilities/0/involvements", `[
				{"party": "vendor", "status": "open", "date": "2021-07-21T10:00:00Z"},
				{"party": "vendor", "status": "completed", "date": "2021-07-21T12:00:00.000+02:00"},
				{"party": "vendor", "status": "completed", "date": "2021-07-22T10:00:00Z"}]`}},
			[]want{{"6.1.24", "/vulnerabilities/0/involvements/1"}}},
		{"private-use and grandfathered language tags", base,
			[]edit{{"/document/lang", `"en-Qabc"`}, {"/document/source_lang", `"i-default"`}},
			nil},
		{"prohibited category name", base,
			[]edit{{"/document/category", `"Informational-Advisory"`}},
			[]want{{"6.1.26", "/document/category"}}},
		{"VEX document with everything a profile needs", base,
			[]edit{{"/document/category", `"csaf_vex"`}, {"/vulnerabilities", `[{
				"cve": "CVE-2024-0001",
				"notes": [{"category": "description", "text": "x"}],
				"product_status": {"known_not_affected": ["CSAFPID-9080700"], "known_affected": ["CSAFPID-9080701"]},
				"flags": [{"label": "vulnerable_code_not_present", "product_ids": ["CSAFPID-9080700"]}],
				"remediations": [{"category": "vendor_fix", "details": "update", "group_ids": ["CSAFGID-1020300"]}]}]`}},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Validate(edited(t, tt.file, tt.edits...))
			if err != nil {
				t.Fatal(err)
			}
			var got []want
			for _, v := range r.Violations {
				got = append(got, want{v.Test, v.Path})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("violations %v, want %v\n%s", got, tt.want, r)
			}
		})
	}
}
