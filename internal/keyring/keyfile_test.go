package keyring

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestGenerate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	id, err := Generate(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("mode = %04o, want 0600", perm)
	}
	kr, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if kr.PrimaryID() != id || len(kr.IDs()) != 1 {
		t.Errorf("keys = %v, primary %s; want just %s", kr.IDs(), kr.PrimaryID(), id)
	}
	before, _ := os.ReadFile(path)

	_, err = Generate(path)
	if aicc.KindOf(err) != aicc.KindConflict || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("Generate over an existing file: err = %v, want a conflict", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("Generate changed an existing key file")
	}

	other := filepath.Join(t.TempDir(), "keys")
	id2, err := Generate(other)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(other); bytes.Equal(b[len(fileHeader)+len(id2):], before[len(fileHeader)+len(id):]) {
		t.Error("two generated key files hold the same key")
	}
	if _, err := Generate(filepath.Join(t.TempDir(), "missing", "keys")); err == nil {
		t.Error("Generate into a missing directory succeeded")
	}
}

// The whole rotation: seal, rotate, old values still open, Reseal moves
// them, and once the old key is removed only the unresealed ones fail.
func TestRotate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	oldID, err := Generate(path)
	if err != nil {
		t.Fatal(err)
	}
	kr, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	aadA, aadB := AAD("submission", "a", "credential"), AAD("submission", "b", "credential")
	sealedA, err := kr.Seal([]byte("key-a"), aadA)
	if err != nil {
		t.Fatal(err)
	}
	sealedB, err := kr.Seal([]byte("key-b"), aadB)
	if err != nil {
		t.Fatal(err)
	}

	newID, err := Rotate(path)
	if err != nil {
		t.Fatal(err)
	}
	if newID == oldID {
		t.Fatalf("Rotate reused key ID %s", oldID)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("after Rotate: stat = %v, %v; want mode 0600", fi, err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(tmp) > 0 {
		t.Errorf("Rotate left temporary files: %v", tmp)
	}
	kr, err = LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := kr.IDs(), []string{newID, oldID}; !slices.Equal(got, want) {
		t.Fatalf("IDs after Rotate = %v, want %v", got, want)
	}
	for _, c := range []struct {
		sealed, aad []byte
		want        string
	}{{sealedA, aadA, "key-a"}, {sealedB, aadB, "key-b"}} {
		got, err := kr.Open(c.sealed, c.aad)
		if err != nil || string(got) != c.want {
			t.Fatalf("Open of an old value after Rotate = %q, %v; want %q", got, err, c.want)
		}
		if !kr.NeedsReseal(c.sealed) {
			t.Error("NeedsReseal of an old value = false")
		}
	}

	resealedA, err := kr.Reseal(sealedA, aadA)
	if err != nil {
		t.Fatal(err)
	}
	if kr.NeedsReseal(resealedA) {
		t.Error("NeedsReseal after Reseal = true")
	}

	// Remove the old key: the resealed value opens, the other names the key.
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range strings.Split(string(content), "\n") {
		if !strings.HasPrefix(l, oldID+":") {
			kept = append(kept, l)
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(kept, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	kr, err = LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := kr.Open(resealedA, aadA); err != nil || string(got) != "key-a" {
		t.Errorf("Open of the resealed value = %q, %v; want key-a", got, err)
	}
	_, err = kr.Open(sealedB, aadB)
	var uk *UnknownKeyError
	if !errors.As(err, &uk) || uk.ID != oldID || !strings.Contains(err.Error(), "key file "+path+" lacks") {
		t.Errorf("Open of an unresealed value = %v, want an error naming key %s and the key file", err, oldID)
	}
}

func TestRotateKeepsOtherLines(t *testing.T) {
	const body = "# my comment\n\nk1:%s\n# retired in May\nk0:%s" // no final newline
	content := strings.Replace(strings.Replace(body, "%s", b64(testKey(1)), 1), "%s", b64(testKey(2)), 1)
	path := writeFile(t, content, 0o600)
	id, err := Rotate(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, tail, ok := strings.Cut(string(got), id+":")
	if !ok || head != "# my comment\n\n" {
		t.Fatalf("new key not placed after the leading comments:\n%s", got)
	}
	_, rest, _ := strings.Cut(tail, "\n")
	if rest != content[len(head):] {
		t.Errorf("lines after the new key = %q, want %q", rest, content[len(head):])
	}

	// Rotating a file of keys only, with no newline at the end.
	path = writeFile(t, "k1:"+b64(testKey(1)), 0o600)
	if _, err := Rotate(path); err != nil {
		t.Fatal(err)
	}
	kr, err := LoadFile(path)
	if err != nil || len(kr.IDs()) != 2 || kr.IDs()[1] != "k1" {
		t.Fatalf("after Rotate: %v, %v; want a new key and k1", kr, err)
	}
}

func TestRotateRefuses(t *testing.T) {
	tests := []struct {
		name    string
		content string
		perm    os.FileMode
		want    string
	}{
		{"open permissions", "k1:" + b64(testKey(1)) + "\n", 0o644, "chmod 600"},
		{"malformed", "k1:" + b64(testKey(1)) + "\nnot a key\n", 0o600, "line 2"},
		{"empty", "# nothing\n", 0o600, "holds no keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.content, tt.perm)
			if _, err := Rotate(path); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Rotate: err = %v, want one containing %q", err, tt.want)
			}
			if got, _ := os.ReadFile(path); string(got) != tt.content {
				t.Error("Rotate changed a file it refused")
			}
		})
	}
	if _, err := Rotate(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Rotate of a missing file succeeded")
	}
}

func TestLoadFilePermissions(t *testing.T) {
	content := "k1:" + b64(testKey(1)) + "\n"
	tests := []struct {
		perm os.FileMode
		ok   bool
	}{
		{0o600, true},
		{0o400, true},
		{0o700, true},
		{0o640, false},
		{0o620, false},
		{0o604, false},
		{0o602, false},
		{0o644, false},
		{0o666, false},
	}
	for _, tt := range tests {
		t.Run(tt.perm.String(), func(t *testing.T) {
			path := writeFile(t, content, tt.perm)
			_, err := LoadFile(path)
			if tt.ok {
				if err != nil {
					t.Fatalf("LoadFile: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("LoadFile accepted a key file others may access")
			}
			if want := "`chmod 600 " + path + "`"; !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %s", err, want)
			}
			if aicc.KindOf(err) != aicc.KindInvalid {
				t.Errorf("KindOf = %s, want invalid", aicc.KindOf(err))
			}
			assertNoSecret(t, err.Error(), b64(testKey(1)))
		})
	}
	t.Run("directory", func(t *testing.T) {
		if _, err := LoadFile(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("err = %v, want not a regular file", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		if _, err := LoadFile(filepath.Join(t.TempDir(), "nope")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("err = %v, want not exist", err)
		}
	})
}

func TestLoadEnv(t *testing.T) {
	k1, k2 := b64(testKey(1)), b64(testKey(2))
	tests := []struct {
		name    string
		value   string
		wantIDs []string
		wantErr string
	}{
		{"one key", "k1:" + k1, []string{"k1"}, ""},
		{"lines", "k2:" + k2 + "\nk1:" + k1 + "\n", []string{"k2", "k1"}, ""},
		{"commas", "k2:" + k2 + ", k1:" + k1, []string{"k2", "k1"}, ""},
		{"unset", "", nil, "environment variable AICC_KEYRING is empty or unset"},
		{"blank", "  \n", nil, "empty or unset"},
		{"bad entry", "k1:" + k1 + ",k2", nil, "environment variable AICC_KEYRING: entry 2: want ID:BASE64KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == EnvVar {
					return tt.value
				}
				return ""
			}
			kr, err := LoadEnv(getenv, EnvVar)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(kr.IDs(), tt.wantIDs) {
				t.Errorf("IDs = %v, want %v", kr.IDs(), tt.wantIDs)
			}
			if kr.Source() != "environment variable AICC_KEYRING" {
				t.Errorf("Source = %q", kr.Source())
			}
		})
	}

	// A value sealed under a file keyring opens under the same key from the environment.
	file := mustLoad(t, "k1:"+k1+"\n")
	sealed, err := file.Seal([]byte("x"), []byte("a"))
	if err != nil {
		t.Fatal(err)
	}
	env, err := LoadEnv(func(string) string { return "k1:" + k1 }, EnvVar)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := env.Open(sealed, []byte("a")); err != nil || string(got) != "x" {
		t.Errorf("Open = %q, %v; want x", got, err)
	}
}

// Malformed files give errors that name the line and never quote it.
func TestParseErrors(t *testing.T) {
	good := b64(testKey(1))
	short := b64(testKey(50)[:16])
	long := b64(append(testKey(60), 1))
	tests := []struct {
		name    string
		content string
		want    string
		secret  string // key material on the bad line
	}{
		{"no colon", "k1:" + good + "\n" + good + "\n", "line 2: want ID:BASE64KEY", good},
		{"empty ID", ":" + good, "line 1: the key ID", good},
		{"key and ID swapped", good + ":k1", "line 1: the key ID", good},
		{"ID too long", strings.Repeat("a", 33) + ":" + good, "line 1: the key ID", good},
		{"ID with space", "my key:" + good, "line 1: the key ID", good},
		{"bad base64", "# c\n\nk1:" + good[:20] + "!!" + good[22:], `line 3: key "k1" is not valid standard base64`, good[:20]},
		{"url base64", "k1:" + strings.NewReplacer("+", "-", "/", "_").Replace(b64(bytes.Repeat([]byte{0xfb, 0xff}, 16))), `line 1: key "k1" is not valid standard base64`, ""},
		{"short key", "k1:" + short, `line 1: key "k1" is 16 bytes; want 32`, short},
		{"long key", "k1:" + long, `line 1: key "k1" is 33 bytes; want 32`, long},
		{"empty key", "k1:", `line 1: key "k1" is 0 bytes`, ""},
		{"duplicate ID", "k1:" + good + "\nk1:" + b64(testKey(2)), `line 2: key ID "k1" is also on line 1`, b64(testKey(2))},
		{"no keys", "# only a comment\n\n", "holds no keys", ""},
		{"empty file", "", "holds no keys", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.content, 0o600)
			_, err := LoadFile(path)
			if err == nil {
				t.Fatal("LoadFile accepted a malformed file")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) || !strings.Contains(msg, "key file "+path) {
				t.Errorf("error %q does not contain %q and the file name", msg, tt.want)
			}
			if aicc.KindOf(err) != aicc.KindInvalid {
				t.Errorf("KindOf = %s, want invalid", aicc.KindOf(err))
			}
			assertNoSecret(t, msg, good, tt.secret, b64(testKey(2)))
		})
	}
}

func TestParseTolerates(t *testing.T) {
	content := "  # comment\r\n\r\n  k-1.a_B : " + b64(testKey(1)) + "  \r\n\tk2:" + b64(testKey(2))
	kr := mustLoad(t, content)
	if got := kr.IDs(); !slices.Equal(got, []string{"k-1.a_B", "k2"}) {
		t.Errorf("IDs = %v", got)
	}
}

// assertNoSecret fails if msg holds any of the non-empty secrets, or a
// 12-character piece of one.
func assertNoSecret(t *testing.T, msg string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for i := 0; i+12 <= len(s); i++ {
			if strings.Contains(msg, s[i:i+12]) {
				t.Fatalf("%q holds key material %q", msg, s[i:i+12])
			}
		}
	}
}

func TestRetire(t *testing.T) {
	content := "# keys\nk2:" + b64(testKey(2)) + "\n# retired in May\n k1 :" + b64(testKey(1)) + "\nk0:" + b64(testKey(3))
	path := writeFile(t, content, 0o600)
	if err := Retire(path, "k1"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "# keys\nk2:" + b64(testKey(2)) + "\n# retired in May\nk0:" + b64(testKey(3))
	if string(got) != want {
		t.Errorf("after Retire:\n%s\nwant\n%s", got, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v after Retire, want 0600", fi.Mode().Perm())
	}
	kr, err := LoadFile(path)
	if err != nil || !slices.Equal(kr.IDs(), []string{"k2", "k0"}) {
		t.Fatalf("after Retire: %v, %v", kr, err)
	}
	if err := Retire(path, "k2"); aicc.KindOf(err) != aicc.KindConflict {
		t.Errorf("retiring the primary key: %v, want a conflict", err)
	}
	if err := Retire(path, "k1"); aicc.KindOf(err) != aicc.KindNotFound {
		t.Errorf("retiring a missing key: %v, want not found", err)
	}
	if got2, _ := os.ReadFile(path); string(got2) != want {
		t.Errorf("a refused Retire changed the file:\n%s", got2)
	}
}

func TestSealedBy(t *testing.T) {
	kr := mustLoad(t, "k1:"+b64(testKey(1))+"\nk0:"+b64(testKey(2)))
	sealed, err := kr.Seal([]byte("v"), []byte("aad"))
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := SealedBy(sealed); !ok || id != "k1" {
		t.Errorf("SealedBy = %q, %v; want k1", id, ok)
	}
	for _, bad := range [][]byte{nil, {1}, sealed[:len(sealed)-tagSize], append([]byte{9}, sealed[1:]...)} {
		if id, ok := SealedBy(bad); ok {
			t.Errorf("SealedBy(%x) = %q, true; want not well-formed", bad, id)
		}
	}
}
