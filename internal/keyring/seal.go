package keyring

import (
	"crypto/rand"
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// A sealed value, version 1:
//
//	[0]          version (1)
//	[1]          n, the length of the key ID (1..32)
//	[2:2+n]      key ID
//	[2+n:14+n]   nonce, 96 random bits
//	[14+n:]      AES-256-GCM ciphertext followed by its 16-byte tag
//
// GCM authenticates the header (version, n, key ID) followed by the
// caller's associated data, so neither can be changed without Open failing.
const (
	version1  = 1
	nonceSize = 12
	tagSize   = 16
)

// Seal encrypts plaintext under the primary key with AES-256-GCM and a
// random nonce. aad names the value's place (see AAD) and must be given
// again, byte for byte, to Open it; it must not be empty.
func (kr *Keyring) Seal(plaintext, aad []byte) ([]byte, error) {
	if len(aad) == 0 {
		return nil, errNoAAD("seal")
	}
	if len(kr.ids) == 0 {
		return nil, aicc.Errorf(aicc.KindInternal, "keyring: seal: the keyring holds no keys; build it with LoadFile or LoadEnv")
	}
	id := kr.ids[0]
	out := make([]byte, 0, 2+len(id)+nonceSize+len(plaintext)+tagSize)
	out = append(out, version1, byte(len(id)))
	out = append(out, id...)
	header := len(out)
	out = out[:header+nonceSize]
	if _, err := rand.Read(out[header:]); err != nil {
		return nil, fmt.Errorf("keyring: seal: nonce: %w", err)
	}
	nonce := out[header:]
	return kr.ciphers[id].Seal(out, nonce, plaintext, additional(out[:header], aad)), nil
}

// Open decrypts a value made by Seal with the same aad. Any failure to
// authenticate returns ErrOpen; a value sealed with a key this keyring lacks
// returns an *UnknownKeyError naming the key.
func (kr *Keyring) Open(sealed, aad []byte) ([]byte, error) {
	if len(aad) == 0 {
		return nil, errNoAAD("open")
	}
	id, header, ok := parseHeader(sealed)
	if !ok || len(sealed) < header+nonceSize+tagSize {
		return nil, ErrOpen
	}
	aead, found := kr.ciphers[id]
	if !found {
		return nil, &UnknownKeyError{ID: id, Source: kr.source}
	}
	nonce := sealed[header : header+nonceSize]
	plain, err := aead.Open(nil, nonce, sealed[header+nonceSize:], additional(sealed[:header], aad))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// Reseal opens a sealed value and seals it again under the current primary
// key, with the same aad: run it over stored values after Rotate, before an
// old key is removed. It always re-encrypts; NeedsReseal says whether that is
// needed.
func (kr *Keyring) Reseal(sealed, aad []byte) ([]byte, error) {
	plain, err := kr.Open(sealed, aad)
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	return kr.Seal(plain, aad)
}

// NeedsReseal reports whether sealed is anything but a well-formed value
// under the primary key. It does not authenticate the value; Reseal does,
// and says what is wrong with one that does not open.
func (kr *Keyring) NeedsReseal(sealed []byte) bool {
	id, header, ok := parseHeader(sealed)
	return !ok || len(sealed) < header+nonceSize+tagSize || id != kr.PrimaryID()
}

// SealSecret seals a credential; see Seal.
func (kr *Keyring) SealSecret(s aicc.Secret, aad []byte) ([]byte, error) {
	plain := []byte(s.Reveal())
	defer clear(plain)
	return kr.Seal(plain, aad)
}

// OpenSecret opens a credential sealed by SealSecret; see Open.
func (kr *Keyring) OpenSecret(sealed, aad []byte) (aicc.Secret, error) {
	plain, err := kr.Open(sealed, aad)
	if err != nil {
		return aicc.Secret{}, err
	}
	defer clear(plain)
	return aicc.NewSecret(string(plain)), nil
}

// parseHeader reads the version and key ID of a sealed value and returns
// the ID and the length of the header.
func parseHeader(sealed []byte) (id string, header int, ok bool) {
	if len(sealed) < 2 || sealed[0] != version1 {
		return "", 0, false
	}
	n := int(sealed[1])
	if n == 0 || n > maxIDLen || len(sealed) < 2+n {
		return "", 0, false
	}
	id = string(sealed[2 : 2+n])
	if !validID(id) {
		return "", 0, false
	}
	return id, 2 + n, true
}

// additional is the data GCM authenticates: the header, then the caller's
// aad. The header states its own length, so the split is unambiguous.
func additional(header, aad []byte) []byte {
	return append(append(make([]byte, 0, len(header)+len(aad)), header...), aad...)
}

func errNoAAD(op string) error {
	return aicc.Errorf(aicc.KindInvalid,
		"keyring: %s: associated data is empty; name the value's place, e.g. keyring.AAD(\"submission\", id, \"credential\")", op)
}

// SealedBy returns the ID of the key a sealed value names, without opening
// it; ok is false for a value that is not well-formed.
func SealedBy(sealed []byte) (id string, ok bool) {
	id, header, ok := parseHeader(sealed)
	if !ok || len(sealed) < header+nonceSize+tagSize {
		return "", false
	}
	return id, true
}
