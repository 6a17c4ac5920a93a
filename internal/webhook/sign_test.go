package webhook_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/webhook"
)

// The test vector of the Standard Webhooks Go library (libraries/go,
// TestWebhookSign), checked independently with openssl.
var (
	vecSecret = aicc.NewSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	vecID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vecTime   = time.Unix(1614265330, 0)
	vecBody   = []byte(`{"test": 2432232314}`)
	vecSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestSignVector(t *testing.T) {
	for _, secret := range []aicc.Secret{vecSecret, aicc.NewSecret(strings.TrimPrefix(vecSecret.Reveal(), "whsec_"))} {
		got, err := webhook.Sign(secret, vecID, vecTime, vecBody)
		if err != nil {
			t.Fatal(err)
		}
		if got != vecSig {
			t.Errorf("Sign = %s, want %s", got, vecSig)
		}
	}
}

func TestSignRejects(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		id     string
	}{
		{"empty id", vecSecret.Reveal(), ""},
		{"dot in id", vecSecret.Reveal(), "msg.1"},
		{"space in id", vecSecret.Reveal(), "msg 1"},
		{"empty secret", "", vecID},
		{"prefix only", "whsec_", vecID},
		{"not base64", "whsec_!!!notbase64!!!", vecID},
		{"key too short", "whsec_c2hvcnQ=", vecID},
		{"key too long", "whsec_" + strings.Repeat("QUFB", 22), vecID}, // 66 bytes
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := webhook.Sign(aicc.NewSecret(tt.secret), tt.id, vecTime, vecBody)
			if aicc.KindOf(err) != aicc.KindInvalid {
				t.Fatalf("Sign error = %v, want kind invalid", err)
			}
			if enc := strings.TrimPrefix(tt.secret, "whsec_"); enc != "" && strings.Contains(err.Error(), enc) {
				t.Errorf("error %q reveals the secret", err)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	now := vecTime.Add(90 * time.Second)
	other := webhook.GenerateSecret()
	otherSig, err := webhook.Sign(other, vecID, vecTime, vecBody)
	if err != nil {
		t.Fatal(err)
	}
	headers := func(id, ts, sig string) http.Header {
		h := http.Header{}
		for k, v := range map[string]string{webhook.HeaderID: id, webhook.HeaderTimestamp: ts, webhook.HeaderSignature: sig} {
			if v != "" {
				h.Set(k, v)
			}
		}
		return h
	}
	ts := strconv.FormatInt(vecTime.Unix(), 10)
	tests := []struct {
		name      string
		h         http.Header
		body      string
		now       time.Time
		tolerance time.Duration
		want      error
	}{
		{"valid", headers(vecID, ts, vecSig), string(vecBody), now, 0, nil},
		{"rotation: old and new signatures", headers(vecID, ts, otherSig+" "+vecSig), string(vecBody), now, 0, nil},
		{"unknown versions ignored", headers(vecID, ts, "v1a,AAAA v2,xyz "+vecSig), string(vecBody), now, 0, nil},
		{"only the other secret's signature", headers(vecID, ts, otherSig), string(vecBody), now, 0, webhook.ErrNoMatch},
		{"tampered body", headers(vecID, ts, vecSig), `{"test": 2432232315}`, now, 0, webhook.ErrNoMatch},
		{"body with trailing newline", headers(vecID, ts, vecSig), string(vecBody) + "\n", now, 0, webhook.ErrNoMatch},
		{"tampered timestamp", headers(vecID, strconv.FormatInt(vecTime.Unix()+1, 10), vecSig), string(vecBody), now, 0, webhook.ErrNoMatch},
		{"tampered id", headers(vecID+"x", ts, vecSig), string(vecBody), now, 0, webhook.ErrNoMatch},
		{"signature without version", headers(vecID, ts, strings.TrimPrefix(vecSig, "v1,")), string(vecBody), now, 0, webhook.ErrNoMatch},
		{"signature as v1a", headers(vecID, ts, "v1a,"+strings.TrimPrefix(vecSig, "v1,")), string(vecBody), now, 0, webhook.ErrNoMatch},
		{"signature not base64", headers(vecID, ts, "v1,!!!"), string(vecBody), now, 0, webhook.ErrNoMatch},
		{"stale beyond default tolerance", headers(vecID, ts, vecSig), string(vecBody), vecTime.Add(5*time.Minute + time.Second), 0, webhook.ErrTooOld},
		{"stale at the edge of tolerance", headers(vecID, ts, vecSig), string(vecBody), vecTime.Add(5 * time.Minute), 0, nil},
		{"future beyond tolerance", headers(vecID, ts, vecSig), string(vecBody), vecTime.Add(-5*time.Minute - time.Second), 0, webhook.ErrTooNew},
		{"stale beyond a short tolerance", headers(vecID, ts, vecSig), string(vecBody), vecTime.Add(11 * time.Second), 10 * time.Second, webhook.ErrTooOld},
		{"timestamp in milliseconds", headers(vecID, strconv.FormatInt(vecTime.UnixMilli(), 10), vecSig), string(vecBody), now, 0, webhook.ErrTooNew},
		{"timestamp with leading zero", headers(vecID, "0"+ts, vecSig), string(vecBody), now, 0, webhook.ErrBadTimestamp},
		{"timestamp with plus sign", headers(vecID, "+"+ts, vecSig), string(vecBody), now, 0, webhook.ErrBadTimestamp},
		{"timestamp not a number", headers(vecID, "1614265330.5", vecSig), string(vecBody), now, 0, webhook.ErrBadTimestamp},
		{"missing id", headers("", ts, vecSig), string(vecBody), now, 0, webhook.ErrMissingHeaders},
		{"missing timestamp", headers(vecID, "", vecSig), string(vecBody), now, 0, webhook.ErrMissingHeaders},
		{"missing signature", headers(vecID, ts, ""), string(vecBody), now, 0, webhook.ErrMissingHeaders},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := webhook.Verify(vecSecret, tt.h, []byte(tt.body), tt.now, tt.tolerance)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
			if err != nil && aicc.KindOf(err) != aicc.KindUnauthorized {
				t.Errorf("kind = %s, want unauthorized", aicc.KindOf(err))
			}
		})
	}
}

func TestVerifyBadSecret(t *testing.T) {
	h := http.Header{}
	h.Set(webhook.HeaderID, vecID)
	h.Set(webhook.HeaderTimestamp, strconv.FormatInt(vecTime.Unix(), 10))
	h.Set(webhook.HeaderSignature, vecSig)
	err := webhook.Verify(aicc.NewSecret("whsec_short"), h, vecBody, vecTime, 0)
	if aicc.KindOf(err) != aicc.KindInvalid {
		t.Fatalf("Verify with a malformed secret = %v, want kind invalid", err)
	}
}

func TestGenerateSecret(t *testing.T) {
	a, b := webhook.GenerateSecret(), webhook.GenerateSecret()
	if a.Reveal() == b.Reveal() {
		t.Fatal("two generated secrets are equal")
	}
	if !strings.HasPrefix(a.Reveal(), "whsec_") || len(a.Reveal()) != len("whsec_")+44 {
		t.Errorf("secret %q: want whsec_ and 32 bytes in base64", a.Reveal())
	}
	if _, err := webhook.Sign(a, vecID, vecTime, vecBody); err != nil {
		t.Errorf("a generated secret does not sign: %v", err)
	}
	if s := a.String(); strings.Contains(s, "whsec_") {
		t.Errorf("secret prints as %q", s)
	}
}

// FuzzVerify feeds Verify arbitrary headers and bodies: it must never
// panic, never accept a signature it did not make, and always accept one
// it did.
func FuzzVerify(f *testing.F) {
	f.Add(vecID, "1614265330", vecSig, vecBody)
	f.Add("", "", "", []byte{})
	f.Add(vecID, "-1", "v1,", []byte("x"))
	f.Add(vecID, "01614265330", vecSig, vecBody)
	f.Add(vecID, "99999999999999999999", "v1,a v1,b", []byte("{}"))
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set(webhook.HeaderID, id)
		h.Set(webhook.HeaderTimestamp, ts)
		h.Set(webhook.HeaderSignature, sig)
		if webhook.Verify(vecSecret, h, body, vecTime, time.Hour) == nil && !refAccepts(vecSecret.Reveal(), h, body) {
			t.Fatalf("accepted a signature the reference check rejects: %q", sig)
		}
		if id == "" || strings.ContainsAny(id, ". \t\r\n") || !validHeaderValue(id) {
			return
		}
		good, err := webhook.Sign(vecSecret, id, vecTime, body)
		if err != nil {
			t.Fatal(err)
		}
		h.Set(webhook.HeaderTimestamp, strconv.FormatInt(vecTime.Unix(), 10))
		h.Set(webhook.HeaderSignature, good)
		if err := webhook.Verify(vecSecret, h, body, vecTime, 0); err != nil {
			t.Fatalf("own signature rejected: %v", err)
		}
	})
}

// validHeaderValue reports whether v survives a trip through http.Header
// unchanged (Header.Get returns what Set stored, but a real request would
// reject control characters).
func validHeaderValue(v string) bool {
	for i := range len(v) {
		if v[i] < 0x20 || v[i] == 0x7f {
			return false
		}
	}
	return true
}

func BenchmarkSign(b *testing.B) {
	body := []byte(`{"type":"finding.confirmed","timestamp":"2026-03-01T12:00:00Z","data":{"finding_id":"fnd_abcdefghijklmnop","submission_id":"sub_abcdefghijklmnop"}}`)
	secret := webhook.GenerateSecret()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := webhook.Sign(secret, vecID, vecTime, body); err != nil {
			b.Fatal(err)
		}
	}
}
