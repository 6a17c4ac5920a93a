package keyring

import (
	"bytes"
	"errors"
	"testing"
)

// Open reads bytes from storage: nothing in them may make it panic, and
// every failure is ErrOpen or an unknown key.
func FuzzOpen(f *testing.F) {
	kr, err := LoadFile(writeFile(f, "k1:"+b64(testKey(1))+"\nk2:"+b64(testKey(2))+"\n", 0o600))
	if err != nil {
		f.Fatal(err)
	}
	aad := AAD("submission", "s1", "credential")
	sealed, err := kr.Seal([]byte("sk-secret"), aad)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sealed, aad)
	f.Add(sealed[:20], aad)
	f.Add([]byte{version1, 2, 'k', '9'}, []byte("x"))
	f.Add([]byte{version1, 0}, []byte("x"))
	f.Add([]byte{version1, 255, 'k'}, []byte("x"))
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, sealed, aad []byte) {
		orig := bytes.Clone(sealed)
		plain, err := kr.Open(sealed, aad)
		if !bytes.Equal(sealed, orig) {
			t.Fatal("Open changed its input")
		}
		_ = kr.NeedsReseal(sealed)
		if err != nil {
			if plain != nil {
				t.Fatalf("Open returned plaintext with error %v", err)
			}
			if len(aad) > 0 && err != ErrOpen && !errors.Is(err, ErrUnknownKey) {
				t.Fatalf("Open error %v is neither ErrOpen nor an unknown key", err)
			}
			return
		}
		// Only a value this keyring sealed opens; forging one is not a fuzzer's job.
		if _, err := kr.Reseal(sealed, aad); err != nil {
			t.Fatalf("Reseal of a value that opens: %v", err)
		}
	})
}

// Key files and the environment variable are outside input.
func FuzzParse(f *testing.F) {
	f.Add([]byte("k1:" + b64(testKey(1)) + "\n"))
	f.Add([]byte("# c\n\nk1:" + b64(testKey(1)) + "\r\nk2:" + b64(testKey(2))))
	f.Add([]byte("k1:" + b64(testKey(1)) + "\nk1:" + b64(testKey(2))))
	f.Add([]byte(":::\n\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := parse(bytes.Clone(data), "key file test", "line")
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, e := range entries {
			if !validID(e.id) || seen[e.id] || len(e.key) != KeySize {
				t.Fatalf("parse accepted entry %q with a %d-byte key (seen before: %v)", e.id, len(e.key), seen[e.id])
			}
			seen[e.id] = true
		}
		if _, err := newKeyring("test", entries); err != nil {
			t.Fatalf("newKeyring of parsed entries: %v", err)
		}
	})
}
