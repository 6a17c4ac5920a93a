package provider

import (
	"bytes"
	"crypto"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Signer makes the detached OpenPGP signatures of a provider directory
// (requirement 19) with one key, whose public part is published
// (requirement 20). Its signatures are deterministic: the same bytes signed
// at the same time give the same signature. It is safe for concurrent use
// and never prints its private key (String, LogValue).
type Signer struct {
	entity      *openpgp.Entity
	keyID       uint64    // the signing (sub)key
	notBefore   time.Time // the latest creation time of the key and its self-signatures
	publicKey   []byte    // armored
	fingerprint string    // of the primary key, upper-case hex
}

// GenerateSigner makes a new Ed25519 (EdDSA) key for name and email,
// created at the given time, and returns its signer and the armored,
// unencrypted private key to store. Signatures are never dated before
// created, so choose a time no later than the documents' release dates if
// their signatures should carry those dates.
func GenerateSigner(name, email string, created time.Time) (*Signer, []byte, error) {
	return generateSigner(name, email, created, nil)
}

// generateSigner is GenerateSigner with the source of randomness (nil means
// crypto/rand), so that tests can make the same key every time.
func generateSigner(name, email string, created time.Time, rnd io.Reader) (*Signer, []byte, error) {
	if created.IsZero() {
		return nil, nil, errors.New("generate OpenPGP key: the creation time is required")
	}
	cfg := &packet.Config{
		Algorithm:   packet.PubKeyAlgoEdDSA,
		Curve:       packet.Curve25519,
		DefaultHash: crypto.SHA512,
		Time:        func() time.Time { return created },
		Rand:        rnd,
	}
	e, err := openpgp.NewEntity(name, "", email, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("generate OpenPGP key: %w", err)
	}
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PrivateKeyType, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("generate OpenPGP key: %w", err)
	}
	if err := e.SerializePrivateWithoutSigning(w, cfg); err != nil {
		return nil, nil, fmt.Errorf("generate OpenPGP key: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, nil, fmt.Errorf("generate OpenPGP key: %w", err)
	}
	buf.WriteByte('\n')
	s, err := NewSigner(buf.Bytes(), nil)
	if err != nil {
		return nil, nil, err
	}
	return s, buf.Bytes(), nil
}

// NewSigner reads an armored OpenPGP private key, decrypting it with
// passphrase when it is protected. The key must be a version 4 key whose
// signing key is EdDSA or RSA: other algorithms (ECDSA, DSA) and version 6
// keys make randomized signatures, which would break the byte-identical
// output.
func NewSigner(armoredPrivateKey, passphrase []byte) (*Signer, error) {
	keys, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(armoredPrivateKey))
	if err != nil {
		return nil, fmt.Errorf("read OpenPGP private key: %w", err)
	}
	if len(keys) != 1 {
		return nil, fmt.Errorf("read OpenPGP private key: want exactly one key, found %d", len(keys))
	}
	e := keys[0]
	if e.PrivateKey == nil {
		return nil, errors.New("read OpenPGP private key: this is a public key; give the private key")
	}
	if e.PrivateKey.Encrypted {
		if len(passphrase) == 0 {
			return nil, errors.New("read OpenPGP private key: the key is encrypted; give its passphrase")
		}
		if err := e.DecryptPrivateKeys(passphrase); err != nil {
			return nil, fmt.Errorf("decrypt OpenPGP private key: %w", err)
		}
	}

	// Sign with the key that is valid once the key and all its signing
	// subkeys exist: the newest signing subkey, or else the primary key.
	notBefore := e.PrimaryKey.CreationTime
	later := func(t time.Time) {
		if t.After(notBefore) {
			notBefore = t
		}
	}
	if sig, _ := e.PrimarySelfSignature(); sig != nil {
		later(sig.CreationTime)
	}
	for _, sub := range e.Subkeys {
		if sub.Sig != nil && sub.Sig.FlagsValid && sub.Sig.FlagSign {
			later(sub.PublicKey.CreationTime)
			later(sub.Sig.CreationTime)
		}
	}
	key, ok := e.SigningKey(notBefore)
	if !ok {
		return nil, errors.New("read OpenPGP private key: it has no usable signing key (expired, revoked or without the sign flag)")
	}
	if key.PrivateKey == nil || key.PrivateKey.Dummy() {
		return nil, errors.New("read OpenPGP private key: the private part of its signing key is missing")
	}
	if key.PrivateKey.Encrypted {
		return nil, errors.New("read OpenPGP private key: its signing key is still encrypted")
	}
	switch algo := key.PublicKey.PubKeyAlgo; {
	case key.PublicKey.Version != 4:
		return nil, fmt.Errorf("read OpenPGP private key: version %d keys make salted, randomized signatures; use a version 4 Ed25519 key", key.PublicKey.Version)
	case algo != packet.PubKeyAlgoEdDSA && algo != packet.PubKeyAlgoEd25519 && algo != packet.PubKeyAlgoEd448 &&
		algo != packet.PubKeyAlgoRSA && algo != packet.PubKeyAlgoRSASignOnly:
		return nil, fmt.Errorf("read OpenPGP private key: public-key algorithm %d makes randomized signatures; use an Ed25519 (or RSA) key", algo)
	}

	var pub bytes.Buffer
	w, err := armor.Encode(&pub, openpgp.PublicKeyType, nil)
	if err != nil {
		return nil, fmt.Errorf("export OpenPGP public key: %w", err)
	}
	if err := e.Serialize(w); err != nil {
		return nil, fmt.Errorf("export OpenPGP public key: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("export OpenPGP public key: %w", err)
	}
	pub.WriteByte('\n')
	return &Signer{
		entity:      e,
		keyID:       key.PublicKey.KeyId,
		notBefore:   notBefore,
		publicKey:   pub.Bytes(),
		fingerprint: strings.ToUpper(hex.EncodeToString(e.PrimaryKey.Fingerprint)),
	}, nil
}

// PublicKey returns the armored public key and its fingerprint (upper-case
// hex, 40 digits for a version 4 key), as published in openpgp/ and
// provider-metadata.json.
func (s *Signer) PublicKey() (armored []byte, fingerprint string) {
	return bytes.Clone(s.publicKey), s.fingerprint
}

// String names the key by its fingerprint.
func (s *Signer) String() string { return "OpenPGP key " + s.fingerprint }

// LogValue logs the fingerprint only.
func (s *Signer) LogValue() slog.Value { return slog.StringValue(s.String()) }

// signingTime returns the creation time of the signature of a document
// released at t: t itself, to the second, unless the key is younger.
func (s *Signer) signingTime(t time.Time) time.Time {
	t = t.UTC().Truncate(time.Second)
	if t.Before(s.notBefore) {
		return s.notBefore.UTC()
	}
	return t
}

// sign returns the detached, ASCII-armored signature of data made at t (see
// signingTime), with SHA-512 and without a salt notation.
func (s *Signer) sign(data []byte, t time.Time) ([]byte, error) {
	at := s.signingTime(t)
	salted := false
	cfg := &packet.Config{
		DefaultHash:                           crypto.SHA512,
		Time:                                  func() time.Time { return at },
		SigningKeyId:                          s.keyID,
		NonDeterministicSignaturesViaNotation: &salted,
	}
	var buf bytes.Buffer
	buf.Grow(256)
	if err := openpgp.ArmoredDetachSign(&buf, s.entity, bytes.NewReader(data), cfg); err != nil {
		return nil, fmt.Errorf("sign with %s at %s: %w", s, stamp(at), err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
