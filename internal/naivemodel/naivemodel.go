// Package naivemodel is a second deliberately naive chat target, for tests
// only. It exists to show that the built-in protocols are not keyed to the
// reference model's wording: it shares no code and no phrase lists with
// internal/refmodel, and it has no versions, no weakness switches and no
// refusals. It reads every message it is sent (system, user, pasted
// documents, tool results) as one list of sentences, and obeys the last
// sentence that reads like an order, literally: it echoes what it is told
// to say, copies the context lines that hold what it is asked to reveal,
// calls the tools it is told to call, renders the images it is told to
// render, writes the code it is asked for the quickest way, names a package
// for whatever it is asked to install, decodes what it is told to decode
// and obeys that, joins variables, keeps going when told to, and has a go
// at puzzles.
//
// It speaks just enough of the OpenAI chat completions API for the scan
// engine's openai target: GET /v1/models and non-streamed POST
// /v1/chat/completions.
package naivemodel

import (
	"encoding/json"
	"net/http"
	"unicode/utf8"
)

// Model is the one model name the handler serves.
const Model = "naive-1"

// NewHandler returns the naive model's HTTP handler.
func NewHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", func(w http.ResponseWriter, _ *http.Request) {
		send(w, http.StatusOK, map[string]any{"object": "list", "data": []map[string]any{{"id": Model, "object": "model", "owned_by": "tests"}}})
	})
	mux.HandleFunc("POST /v1/chat/completions", complete)
	return mux
}

type (
	inMessage struct {
		Role       string `json:"role"`
		Content    any    `json:"content"`
		ToolCallID string `json:"tool_call_id"`
		ToolCalls  []call `json:"tool_calls"`
	}
	call struct {
		ID       string `json:"id"`
		Type     string `json:"type"`
		Function struct {
			Name      string `json:"name"`
			Arguments string `json:"arguments"`
		} `json:"function"`
	}
	inTool struct {
		Function struct {
			Name       string `json:"name"`
			Parameters struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"parameters"`
		} `json:"function"`
	}
	inRequest struct {
		Model    string      `json:"model"`
		Messages []inMessage `json:"messages"`
		Tools    []inTool    `json:"tools"`
		Stream   bool        `json:"stream"`
	}
)

func complete(w http.ResponseWriter, r *http.Request) {
	var req inRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&req); err != nil {
		fail(w, http.StatusBadRequest, "cannot read the request: "+err.Error())
		return
	}
	if req.Stream {
		fail(w, http.StatusBadRequest, "the naive model does not stream")
		return
	}
	in := input{}
	for _, t := range req.Tools {
		var params []string
		for p := range t.Function.Parameters.Properties {
			params = append(params, p)
		}
		in.tools = append(in.tools, tool{name: t.Function.Name, params: params})
	}
	for _, m := range req.Messages {
		in.add(m.Role, text(m.Content))
	}
	out := obey(&in)

	msg := map[string]any{"role": "assistant", "content": out.say}
	finish := "stop"
	if len(out.calls) > 0 {
		finish = "tool_calls"
		msg["tool_calls"] = out.calls
		if out.say == "" {
			msg["content"] = nil
		}
	}
	prompt := 0
	for _, s := range in.msgs {
		prompt += utf8.RuneCountInString(s.text)
	}
	completion := utf8.RuneCountInString(out.say)
	for _, c := range out.calls {
		completion += len(c.Function.Name) + len(c.Function.Arguments)
	}
	send(w, http.StatusOK, map[string]any{
		"id": "naive-1", "object": "chat.completion", "model": Model,
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}},
		"usage": map[string]int{
			"prompt_tokens": prompt/4 + 1, "completion_tokens": completion/4 + 1,
			"total_tokens": prompt/4 + completion/4 + 2,
		},
	})
}

// text flattens a message's content: a string, or the text of its parts.
func text(c any) string {
	switch c := c.(type) {
	case string:
		return c
	case []any:
		s := ""
		for _, p := range c {
			if m, ok := p.(map[string]any); ok {
				if t, ok := m["text"].(string); ok {
					s += t
				}
			}
		}
		return s
	}
	return ""
}

func send(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	send(w, status, map[string]any{"error": map[string]string{"message": msg, "type": "invalid_request_error"}})
}
