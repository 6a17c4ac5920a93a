package target_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/target"
)

func ExampleNew() {
	// A stand-in for an OpenAI-compatible server.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"choices":[{"message":{"content":"Hello."},"finish_reason":"stop"}],
			"usage":{"prompt_tokens":9,"completion_tokens":2}}`)
	}))
	defer srv.Close()

	t, err := target.New(target.Config{
		Kind:    target.KindOpenAI,
		BaseURL: srv.URL + "/v1",
		Model:   "refmodel-1.0",
		APIKey:  aicc.NewSecret("sk-example"),
	}, target.NewHTTPClient())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := t.Send(ctx, &aicc.ChatRequest{Messages: []aicc.Message{{Role: aicc.RoleUser, Content: "Say hello."}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Text, resp.FinishReason, resp.Usage.InputTokens, resp.Usage.OutputTokens)
	// Output: Hello. stop 9 2
}

func ExampleLoadAPIKey() {
	getenv := func(name string) string { return map[string]string{"OPENAI_API_KEY": "sk-from-env\n"}[name] }
	key, err := target.LoadAPIKey(getenv, "OPENAI_API_KEY", "")
	fmt.Println(key, err, len(key.Reveal()))
	// Output: [redacted] <nil> 11
}
