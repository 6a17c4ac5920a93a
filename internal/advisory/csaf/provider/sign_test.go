package provider_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
)

// armoredKey serializes keys as one armored block of private keys, or of
// their public keys.
func armoredKey(t *testing.T, private bool, keys ...*openpgp.Entity) []byte {
	t.Helper()
	var buf bytes.Buffer
	typ := openpgp.PrivateKeyType
	if !private {
		typ = openpgp.PublicKeyType
	}
	w, err := armor.Encode(&buf, typ, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range keys {
		if private {
			err = e.SerializePrivateWithoutSigning(w, nil)
		} else {
			err = e.Serialize(w)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGenerateSigner(t *testing.T) {
	s, priv, err := provider.GenerateSigner("AICC Clearinghouse", "csaf@aicc.example", keyCreated)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(priv, []byte("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
		t.Errorf("private key: %.60q", priv)
	}
	pub, fp := s.PublicKey()
	keys, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(pub))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0].PrivateKey != nil {
		t.Fatalf("public key holds %d keys or a private key", len(keys))
	}
	k := keys[0].PrimaryKey
	if k.PubKeyAlgo != packet.PubKeyAlgoEdDSA || k.Version != 4 || !k.CreationTime.Equal(keyCreated) || fmt.Sprintf("%X", k.Fingerprint) != fp {
		t.Errorf("key: algorithm %v, version %d, created %v, fingerprint %X (signer says %s)", k.PubKeyAlgo, k.Version, k.CreationTime, k.Fingerprint, fp)
	}
	// Reading the stored private key gives the same signer.
	s2, err := provider.NewSigner(priv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pub2, fp2 := s2.PublicKey(); fp2 != fp || !bytes.Equal(pub2, pub) {
		t.Error("NewSigner(private key of GenerateSigner) gives another public key")
	}
	if _, _, err := provider.GenerateSigner("x", "x@example.com", time.Time{}); err == nil {
		t.Error("GenerateSigner without a creation time succeeded")
	}
}

func TestNewSignerEncrypted(t *testing.T) {
	_, priv := testSigner(t)
	keys, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(priv))
	if err != nil {
		t.Fatal(err)
	}
	if err := keys[0].EncryptPrivateKeys([]byte("correct horse"), nil); err != nil {
		t.Fatal(err)
	}
	enc := armoredKey(t, true, keys[0])
	if _, err := provider.NewSigner(enc, nil); err == nil || !strings.Contains(err.Error(), "give its passphrase") {
		t.Errorf("no passphrase: error %v", err)
	}
	if _, err := provider.NewSigner(enc, []byte("wrong")); err == nil {
		t.Error("wrong passphrase accepted")
	}
	s, err := provider.NewSigner(enc, []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := testSigner(t)
	// The decrypted key signs exactly as the plain one.
	docs := sampleDocs(t)[:2]
	a, b := build(t, testConfig(s), docs), build(t, testConfig(plain), docs)
	if p := samplePaths[docs[0].TrackingID] + ".asc"; !bytes.Equal(a[p], b[p]) {
		t.Error("the decrypted key signs differently")
	}
}

func TestNewSignerRejects(t *testing.T) {
	ecdsa, err := openpgp.NewEntity("x", "", "x@example.com", &packet.Config{Algorithm: packet.PubKeyAlgoECDSA, Curve: packet.CurveNistP256})
	if err != nil {
		t.Fatal(err)
	}
	v6, err := openpgp.NewEntity("x", "", "x@example.com", &packet.Config{Algorithm: packet.PubKeyAlgoEd25519, V6Keys: true})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := testSigner(t)
	pub, _ := s.PublicKey()
	for name, tc := range map[string]struct {
		key  []byte
		want string
	}{
		"ECDSA":      {armoredKey(t, true, ecdsa), "randomized signatures"},
		"v6":         {armoredKey(t, true, v6), "version 6"},
		"public key": {pub, "this is a public key"},
		"two keys":   {armoredKey(t, true, ecdsa, v6), "want exactly one key, found 2"},
		"garbage":    {[]byte("not a key"), "read OpenPGP private key"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := provider.NewSigner(tc.key, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestSignerRedacts(t *testing.T) {
	s, _ := testSigner(t)
	_, fp := s.PublicKey()
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("signing", "signer", s)
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%+v", s), logged.String()} {
		if !strings.Contains(out, fp) || strings.Contains(out, "PrivateKey") || len(out) > 200 {
			t.Errorf("signer printed as %q", out)
		}
	}
}
