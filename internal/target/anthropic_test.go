package target

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestAnthropicRequest(t *testing.T) {
	const toolsJSON = `"tools": [{"name": "read_file", "description": "Read a file",
		"input_schema": {"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}}]`
	const messagesJSON = `"messages": [
		{"role": "user", "content": [{"type": "text", "text": "Read /etc/passwd"}]},
		{"role": "assistant", "content": [{"type": "tool_use", "id": "call_1", "name": "read_file", "input": {"path": "/etc/passwd"}}]},
		{"role": "user", "content": [
			{"type": "tool_result", "tool_use_id": "call_1", "content": "root:x:0:0"},
			{"type": "text", "text": "Summarise."}]}
	]`
	parallel := func() *aicc.ChatRequest {
		return &aicc.ChatRequest{Messages: []aicc.Message{
			{Role: aicc.RoleSystem, Content: "one"},
			{Role: aicc.RoleSystem, Content: "two"},
			{Role: aicc.RoleUser, Content: "go"},
			{Role: aicc.RoleAssistant, Content: "Calling.", ToolCalls: []aicc.ToolCall{
				{ID: "a", Name: "f", Arguments: ""}, {ID: "b", Name: "g", Arguments: `{"x":1}`}}},
			{Role: aicc.RoleTool, ToolCallID: "a", Content: "A"},
			{Role: aicc.RoleTool, ToolCallID: "b", Content: "B"},
		}, Tools: []aicc.Tool{{Name: "f"}}}
	}
	tests := []struct {
		name   string
		stream bool
		req    func() *aicc.ChatRequest
		want   string
	}{
		{"tools", false, toolReq, `{"model": "claude-test", "system": "You are terse.", "max_tokens": 256, "temperature": 0.25, ` +
			toolsJSON + `, ` + messagesJSON + `}`},
		{"stream", true, toolReq, `{"model": "claude-test", "system": "You are terse.", "max_tokens": 256, "temperature": 0.25, "stream": true, ` +
			toolsJSON + `, ` + messagesJSON + `}`},
		{"default max_tokens, no system", false, func() *aicc.ChatRequest { return userReq("hi") },
			`{"model":"claude-test","max_tokens":1024,"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}`},
		{"parallel tool results merged", false, parallel, `{"model":"claude-test","max_tokens":1024,"system":"one\n\ntwo",
			"tools":[{"name":"f","input_schema":{"type":"object"}}],
			"messages":[
				{"role":"user","content":[{"type":"text","text":"go"}]},
				{"role":"assistant","content":[{"type":"text","text":"Calling."},
					{"type":"tool_use","id":"a","name":"f","input":{}},{"type":"tool_use","id":"b","name":"g","input":{"x":1}}]},
				{"role":"user","content":[{"type":"tool_result","tool_use_id":"a","content":"A"},{"type":"tool_result","tool_use_id":"b","content":"B"}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.stream {
					reply(200, "text/event-stream", "data: {\"type\":\"message_stop\"}\n\n")(w, r)
					return
				}
				reply(200, "application/json", `{"content":[{"type":"text","text":"ok"}]}`)(w, r)
			})
			e := mustNew(t, Config{Kind: KindAnthropic, BaseURL: f.URL, Model: "claude-test", Stream: tt.stream, APIKey: aicc.NewSecret(testKey)})
			sendOK(t, e, tt.req())
			path, h, body := f.last()
			if path != "/v1/messages" {
				t.Errorf("path = %q", path)
			}
			if h.Get("Anthropic-Version") != "2023-06-01" || h.Get("Content-Type") != "application/json" || h.Get("X-Api-Key") != testKey {
				t.Errorf("headers = %v", h)
			}
			wantJSON(t, body, tt.want)
		})
	}
}

func TestAnthropicURL(t *testing.T) {
	tests := map[string]string{
		"https://api.anthropic.com":           "https://api.anthropic.com/v1/messages",
		"https://api.anthropic.com/":          "https://api.anthropic.com/v1/messages",
		"https://api.anthropic.com/v1":        "https://api.anthropic.com/v1/messages",
		"https://proxy.example/anthropic/v1/": "https://proxy.example/anthropic/v1/messages",
		"https://proxy.example/a?k=v":         "https://proxy.example/a/v1/messages?k=v",
	}
	for base, want := range tests {
		if got := anthropicURL(base); got != want {
			t.Errorf("anthropicURL(%q) = %q, want %q", base, got, want)
		}
	}
}

func TestAnthropicBadToolArguments(t *testing.T) {
	f := newFake(t, reply(200, "application/json", `{"content":[]}`))
	e := mustNew(t, Config{Kind: KindAnthropic, BaseURL: f.URL, Model: "m"})
	req := &aicc.ChatRequest{Messages: []aicc.Message{{Role: aicc.RoleAssistant, ToolCalls: []aicc.ToolCall{{Name: "f", Arguments: "{oops"}}}}}
	se := sendFail(t, t.Context(), e, req)
	if !strings.Contains(se.Reason, "not valid JSON") || se.Retryable {
		t.Errorf("got %+v", se)
	}
}

func TestAnthropicResponse(t *testing.T) {
	tests := []struct {
		name   string
		stream bool
		body   string
		want   aicc.ChatResponse
	}{
		{"text and tool use", false, `{"id":"msg_1","type":"message","role":"assistant","model":"claude-test",
			"content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"Let me look. "},{"type":"text","text":"✓"},
				{"type":"tool_use","id":"toolu_1","name":"read_file","input":{"path":"/etc/passwd"}}],
			"stop_reason":"tool_use","usage":{"input_tokens":30,"output_tokens":12}}`,
			aicc.ChatResponse{Text: "Let me look. ✓", FinishReason: "tool_use", Usage: aicc.Usage{InputTokens: 30, OutputTokens: 12},
				ToolCalls: []aicc.ToolCall{{ID: "toolu_1", Name: "read_file", Arguments: `{"path":"/etc/passwd"}`}}}},
		{"empty content, no usage", false, `{"type":"message","content":[],"stop_reason":"end_turn"}`,
			aicc.ChatResponse{FinishReason: "end_turn", Usage: aicc.Usage{Estimated: true}}},
		{"stream", true, `event: message_start
data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"usage":{"input_tokens":25,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"read_file","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"path\": "}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"/etc\"}"}}

event: content_block_start
data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_2","name":"now","input":{}}}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":15}}

event: message_stop
data: {"type":"message_stop"}

`, aicc.ChatResponse{Text: "Hello there", FinishReason: "tool_use", Usage: aicc.Usage{InputTokens: 25, OutputTokens: 15},
			ToolCalls: []aicc.ToolCall{{ID: "toolu_1", Name: "read_file", Arguments: `{"path": "/etc"}`}, {ID: "toolu_2", Name: "now", Arguments: "{}"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, reply(200, map[bool]string{false: "application/json", true: "text/event-stream"}[tt.stream], tt.body))
			e := mustNew(t, Config{Kind: KindAnthropic, BaseURL: f.URL, Model: "m", Stream: tt.stream})
			got := sendOK(t, e, userReq("hi"))
			fixEstimate(f, &tt.want)
			if tt.want.Usage.Estimated {
				tt.want.Usage.OutputTokens = got.Usage.OutputTokens
			}
			got.Latency = 0
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestAnthropicBadResponses(t *testing.T) {
	tests := []struct {
		name      string
		stream    bool
		body      string
		reason    string
		retryable bool
		overload  bool
	}{
		{"malformed JSON", false, `{"content":[{"type":"text","text":"x"`, "malformed JSON response: ", false, false},
		{"invalid UTF-8", false, "{\"content\":[{\"type\":\"text\",\"text\":\"\xed\xa0\x80\"}]}", "response text is not valid UTF-8", false, false},
		{"no content", false, `{"type":"message","stop_reason":"end_turn"}`, "response has no content", false, false},
		{"error body", false, `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`, "endpoint error: Overloaded", true, true},
		{"stream error event", true, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
			"endpoint error: Overloaded", true, true},
		{"stream api error", true, "data: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal\"}}\n\n", "endpoint error: Internal", true, false},
		{"stream without message_stop", true, "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n",
			"stream ended early", true, false},
		{"stream malformed", true, "data: {\"type\":\"content_block_delta\",\n\n", "malformed JSON response: ", false, false},
		{"stream invalid UTF-8", true, "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\xff\"}}\n\ndata: {\"type\":\"message_stop\"}\n\n",
			"response text is not valid UTF-8", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, reply(200, map[bool]string{false: "application/json", true: "text/event-stream"}[tt.stream], tt.body))
			e := mustNew(t, Config{Kind: KindAnthropic, BaseURL: f.URL, Model: "m", Stream: tt.stream})
			se := sendFail(t, t.Context(), e, userReq("hi"))
			if !strings.HasPrefix(se.Reason, tt.reason) || se.Retryable != tt.retryable || se.Overload != tt.overload {
				t.Errorf("got %q retryable %v overload %v, want %q %v %v", se.Reason, se.Retryable, se.Overload, tt.reason, tt.retryable, tt.overload)
			}
		})
	}
}

func TestAnthropicStatus529(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3")
		reply(529, "application/json", `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)(w, r)
	})
	e := mustNew(t, Config{Kind: KindAnthropic, BaseURL: f.URL, Model: "m"})
	se := sendFail(t, t.Context(), e, userReq("hi"))
	if se.Status != 529 || !se.Retryable || !se.Overload || se.RetryAfter.Seconds() != 3 || se.Reason != "HTTP 529: Overloaded" {
		t.Errorf("got %+v, want a retryable overload with Retry-After 3s", se)
	}
}

func FuzzAnthropicResponse(f *testing.F) {
	f.Add([]byte(`{"content":[{"type":"text","text":"hi"},{"type":"tool_use","id":"t","name":"n","input":{"a":[1]}}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":2}}`))
	f.Add([]byte(`{"content":[{"type":"tool_use","input":null}]}`))
	f.Add([]byte(`{"type":"error","error":"x"}`))
	f.Add([]byte("{\"content\":[{\"type\":\"text\",\"text\":\"\xc0\"}]}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		out, err := (&anthropic{}).decode(body)
		checkResponse(t, out, err)
	})
}
