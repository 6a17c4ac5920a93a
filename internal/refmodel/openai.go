package refmodel

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// maxBody bounds a request body.
const maxBody = 4 << 20

// The OpenAI chat completions wire format, as much of it as the reference
// model reads and writes.
type (
	chatRequest struct {
		Model               string        `json:"model"`
		Messages            []wireMessage `json:"messages"`
		Tools               []wireTool    `json:"tools,omitempty"`
		Temperature         *float64      `json:"temperature,omitempty"`
		Seed                *int64        `json:"seed,omitempty"`
		MaxTokens           int           `json:"max_tokens,omitempty"`
		MaxCompletionTokens int           `json:"max_completion_tokens,omitempty"`
		Stream              bool          `json:"stream,omitempty"`
		StreamOptions       *struct {
			IncludeUsage bool `json:"include_usage"`
		} `json:"stream_options,omitempty"`
	}
	wireMessage struct {
		Role       string         `json:"role"`
		Content    wireContent    `json:"content"`
		ToolCalls  []wireToolCall `json:"tool_calls,omitempty"`
		ToolCallID string         `json:"tool_call_id,omitempty"`
		Name       string         `json:"name,omitempty"`
	}
	wireToolCall struct {
		Index    *int         `json:"index,omitempty"` // streaming deltas only
		ID       string       `json:"id,omitempty"`
		Type     string       `json:"type,omitempty"`
		Function wireFunction `json:"function"`
	}
	wireFunction struct {
		Name      string `json:"name,omitempty"`
		Arguments string `json:"arguments"`
	}
	wireTool struct {
		Type     string `json:"type"`
		Function struct {
			Name        string          `json:"name"`
			Description string          `json:"description,omitempty"`
			Parameters  json.RawMessage `json:"parameters,omitempty"`
		} `json:"function"`
	}
	chatResponse struct {
		ID      string       `json:"id"`
		Object  string       `json:"object"`
		Created int64        `json:"created"`
		Model   string       `json:"model"`
		Choices []wireChoice `json:"choices"`
		Usage   *wireUsage   `json:"usage,omitempty"`
	}
	wireChoice struct {
		Index        int        `json:"index"`
		Message      *wireReply `json:"message,omitempty"`
		Delta        *wireDelta `json:"delta,omitempty"`
		FinishReason *string    `json:"finish_reason"`
	}
	wireReply struct {
		Role      string         `json:"role"`
		Content   *string        `json:"content"` // null when the reply is only tool calls
		ToolCalls []wireToolCall `json:"tool_calls,omitempty"`
	}
	wireDelta struct {
		Role      string         `json:"role,omitempty"`
		Content   *string        `json:"content,omitempty"`
		ToolCalls []wireToolCall `json:"tool_calls,omitempty"`
	}
	wireUsage struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
		TotalTokens      int `json:"total_tokens"`
	}
)

// wireContent is a message's content: a string, null, or an array of parts
// whose text parts are joined.
type wireContent string

func (c *wireContent) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*c = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		*c = wireContent(s)
		return err
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(b, &parts); err != nil {
		return errors.New("content must be a string, null or an array of content parts")
	}
	var s string
	for _, p := range parts {
		if p.Type == "text" {
			s += p.Text
		}
	}
	*c = wireContent(s)
	return nil
}

func (s *server) handleModels(w http.ResponseWriter, _ *http.Request) {
	type model struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		OwnedBy string `json:"owned_by"`
	}
	out := struct {
		Object string  `json:"object"`
		Data   []model `json:"data"`
	}{Object: "list"}
	for _, id := range Versions() {
		out.Data = append(out.Data, model{ID: id, Object: "model", Created: 1767225600, OwnedBy: "aicc"})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) handleChat(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var req chatRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "request_too_large", fmt.Sprintf("request body over %d bytes", maxBody))
			return
		}
		writeError(w, http.StatusBadRequest, "invalid_json", "request body is not valid JSON: "+err.Error())
		return
	}
	v := lookup(req.Model)
	switch {
	case req.Model == "":
		writeError(w, http.StatusBadRequest, "missing_model", "model is required")
		return
	case v == nil:
		writeError(w, http.StatusNotFound, "model_not_found", fmt.Sprintf("the model %q does not exist; use one of %v", req.Model, Versions()))
		return
	case len(req.Messages) == 0:
		writeError(w, http.StatusBadRequest, "missing_messages", "messages must not be empty")
		return
	}
	msgs, tools := req.neutral()
	rep := v.respond(msgs, tools, draw(&req))
	finish := "stop"
	if len(rep.toolCalls) > 0 {
		finish = "tool_calls"
	}
	if limit := cmp.Or(req.MaxCompletionTokens, req.MaxTokens); limit > 0 && tokens(rep.text) > limit {
		rep.text = truncate(rep.text, 4*limit)
		finish = "length"
	}
	usage := wireUsage{PromptTokens: promptTokens(msgs, tools), CompletionTokens: completionTokens(rep)}
	usage.TotalTokens = usage.PromptTokens + usage.CompletionTokens
	id := "chatcmpl-ref" + strconv.FormatUint(s.seq.Add(1), 36)
	created := start.Unix()
	if req.Stream {
		s.stream(w, &req, id, created, rep, finish, usage)
	} else {
		reply := &wireReply{Role: "assistant", ToolCalls: wireCalls(rep.toolCalls, false)}
		if rep.text != "" || len(rep.toolCalls) == 0 {
			reply.Content = &rep.text
		}
		writeJSON(w, http.StatusOK, chatResponse{
			ID: id, Object: "chat.completion", Created: created, Model: req.Model,
			Choices: []wireChoice{{Message: reply, FinishReason: &finish}},
			Usage:   &usage,
		})
	}
	s.logger.Debug("refmodel: chat completion", "model", req.Model, "stream", req.Stream,
		"finish", finish, "tool_calls", len(rep.toolCalls), "duration", time.Since(start))
}

// stream writes the reply as server-sent events, the way OpenAI streams.
func (s *server) stream(w http.ResponseWriter, req *chatRequest, id string, created int64, rep reply, finish string, usage wireUsage) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	send := func(choices []wireChoice, u *wireUsage) {
		b, _ := json.Marshal(chatResponse{ID: id, Object: "chat.completion.chunk", Created: created, Model: req.Model, Choices: choices, Usage: u})
		w.Write([]byte("data: "))
		w.Write(b)
		w.Write([]byte("\n\n"))
		rc.Flush()
	}
	delta := func(d *wireDelta) []wireChoice { return []wireChoice{{Delta: d}} }
	empty := ""
	send(delta(&wireDelta{Role: "assistant", Content: &empty}), nil)
	for _, piece := range split(rep.text, 16) {
		send(delta(&wireDelta{Content: &piece}), nil)
	}
	for i, tc := range wireCalls(rep.toolCalls, true) {
		args := tc.Function.Arguments
		tc.Function.Arguments = ""
		send(delta(&wireDelta{ToolCalls: []wireToolCall{tc}}), nil)
		for _, piece := range split(args, 24) {
			send(delta(&wireDelta{ToolCalls: []wireToolCall{{Index: &i, Function: wireFunction{Arguments: piece}}}}), nil)
		}
	}
	send([]wireChoice{{Delta: &wireDelta{}, FinishReason: &finish}}, nil)
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		send([]wireChoice{}, &usage)
	}
	w.Write([]byte("data: [DONE]\n\n"))
	rc.Flush()
}

// neutral converts the request to the provider-neutral form the model reads.
func (req *chatRequest) neutral() ([]aicc.Message, []aicc.Tool) {
	msgs := make([]aicc.Message, len(req.Messages))
	for i, m := range req.Messages {
		msgs[i] = aicc.Message{Role: aicc.Role(m.Role), Content: string(m.Content), ToolCallID: m.ToolCallID, Name: m.Name}
		if m.Role == "developer" {
			msgs[i].Role = aicc.RoleSystem
		}
		for _, tc := range m.ToolCalls {
			msgs[i].ToolCalls = append(msgs[i].ToolCalls, aicc.ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: tc.Function.Arguments})
		}
	}
	tools := make([]aicc.Tool, len(req.Tools))
	for i, t := range req.Tools {
		tools[i] = aicc.Tool{Name: t.Function.Name, Description: t.Function.Description, Parameters: t.Function.Parameters}
	}
	return msgs, tools
}

func wireCalls(calls []aicc.ToolCall, indexed bool) []wireToolCall {
	var out []wireToolCall
	for i, c := range calls {
		wc := wireToolCall{ID: c.ID, Type: "function", Function: wireFunction{Name: c.Name, Arguments: c.Arguments}}
		if indexed {
			wc.Index = &i
		}
		out = append(out, wc)
	}
	return out
}

// draw returns the request's random draw in [0, 1): 0 at temperature 0 (or
// none given), so every weakness fires; otherwise from a generator seeded
// by the request's seed and content when it has a seed, else at random.
func draw(req *chatRequest) float64 {
	if req.Temperature == nil || *req.Temperature <= 0 {
		return 0
	}
	if req.Seed == nil {
		return rand.Float64()
	}
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(*req.Seed))
	h.Write(b[:])
	for _, m := range req.Messages {
		io.WriteString(h, m.Role)
		h.Write([]byte{0})
		io.WriteString(h, string(m.Content))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(h.Sum64(), uint64(*req.Seed))).Float64()
}

// tokens estimates a token count: a quarter of the characters, rounded up.
func tokens(s string) int { return (utf8.RuneCountInString(s) + 3) / 4 }

func promptTokens(msgs []aicc.Message, tools []aicc.Tool) int {
	n := 0
	for _, m := range msgs {
		n += utf8.RuneCountInString(m.Content)
		for _, tc := range m.ToolCalls {
			n += len(tc.Name) + utf8.RuneCountInString(tc.Arguments)
		}
	}
	for _, t := range tools {
		n += len(t.Name) + utf8.RuneCountInString(t.Description) + len(t.Parameters)
	}
	return (n + 3) / 4
}

func completionTokens(r reply) int {
	n := utf8.RuneCountInString(r.text)
	for _, tc := range r.toolCalls {
		n += len(tc.Name) + utf8.RuneCountInString(tc.Arguments)
	}
	return (n + 3) / 4
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// split cuts s into pieces of about n bytes, on rune boundaries.
func split(s string, n int) []string {
	var out []string
	for len(s) > 0 {
		k := min(n, len(s))
		for k < len(s) && !utf8.RuneStart(s[k]) {
			k++
		}
		out = append(out, s[:k])
		s = s[k:]
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError writes an error in the OpenAI shape.
func writeError(w http.ResponseWriter, status int, code, message string) {
	typ := "invalid_request_error"
	switch {
	case status == http.StatusTooManyRequests:
		typ = "rate_limit_error"
	case status >= 500:
		typ = "server_error"
	}
	type body struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    string `json:"code"`
	}
	writeJSON(w, status, struct {
		Error body `json:"error"`
	}{body{Message: message, Type: typ, Code: code}})
}
