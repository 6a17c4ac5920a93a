package postgres

import (
	"reflect"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestTranscriptCodec(t *testing.T) {
	tests := []struct {
		name    string
		t       []aicc.Message
		wantRaw bool
	}{
		{"nil", nil, false},
		{"empty", []aicc.Message{}, false},
		{"plain", []aicc.Message{{Role: aicc.RoleUser, Content: "hi <b>&</b>"}}, false},
		{"NUL and U+FFFD", []aicc.Message{{Role: aicc.RoleUser, Content: "a\x00b\ufffd"}}, false},
		{"invalid content", []aicc.Message{{Role: aicc.RoleAssistant, Content: "a\xffb"}}, true},
		{"invalid tool call", []aicc.Message{{Role: aicc.RoleAssistant, ToolCalls: []aicc.ToolCall{
			{ID: "c\x80", Name: "n", Arguments: `{"x":"\xfe"}`}}}}, true},
		{"invalid tool name", []aicc.Message{{Role: aicc.RoleTool, Name: "\xc3", ToolCallID: "c"}}, true},
		{"escape-like text", []aicc.Message{{Role: aicc.RoleUser, Content: `\ufffd`}}, true},
	}
	enc := newTranscriptEncoder()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js, raw, err := enc.encode(tt.t)
			if err != nil {
				t.Fatal(err)
			}
			if (raw != nil) != tt.wantRaw {
				t.Errorf("raw copy kept: %v, want %v", raw != nil, tt.wantRaw)
			}
			if !storable(js) {
				t.Errorf("JSON %q is not storable as TEXT", js)
			}
			got, err := decodeTranscript([]byte(js), raw)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.t) {
				t.Errorf("round trip = %#v, want %#v", got, tt.t)
			}
		})
	}
}

func TestDecodeTranscriptErrors(t *testing.T) {
	for _, tt := range []struct {
		name    string
		js, raw []byte
	}{
		{"bad JSON", []byte(`[{"role":`), nil},
		{"unknown raw format", []byte(`[]`), []byte{9, 1, 2}},
		{"bad gob", []byte(`[]`), []byte{rawGob, 0xff, 0xff}},
	} {
		if _, err := decodeTranscript(tt.js, tt.raw); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

// FuzzTranscriptCodec: whatever bytes a model sends, the stored transcript
// reads back equal, and its JSON column holds text PostgreSQL accepts.
func FuzzTranscriptCodec(f *testing.F) {
	f.Add("hello", `{"a":1}`, "tool")
	f.Add("\x00\xff\xfe", "\ufffd", `\ufffd`)
	f.Add("\xed\xa0\x80", "\u2028", "<&>")
	enc := newTranscriptEncoder()
	f.Fuzz(func(t *testing.T, content, args, name string) {
		in := []aicc.Message{
			{Role: aicc.RoleUser, Content: content},
			{Role: aicc.RoleAssistant, ToolCalls: []aicc.ToolCall{{ID: name, Name: name, Arguments: args}}},
			{Role: aicc.RoleTool, ToolCallID: name, Name: name, Content: args},
		}
		js, raw, err := enc.encode(in)
		if err != nil {
			t.Fatal(err)
		}
		if !storable(js) {
			t.Fatalf("JSON %q is not storable as TEXT", js)
		}
		got, err := decodeTranscript([]byte(js), raw)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, in) {
			t.Fatalf("round trip = %q, want %q", got, in)
		}
	})
}
