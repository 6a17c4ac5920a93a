package keyring

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
)

// testKey returns a distinctive 32-byte key: seed, seed+1, ...
func testKey(seed byte) []byte {
	k := make([]byte, KeySize)
	for i := range k {
		k[i] = seed + byte(i)
	}
	return k
}

func b64(k []byte) string { return base64.StdEncoding.EncodeToString(k) }

// writeFile writes content to a new file in a temporary directory with
// mode perm and returns its path.
func writeFile(t testing.TB, content string, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil { // umask may have cut bits
		t.Fatal(err)
	}
	return path
}

// mustLoad loads a keyring from content written to a 0600 key file.
func mustLoad(t testing.TB, content string) *Keyring {
	t.Helper()
	kr, err := LoadFile(writeFile(t, content, 0o600))
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	return kr
}
