package taxii

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestValidObject(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`{}`, true},
		{" \n{ \"a\" : [1, -0.5e+3, true, false, null, {\"b\":\"\\u00e9\\n\\\"\"}] }\t", true},
		{`{"a":"é ☃ \/"}`, true},
		{"{\"bad\xff utf8\":1}", true}, // as json.Valid
		{``, false},
		{`[]`, false},
		{`"s"`, false},
		{`{"a":1}{}`, false},
		{`{"a":1,}`, false},
		{`{"a" 1}`, false},
		{`{a:1}`, false},
		{`{"a":01}`, false},
		{`{"a":1.}`, false},
		{`{"a":.5}`, false},
		{`{"a":1e}`, false},
		{`{"a":-}`, false},
		{`{"a":tru}`, false},
		{`{"a":"\x"}`, false},
		{`{"a":"\u12G4"}`, false},
		{"{\"a\":\"tab\there\"}", false},
		{"{\"a\":\"unit\x1fseparator\"}", false},
		{"{\"a\":\"delete\x7f is fine\"}", true},
		{`{"a":[1,2}`, false},
		{`{"a":"unterminated}`, false},
		{strings.Repeat(`{"a":`, maxDepth) + "1" + strings.Repeat("}", maxDepth), true},
		{strings.Repeat(`{"a":`, maxDepth+1) + "1" + strings.Repeat("}", maxDepth+1), false},
	} {
		if got := validObject([]byte(tc.in)); got != tc.want {
			t.Errorf("validObject(%.60q) = %v, want %v", tc.in, got, tc.want)
		}
		if got := isObject(json.Valid, []byte(tc.in)); got != tc.want {
			t.Errorf("the test is wrong: json.Valid disagrees on %.60q", tc.in)
		}
	}
}

// isObject is validObject's specification: json.Valid, and an object.
func isObject(valid func([]byte) bool, b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && valid(b)
}

func FuzzValidObject(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,{"b":null}],"c":"\u0041"}`, `{"a":-1.5E+10}`, `{"a":}`, ` {"x":"\"} `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validObject(b), isObject(json.Valid, b); got != want {
			t.Fatalf("validObject(%q) = %v, json.Valid says %v", b, got, want)
		}
	})
}

func BenchmarkValidObject(b *testing.B) {
	obj := []byte(`{"type":"vulnerability","spec_version":"2.1","id":"vulnerability--0a1b2c3d-5b2c-4e1a-9f3d-000000000001","created":"2026-01-01T00:00:00.000Z","modified":"2026-11-29T09:00:00.000Z","name":"AICC-2026-00001","description":"The model endpoint follows instructions injected through retrieved documents.","external_references":[{"source_name":"aicc","external_id":"AICC-2026-00001"}],"labels":["prompt-injection"],"x_score":7.5}`)
	b.Run("validObject", func(b *testing.B) {
		b.SetBytes(int64(len(obj)))
		for b.Loop() {
			validObject(obj)
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		b.SetBytes(int64(len(obj)))
		for b.Loop() {
			json.Valid(obj)
		}
	})
}
