package target

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestHTTPJSONRequest(t *testing.T) {
	req := &aicc.ChatRequest{Messages: []aicc.Message{
		{Role: aicc.RoleSystem, Content: "Be \"safe\"."},
		{Role: aicc.RoleUser, Content: "first"},
		{Role: aicc.RoleAssistant, Content: "ok"},
		{Role: aicc.RoleUser, Content: "line1\nline2 \\ \x01 \u2028 <b>"},
	}}
	tests := []struct {
		name     string
		template string
		want     string
	}{
		{"prompt and system", `{"input": "{{prompt}}", "sys": "{{ system }}", "model": "{{model}}", "n": 1}`,
			`{"input": "line1\nline2 \\ \u0001 \u2028 <b>", "sys": "Be \"safe\".", "model": "bot-1", "n": 1}`},
		{"messages", `{"history": {{messages}}, "stream": false}`,
			`{"history": [{"role":"system","content":"Be \"safe\"."},{"role":"user","content":"first"},
				{"role":"assistant","content":"ok"},{"role":"user","content":"line1\nline2 \\ \u0001 \u2028 <b>"}], "stream": false}`},
		{"prompt inside a longer string", `{"q": "Question: {{prompt}} (answer briefly)"}`,
			`{"q": "Question: line1\nline2 \\ \u0001 \u2028 <b> (answer briefly)"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, reply(200, "application/json", `{"out":"x"}`))
			e := mustNew(t, Config{Kind: KindHTTP, BaseURL: f.URL + "/api/chat?x=1", Model: "bot-1", RequestTemplate: tt.template, ResponsePath: "out"})
			sendOK(t, e, req)
			path, h, body := f.last()
			if path != "/api/chat" || h.Get("Content-Type") != "application/json" {
				t.Errorf("path %q, content type %q", path, h.Get("Content-Type"))
			}
			wantJSON(t, body, tt.want)
		})
	}
}

func TestHTTPJSONResponse(t *testing.T) {
	tests := []struct {
		name, path, toolPath, body string
		want                       aicc.ChatResponse
	}{
		{"nested", "output.text", "", `{"output":{"text":"hello ✓"}}`, aicc.ChatResponse{Text: "hello ✓"}},
		{"array index", "choices.0.message.content", "", `{"choices":[{"message":{"content":"a"}},{"message":{"content":"b"}}]}`,
			aicc.ChatResponse{Text: "a"}},
		{"jsonpath style", "$.choices[1].message.content", "", `{"choices":[{"message":{"content":"a"}},{"message":{"content":"b"}}]}`,
			aicc.ChatResponse{Text: "b"}},
		{"root array", "$[0]", "", `["first","second"]`, aicc.ChatResponse{Text: "first"}},
		{"null", "out", "", `{"out":null}`, aicc.ChatResponse{}},
		{"number as JSON", "out", "", `{"out": 4.5}`, aicc.ChatResponse{Text: "4.5"}},
		{"object as JSON", "out", "", `{"out": {"a": [1]}}`, aicc.ChatResponse{Text: `{"a": [1]}`}},
		{"flat tool calls", "text", "calls", `{"text":"","calls":[{"id":"1","name":"f","arguments":{"x":1}},{"name":"g","input":"{}"}]}`,
			aicc.ChatResponse{ToolCalls: []aicc.ToolCall{{ID: "1", Name: "f", Arguments: `{"x":1}`}, {Name: "g", Arguments: "{}"}}}},
		{"openai tool calls", "choices.0.message.content", "choices.0.message.tool_calls",
			`{"choices":[{"message":{"content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{\"a\":2}"}}]}}]}`,
			aicc.ChatResponse{ToolCalls: []aicc.ToolCall{{ID: "c", Name: "f", Arguments: `{"a":2}`}}}},
		{"tool calls absent", "text", "calls", `{"text":"t"}`, aicc.ChatResponse{Text: "t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, reply(200, "application/json", tt.body))
			e := mustNew(t, Config{Kind: KindHTTP, BaseURL: f.URL, RequestTemplate: `{"q":"{{prompt}}"}`, ResponsePath: tt.path, ToolCallsPath: tt.toolPath})
			got := sendOK(t, e, userReq("hi"))
			if !got.Usage.Estimated || got.Usage.InputTokens == 0 {
				t.Errorf("Usage = %+v, want an estimate", got.Usage)
			}
			got.Latency, got.Usage = 0, aicc.Usage{}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestHTTPJSONBadResponses(t *testing.T) {
	tests := []struct {
		name, path, toolPath, body, reason string
	}{
		{"missing key", "output.text", "", `{"output":{"txt":"x"}}`, "response has no value at output.text"},
		{"index out of range", "choices.2", "", `{"choices":[1]}`, "response has no value at choices.2"},
		{"index into object", "a.0", "", `{"a":{"b":1}}`, "response has no value at a.0"},
		{"key into string", "a.b", "", `{"a":"s"}`, "response has no value at a.b"},
		{"malformed", "a", "", `{"a":`, "malformed JSON response: "},
		{"trailing garbage", "a", "", `{"a":"x"} {`, "malformed JSON response: "},
		{"invalid UTF-8", "a", "", "{\"a\":\"\xff\"}", "response text is not valid UTF-8"},
		{"tool calls not a list", "a", "t", `{"a":"x","t":{"name":"f"}}`, "response value at t is not a list of tool calls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, reply(200, "application/json", tt.body))
			e := mustNew(t, Config{Kind: KindHTTP, BaseURL: f.URL, RequestTemplate: `{"q":"{{prompt}}"}`, ResponsePath: tt.path, ToolCallsPath: tt.toolPath})
			se := sendFail(t, t.Context(), e, userReq("hi"))
			if !strings.HasPrefix(se.Reason, tt.reason) || se.Retryable {
				t.Errorf("got %q retryable %v, want non-retryable %q", se.Reason, se.Retryable, tt.reason)
			}
		})
	}
}

func TestAppendEscaped(t *testing.T) {
	for _, s := range []string{"", "plain", "q\"b\\s/", "\x00\x1f\x7f\t\r\n", "é✓😀", "bad\xffutf8\xc3", "\u2028\u2029"} {
		b := append([]byte{'"'}, appendEscaped(nil, s)...)
		b = append(b, '"')
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("escaped %q is not a JSON string: %v (%s)", s, err, b)
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); got != want {
			t.Errorf("round trip of %q = %q", s, got)
		}
	}
}

func FuzzHTTPJSONResponse(f *testing.F) {
	f.Add([]byte(`{"a":{"b":[{"c":"x"}]},"t":[{"name":"f","arguments":{"k":1}}]}`), "a.b.0.c")
	f.Add([]byte(`[1,2]`), "$[1]")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		h, err := newHTTPJSON(&Config{RequestTemplate: `{"q":"{{prompt}}"}`, ResponsePath: path, ToolCallsPath: "t"})
		if err != nil {
			return
		}
		out, err := h.decode(body)
		checkResponse(t, out, err)
	})
}
