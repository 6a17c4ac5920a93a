package target

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// The generic "http" kind POSTs a JSON body built from a template and reads
// the model's text from the response at a path.
//
// Template placeholders:
//
//	{{prompt}}    the content of the last user message   (inside a JSON string)
//	{{system}}    the system messages, joined by a blank line (inside a JSON string)
//	{{model}}     the model                              (inside a JSON string)
//	{{messages}}  a JSON array of {"role","content"}     (bare, as a JSON value)
//
// String placeholders are inserted JSON-escaped, without quotes, so
// `{"input": "{{prompt}}"}` is right and `{"input": {{prompt}}}` is not.
//
// Paths name a value in the response: keys separated by dots, with a number
// selecting an array element, e.g. "output.text" or
// "choices.0.message.content". "choices[0]" means "choices.0", and a leading
// "$" or "$." is ignored, so simple JSONPath works too. Keys that contain
// '.', '[' or ']' cannot be named. A string value is the text; null is "";
// any other value is taken as its JSON text.

// placeholder is one of the template's substitutions; 0 is literal text.
type placeholder int

const (
	phLiteral placeholder = iota
	phPrompt
	phSystem
	phModel
	phMessages
)

type tmplPart struct {
	ph  placeholder
	lit string
}

// httpJSON is the generic JSON-over-HTTP adapter.
type httpJSON struct {
	model        string
	parts        []tmplPart
	size         int // literal bytes, to size the body
	useMessages  bool
	path         []string
	pathText     string
	toolPath     []string
	toolPathText string
}

func newHTTPJSON(cfg *Config) (*httpJSON, error) {
	h := &httpJSON{model: cfg.Model, pathText: cfg.ResponsePath, toolPathText: cfg.ToolCallsPath}
	if cfg.RequestTemplate == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "target request_template is required for kind http")
	}
	if err := h.compile(cfg.RequestTemplate); err != nil {
		return nil, err
	}
	if cfg.ResponsePath == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "target response_path is required for kind http")
	}
	var err error
	if h.path, err = parsePath(cfg.ResponsePath); err != nil {
		return nil, aicc.Errorf(aicc.KindInvalid, "target response_path: %v", err)
	}
	if cfg.ToolCallsPath != "" {
		if h.toolPath, err = parsePath(cfg.ToolCallsPath); err != nil {
			return nil, aicc.Errorf(aicc.KindInvalid, "target tool_calls_path: %v", err)
		}
	}
	return h, nil
}

// compile splits the template into literals and placeholders and checks
// that it is valid JSON with awkward values substituted.
func (h *httpJSON) compile(tmpl string) error {
	names := map[string]placeholder{"prompt": phPrompt, "system": phSystem, "model": phModel, "messages": phMessages}
	usesPrompt := false
	for rest := tmpl; rest != ""; {
		i := strings.Index(rest, "{{")
		if i < 0 {
			h.parts = append(h.parts, tmplPart{lit: rest})
			break
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			return aicc.Errorf(aicc.KindInvalid, "target request_template: %q is not closed with }}", oneLine(rest[i:], 40))
		}
		name := strings.TrimSpace(rest[i+2 : i+j])
		ph, ok := names[name]
		if !ok {
			return aicc.Errorf(aicc.KindInvalid, "target request_template: unknown placeholder {{%s}}: use {{prompt}}, {{system}}, {{model}} or {{messages}}", name)
		}
		if i > 0 {
			h.parts = append(h.parts, tmplPart{lit: rest[:i]})
		}
		h.parts = append(h.parts, tmplPart{ph: ph})
		usesPrompt = usesPrompt || ph == phPrompt || ph == phMessages
		h.useMessages = h.useMessages || ph == phMessages
		rest = rest[i+j+2:]
	}
	if !usesPrompt {
		return aicc.Errorf(aicc.KindInvalid, "target request_template must contain {{prompt}} or {{messages}}, or the prompt is never sent")
	}
	for _, p := range h.parts {
		h.size += len(p.lit)
	}
	dummy := &aicc.ChatRequest{Model: "m\"\\\n", Messages: []aicc.Message{
		{Role: aicc.RoleSystem, Content: "s\"\\\n\t<"},
		{Role: aicc.RoleUser, Content: "p\"\\\n\u2028\x01"},
	}}
	body, err := h.encode(dummy)
	if err == nil {
		err = json.Unmarshal(body, new(json.RawMessage))
	}
	if err != nil {
		return aicc.Errorf(aicc.KindInvalid, "target request_template is not valid JSON after substitution"+
			" ({{prompt}}, {{system}} and {{model}} go inside JSON strings, {{messages}} bare): %v", err)
	}
	return nil
}

type httpMessage struct {
	Role    aicc.Role `json:"role"`
	Content string    `json:"content"`
}

func (h *httpJSON) encode(req *aicc.ChatRequest) ([]byte, error) {
	var prompt string
	var system []string
	for _, m := range req.Messages {
		switch m.Role {
		case aicc.RoleUser:
			prompt = m.Content
		case aicc.RoleSystem:
			system = append(system, m.Content)
		}
	}
	var msgs []byte
	if h.useMessages {
		list := make([]httpMessage, len(req.Messages))
		for i, m := range req.Messages {
			list[i] = httpMessage{Role: m.Role, Content: m.Content}
		}
		var err error
		if msgs, err = json.Marshal(list); err != nil {
			return nil, err
		}
	}
	model := cmp.Or(req.Model, h.model)
	sys := strings.Join(system, "\n\n")
	b := make([]byte, 0, h.size+len(prompt)+len(sys)+len(msgs)+len(model)+64)
	for _, p := range h.parts {
		switch p.ph {
		case phLiteral:
			b = append(b, p.lit...)
		case phPrompt:
			b = appendEscaped(b, prompt)
		case phSystem:
			b = appendEscaped(b, sys)
		case phModel:
			b = appendEscaped(b, model)
		case phMessages:
			b = append(b, msgs...)
		}
	}
	return b, nil
}

// appendEscaped appends s escaped for the inside of a JSON string. Invalid
// UTF-8 becomes U+FFFD.
func appendEscaped(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// parsePath splits a response path into its keys; see the syntax above.
func parsePath(s string) ([]string, error) {
	p := strings.TrimPrefix(s, "$")
	p = strings.ReplaceAll(p, "[", ".")
	p = strings.ReplaceAll(p, "]", "")
	p = strings.TrimPrefix(p, ".")
	if p == "" {
		return nil, errors.New("path " + strconv.Quote(s) + " names no value")
	}
	keys := strings.Split(p, ".")
	for _, k := range keys {
		if k == "" {
			return nil, errors.New("path " + strconv.Quote(s) + " has an empty key")
		}
	}
	return keys, nil
}

// lookup returns the value at path in doc, which must be valid JSON.
func lookup(doc json.RawMessage, path []string) (json.RawMessage, bool) {
	cur := doc
	for _, key := range path {
		cur = bytes.TrimSpace(cur)
		if len(cur) == 0 {
			return nil, false
		}
		switch cur[0] {
		case '{':
			var m map[string]json.RawMessage
			if json.Unmarshal(cur, &m) != nil {
				return nil, false
			}
			v, ok := m[key]
			if !ok {
				return nil, false
			}
			cur = v
		case '[':
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 {
				return nil, false
			}
			var a []json.RawMessage
			if json.Unmarshal(cur, &a) != nil || i >= len(a) {
				return nil, false
			}
			cur = a[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// httpToolCall accepts {"id","name","arguments"|"input"} and OpenAI's
// {"id","function":{"name","arguments"}}.
type httpToolCall struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Arguments jsonText `json:"arguments"`
	Input     jsonText `json:"input"`
	Function  *struct {
		Name      string   `json:"name"`
		Arguments jsonText `json:"arguments"`
	} `json:"function"`
}

func (h *httpJSON) decode(body []byte) (*aicc.ChatResponse, error) {
	if !utf8.Valid(body) {
		return nil, errInvalidUTF8()
	}
	if err := json.Unmarshal(body, new(json.RawMessage)); err != nil {
		return nil, errMalformed(err)
	}
	v, ok := lookup(body, h.path)
	if !ok {
		return nil, sendErr("response has no value at "+h.pathText, nil)
	}
	var text jsonText
	if err := json.Unmarshal(v, &text); err != nil {
		return nil, errMalformed(err)
	}
	out := &aicc.ChatResponse{Text: string(text), Usage: aicc.Usage{Estimated: true}}
	if h.toolPath == nil {
		return out, nil
	}
	raw, ok := lookup(body, h.toolPath)
	if !ok || !hasValue(raw) {
		return out, nil // no tool calls
	}
	var calls []httpToolCall
	if err := json.Unmarshal(raw, &calls); err != nil {
		return nil, sendErr("response value at "+h.toolPathText+" is not a list of tool calls", err)
	}
	for _, c := range calls {
		tc := aicc.ToolCall{ID: c.ID, Name: c.Name, Arguments: string(cmp.Or(c.Arguments, c.Input))}
		if f := c.Function; f != nil {
			tc.Name, tc.Arguments = cmp.Or(tc.Name, f.Name), cmp.Or(tc.Arguments, string(f.Arguments))
		}
		out.ToolCalls = append(out.ToolCalls, tc)
	}
	return out, nil
}

func (h *httpJSON) decodeStream(*sseReader) (*aicc.ChatResponse, error) {
	return nil, sendErr("streaming is not supported for kind http", nil)
}
