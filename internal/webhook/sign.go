package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Header names of the Standard Webhooks specification.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// DefaultTolerance is how far a webhook-timestamp may be from the
// receiver's clock, either way, when Verify is given no tolerance. It is
// the Standard Webhooks libraries' value.
const DefaultTolerance = 5 * time.Minute

// signatureVersion marks an HMAC-SHA256 signature ("v1a" would be ed25519).
const signatureVersion = "v1"

// Errors of Verify. Each is of kind aicc.KindUnauthorized: the request is
// not proven to come from the sender, and a receiver should answer 401.
var (
	ErrMissingHeaders = &aicc.Error{Kind: aicc.KindUnauthorized, Message: "webhook: missing webhook-id, webhook-timestamp or webhook-signature header"}
	ErrBadTimestamp   = &aicc.Error{Kind: aicc.KindUnauthorized, Message: "webhook: webhook-timestamp is not an integer number of seconds"}
	ErrTooOld         = &aicc.Error{Kind: aicc.KindUnauthorized, Message: "webhook: timestamp too old (replayed or delayed message)"}
	ErrTooNew         = &aicc.Error{Kind: aicc.KindUnauthorized, Message: "webhook: timestamp too far in the future (check the clocks)"}
	ErrNoMatch        = &aicc.Error{Kind: aicc.KindUnauthorized, Message: "webhook: no v1 signature matches (wrong secret or altered message)"}
)

// Sign returns the webhook-signature value for a message with the given ID,
// attempt time (whole seconds) and body: "v1," followed by the base64
// HMAC-SHA256 of "id.timestamp.body" under the secret's key.
func Sign(secret aicc.Secret, id string, ts time.Time, body []byte) (string, error) {
	if id == "" || strings.ContainsAny(id, ". ") {
		return "", aicc.Errorf(aicc.KindInvalid, "webhook id %q: must be non-empty, without dots or spaces", id)
	}
	key, err := secretKey(secret)
	if err != nil {
		return "", err
	}
	return signatureVersion + "," + base64.StdEncoding.EncodeToString(mac(key, id, ts.Unix(), body)), nil
}

func mac(key []byte, id string, unix int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	var b [24]byte
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write(strconv.AppendInt(b[:0], unix, 10))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a received webhook: the three headers must be present, the
// timestamp within tolerance of now either way (DefaultTolerance when
// tolerance is 0), and at least one "v1" entry of the space-separated
// webhook-signature list must equal the HMAC computed with secret, compared
// in constant time. Entries of other versions are ignored, so a sender can
// sign with an old and a new secret while rotating. body must be the raw
// request body, not a re-encoded copy.
func Verify(secret aicc.Secret, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	id, tsText, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || tsText == "" || sigs == "" {
		return ErrMissingHeaders
	}
	unix, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil || strconv.FormatInt(unix, 10) != tsText { // canonical only: "+1" or "01" would be signed as "1"
		return ErrBadTimestamp
	}
	tolerance = max(tolerance, 0)
	if tolerance == 0 {
		tolerance = DefaultTolerance
	}
	tol := int64(tolerance / time.Second)
	switch nowUnix := now.Unix(); {
	case unix < nowUnix-tol:
		return ErrTooOld
	case unix > nowUnix+tol:
		return ErrTooNew
	}
	key, err := secretKey(secret)
	if err != nil {
		return err
	}
	want := mac(key, id, unix, body)
	for entry := range strings.FieldsSeq(sigs) {
		version, enc, ok := strings.Cut(entry, ",")
		if !ok || version != signatureVersion {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			continue
		}
		if hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrNoMatch
}
