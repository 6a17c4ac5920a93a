package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// SecretPrefix starts every signing secret, as Standard Webhooks asks, so
// that a secret is recognised wherever it is pasted.
const SecretPrefix = "whsec_"

// Key lengths the Standard Webhooks specification allows for HMAC secrets.
const (
	minKeyLen = 24
	maxKeyLen = 64
	newKeyLen = 32
)

// GenerateSecret returns a new signing secret: "whsec_" followed by the
// standard base64 encoding of 32 random bytes from crypto/rand. Show it to
// the subscriber once, when the subscription is created.
func GenerateSecret() aicc.Secret {
	var b [newKeyLen]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics rather than return an error)
	return aicc.NewSecret(SecretPrefix + base64.StdEncoding.EncodeToString(b[:]))
}

// secretKey decodes a secret into its HMAC key. The "whsec_" prefix is
// optional, as in the Standard Webhooks libraries; the key must be 24 to 64
// bytes. The error never contains the secret.
func secretKey(s aicc.Secret) ([]byte, error) {
	enc := strings.TrimPrefix(s.Reveal(), SecretPrefix)
	if enc == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "webhook secret: empty")
	}
	key, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, aicc.Errorf(aicc.KindInvalid, "webhook secret: must be %q followed by standard base64", SecretPrefix)
	}
	if len(key) < minKeyLen || len(key) > maxKeyLen {
		return nil, aicc.Errorf(aicc.KindInvalid, "webhook secret: key is %d bytes, must be %d to %d", len(key), minKeyLen, maxKeyLen)
	}
	return key, nil
}
