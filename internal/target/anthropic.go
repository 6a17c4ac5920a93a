package target

import (
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// anthropicVersion is the Messages API version this adapter speaks.
const anthropicVersion = "2023-06-01"

// anthropicMaxTokens is sent when the request sets no MaxTokens: the API
// requires one.
const anthropicMaxTokens = 1024

// anthropic speaks the Anthropic Messages API. The API has no seed, so
// ChatRequest.Seed is not sent.
type anthropic struct {
	model  string
	stream bool
}

type anRequest struct {
	Model       string      `json:"model"`
	System      string      `json:"system,omitempty"`
	Messages    []anMessage `json:"messages"`
	Tools       []anTool    `json:"tools,omitempty"`
	MaxTokens   int         `json:"max_tokens"`
	Temperature *float64    `json:"temperature,omitempty"`
	Stream      bool        `json:"stream,omitempty"`
}

type anMessage struct {
	Role    aicc.Role `json:"role"`
	Content []anBlock `json:"content"`
}

// anBlock is a content block: text, tool_use or tool_result.
type anBlock struct {
	Type      string          `json:"type"`
	Text      string          `json:"text,omitempty"`
	ID        string          `json:"id,omitempty"`          // tool_use
	Name      string          `json:"name,omitempty"`        // tool_use
	Input     json.RawMessage `json:"input,omitempty"`       // tool_use
	ToolUseID string          `json:"tool_use_id,omitempty"` // tool_result
	Content   string          `json:"content,omitempty"`     // tool_result
}

type anTool struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	InputSchema json.RawMessage `json:"input_schema"`
}

// encode maps the conversation: system messages become the top-level
// system prompt, assistant tool calls become tool_use blocks, tool messages
// become tool_result blocks of a user message, and consecutive messages of
// one role are merged into one message, as the API expects.
func (a *anthropic) encode(req *aicc.ChatRequest) ([]byte, error) {
	r := anRequest{
		Model:       cmp.Or(req.Model, a.model),
		Messages:    make([]anMessage, 0, len(req.Messages)),
		MaxTokens:   cmp.Or(req.MaxTokens, anthropicMaxTokens),
		Temperature: req.Temperature,
		Stream:      a.stream,
	}
	var system []string
	for _, m := range req.Messages {
		role, blocks := aicc.RoleUser, []anBlock(nil)
		switch m.Role {
		case aicc.RoleSystem:
			system = append(system, m.Content)
			continue
		case aicc.RoleUser:
			blocks = []anBlock{{Type: "text", Text: m.Content}}
		case aicc.RoleAssistant:
			role = aicc.RoleAssistant
			if m.Content != "" || len(m.ToolCalls) == 0 {
				blocks = append(blocks, anBlock{Type: "text", Text: m.Content})
			}
			for _, tc := range m.ToolCalls {
				input := json.RawMessage(tc.Arguments)
				if strings.TrimSpace(tc.Arguments) == "" {
					input = json.RawMessage("{}")
				} else if !json.Valid(input) {
					return nil, errors.New("arguments of tool call " + tc.Name + " are not valid JSON, which the Anthropic API requires")
				}
				blocks = append(blocks, anBlock{Type: "tool_use", ID: tc.ID, Name: tc.Name, Input: input})
			}
		case aicc.RoleTool:
			blocks = []anBlock{{Type: "tool_result", ToolUseID: m.ToolCallID, Content: m.Content}}
		default:
			return nil, errors.New("unknown message role " + string(m.Role))
		}
		if n := len(r.Messages); n > 0 && r.Messages[n-1].Role == role {
			r.Messages[n-1].Content = append(r.Messages[n-1].Content, blocks...)
			continue
		}
		r.Messages = append(r.Messages, anMessage{Role: role, Content: blocks})
	}
	r.System = strings.Join(system, "\n\n")
	if len(req.Tools) > 0 {
		r.Tools = make([]anTool, len(req.Tools))
		for i, t := range req.Tools {
			schema := t.Parameters
			if len(schema) == 0 {
				schema = json.RawMessage(`{"type":"object"}`)
			}
			r.Tools[i] = anTool{Name: t.Name, Description: t.Description, InputSchema: schema}
		}
	}
	return json.Marshal(&r)
}

type anResponse struct {
	Type       string          `json:"type"`
	Content    []anRespBlock   `json:"content"`
	StopReason string          `json:"stop_reason"`
	Usage      *anUsage        `json:"usage"`
	Error      json.RawMessage `json:"error"`
}

type anRespBlock struct {
	Type  string          `json:"type"`
	Text  string          `json:"text"`
	ID    string          `json:"id"`
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input"`
}

type anUsage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// decode reads a message: text blocks are joined, tool_use blocks become
// tool calls whose arguments are the JSON of their input; other blocks
// (thinking) are skipped.
func (a *anthropic) decode(body []byte) (*aicc.ChatResponse, error) {
	if !utf8.Valid(body) {
		return nil, errInvalidUTF8()
	}
	var r anResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, errMalformed(err)
	}
	if r.Type == "error" || hasValue(r.Error) {
		return nil, bodyAPIError(r.Error)
	}
	if r.Content == nil {
		return nil, sendErr("response has no content", nil)
	}
	out := &aicc.ChatResponse{FinishReason: r.StopReason}
	var text strings.Builder
	for _, b := range r.Content {
		switch b.Type {
		case "text":
			text.WriteString(b.Text)
		case "tool_use":
			args := "{}"
			if hasValue(b.Input) {
				args = string(b.Input)
			}
			out.ToolCalls = append(out.ToolCalls, aicc.ToolCall{ID: b.ID, Name: b.Name, Arguments: args})
		}
	}
	out.Text = text.String()
	if r.Usage == nil {
		out.Usage.Estimated = true
	} else {
		out.Usage = aicc.Usage{InputTokens: r.Usage.InputTokens, OutputTokens: r.Usage.OutputTokens}
	}
	return out, nil
}

// anEvent is any event of a Messages stream; Type says which fields are set.
type anEvent struct {
	Type    string `json:"type"`
	Index   int    `json:"index"`
	Message *struct {
		Usage *anUsage `json:"usage"`
	} `json:"message"`
	ContentBlock *anRespBlock `json:"content_block"`
	Delta        *struct {
		Type        string `json:"type"`
		Text        string `json:"text"`
		PartialJSON string `json:"partial_json"`
		StopReason  string `json:"stop_reason"`
	} `json:"delta"`
	Usage *anUsage        `json:"usage"`
	Error json.RawMessage `json:"error"`
}

// decodeStream gathers a Messages stream: message_start (input usage),
// content_block_start/delta (text_delta, input_json_delta), message_delta
// (stop reason, output usage) and message_stop, which must arrive.
func (a *anthropic) decodeStream(s *sseReader) (*aicc.ChatResponse, error) {
	var (
		text  []byte
		calls streamCalls
		out   = &aicc.ChatResponse{}
		usage bool
		done  bool
	)
	for !done {
		data, err := s.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if !utf8.Valid(data) {
			return nil, errInvalidUTF8()
		}
		var ev anEvent
		if err := json.Unmarshal(data, &ev); err != nil {
			return nil, errMalformed(err)
		}
		switch ev.Type {
		case "error":
			return nil, bodyAPIError(ev.Error)
		case "message_start":
			if ev.Message != nil && ev.Message.Usage != nil {
				usage = true
				out.Usage.InputTokens = ev.Message.Usage.InputTokens
				out.Usage.OutputTokens = ev.Message.Usage.OutputTokens
			}
		case "content_block_start":
			if b := ev.ContentBlock; b != nil && b.Type == "tool_use" {
				c := calls.at(ev.Index)
				c.id, c.name = b.ID, b.Name
			}
		case "content_block_delta":
			if ev.Delta == nil {
				continue
			}
			switch ev.Delta.Type {
			case "text_delta":
				text = append(text, ev.Delta.Text...)
			case "input_json_delta":
				c := calls.at(ev.Index)
				c.args = append(c.args, ev.Delta.PartialJSON...)
			}
		case "message_delta":
			if ev.Delta != nil && ev.Delta.StopReason != "" {
				out.FinishReason = ev.Delta.StopReason
			}
			if u := ev.Usage; u != nil {
				usage = true
				out.Usage.InputTokens = cmp.Or(u.InputTokens, out.Usage.InputTokens)
				out.Usage.OutputTokens = cmp.Or(u.OutputTokens, out.Usage.OutputTokens)
			}
		case "message_stop":
			done = true
		}
	}
	if !done {
		return nil, &aicc.SendError{Reason: "stream ended early", Retryable: true}
	}
	out.Text = string(text)
	out.ToolCalls = calls.toolCalls("{}")
	out.Usage.Estimated = !usage
	return out, nil
}
