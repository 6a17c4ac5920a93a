// Package judgetest is a fake LLM judge for tests: an OpenAI-compatible
// chat completions server on loopback that answers every question with what
// a function of the question returns.
package judgetest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Request is one question the server received, taken apart.
type Request struct {
	Model         string
	Authorization string // the Authorization header
	Temperature   *float64
	MaxTokens     int
	System        string // the system message
	User          string // the user message, whole
	Rubric        string // the rubric, from the user message
	Transcript    string // the text between the transcript markers
	Response      string // the text between the response markers
}

// Server is a running fake judge.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Request
}

// NewServer starts a fake judge whose answer to every request is
// answer(request); it is closed when the test ends. Its base URL for
// target.Config is URL + "/v1".
func NewServer(t testing.TB, answer func(Request) string) *Server {
	t.Helper()
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		var body struct {
			Model       string   `json:"model"`
			Temperature *float64 `json:"temperature"`
			MaxTokens   int      `json:"max_tokens"`
			Messages    []struct {
				Role    string `json:"role"`
				Content string `json:"content"`
			} `json:"messages"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req := Request{Model: body.Model, Authorization: r.Header.Get("Authorization"), Temperature: body.Temperature, MaxTokens: body.MaxTokens}
		for _, m := range body.Messages {
			switch m.Role {
			case "system":
				req.System = m.Content
			case "user":
				req.User = m.Content
			}
		}
		req.Rubric = rubric(req.User)
		req.Transcript = between(req.User, "TRANSCRIPT")
		req.Response = between(req.User, "RESPONSE")
		s.mu.Lock()
		s.requests = append(s.requests, req)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"choices": []any{map[string]any{
				"message":       map[string]any{"role": "assistant", "content": answer(req)},
				"finish_reason": "stop",
			}},
			"usage": map[string]int{"prompt_tokens": len(req.User) / 4, "completion_tokens": 20},
		})
	}))
	t.Cleanup(s.Close)
	return s
}

// BaseURL is the URL to configure a judge endpoint with.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Answer renders a decision as a judge would write it.
func Answer(verdict, reason string) string {
	b, _ := json.Marshal(map[string]string{"verdict": verdict, "reason": reason})
	return string(b)
}

// rubric is the text between the rubric heading and the first blank line
// before the markers.
func rubric(user string) string {
	_, rest, ok := strings.Cut(user, "\n")
	if !ok {
		return ""
	}
	r, _, _ := strings.Cut(rest, "\n\nThe transcript and the response below")
	return r
}

// between returns the text between "<<<NAME nonce>>>" and
// "<<<END NAME nonce>>>".
func between(user, name string) string {
	open := "<<<" + name + " "
	i := strings.Index(user, open)
	if i < 0 {
		return ""
	}
	rest := user[i+len(open):]
	nonce, rest, ok := strings.Cut(rest, ">>>\n")
	if !ok {
		return ""
	}
	body, _, ok := strings.Cut(rest, "\n<<<END "+name+" "+nonce+">>>")
	if !ok {
		return ""
	}
	return body
}
