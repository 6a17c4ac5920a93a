package target

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aicc-dev/aicc/internal/aicc"
)

const testKey = "sk-test-SECRET-0123456789"

// fake is a loopback endpoint that records the last request it received.
type fake struct {
	URL    string
	mu     sync.Mutex
	path   string
	header http.Header
	body   []byte
}

func newFake(t *testing.T, h http.HandlerFunc) *fake {
	t.Helper()
	f := &fake{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.path, f.header, f.body = r.URL.Path, r.Header.Clone(), body
		f.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func (f *fake) last() (path string, header http.Header, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.path, f.header, f.body
}

// reply answers every request with status and body.
func reply(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// hang sends the status line and then nothing until the client goes away.
func hang(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}

// drip keeps the stream alive with a comment every few milliseconds, never
// finishing it.
func drip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/event-stream")
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := io.WriteString(w, ": keep-alive\n\n"); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}

// rawServer accepts connections on loopback and hands each, with its
// request read, to serve.
func rawServer(t *testing.T, serve func(c *net.TCPConn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				serve(c.(*net.TCPConn))
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// reset closes c with a TCP RST.
func reset(c *net.TCPConn) {
	c.SetLinger(0)
	c.Close()
}

func mustNew(t *testing.T, cfg Config) *Endpoint {
	t.Helper()
	e, err := New(cfg, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

func userReq(text string) *aicc.ChatRequest {
	return &aicc.ChatRequest{Messages: []aicc.Message{{Role: aicc.RoleUser, Content: text}}}
}

// sendFail sends req and returns the SendError it must fail with.
func sendFail(t *testing.T, ctx context.Context, e *Endpoint, req *aicc.ChatRequest) *aicc.SendError {
	t.Helper()
	resp, err := e.Send(ctx, req)
	if err == nil {
		t.Fatalf("Send succeeded with %+v, want an error", resp)
	}
	se, ok := errors.AsType[*aicc.SendError](err)
	if !ok {
		t.Fatalf("Send error %T %v is not a *aicc.SendError", err, err)
	}
	if strings.ContainsAny(se.Reason, "\n\r") || !utf8.ValidString(se.Reason) {
		t.Errorf("Reason %q is not one line of UTF-8", se.Reason)
	}
	return se
}

func sendOK(t *testing.T, e *Endpoint, req *aicc.ChatRequest) *aicc.ChatResponse {
	t.Helper()
	resp, err := e.Send(t.Context(), req)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	return resp
}

// wantJSON fails unless got and want are equal JSON values.
func wantJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("request body is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("request body\n got %s\nwant %s", got, want)
	}
}

// checkResponse is what every fuzz target asserts: an error that is a
// SendError, or a response whose text is all valid UTF-8.
func checkResponse(t *testing.T, out *aicc.ChatResponse, err error) {
	t.Helper()
	if err != nil {
		if _, ok := errors.AsType[*aicc.SendError](err); !ok {
			t.Fatalf("error %T %v is not a *aicc.SendError", err, err)
		}
		return
	}
	if out == nil {
		t.Fatal("nil response and nil error")
	}
	strs := []string{out.Text, out.FinishReason}
	for _, tc := range out.ToolCalls {
		strs = append(strs, tc.ID, tc.Name, tc.Arguments)
	}
	for _, s := range strs {
		if !utf8.ValidString(s) {
			t.Fatalf("response string %q is not valid UTF-8", s)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := Config{Kind: KindOpenAI, BaseURL: "http://127.0.0.1:8080/v1", Model: "m"}
	okHTTP := Config{Kind: KindHTTP, BaseURL: "http://127.0.0.1/x", RequestTemplate: `{"q":"{{prompt}}"}`, ResponsePath: "a"}
	tests := []struct {
		name string
		edit func(c *Config)
		base Config
		want string // substring of the error; "" means valid
	}{
		{"valid openai", func(c *Config) {}, ok, ""},
		{"valid anthropic stream", func(c *Config) { c.Kind, c.Stream = KindAnthropic, true }, ok, ""},
		{"valid http", func(c *Config) {}, okHTTP, ""},
		{"no kind", func(c *Config) { c.Kind = "" }, ok, "kind is required"},
		{"bad kind", func(c *Config) { c.Kind = "gemini" }, ok, `kind "gemini" is unknown`},
		{"no base url", func(c *Config) { c.BaseURL = "" }, ok, "base_url is required"},
		{"ftp base url", func(c *Config) { c.BaseURL = "ftp://h/v1" }, ok, "base_url must be an http or https URL"},
		{"no host", func(c *Config) { c.BaseURL = "http:///v1" }, ok, "base_url must be an http or https URL"},
		{"relative", func(c *Config) { c.BaseURL = "/v1" }, ok, "base_url must be an http or https URL"},
		{"userinfo", func(c *Config) { c.BaseURL = "https://u:p@h/v1" }, ok, "base_url must not contain user"},
		{"no model", func(c *Config) { c.Model = "" }, ok, "model is required"},
		{"negative cap", func(c *Config) { c.MaxResponseBytes = -1 }, ok, "max_response_bytes"},
		{"bad header name", func(c *Config) { c.Headers = map[string]string{"a b": "x"} }, ok, "not a valid header name"},
		{"header newline", func(c *Config) { c.Headers = map[string]string{"X-A": "x\r\ny"} }, ok, "line break"},
		{"template on openai", func(c *Config) { c.RequestTemplate = "{}" }, ok, "request_template is only for kind http"},
		{"http stream", func(c *Config) { c.Stream = true }, okHTTP, "stream is not supported for kind http"},
		{"http no template", func(c *Config) { c.RequestTemplate = "" }, okHTTP, "request_template is required"},
		{"http no path", func(c *Config) { c.ResponsePath = "" }, okHTTP, "response_path is required"},
		{"http bad path", func(c *Config) { c.ResponsePath = "a..b" }, okHTTP, "response_path"},
		{"http bad tool path", func(c *Config) { c.ToolCallsPath = "$" }, okHTTP, "tool_calls_path"},
		{"http unknown placeholder", func(c *Config) { c.RequestTemplate = `{"q":"{{input}}"}` }, okHTTP, "unknown placeholder {{input}}"},
		{"http bare prompt", func(c *Config) { c.RequestTemplate = `{"q":{{prompt}}}` }, okHTTP, "not valid JSON after substitution"},
		{"http quoted messages", func(c *Config) { c.RequestTemplate = `{"q":"{{messages}}"}` }, okHTTP, "not valid JSON after substitution"},
		{"http no prompt", func(c *Config) { c.RequestTemplate = `{"q":"{{system}}"}` }, okHTTP, "must contain {{prompt}} or {{messages}}"},
		{"http unclosed", func(c *Config) { c.RequestTemplate = `{"q":"{{prompt"}` }, okHTTP, "not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.base
			tt.edit(&c)
			err := c.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate = %v, want an error containing %q", err, tt.want)
			}
			if k := aicc.KindOf(err); k != aicc.KindInvalid {
				t.Errorf("kind = %s, want invalid", k)
			}
			if _, err := New(c, nil); err == nil {
				t.Error("New accepted the config Validate rejected")
			}
		})
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	for _, kind := range []string{KindOpenAI, KindAnthropic, KindHTTP} {
		t.Run(kind, func(t *testing.T) {
			f := newFake(t, reply(401, "application/json", `{"error":{"message":"Incorrect API key provided: `+testKey+`"}}`))
			cfg := Config{Kind: kind, BaseURL: f.URL + "/v1?tenant=x", Model: "refmodel-1.0", APIKey: aicc.NewSecret(testKey)}
			if kind == KindHTTP {
				cfg.RequestTemplate, cfg.ResponsePath = `{"q":"{{prompt}}"}`, "a"
			}
			e := mustNew(t, cfg)
			se := sendFail(t, t.Context(), e, userReq("hi"))
			printed := fmt.Sprintf("%v %+v %#v %s %v", cfg, e, e, e.Describe(), se)
			if strings.Contains(printed, testKey) {
				t.Fatalf("the key was printed: %s", printed)
			}
			if se.Retryable || se.Status != 401 || !strings.Contains(se.Reason, "[redacted]") {
				t.Errorf("got %+v, want a non-retryable 401 with the echoed key redacted", se)
			}
			want := kind + " " + f.URL + "/v1 model=refmodel-1.0"
			if got := e.Describe(); got != want {
				t.Errorf("Describe = %q, want %q", got, want)
			}
			_, h, _ := f.last()
			switch kind {
			case KindAnthropic:
				if h.Get("X-Api-Key") != testKey || h.Get("Authorization") != "" {
					t.Errorf("anthropic headers: x-api-key %q, authorization %q", h.Get("X-Api-Key"), h.Get("Authorization"))
				}
			default:
				if h.Get("Authorization") != "Bearer "+testKey || h.Get("X-Api-Key") != "" {
					t.Errorf("authorization %q, x-api-key %q", h.Get("Authorization"), h.Get("X-Api-Key"))
				}
			}
		})
	}
}

func TestNoKeyNoAuthHeader(t *testing.T) {
	f := newFake(t, reply(200, "application/json", `{"choices":[{"message":{"content":"x"}}]}`))
	e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL, Model: "m", Headers: map[string]string{"x-tenant": "t1"}})
	sendOK(t, e, userReq("hi"))
	_, h, _ := f.last()
	if _, ok := h["Authorization"]; ok {
		t.Errorf("Authorization sent without a key: %q", h.Get("Authorization"))
	}
	if h.Get("X-Tenant") != "t1" || h.Get("Content-Type") != "application/json" {
		t.Errorf("headers = %v", h)
	}
}

func TestStatusErrors(t *testing.T) {
	future := time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		retryable  bool
		overload   bool
		retryAfter func(d time.Duration) bool
		reason     string // prefix
	}{
		{name: "429 seconds", status: 429, header: map[string]string{"Retry-After": "7"}, retryable: true, overload: true,
			retryAfter: func(d time.Duration) bool { return d == 7*time.Second }, reason: "HTTP 429"},
		{name: "429 date", status: 429, header: map[string]string{"Retry-After": future}, retryable: true, overload: true,
			retryAfter: func(d time.Duration) bool { return d > 25*time.Second && d <= 30*time.Second }, reason: "HTTP 429"},
		{name: "429 ms", status: 429, header: map[string]string{"Retry-After-Ms": "1500"}, retryable: true, overload: true,
			retryAfter: func(d time.Duration) bool { return d == 1500*time.Millisecond }, reason: "HTTP 429"},
		{name: "429 garbage retry-after", status: 429, header: map[string]string{"Retry-After": "soon"}, retryable: true, overload: true,
			retryAfter: func(d time.Duration) bool { return d == 0 }, reason: "HTTP 429"},
		{name: "429 past date", status: 429, header: map[string]string{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, retryable: true, overload: true,
			retryAfter: func(d time.Duration) bool { return d == 0 }, reason: "HTTP 429"},
		{name: "503", status: 503, header: map[string]string{"Retry-After": "2"}, retryable: true, overload: true,
			retryAfter: func(d time.Duration) bool { return d == 2*time.Second }, reason: "HTTP 503"},
		{name: "529 overloaded", status: 529, body: `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`,
			retryable: true, overload: true, reason: "HTTP 529: Overloaded"},
		{name: "500", status: 500, body: "boom", retryable: true, reason: "HTTP 500: boom"},
		{name: "502", status: 502, retryable: true, reason: "HTTP 502"},
		{name: "408", status: 408, retryable: true, reason: "HTTP 408"},
		{name: "400 openai error", status: 400, body: `{"error":{"message":"Invalid 'messages': empty.","type":"invalid_request_error"}}`,
			reason: "HTTP 400: Invalid 'messages': empty."},
		{name: "400 string error", status: 400, body: `{"error":"model not found"}`, reason: "HTTP 400: model not found"},
		{name: "404 fastapi detail", status: 404, body: `{"detail":"Not Found"}`, reason: "HTTP 404: Not Found"},
		{name: "403 html", status: 403, body: "<html>\n<body>\tForbidden</body>\n</html>", reason: "HTTP 403: <html> <body> Forbidden</body> </html>"},
		{name: "400 long invalid utf8", status: 400, body: strings.Repeat("é\n", 300) + "\xff", reason: "HTTP 400: é é"},
		{name: "307 redirect", status: 307, header: map[string]string{"Location": "http://elsewhere.invalid/"},
			reason: "HTTP 307: redirect not followed (to http://elsewhere.invalid/)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL, Model: "m"})
			se := sendFail(t, t.Context(), e, userReq("hi"))
			if se.Status != tt.status || se.Retryable != tt.retryable || se.Overload != tt.overload {
				t.Errorf("got status %d retryable %v overload %v, want %d %v %v",
					se.Status, se.Retryable, se.Overload, tt.status, tt.retryable, tt.overload)
			}
			if tt.retryAfter != nil && !tt.retryAfter(se.RetryAfter) {
				t.Errorf("RetryAfter = %v", se.RetryAfter)
			}
			if !strings.HasPrefix(se.Reason, tt.reason) {
				t.Errorf("Reason = %q, want prefix %q", se.Reason, tt.reason)
			}
			if excerpt := strings.TrimPrefix(se.Reason, fmt.Sprintf("HTTP %d: ", tt.status)); len(excerpt) > maxExcerpt {
				t.Errorf("excerpt is %d bytes, want at most %d", len(excerpt), maxExcerpt)
			}
		})
	}
}

func TestNetworkErrors(t *testing.T) {
	refused := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		return "http://" + addr
	}
	tests := []struct {
		name   string
		url    func(t *testing.T) string
		reason []string // any of these
	}{
		{"refused", func(t *testing.T) string { return refused() }, []string{"connection refused"}},
		{"reset before response", func(t *testing.T) string {
			return rawServer(t, reset)
		}, []string{"connection reset", "connection closed early", "connection broken"}},
		{"closed before response", func(t *testing.T) string {
			return rawServer(t, func(c *net.TCPConn) { c.Close() })
		}, []string{"connection closed early"}},
		{"reset mid-body", func(t *testing.T) string {
			return rawServer(t, func(c *net.TCPConn) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"choices\":[")
				time.Sleep(20 * time.Millisecond)
				reset(c)
			})
		}, []string{"connection reset", "connection closed early"}},
		{"closed mid-body", func(t *testing.T) string {
			return rawServer(t, func(c *net.TCPConn) {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"choices\":[")
			})
		}, []string{"connection closed early"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: tt.url(t), Model: "m"})
			se := sendFail(t, t.Context(), e, userReq("hi"))
			if !se.Retryable || se.Overload {
				t.Errorf("retryable %v overload %v, want retryable only (%v)", se.Retryable, se.Overload, se)
			}
			found := false
			for _, r := range tt.reason {
				found = found || se.Reason == r
			}
			if !found {
				t.Errorf("Reason = %q, want one of %q (err %v)", se.Reason, tt.reason, se.Err)
			}
		})
	}
}

func TestContextEnds(t *testing.T) {
	tests := []struct {
		name    string
		stream  bool
		handler http.HandlerFunc
	}{
		{"no response headers", false, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
		{"body never ends", false, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"choices":[`)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
		{"stream sends nothing", true, hang},
		{"stream drips forever", true, drip},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/deadline", func(t *testing.T) {
			f := newFake(t, tt.handler)
			e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL, Model: "m", Stream: tt.stream})
			ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
			defer cancel()
			se := sendFail(t, ctx, e, userReq("hi"))
			if !se.Retryable || !strings.HasPrefix(se.Reason, "timeout after ") {
				t.Errorf("got %q retryable %v, want a retryable timeout", se.Reason, se.Retryable)
			}
			if !errors.Is(se, context.DeadlineExceeded) {
				t.Errorf("error %v does not wrap context.DeadlineExceeded", se)
			}
		})
		t.Run(tt.name+"/canceled", func(t *testing.T) {
			f := newFake(t, tt.handler)
			e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL, Model: "m", Stream: tt.stream})
			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(50*time.Millisecond, cancel)
			se := sendFail(t, ctx, e, userReq("hi"))
			if se.Retryable || se.Reason != "canceled" {
				t.Errorf("got %q retryable %v, want non-retryable canceled", se.Reason, se.Retryable)
			}
			if !errors.Is(se, context.Canceled) {
				t.Errorf("error %v does not wrap context.Canceled", se)
			}
		})
	}
}

func TestResponseCap(t *testing.T) {
	big := `{"choices":[{"message":{"content":"` + strings.Repeat("a", 2000) + `"}}]}`
	var chunks strings.Builder
	for range 100 {
		chunks.WriteString(`data: {"choices":[{"index":0,"delta":{"content":"` + strings.Repeat("b", 40) + `"}}]}` + "\n\n")
	}
	chunks.WriteString("data: [DONE]\n\n")
	tests := []struct {
		name    string
		stream  bool
		handler http.HandlerFunc
	}{
		{"body", false, reply(200, "application/json", big)},
		{"body without length", false, func(w http.ResponseWriter, r *http.Request) {
			for range 10 {
				io.WriteString(w, big[:300])
				w.(http.Flusher).Flush()
			}
		}},
		{"stream", true, reply(200, "text/event-stream", chunks.String())},
		{"endless stream", true, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			for r.Context().Err() == nil {
				if _, err := io.WriteString(w, `data: {"choices":[{"index":0,"delta":{"content":"x"}}]}`+"\n\n"); err != nil {
					return
				}
			}
		}},
		{"one endless line", true, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, "data: ")
			for r.Context().Err() == nil {
				if _, err := io.WriteString(w, strings.Repeat("y", 4096)); err != nil {
					return
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.handler)
			e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL, Model: "m", Stream: tt.stream, MaxResponseBytes: 1000})
			se := sendFail(t, t.Context(), e, userReq("hi"))
			if se.Reason != "response over 1000 bytes" || se.Retryable || se.Status != 200 {
				t.Errorf("got %+v, want non-retryable \"response over 1000 bytes\" with status 200", se)
			}
		})
	}
	t.Run("exactly at the cap", func(t *testing.T) {
		body := `{"choices":[{"message":{"content":"ok"}}]}`
		f := newFake(t, reply(200, "application/json", body))
		e := mustNew(t, Config{Kind: KindOpenAI, BaseURL: f.URL, Model: "m", MaxResponseBytes: int64(len(body))})
		if got := sendOK(t, e, userReq("hi")).Text; got != "ok" {
			t.Errorf("Text = %q", got)
		}
	})
}

func TestNewHTTPClient(t *testing.T) {
	c := NewHTTPClient()
	tr, ok := c.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport is %T", c.Transport)
	}
	if c.Timeout != 0 || tr.MaxIdleConnsPerHost < 1024 || tr.TLSHandshakeTimeout == 0 {
		t.Errorf("client timeout %v, idle per host %d, TLS timeout %v", c.Timeout, tr.MaxIdleConnsPerHost, tr.TLSHandshakeTimeout)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		header, value string
		want          time.Duration
	}{
		{"Retry-After", "0", 0},
		{"Retry-After", "120", 2 * time.Minute},
		{"Retry-After", " 3 ", 3 * time.Second},
		{"Retry-After", "1.5", 1500 * time.Millisecond},
		{"Retry-After", "-4", 0},
		{"Retry-After", "NaN", 0},
		{"Retry-After", "1e300", maxRetryAfter},
		{"Retry-After", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"Retry-After", now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"Retry-After", "tomorrow", 0},
		{"Retry-After-Ms", "250", 250 * time.Millisecond},
		{"X-Other", "5", 0},
	}
	for _, tt := range tests {
		t.Run(tt.header+"="+tt.value, func(t *testing.T) {
			h := http.Header{}
			h.Set(tt.header, tt.value)
			if got := retryAfter(h, now); got != tt.want {
				t.Errorf("retryAfter = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\n\tb  c\r\n", "a b c"},
		{"\x00x\xffy", "x\uFFFDy"},
		{strings.Repeat("é", 150), strings.Repeat("é", 98) + "…"},
		{strings.Repeat("é", 100), strings.Repeat("é", 100)},
		{strings.Repeat("ab ", 100), strings.TrimSpace(strings.Repeat("ab ", 66)) + "…"},
	}
	for _, tt := range tests {
		if got := oneLine(tt.in, 200); got != tt.want {
			t.Errorf("oneLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestAuthHeader sends the key in the header AuthHeader names, with its
// scheme, instead of the adapter's own, and keeps it out of printed text.
func TestAuthHeader(t *testing.T) {
	for _, c := range []struct {
		kind, auth, header, value string
	}{
		{KindOpenAI, "api-key", "Api-Key", testKey},
		{KindAnthropic, "Authorization: Bearer", "Authorization", "Bearer " + testKey},
		{KindHTTP, "Authorization: Token", "Authorization", "Token " + testKey},
		{KindHTTP, "X-Gateway-Key", "X-Gateway-Key", testKey},
	} {
		t.Run(c.kind+" "+c.auth, func(t *testing.T) {
			body := `{"choices":[{"message":{"content":"x"}}]}`
			if c.kind == KindAnthropic {
				body = `{"content":[{"type":"text","text":"x"}],"stop_reason":"end_turn"}`
			}
			f := newFake(t, reply(200, "application/json", body))
			cfg := Config{Kind: c.kind, BaseURL: f.URL, Model: "m", APIKey: aicc.NewSecret(testKey), AuthHeader: c.auth}
			if c.kind == KindHTTP {
				cfg.RequestTemplate, cfg.ResponsePath = `{"q":"{{prompt}}"}`, "choices.0.message.content"
			}
			e := mustNew(t, cfg)
			sendOK(t, e, userReq("hi"))
			_, h, _ := f.last()
			if h.Get(c.header) != c.value {
				t.Errorf("%s = %q, want %q", c.header, h.Get(c.header), c.value)
			}
			for _, other := range []string{"Authorization", "X-Api-Key", "Api-Key", "X-Gateway-Key"} {
				if other != c.header && h.Get(other) != "" {
					t.Errorf("the key also went in %s", other)
				}
			}
			if printed := fmt.Sprintf("%v %+v %s", cfg, e, e.Describe()); strings.Contains(printed, testKey) {
				t.Errorf("the key was printed: %s", printed)
			}
		})
	}
	for _, bad := range []Config{
		{Kind: KindOpenAI, BaseURL: "http://127.0.0.1:1", Model: "m", AuthHeader: "bad header"},
		{Kind: KindOpenAI, BaseURL: "http://127.0.0.1:1", Model: "m", AuthHeader: "Authorization: two words"},
		{Kind: KindOpenAI, BaseURL: "http://127.0.0.1:1", Model: "m", AuthHeader: "api-key", Headers: map[string]string{"API-KEY": "x"}},
	} {
		if err := bad.Validate(); aicc.KindOf(err) != aicc.KindInvalid {
			t.Errorf("Validate(auth_header %q) = %v, want invalid", bad.AuthHeader, err)
		}
	}
}
