package webhook_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/webhook"
	"github.com/aicc-dev/aicc/internal/webhook/webhookfake"
)

func ExampleSign() {
	secret := aicc.NewSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	sig, err := webhook.Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(sig)
	// Output: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
}

// A receiver checks each request with the secret it was shown when it
// subscribed.
func ExampleVerify() {
	secret := aicc.NewSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err := webhook.Verify(secret, r.Header, body, time.Now(), 0); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent) // then handle body, deduplicating on webhook-id
	})

	body := []byte(`{"type":"finding.confirmed"}`)
	now := time.Now()
	sig, _ := webhook.Sign(secret, "msg_1", now, body)
	for _, sent := range [][]byte{body, []byte(`{"type":"finding.rejected"}`)} {
		req := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(sent))
		req.Header.Set(webhook.HeaderID, "msg_1")
		req.Header.Set(webhook.HeaderTimestamp, fmt.Sprint(now.Unix()))
		req.Header.Set(webhook.HeaderSignature, sig)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		fmt.Println(rec.Code)
	}
	// Output:
	// 204
	// 401
}

// A dispatcher delivers what producers put in the outbox.
func ExampleDispatcher() {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("received", r.Header.Get("User-Agent"))
	}))
	defer receiver.Close()

	outbox := webhookfake.New()
	sub, err := webhook.NewSubscription(aicc.NewID(aicc.PrefixOrg), receiver.URL, []string{"finding.*"}, time.Now())
	if err != nil {
		panic(err)
	}
	outbox.AddSubscription(sub)
	msgs, err := webhook.NewMessages([]*webhook.Subscription{sub}, "finding.confirmed", map[string]string{"finding_id": "fnd_abcdefghijklmnop"}, time.Now())
	if err != nil {
		panic(err)
	}
	outbox.Enqueue(msgs...)

	// AllowPrivate: the receiver is on 127.0.0.1.
	d, err := webhook.NewDispatcher(outbox, webhook.Config{AllowPrivate: true}, nil)
	if err != nil {
		panic(err)
	}
	if _, err := d.RunOnce(context.Background()); err != nil {
		panic(err)
	}
	m, _ := outbox.Message(msgs[0].ID)
	fmt.Println("delivered:", !m.DeliveredAt.IsZero())
	// Output:
	// received aicc-webhook/1
	// delivered: true
}
