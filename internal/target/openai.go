package target

import (
	"cmp"
	"encoding/json"
	"io"
	"unicode/utf8"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// openAI speaks the OpenAI chat completions API, which most self-hosted
// servers (vLLM, llama.cpp, Ollama, LiteLLM) also offer.
type openAI struct {
	model  string
	stream bool
	// completionTokens sends the token limit as max_completion_tokens,
	// which OpenAI's reasoning models require instead of max_tokens.
	completionTokens bool
}

type oaRequest struct {
	Model         string        `json:"model"`
	Messages      []oaMessage   `json:"messages"`
	Tools         []oaTool      `json:"tools,omitempty"`
	Temperature   *float64      `json:"temperature,omitempty"`
	Seed          *int64        `json:"seed,omitempty"`
	MaxTokens     int           `json:"max_tokens,omitempty"`
	MaxCompletion int           `json:"max_completion_tokens,omitempty"`
	Stream        bool          `json:"stream,omitempty"`
	StreamOptions *oaStreamOpts `json:"stream_options,omitempty"`
}

type oaStreamOpts struct {
	IncludeUsage bool `json:"include_usage"`
}

type oaMessage struct {
	Role       aicc.Role    `json:"role"`
	Content    string       `json:"content"`
	ToolCalls  []oaToolCall `json:"tool_calls,omitempty"`
	ToolCallID string       `json:"tool_call_id,omitempty"`
}

type oaToolCall struct {
	ID       string     `json:"id"`
	Type     string     `json:"type"`
	Function oaFunction `json:"function"`
}

type oaFunction struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

type oaTool struct {
	Type     string     `json:"type"`
	Function oaToolFunc `json:"function"`
}

type oaToolFunc struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
}

func (a *openAI) encode(req *aicc.ChatRequest) ([]byte, error) {
	r := oaRequest{
		Model:       cmp.Or(req.Model, a.model),
		Messages:    make([]oaMessage, len(req.Messages)),
		Temperature: req.Temperature,
		Seed:        req.Seed,
	}
	if a.completionTokens {
		r.MaxCompletion = req.MaxTokens
	} else {
		r.MaxTokens = req.MaxTokens
	}
	if a.stream {
		r.Stream, r.StreamOptions = true, &oaStreamOpts{IncludeUsage: true}
	}
	for i, m := range req.Messages {
		om := oaMessage{Role: m.Role, Content: m.Content, ToolCallID: m.ToolCallID}
		if len(m.ToolCalls) > 0 {
			om.ToolCalls = make([]oaToolCall, len(m.ToolCalls))
			for j, tc := range m.ToolCalls {
				om.ToolCalls[j] = oaToolCall{ID: tc.ID, Type: "function", Function: oaFunction{Name: tc.Name, Arguments: tc.Arguments}}
			}
		}
		r.Messages[i] = om
	}
	if len(req.Tools) > 0 {
		r.Tools = make([]oaTool, len(req.Tools))
		for i, t := range req.Tools {
			r.Tools[i] = oaTool{Type: "function", Function: oaToolFunc{Name: t.Name, Description: t.Description, Parameters: t.Parameters}}
		}
	}
	return json.Marshal(&r)
}

type oaResponse struct {
	Choices []struct {
		Message struct {
			Content   string           `json:"content"`
			Refusal   string           `json:"refusal"`
			ToolCalls []oaRespToolCall `json:"tool_calls"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage *oaUsage        `json:"usage"`
	Error json.RawMessage `json:"error"`
}

// oaRespToolCall is a tool call in a response or, with Index, a piece of one
// in a stream. Some servers send arguments as a JSON object, not a string.
type oaRespToolCall struct {
	Index    int    `json:"index"`
	ID       string `json:"id"`
	Function struct {
		Name      string   `json:"name"`
		Arguments jsonText `json:"arguments"`
	} `json:"function"`
}

type oaUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

func (a *openAI) decode(body []byte) (*aicc.ChatResponse, error) {
	if !utf8.Valid(body) {
		return nil, errInvalidUTF8()
	}
	var r oaResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, errMalformed(err)
	}
	if hasValue(r.Error) {
		return nil, bodyAPIError(r.Error)
	}
	if len(r.Choices) == 0 {
		return nil, sendErr("response has no choices", nil)
	}
	c := &r.Choices[0]
	out := &aicc.ChatResponse{Text: cmp.Or(c.Message.Content, c.Message.Refusal), FinishReason: c.FinishReason}
	if len(c.Message.ToolCalls) > 0 {
		out.ToolCalls = make([]aicc.ToolCall, len(c.Message.ToolCalls))
		for i, tc := range c.Message.ToolCalls {
			out.ToolCalls[i] = aicc.ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: string(tc.Function.Arguments)}
		}
	}
	setOAUsage(out, r.Usage)
	return out, nil
}

func setOAUsage(out *aicc.ChatResponse, u *oaUsage) {
	if u == nil {
		out.Usage.Estimated = true
		return
	}
	out.Usage = aicc.Usage{InputTokens: u.PromptTokens, OutputTokens: u.CompletionTokens}
}

type oaChunk struct {
	Choices []struct {
		Index int `json:"index"`
		Delta struct {
			Content   string           `json:"content"`
			Refusal   string           `json:"refusal"`
			ToolCalls []oaRespToolCall `json:"tool_calls"`
		} `json:"delta"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Usage *oaUsage        `json:"usage"`
	Error json.RawMessage `json:"error"`
}

// decodeStream gathers the chunks of a streamed completion: content deltas
// appended, tool call deltas joined by index, until "data: [DONE]". A
// stream that ends first is complete only if a finish_reason arrived.
func (a *openAI) decodeStream(s *sseReader) (*aicc.ChatResponse, error) {
	var (
		text, refusal []byte
		calls         streamCalls
		finish        string
		usage         *oaUsage
		sawChoice     bool
		done          bool
	)
	for !done {
		data, err := s.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if string(data) == "[DONE]" {
			done = true
			break
		}
		if !utf8.Valid(data) {
			return nil, errInvalidUTF8()
		}
		var ch oaChunk
		if err := json.Unmarshal(data, &ch); err != nil {
			return nil, errMalformed(err)
		}
		if hasValue(ch.Error) {
			return nil, bodyAPIError(ch.Error)
		}
		if ch.Usage != nil {
			usage = ch.Usage
		}
		for i := range ch.Choices {
			c := &ch.Choices[i]
			if c.Index != 0 {
				continue // only the first choice is used
			}
			sawChoice = true
			text = append(text, c.Delta.Content...)
			refusal = append(refusal, c.Delta.Refusal...)
			for _, tc := range c.Delta.ToolCalls {
				sc := calls.at(tc.Index)
				sc.id = cmp.Or(sc.id, tc.ID)
				sc.name = cmp.Or(sc.name, tc.Function.Name)
				sc.args = append(sc.args, tc.Function.Arguments...)
			}
			if c.FinishReason != "" {
				finish = c.FinishReason
			}
		}
	}
	if !done && finish == "" {
		return nil, &aicc.SendError{Reason: "stream ended early", Retryable: true}
	}
	if !sawChoice {
		return nil, sendErr("response has no choices", nil)
	}
	if len(text) == 0 {
		text = refusal
	}
	out := &aicc.ChatResponse{Text: string(text), FinishReason: finish, ToolCalls: calls.toolCalls("")}
	setOAUsage(out, usage)
	return out, nil
}

// streamCall is a tool call being assembled from stream deltas.
type streamCall struct {
	index    int
	id, name string
	args     []byte
}

type streamCalls []streamCall

// at returns the call with the given index, adding it when new. Indexes
// come from the endpoint, so they are looked up, never used to size a slice.
func (cs *streamCalls) at(index int) *streamCall {
	for i := range *cs {
		if (*cs)[i].index == index {
			return &(*cs)[i]
		}
	}
	*cs = append(*cs, streamCall{index: index})
	return &(*cs)[len(*cs)-1]
}

// toolCalls returns the assembled calls; emptyArgs replaces empty arguments.
func (cs streamCalls) toolCalls(emptyArgs string) []aicc.ToolCall {
	if len(cs) == 0 {
		return nil
	}
	out := make([]aicc.ToolCall, len(cs))
	for i, c := range cs {
		args := string(c.args)
		if args == "" {
			args = emptyArgs
		}
		out[i] = aicc.ToolCall{ID: c.id, Name: c.name, Arguments: args}
	}
	return out
}

// jsonText is a JSON value read as text: a string's contents, null as "",
// and any other value as its JSON.
type jsonText string

// UnmarshalJSON implements json.Unmarshaler.
func (t *jsonText) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = jsonText(s)
	case string(b) == "null":
		*t = ""
	default:
		*t = jsonText(b)
	}
	return nil
}

// hasValue reports whether a raw JSON field was present and not null.
func hasValue(raw json.RawMessage) bool {
	return len(raw) > 0 && string(raw) != "null"
}
