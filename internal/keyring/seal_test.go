package keyring

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestSealOpenRoundTrip(t *testing.T) {
	kr := mustLoad(t, "k1:"+b64(testKey(1))+"\n")
	tests := []struct {
		name  string
		plain []byte
		aad   []byte
	}{
		{"empty plaintext", nil, AAD("submission", "s1", "credential")},
		{"api key", []byte("sk-live-0123456789abcdef"), AAD("submission", "s1", "credential")},
		{"binary", []byte{0, 1, 2, 0xff, 0xfe, '\n'}, []byte{0}},
		{"large", bytes.Repeat([]byte("x"), 64<<10), []byte("raw aad")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := kr.Seal(tt.plain, tt.aad)
			if err != nil {
				t.Fatal(err)
			}
			if len(tt.plain) > 8 && bytes.Contains(sealed, tt.plain[:8]) {
				t.Fatal("sealed value contains the plaintext")
			}
			if want := 2 + len("k1") + nonceSize + len(tt.plain) + tagSize; len(sealed) != want {
				t.Errorf("len(sealed) = %d, want %d", len(sealed), want)
			}
			if sealed[0] != version1 || sealed[1] != 2 || string(sealed[2:4]) != "k1" {
				t.Errorf("header = %v, want version 1, key ID k1", sealed[:4])
			}
			got, err := kr.Open(sealed, tt.aad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, tt.plain) {
				t.Errorf("Open = %q, want %q", got, tt.plain)
			}
			again, err := kr.Seal(tt.plain, tt.aad)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(again, sealed) {
				t.Error("two seals of the same plaintext are equal: nonce not random")
			}
		})
	}
}

func TestOpenTampered(t *testing.T) {
	kr := mustLoad(t, "k1:"+b64(testKey(1))+"\nk2:"+b64(testKey(100))+"\n")
	aad := AAD("submission", "s1", "credential")
	sealed, err := kr.Seal([]byte("sk-secret-credential"), aad)
	if err != nil {
		t.Fatal(err)
	}
	const id = 2 // header: version, ID length, "k1"
	regions := []struct {
		name     string
		from, to int
	}{
		{"version", 0, 1},
		{"key ID length", 1, 2},
		{"key ID", id, id + 2},
		{"nonce", id + 2, id + 2 + nonceSize},
		{"ciphertext", id + 2 + nonceSize, len(sealed) - tagSize},
		{"tag", len(sealed) - tagSize, len(sealed)},
	}
	for _, r := range regions {
		t.Run(r.name, func(t *testing.T) {
			for i := r.from; i < r.to; i++ {
				for _, flip := range []byte{0x01, 0x80, 0xff} {
					bad := bytes.Clone(sealed)
					bad[i] ^= flip
					got, err := kr.Open(bad, aad)
					if err == nil {
						t.Fatalf("byte %d ^ %#x: Open succeeded with %q", i, flip, got)
					}
					if err != ErrOpen && !errors.Is(err, ErrUnknownKey) {
						t.Fatalf("byte %d ^ %#x: err = %v, want ErrOpen or an unknown key", i, flip, err)
					}
				}
			}
		})
	}
	t.Run("key ID swapped for another key's", func(t *testing.T) {
		bad := bytes.Clone(sealed)
		copy(bad[id:], "k2")
		if _, err := kr.Open(bad, aad); err != ErrOpen {
			t.Fatalf("err = %v, want ErrOpen", err)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		for n := range len(sealed) {
			if _, err := kr.Open(sealed[:n], aad); err != ErrOpen {
				t.Fatalf("first %d bytes: err = %v, want ErrOpen", n, err)
			}
		}
	})
	t.Run("extended", func(t *testing.T) {
		if _, err := kr.Open(append(bytes.Clone(sealed), 0), aad); err != ErrOpen {
			t.Fatalf("err = %v, want ErrOpen", err)
		}
	})
}

// Wrong key, wrong associated data and altered data give the same error,
// so a failure says nothing about which it was.
func TestOpenFailuresAreOneError(t *testing.T) {
	kr := mustLoad(t, "k1:"+b64(testKey(1))+"\n")
	sameIDOtherKey := mustLoad(t, "k1:"+b64(testKey(2))+"\n")
	aad := AAD("submission", "s1", "credential")
	sealed, err := kr.Seal([]byte("sk-secret"), aad)
	if err != nil {
		t.Fatal(err)
	}
	altered := bytes.Clone(sealed)
	altered[len(altered)-1] ^= 1

	tests := []struct {
		name   string
		kr     *Keyring
		sealed []byte
		aad    []byte
	}{
		{"wrong key", sameIDOtherKey, sealed, aad},
		{"other row", kr, sealed, AAD("submission", "s2", "credential")},
		{"other field", kr, sealed, AAD("submission", "s1", "token")},
		{"parts split differently", kr, sealed, AAD("submission", "s1credential")},
		{"altered", kr, altered, aad},
		{"not a sealed value", kr, []byte("sk-secret"), aad},
		{"empty", kr, nil, aad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.kr.Open(tt.sealed, tt.aad)
			if err != ErrOpen {
				t.Fatalf("Open = %q, %v; want ErrOpen", got, err)
			}
			if got != nil {
				t.Errorf("Open returned plaintext %q with its error", got)
			}
		})
	}
	if k := aicc.KindOf(ErrOpen); k != aicc.KindInvalid {
		t.Errorf("KindOf(ErrOpen) = %s, want %s", k, aicc.KindInvalid)
	}
}

func TestEmptyAAD(t *testing.T) {
	kr := mustLoad(t, "k1:"+b64(testKey(1))+"\n")
	if _, err := kr.Seal([]byte("x"), nil); aicc.KindOf(err) != aicc.KindInvalid || !strings.Contains(err.Error(), "associated data") {
		t.Errorf("Seal with no aad: err = %v, want an invalid-input error about associated data", err)
	}
	sealed, err := kr.Seal([]byte("x"), []byte("a"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Open(sealed, []byte{}); err == nil || err == ErrOpen {
		t.Errorf("Open with no aad: err = %v, want an error about associated data", err)
	}
}

func TestAADIsUnambiguous(t *testing.T) {
	lists := [][]string{
		{"submission", "s1", "credential"},
		{"submission", "s1:credential"},
		{"submission:s1", "credential"},
		{"submission", "s1", "credential", ""},
		{"submissions1credential"},
		{},
	}
	seen := map[string][]string{}
	for _, l := range lists {
		k := string(AAD(l...))
		if prev, dup := seen[k]; dup {
			t.Errorf("AAD(%q) = AAD(%q)", l, prev)
		}
		seen[k] = l
	}
}

func TestSecretRoundTrip(t *testing.T) {
	kr, err := NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	aad := AAD("submission", "s1", "credential")
	sealed, err := kr.SealSecret(aicc.NewSecret("sk-live-abc"), aad)
	if err != nil {
		t.Fatal(err)
	}
	s, err := kr.OpenSecret(sealed, aad)
	if err != nil {
		t.Fatal(err)
	}
	if s.Reveal() != "sk-live-abc" {
		t.Errorf("OpenSecret = %q, want sk-live-abc", s.Reveal())
	}
	s, err = kr.OpenSecret(sealed, AAD("submission", "s2", "credential"))
	if err != ErrOpen || !s.IsZero() {
		t.Errorf("OpenSecret with the wrong aad = %q, %v; want the zero Secret, ErrOpen", s.Reveal(), err)
	}
}

func TestNeedsReseal(t *testing.T) {
	old := mustLoad(t, "old:"+b64(testKey(1))+"\n")
	kr := mustLoad(t, "new:"+b64(testKey(2))+"\nold:"+b64(testKey(1))+"\n")
	aad := []byte("a")
	underOld, err := old.Seal([]byte("x"), aad)
	if err != nil {
		t.Fatal(err)
	}
	underNew, err := kr.Seal([]byte("x"), aad)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		sealed []byte
		want   bool
	}{
		{"under primary", underNew, false},
		{"under old key", underOld, true},
		{"truncated", underNew[:10], true},
		{"garbage", []byte("sk-plaintext"), true},
		{"empty", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kr.NeedsReseal(tt.sealed); got != tt.want {
				t.Errorf("NeedsReseal = %v, want %v", got, tt.want)
			}
		})
	}
	resealed, err := kr.Reseal(underOld, aad)
	if err != nil {
		t.Fatal(err)
	}
	if kr.NeedsReseal(resealed) {
		t.Error("NeedsReseal after Reseal = true")
	}
	if _, err := kr.Reseal(underOld, []byte("b")); err != ErrOpen {
		t.Errorf("Reseal with the wrong aad: err = %v, want ErrOpen", err)
	}
}

func TestUnknownKey(t *testing.T) {
	other := mustLoad(t, "gone-key:"+b64(testKey(9))+"\n")
	path := writeFile(t, "k1:"+b64(testKey(1))+"\n", 0o600)
	kr, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := other.Seal([]byte("x"), []byte("a"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = kr.Open(sealed, []byte("a"))
	var uk *UnknownKeyError
	if !errors.As(err, &uk) || uk.ID != "gone-key" || !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("err = %v, want an *UnknownKeyError for gone-key", err)
	}
	for _, want := range []string{`"gone-key"`, "key file " + path, "lacks"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if k := aicc.KindOf(err); k != aicc.KindInternal {
		t.Errorf("KindOf = %s, want %s", k, aicc.KindInternal)
	}
}

func TestZeroKeyring(t *testing.T) {
	var kr Keyring
	if _, err := kr.Seal([]byte("x"), []byte("a")); err == nil || !strings.Contains(err.Error(), "no keys") {
		t.Errorf("Seal = %v, want an error saying the keyring holds no keys", err)
	}
	other, err := NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := other.Seal([]byte("x"), []byte("a"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Open(sealed, []byte("a")); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Open = %v, want an unknown key", err)
	}
	if !kr.NeedsReseal(sealed) || kr.PrimaryID() != "" || kr.String() != "keyring(empty)" {
		t.Errorf("zero keyring: NeedsReseal %v, PrimaryID %q, String %q", kr.NeedsReseal(sealed), kr.PrimaryID(), kr.String())
	}
}

func TestConcurrentUse(t *testing.T) {
	kr := mustLoad(t, "k1:"+b64(testKey(1))+"\n")
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			aad := AAD("submission", string(rune('a'+g)), "credential")
			for range 50 {
				sealed, err := kr.Seal([]byte("sk-secret"), aad)
				if err == nil {
					_, err = kr.Open(sealed, aad)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
