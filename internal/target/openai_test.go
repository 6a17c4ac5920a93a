package target

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// toolReq is a conversation with every kind of message and a tool.
func toolReq() *aicc.ChatRequest {
	temp, seed := 0.25, int64(42)
	return &aicc.ChatRequest{
		Messages: []aicc.Message{
			{Role: aicc.RoleSystem, Content: "You are terse."},
			{Role: aicc.RoleUser, Content: "Read /etc/passwd"},
			{Role: aicc.RoleAssistant, ToolCalls: []aicc.ToolCall{{ID: "call_1", Name: "read_file", Arguments: `{"path":"/etc/passwd"}`}}},
			{Role: aicc.RoleTool, ToolCallID: "call_1", Name: "read_file", Content: "root:x:0:0"},
			{Role: aicc.RoleUser, Content: "Summarise."},
		},
		Tools: []aicc.Tool{{
			Name: "read_file", Description: "Read a file",
			Parameters: json.RawMessage(`{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}`),
		}},
		Temperature: &temp,
		Seed:        &seed,
		MaxTokens:   256,
	}
}

const oaToolReqJSON = `{
	"model": "gpt-test",
	"messages": [
		{"role": "system", "content": "You are terse."},
		{"role": "user", "content": "Read /etc/passwd"},
		{"role": "assistant", "content": "", "tool_calls": [
			{"id": "call_1", "type": "function", "function": {"name": "read_file", "arguments": "{\"path\":\"/etc/passwd\"}"}}]},
		{"role": "tool", "content": "root:x:0:0", "tool_call_id": "call_1"},
		{"role": "user", "content": "Summarise."}
	],
	"tools": [{"type": "function", "function": {"name": "read_file", "description": "Read a file",
		"parameters": {"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}}}],
	"temperature": 0.25,
	"seed": 42,
	"max_tokens": 256`

func TestOpenAIRequest(t *testing.T) {
	tests := []struct {
		name   string
		stream bool
		req    func() *aicc.ChatRequest
		want   string
	}{
		{"tools", false, toolReq, oaToolReqJSON + "}"},
		{"stream", true, toolReq, oaToolReqJSON + `, "stream": true, "stream_options": {"include_usage": true}}`},
		{"minimal", false, func() *aicc.ChatRequest { return userReq("hi") },
			`{"model":"gpt-test","messages":[{"role":"user","content":"hi"}]}`},
		{"model override", false, func() *aicc.ChatRequest { r := userReq("hi"); r.Model = "other"; return r },
			`{"model":"other","messages":[{"role":"user","content":"hi"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.stream {
					reply(200, "text/event-stream", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")(w, r)
					return
				}
				reply(200, "application/json", `{"choices":[{"message":{"content":"ok"}}]}`)(w, r)
			})
			e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL + "/v1/", Model: "gpt-test", Stream: tt.stream})
			sendOK(t, e, tt.req())
			path, h, body := f.last()
			if path != "/v1/chat/completions" {
				t.Errorf("path = %q", path)
			}
			if want := map[bool]string{false: "application/json", true: "text/event-stream"}[tt.stream]; h.Get("Accept") != want {
				t.Errorf("Accept = %q, want %q", h.Get("Accept"), want)
			}
			wantJSON(t, body, tt.want)
		})
	}
}

// TestOpenAIMaxCompletionTokens sends the token limit as
// max_completion_tokens when asked, and never both names.
func TestOpenAIMaxCompletionTokens(t *testing.T) {
	f := newFake(t, reply(200, "application/json", `{"choices":[{"message":{"content":"ok"}}]}`))
	e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL + "/v1", Model: "o-test", MaxTokensParam: "max_completion_tokens"})
	r := userReq("hi")
	r.MaxTokens = 300
	sendOK(t, e, r)
	_, _, body := f.last()
	wantJSON(t, body, `{"model":"o-test","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":300}`)
	for _, bad := range []Config{
		{Kind: KindOpenAI, BaseURL: f.URL, Model: "m", MaxTokensParam: "max_output_tokens"},
		{Kind: KindAnthropic, BaseURL: f.URL, Model: "m", MaxTokensParam: "max_completion_tokens"},
	} {
		if err := bad.Validate(); aicc.KindOf(err) != aicc.KindInvalid {
			t.Errorf("Validate(%s, %q) = %v, want invalid", bad.Kind, bad.MaxTokensParam, err)
		}
	}
}

func TestOpenAIResponse(t *testing.T) {
	tests := []struct {
		name string
		body string
		want aicc.ChatResponse
	}{
		{"text and usage",
			`{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hello ✓"},"finish_reason":"stop"}],
			  "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}`,
			aicc.ChatResponse{Text: "Hello ✓", FinishReason: "stop", Usage: aicc.Usage{InputTokens: 12, OutputTokens: 3}}},
		{"tool calls",
			`{"choices":[{"message":{"content":null,"tool_calls":[
				{"id":"call_a","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"/etc/passwd\"}"}},
				{"id":"call_b","type":"function","function":{"name":"ls","arguments":{"dir":"/"}}}]},"finish_reason":"tool_calls"}],
			  "usage":{"prompt_tokens":5,"completion_tokens":7}}`,
			aicc.ChatResponse{FinishReason: "tool_calls", Usage: aicc.Usage{InputTokens: 5, OutputTokens: 7},
				ToolCalls: []aicc.ToolCall{{ID: "call_a", Name: "read_file", Arguments: `{"path":"/etc/passwd"}`}, {ID: "call_b", Name: "ls", Arguments: `{"dir":"/"}`}}}},
		{"refusal", `{"choices":[{"message":{"content":null,"refusal":"I can't."},"finish_reason":"stop"}],"usage":{}}`,
			aicc.ChatResponse{Text: "I can't.", FinishReason: "stop"}},
		{"no usage is estimated", `{"choices":[{"message":{"content":"12345678"}}]}`,
			aicc.ChatResponse{Text: "12345678", Usage: aicc.Usage{OutputTokens: 2, Estimated: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, reply(200, "application/json", tt.body))
			e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL, Model: "m"})
			got := sendOK(t, e, userReq("hi"))
			fixEstimate(f, &tt.want)
			if got.Latency <= 0 {
				t.Errorf("Latency = %v", got.Latency)
			}
			got.Latency = 0
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

// fixEstimate sets the estimated input tokens want expects from the request
// the fake received.
func fixEstimate(f *fake, want *aicc.ChatResponse) {
	if want.Usage.Estimated {
		_, _, body := f.last()
		want.Usage.InputTokens = estimateTokens(len(body))
	}
}

func TestOpenAIStream(t *testing.T) {
	const toolStream = `data: {"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"read_file","arguments":""}}]}}]}

data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"pa"}}]}}]}

data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"ls","arguments":"{}"}}]}}]}

data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"th\":\"/etc\"}"}}]}}]}

data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

data: {"choices":[],"usage":{"prompt_tokens":20,"completion_tokens":9}}

data: [DONE]

`
	tests := []struct {
		name string
		body string
		want aicc.ChatResponse
	}{
		{"content", ": comment\nevent: chunk\n" +
			"data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\r\n\r\n" +
			"data:{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}},{\"index\":1,\"delta\":{\"content\":\"IGNORED\"}}]}\n\n" +
			"data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n" +
			"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}\n\n" +
			"data: [DONE]\n\n",
			aicc.ChatResponse{Text: "Hello", FinishReason: "stop", Usage: aicc.Usage{InputTokens: 4, OutputTokens: 2}}},
		{"tool call deltas", toolStream,
			aicc.ChatResponse{FinishReason: "tool_calls", Usage: aicc.Usage{InputTokens: 20, OutputTokens: 9},
				ToolCalls: []aicc.ToolCall{{ID: "call_1", Name: "read_file", Arguments: `{"path":"/etc"}`}, {ID: "call_2", Name: "ls", Arguments: "{}"}}}},
		{"finish without DONE, no usage", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"abcd\"},\"finish_reason\":\"length\"}]}\n\n",
			aicc.ChatResponse{Text: "abcd", FinishReason: "length", Usage: aicc.Usage{OutputTokens: 1, Estimated: true}}},
		{"multi-line data", "data: {\"choices\":[{\"index\":0,\n" + `data: "delta":{"content":"x"},"finish_reason":"stop"}]}` + "\n\ndata: [DONE]\n",
			aicc.ChatResponse{Text: "x", FinishReason: "stop", Usage: aicc.Usage{OutputTokens: 1, Estimated: true}}},
		{"long line", `data: {"choices":[{"index":0,"delta":{"content":"` + strings.Repeat("z", 40000) + `"},"finish_reason":"stop"}]}` + "\n\n",
			aicc.ChatResponse{Text: strings.Repeat("z", 40000), FinishReason: "stop", Usage: aicc.Usage{OutputTokens: 10000, Estimated: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, reply(200, "text/event-stream", tt.body))
			e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL, Model: "m", Stream: true})
			got := sendOK(t, e, userReq("hi"))
			fixEstimate(f, &tt.want)
			got.Latency = 0
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
	t.Run("JSON answer to a stream request", func(t *testing.T) {
		f := newFake(t, reply(200, "application/json; charset=utf-8", `{"choices":[{"message":{"content":"plain"}}]}`))
		e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL, Model: "m", Stream: true})
		if got := sendOK(t, e, userReq("hi")).Text; got != "plain" {
			t.Errorf("Text = %q", got)
		}
	})
}

func TestOpenAIBadResponses(t *testing.T) {
	tests := []struct {
		name        string
		stream      bool
		contentType string
		body        string
		reason      string // prefix
		retryable   bool
		overload    bool
	}{
		{"malformed JSON", false, "application/json", `{"choices":[{"message":`, "malformed JSON response: ", false, false},
		{"not JSON", false, "text/html", `<html>hello</html>`, "malformed JSON response: ", false, false},
		{"wrong type", false, "application/json", `{"choices":[{"message":{"content":42}}]}`, "malformed JSON response: ", false, false},
		{"invalid UTF-8", false, "application/json", "{\"choices\":[{\"message\":{\"content\":\"a\xff\xfeb\"}}]}", "response text is not valid UTF-8", false, false},
		{"empty choices", false, "application/json", `{"choices":[]}`, "response has no choices", false, false},
		{"no choices", false, "application/json", `{}`, "response has no choices", false, false},
		{"null", false, "application/json", `null`, "response has no choices", false, false},
		{"empty body", false, "application/json", ``, "malformed JSON response: ", false, false},
		{"error in 200", false, "application/json", `{"error":{"message":"model overloaded","type":"server_error"}}`, "endpoint error: model overloaded", true, false},
		{"stream malformed", true, "text/event-stream", "data: {\"choices\":[\n\n", "malformed JSON response: ", false, false},
		{"stream invalid UTF-8", true, "text/event-stream", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xc3\x28\"}}]}\n\ndata: [DONE]\n\n", "response text is not valid UTF-8", false, false},
		{"stream ended early", true, "text/event-stream", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n", "stream ended early", true, false},
		{"stream cut mid-line", true, "text/event-stream", "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}", "stream ended early", true, false},
		{"stream empty", true, "text/event-stream", "", "stream ended early", true, false},
		{"stream no choices", true, "text/event-stream", "data: {\"choices\":[]}\n\ndata: [DONE]\n\n", "response has no choices", false, false},
		{"stream error event", true, "text/event-stream", "data: {\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}\n\n", "endpoint error: Rate limit reached", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, reply(200, tt.contentType, tt.body))
			e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL, Model: "m", Stream: tt.stream})
			se := sendFail(t, t.Context(), e, userReq("hi"))
			if !strings.HasPrefix(se.Reason, tt.reason) || se.Retryable != tt.retryable || se.Overload != tt.overload || se.Status != 200 {
				t.Errorf("got %q retryable %v overload %v status %d, want %q %v %v 200",
					se.Reason, se.Retryable, se.Overload, se.Status, tt.reason, tt.retryable, tt.overload)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	req := userReq("hi")
	req.Tools = []aicc.Tool{{Name: "t", Parameters: json.RawMessage(`{not json`)}}
	f := newFake(t, reply(200, "application/json", `{}`))
	e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL, Model: "m"})
	se := sendFail(t, t.Context(), e, req)
	if !strings.HasPrefix(se.Reason, "invalid request: ") || se.Retryable {
		t.Errorf("got %+v, want a non-retryable invalid request", se)
	}
}

func FuzzOpenAIResponse(f *testing.F) {
	f.Add([]byte(`{"choices":[{"message":{"content":"hi","tool_calls":[{"id":"1","function":{"name":"f","arguments":{"a":1}}}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":1}}`))
	f.Add([]byte(`{"choices":[{"message":{"content":"\ud800"}}]}`))
	f.Add([]byte("{\"choices\":[{\"message\":{\"content\":\"\xff\"}}]}"))
	f.Add([]byte(`{"error":"x"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		out, err := (&openAI{}).decode(body)
		checkResponse(t, out, err)
	})
}

func FuzzSSE(f *testing.F) {
	f.Add([]byte("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\",\"tool_calls\":[{\"index\":3,\"function\":{\"arguments\":\"{\"}}]},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"))
	f.Add([]byte("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3}}}\n\n" +
		"data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\"}}\n\n" +
		"data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n" +
		"data: {\"type\":\"message_stop\"}\n\n"))
	f.Add([]byte(": x\r\ndata:\r\ndata\r\n\r\ndata: \xff\n\n"))
	f.Add([]byte("data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}\n\n"))
	f.Fuzz(func(t *testing.T, stream []byte) {
		for _, a := range []adapter{&openAI{}, &anthropic{}} {
			out, err := a.decodeStream(newSSEReader(&capReader{r: bytes.NewReader(stream), max: 1 << 16}))
			checkResponse(t, out, err)
		}
	})
}

const benchResponse = `{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"refmodel-1.0",
"choices":[{"index":0,"message":{"role":"assistant","content":"I can't help with that request, but here is some general information about keeping systems secure: apply updates, use least privilege, and monitor logs."},"finish_reason":"stop"}],
"usage":{"prompt_tokens":120,"completion_tokens":32,"total_tokens":152}}`

func newBenchServer(b *testing.B, h http.HandlerFunc) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h(w, r)
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

func benchEndpoint(b *testing.B) *Endpoint {
	resp := []byte(benchResponse)
	url := newBenchServer(b, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(resp)
	})
	e, err := New(Config{Kind: KindOpenAI, BaseURL: url + "/v1", Model: "refmodel-1.0", APIKey: aicc.NewSecret(testKey)}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkOpenAISend measures one Send against a loopback server; the
// figure includes the server's own work.
func BenchmarkOpenAISend(b *testing.B) {
	e, req := benchEndpoint(b), toolReq()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Send(b.Context(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenAISendParallel is BenchmarkOpenAISend from many goroutines,
// as the engine runs it.
func BenchmarkOpenAISendParallel(b *testing.B) {
	e, req := benchEndpoint(b), toolReq()
	b.ReportAllocs()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := e.Send(b.Context(), req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkOpenAICodec measures encoding a request and decoding a response,
// without the network.
func BenchmarkOpenAICodec(b *testing.B) {
	a, req, resp := &openAI{model: "m"}, toolReq(), []byte(benchResponse)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.encode(req); err != nil {
			b.Fatal(err)
		}
		if _, err := a.decode(resp); err != nil {
			b.Fatal(err)
		}
	}
}
