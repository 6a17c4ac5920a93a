package aicc

import (
	"encoding/json"
	"time"
)

// Role is who speaks a message in a conversation.
type Role string

const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleTool      Role = "tool"
)

// Message is one message of a conversation, in a provider-neutral form.
type Message struct {
	Role       Role       `json:"role"`
	Content    string     `json:"content,omitempty"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`   // assistant messages
	ToolCallID string     `json:"tool_call_id,omitempty"` // tool messages: the call answered
	Name       string     `json:"name,omitempty"`         // tool messages: the tool's name
}

// Tool is a function the model may call, with a JSON Schema for its arguments.
type Tool struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
}

// ToolCall is a call the model asked for. Arguments is the raw JSON text the
// model produced, which need not be valid JSON.
type ToolCall struct {
	ID        string `json:"id,omitempty"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// ChatRequest is what the engine asks a target for: one model turn.
type ChatRequest struct {
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"` // the system prompt is the first message when present
	Tools       []Tool    `json:"tools,omitempty"`
	Temperature *float64  `json:"temperature,omitempty"`
	Seed        *int64    `json:"seed,omitempty"`
	MaxTokens   int       `json:"max_tokens,omitempty"`
}

// Usage counts tokens as reported by the endpoint (or estimated when it
// reports none; Estimated says which).
type Usage struct {
	InputTokens  int  `json:"input_tokens"`
	OutputTokens int  `json:"output_tokens"`
	Estimated    bool `json:"estimated,omitempty"`
}

// ChatResponse is one model turn.
type ChatResponse struct {
	Text         string        `json:"text"`
	ToolCalls    []ToolCall    `json:"tool_calls,omitempty"`
	FinishReason string        `json:"finish_reason,omitempty"`
	Usage        Usage         `json:"usage"`
	Latency      time.Duration `json:"latency_ns"`
}

// SendError is the error a target returns when a request fails. The engine
// reads it to decide whether to retry and whether to slow down.
type SendError struct {
	Reason     string        // one line a person can read: "HTTP 429", "response over 1048576 bytes"
	Status     int           // HTTP status, 0 when none was received
	Retryable  bool          // a later try may succeed (429, 5xx, timeouts, resets)
	Overload   bool          // the endpoint said it is over capacity (429, 503): back off
	RetryAfter time.Duration // the endpoint's Retry-After, 0 when absent
	Err        error         // underlying cause, optional
}

func (e *SendError) Error() string {
	if e.Err != nil && e.Err.Error() != e.Reason {
		return e.Reason + ": " + e.Err.Error()
	}
	return e.Reason
}

func (e *SendError) Unwrap() error { return e.Err }
