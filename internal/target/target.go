// Package target owns the endpoint adapters: it sends one aicc.ChatRequest to
// a model endpoint and returns its aicc.ChatResponse. Three kinds of endpoint
// are supported: "openai" (OpenAI-compatible chat completions, plain or
// streamed), "anthropic" (the Anthropic Messages API, plain or streamed) and
// "http" (any JSON-over-HTTP endpoint, described by a request template and a
// response path).
//
// Every failure is an *aicc.SendError that says whether a later try may
// succeed (Retryable) and whether the endpoint asked for less load
// (Overload, RetryAfter), so that the scan engine can retry and back off.
// Responses are read with a hard size cap, and text that is not valid UTF-8
// is refused.
package target

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Kinds of endpoint, the values of Config.Kind.
const (
	KindOpenAI    = "openai"    // OpenAI-compatible POST {BaseURL}/chat/completions
	KindAnthropic = "anthropic" // Anthropic Messages API POST {BaseURL}/v1/messages
	KindHTTP      = "http"      // generic JSON endpoint: POST {BaseURL} with RequestTemplate
)

// DefaultMaxResponseBytes is the response size cap used when
// Config.MaxResponseBytes is 0.
const DefaultMaxResponseBytes = 1 << 20

// Config describes one endpoint. The zero value is not valid: Kind, BaseURL
// and (for openai and anthropic) Model are required.
type Config struct {
	// Kind is KindOpenAI, KindAnthropic or KindHTTP.
	Kind string `json:"kind" yaml:"kind"`
	// BaseURL is where requests go.
	//   openai:    the API root, normally ending in /v1 (https://api.openai.com/v1);
	//              requests go to BaseURL + "/chat/completions".
	//   anthropic: the API root without /v1 (https://api.anthropic.com);
	//              requests go to BaseURL + "/v1/messages" (a BaseURL that
	//              already ends in /v1 gets only "/messages" appended).
	//   http:      the full URL requests are POSTed to.
	// It must be an http or https URL with a host and no user:password.
	BaseURL string `json:"base_url" yaml:"base_url"`
	// Model names the model. Required for openai and anthropic; a non-empty
	// ChatRequest.Model overrides it per request.
	Model string `json:"model,omitempty" yaml:"model,omitempty"`
	// APIKey is the credential, sent as "Authorization: Bearer" (openai,
	// http) or "x-api-key" (anthropic), and never when zero. It is never read
	// from or written to configuration files; see LoadAPIKey.
	APIKey aicc.Secret `json:"-" yaml:"-"`
	// AuthHeader, when set, is the header that carries APIKey instead of the
	// adapter's own: a header name ("api-key", "X-Api-Key") to send the key
	// as is, or "Name: Scheme" ("Authorization: Token") to send
	// "Scheme <key>". An endpoint behind a gateway, or Azure OpenAI, wants
	// one of these.
	AuthHeader string `json:"auth_header,omitempty" yaml:"auth_header,omitempty"`
	// MaxTokensParam (openai only) names the request's token limit:
	// "max_tokens" (the default) or "max_completion_tokens", which OpenAI's
	// reasoning models require.
	MaxTokensParam string `json:"max_tokens_param,omitempty" yaml:"max_tokens_param,omitempty"`
	// Stream asks openai and anthropic endpoints for server-sent events.
	Stream bool `json:"stream,omitempty" yaml:"stream,omitempty"`
	// MaxResponseBytes caps the size of a response body (for streams, the
	// whole stream). 0 means DefaultMaxResponseBytes.
	MaxResponseBytes int64 `json:"max_response_bytes,omitempty" yaml:"max_response_bytes,omitempty"`
	// Headers are extra request headers, sent verbatim after the adapter's
	// own. They are printed with the Config, so credentials belong in APIKey.
	Headers map[string]string `json:"headers,omitempty" yaml:"headers,omitempty"`

	// RequestTemplate (http only) is the JSON request body, with the
	// placeholders {{prompt}} (the last user message), {{system}} (the system
	// prompt), {{model}} (the model), all inside JSON strings and inserted
	// JSON-escaped, and {{messages}} (a JSON array of {"role","content"}),
	// bare. The template must be valid JSON after substitution and must use
	// {{prompt}} or {{messages}}.
	RequestTemplate string `json:"request_template,omitempty" yaml:"request_template,omitempty"`
	// ResponsePath (http only) locates the model's text in the response:
	// keys separated by dots, a number selecting an array element, e.g.
	// "output.text" or "choices.0.message.content"; "[0]" means ".0" and a
	// leading "$." is ignored, so "$.choices[0].message.content" works too.
	// A string value is the text, null is "", any other value its JSON.
	ResponsePath string `json:"response_path,omitempty" yaml:"response_path,omitempty"`
	// ToolCallsPath (http only, optional) locates an array of tool calls in
	// the response, each {"id","name","arguments"} or OpenAI-shaped
	// {"id","function":{"name","arguments"}}.
	ToolCallsPath string `json:"tool_calls_path,omitempty" yaml:"tool_calls_path,omitempty"`
}

// Validate reports the first thing wrong with c, naming the field.
func (c *Config) Validate() error {
	switch c.Kind {
	case KindOpenAI, KindAnthropic, KindHTTP:
	case "":
		return aicc.Errorf(aicc.KindInvalid, "target kind is required: one of openai, anthropic, http")
	default:
		return aicc.Errorf(aicc.KindInvalid, "target kind %q is unknown: use openai, anthropic or http", c.Kind)
	}
	if err := validateBaseURL(c.BaseURL); err != nil {
		return err
	}
	if c.Model == "" && c.Kind != KindHTTP {
		return aicc.Errorf(aicc.KindInvalid, "target model is required for kind %s", c.Kind)
	}
	if c.MaxResponseBytes < 0 {
		return aicc.Errorf(aicc.KindInvalid, "target max_response_bytes must not be negative, got %d", c.MaxResponseBytes)
	}
	if _, _, err := c.authHeader(); err != nil {
		return err
	}
	switch c.MaxTokensParam {
	case "", "max_tokens":
	case "max_completion_tokens":
		if c.Kind != KindOpenAI {
			return aicc.Errorf(aicc.KindInvalid, "target max_tokens_param is only for kind openai, not %s", c.Kind)
		}
	default:
		return aicc.Errorf(aicc.KindInvalid, "target max_tokens_param %q: want max_tokens or max_completion_tokens", c.MaxTokensParam)
	}
	for k, v := range c.Headers {
		if !validHeaderName(k) {
			return aicc.Errorf(aicc.KindInvalid, "target headers: %q is not a valid header name", k)
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return aicc.Errorf(aicc.KindInvalid, "target headers: value of %q contains a line break or NUL", k)
		}
	}
	if c.Kind != KindHTTP {
		for _, f := range []struct{ name, v string }{
			{"request_template", c.RequestTemplate}, {"response_path", c.ResponsePath}, {"tool_calls_path", c.ToolCallsPath},
		} {
			if f.v != "" {
				return aicc.Errorf(aicc.KindInvalid, "target %s is only for kind http, not %s", f.name, c.Kind)
			}
		}
		return nil
	}
	if c.Stream {
		return aicc.Errorf(aicc.KindInvalid, "target stream is not supported for kind http")
	}
	_, err := newHTTPJSON(c)
	return err
}

func validateBaseURL(s string) error {
	if s == "" {
		return aicc.Errorf(aicc.KindInvalid, "target base_url is required")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return aicc.Errorf(aicc.KindInvalid, "target base_url must be an http or https URL with a host, got %q", s)
	}
	if u.User != nil {
		return aicc.Errorf(aicc.KindInvalid, "target base_url must not contain user or password; set the API key instead")
	}
	if u.Fragment != "" {
		return aicc.Errorf(aicc.KindInvalid, "target base_url must not contain a #fragment, got %q", s)
	}
	return nil
}

// validHeaderName reports whether s is an RFC 9110 token.
// ParseAuthHeader splits an AuthHeader value into the header's name and the
// scheme that goes before the key ("" for none); "" is no auth header.
func ParseAuthHeader(s string) (name, scheme string, err error) {
	if s == "" {
		return "", "", nil
	}
	name, scheme, _ = strings.Cut(s, ":")
	name, scheme = strings.TrimSpace(name), strings.TrimSpace(scheme)
	if !validHeaderName(name) || strings.ContainsAny(scheme, " \t\r\n\x00") {
		return "", "", aicc.Errorf(aicc.KindInvalid, "auth header %q: want a header name (api-key) or Name: Scheme (Authorization: Token)", s)
	}
	return name, scheme, nil
}

// authHeader is ParseAuthHeader of c.AuthHeader, which must not also be
// one of c.Headers.
func (c *Config) authHeader() (name, scheme string, err error) {
	name, scheme, err = ParseAuthHeader(c.AuthHeader)
	if err != nil || name == "" {
		return name, scheme, err
	}
	for k := range c.Headers {
		if http.CanonicalHeaderKey(k) == http.CanonicalHeaderKey(name) {
			return "", "", aicc.Errorf(aicc.KindInvalid, "target headers: %q is the auth header; the key goes there, not in headers", k)
		}
	}
	return name, scheme, nil
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// adapter is one endpoint kind's wire format.
type adapter interface {
	// encode builds the request body. A non-empty req.Model overrides the
	// configured model.
	encode(req *aicc.ChatRequest) ([]byte, error)
	// decode parses a whole response body. It sets Usage.Estimated when the
	// body reports no usage, and Send then estimates it.
	decode(body []byte) (*aicc.ChatResponse, error)
	// decodeStream parses a server-sent event stream, like decode.
	decodeStream(s *sseReader) (*aicc.ChatResponse, error)
}

// Endpoint sends chat requests to one configured endpoint. It is safe for
// concurrent use and implements the scan engine's Target interface.
type Endpoint struct {
	api      adapter
	client   *http.Client
	url      string
	stream   bool
	maxBytes int64
	describe string
	// hdr is behind a pointer so that printing an Endpoint shows no header
	// values (it holds the credential).
	hdr  *headers
	bufs sync.Pool // *bytes.Buffer for response bodies
}

type headers struct {
	h   http.Header // read-only after New; values shared by every request
	key string      // the credential, to redact from error excerpts
}

// New builds an Endpoint from cfg, which it validates. client carries the
// requests; nil means NewHTTPClient(). Deadlines come from the context given
// to Send.
func New(cfg Config, client *http.Client) (*Endpoint, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.MaxResponseBytes = cmp.Or(cfg.MaxResponseBytes, DefaultMaxResponseBytes)
	if client == nil {
		client = NewHTTPClient()
	}
	e := &Endpoint{
		client:   client,
		stream:   cfg.Stream,
		maxBytes: cfg.MaxResponseBytes,
		hdr:      &headers{h: http.Header{}, key: cfg.APIKey.Reveal()},
	}
	h := e.hdr.h
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json")
	if cfg.Stream {
		h.Set("Accept", "text/event-stream")
	}
	switch cfg.Kind {
	case KindOpenAI:
		e.api = &openAI{model: cfg.Model, stream: cfg.Stream, completionTokens: cfg.MaxTokensParam == "max_completion_tokens"}
		e.url = joinURL(cfg.BaseURL, "/chat/completions")
		if !cfg.APIKey.IsZero() {
			h.Set("Authorization", "Bearer "+cfg.APIKey.Reveal())
		}
	case KindAnthropic:
		e.api = &anthropic{model: cfg.Model, stream: cfg.Stream}
		e.url = anthropicURL(cfg.BaseURL)
		h.Set("Anthropic-Version", anthropicVersion)
		if !cfg.APIKey.IsZero() {
			h.Set("X-Api-Key", cfg.APIKey.Reveal())
		}
	case KindHTTP:
		hj, err := newHTTPJSON(&cfg)
		if err != nil {
			return nil, err
		}
		e.api = hj
		e.url = cfg.BaseURL
		if !cfg.APIKey.IsZero() {
			h.Set("Authorization", "Bearer "+cfg.APIKey.Reveal())
		}
	}
	if name, scheme, _ := cfg.authHeader(); name != "" && !cfg.APIKey.IsZero() {
		h.Del("Authorization")
		h.Del("X-Api-Key")
		h.Set(name, strings.TrimSpace(scheme+" "+cfg.APIKey.Reveal()))
	}
	for k, v := range cfg.Headers {
		h.Set(k, v)
	}
	e.describe = describe(&cfg)
	return e, nil
}

// joinURL appends path to base's path, keeping base's query.
func joinURL(base, path string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base + path // unreachable: Validate parsed it
	}
	joined := strings.TrimRight(u.EscapedPath(), "/") + path
	u.Path, _ = url.PathUnescape(joined)
	u.RawPath = ""
	if u.EscapedPath() != joined {
		u.RawPath = joined
	}
	return u.String()
}

// anthropicURL is base + "/v1/messages", or base + "/messages" when base
// already ends in /v1.
func anthropicURL(base string) string {
	if u, err := url.Parse(base); err == nil && strings.HasSuffix(strings.TrimRight(u.Path, "/"), "/v1") {
		return joinURL(base, "/messages")
	}
	return joinURL(base, "/v1/messages")
}

// describe names the endpoint without credentials, query or user info.
func describe(cfg *Config) string {
	shown := cfg.BaseURL
	if u, err := url.Parse(cfg.BaseURL); err == nil {
		u.User, u.RawQuery, u.ForceQuery, u.Fragment = nil, "", false, ""
		shown = u.String()
	}
	var b strings.Builder
	b.WriteString(cfg.Kind + " " + shown)
	if cfg.Model != "" {
		b.WriteString(" model=" + cfg.Model)
	}
	if cfg.Stream {
		b.WriteString(" stream")
	}
	return b.String()
}

// Describe names the endpoint for people, without secrets:
// "openai http://127.0.0.1:8080/v1 model=refmodel-1.0".
func (e *Endpoint) Describe() string { return e.describe }

// String is Describe, so that printing an Endpoint shows no secret.
func (e *Endpoint) String() string { return e.describe }

// GoString is Describe, so that %#v shows no secret either.
func (e *Endpoint) GoString() string { return "target.Endpoint(" + e.describe + ")" }

// Send sends one request and returns the model's turn. Every error is an
// *aicc.SendError. The context's deadline bounds the whole exchange,
// including reading a stream.
func (e *Endpoint) Send(ctx context.Context, req *aicc.ChatRequest) (*aicc.ChatResponse, error) {
	start := time.Now()
	body, err := e.api.encode(req)
	if err != nil {
		return nil, &aicc.SendError{Reason: "invalid request: " + err.Error(), Err: err}
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return nil, &aicc.SendError{Reason: "invalid request", Err: err}
	}
	for k, v := range e.hdr.h {
		hreq.Header[k] = v
	}
	resp, err := e.client.Do(hreq)
	if err != nil {
		return nil, transportError(ctx, start, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, statusError(resp, e.hdr.key)
	}
	var out *aicc.ChatResponse
	if e.stream && !isJSON(resp.Header.Get("Content-Type")) {
		out, err = e.api.decodeStream(newSSEReader(&capReader{r: resp.Body, max: e.maxBytes}))
	} else {
		buf := e.getBuf()
		_, err = buf.ReadFrom(&capReader{r: resp.Body, max: e.maxBytes})
		if err == nil {
			out, err = e.api.decode(buf.Bytes())
		}
		e.putBuf(buf)
	}
	if err != nil {
		return nil, bodyError(ctx, start, resp.StatusCode, err)
	}
	if out.Usage.Estimated {
		out.Usage.InputTokens = estimateTokens(len(body))
		n := len(out.Text)
		for _, tc := range out.ToolCalls {
			n += len(tc.Name) + len(tc.Arguments)
		}
		out.Usage.OutputTokens = estimateTokens(n)
	}
	out.Latency = time.Since(start)
	return out, nil
}

// estimateTokens is the usual rough rule: four bytes a token.
func estimateTokens(bytes int) int { return (bytes + 3) / 4 }

func isJSON(contentType string) bool {
	return strings.HasPrefix(strings.TrimSpace(strings.ToLower(contentType)), "application/json")
}

// maxPooledBuffer keeps rare huge responses from pinning memory in the pool.
const maxPooledBuffer = 256 << 10

func (e *Endpoint) getBuf() *bytes.Buffer {
	if b, ok := e.bufs.Get().(*bytes.Buffer); ok {
		return b
	}
	return bytes.NewBuffer(make([]byte, 0, 4096))
}

func (e *Endpoint) putBuf(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	e.bufs.Put(b)
}

// NewHTTPClient returns a client tuned for many concurrent requests to one
// host: up to 1024 idle connections kept per host, bounded dial and TLS
// handshake times, and no overall timeout (Send's context sets deadlines).
// It follows no redirects, so that credentials never go to another URL; a
// redirect is reported as an error.
func NewHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          0, // no limit overall; per host below
			MaxIdleConnsPerHost:   1024,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: 1 * time.Second,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// sendErr builds a non-retryable SendError for a response that was received
// but cannot be used.
func sendErr(reason string, err error) *aicc.SendError {
	return &aicc.SendError{Reason: reason, Err: err}
}
