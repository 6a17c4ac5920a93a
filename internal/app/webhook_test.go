package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/app"
	"github.com/aicc-dev/aicc/internal/service"
	"github.com/aicc-dev/aicc/internal/webhook"
)

// TestWebhooks subscribes a developer organization and a rival to
// submission events, and checks that the developer's receiver gets a
// signed submission.created (after a failed first delivery), that the
// rival's gets nothing about it, and that the secret never comes back.
func TestWebhooks(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := app.Open(ctx, app.Config{DataDir: t.TempDir(), Addr: "127.0.0.1:0", ScanWorkers: -1, WebhookAllowPrivate: true, WebhookRetryBase: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Listen(ctx); err != nil {
		t.Fatal(err)
	}
	go a.Serve(ctx)

	type got struct {
		header http.Header
		body   []byte
	}
	var mu sync.Mutex
	var mine, rival []got
	fails := 1
	recv := func(dst *[]got) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			if dst == &mine && fails > 0 {
				fails--
				w.WriteHeader(http.StatusServiceUnavailable) // retried
				return
			}
			*dst = append(*dst, got{r.Header.Clone(), b})
		}))
	}
	mineSrv, rivalSrv := recv(&mine), recv(&rival)
	defer mineSrv.Close()
	defer rivalSrv.Close()

	admin, _ := a.Service.Authenticate(ctx, a.AdminToken)
	principal := func(name string) aicc.Principal {
		o, err := a.Service.CreateOrg(ctx, admin, service.OrgInput{Name: name, Kind: aicc.OrgDeveloper})
		if err != nil {
			t.Fatal(err)
		}
		u, err := a.Service.CreateUser(ctx, admin, service.UserInput{OrgID: o.ID, Name: "admin", Role: aicc.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		p, err := a.Service.Authenticate(ctx, u.Token.Value.Reveal())
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	dev, other := principal("Example AI"), principal("Rival AI")
	hook, err := a.Service.CreateWebhook(ctx, dev, service.WebhookInput{URL: mineSrv.URL + "/hook", Events: []string{"submission.*"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Service.CreateWebhook(ctx, other, service.WebhookInput{URL: rivalSrv.URL, Events: []string{"*"}}); err != nil {
		t.Fatal(err)
	}
	sub, err := a.Service.CreateSubmission(ctx, dev, service.SubmissionInput{Model: "m", Version: "1",
		ReleaseDate: time.Now().UTC().AddDate(0, 0, 20).Format(time.DateOnly),
		Endpoint:    aicc.Endpoint{Provider: "openai", BaseURL: "http://127.0.0.1:9/v1", Model: "m"}})
	if err != nil {
		t.Fatal(err)
	}

	deadline := time.Now().Add(90 * time.Second)
	for {
		mu.Lock()
		n := len(mine)
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no webhook delivered")
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	d := mine[0]
	rivalGot := len(rival)
	mu.Unlock()
	if err := webhook.Verify(aicc.NewSecret(hook.Secret), d.header, d.body, time.Now(), 0); err != nil {
		t.Fatalf("the delivery's signature does not verify with the secret shown at creation: %v", err)
	}
	var env struct {
		Type string `json:"type"`
		Data struct {
			SubmissionID string `json:"submission_id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(d.body, &env); err != nil || env.Type != "submission.created" || env.Data.SubmissionID != sub.ID {
		t.Errorf("delivered %s (%v)", d.body, err)
	}
	if rivalGot != 0 {
		t.Errorf("another developer's receiver got %d messages about this submission", rivalGot)
	}
	ds, err := a.Service.ListDeliveries(ctx, dev, hook.ID)
	if err != nil || len(ds) < 2 {
		t.Errorf("delivery log: %+v, %v; want the failed attempt and the delivered one", ds, err)
	}
	list, _ := a.Service.ListWebhooks(ctx, dev)
	raw, _ := json.Marshal(list)
	if bytes.Contains(raw, []byte(hook.Secret)) || strings.Contains(string(raw), strings.TrimPrefix(hook.Secret, "whsec_")) {
		t.Error("the secret came back in a list")
	}
}
