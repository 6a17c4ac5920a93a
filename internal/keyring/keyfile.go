package keyring

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// EnvVar is the environment variable that conventionally holds a keyring,
// in the key file's format; commas may stand for line breaks.
const EnvVar = "AICC_KEYRING"

// maxKeyFile bounds the size of a key file.
const maxKeyFile = 1 << 20

// fileHeader starts every key file that Generate writes.
const fileHeader = `# aicc keyring: one key per line as ID:BASE64KEY (AES-256-GCM, 32-byte keys).
# The first key seals new values; every key opens. Keep this file mode 0600,
# back it up apart from the database, and read docs/keys.md before editing.
`

// LoadFile reads a keyring from a key file: one `ID:BASE64KEY` per line, the
// first key primary; blank lines and lines starting with '#' are ignored.
// Like ssh with a private key, it refuses a file that group or others may
// read or write.
func LoadFile(path string) (*Keyring, error) {
	data, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	source := "key file " + path
	entries, err := parse(data, source, "line")
	if err != nil {
		return nil, err
	}
	return newKeyring(source, entries)
}

// LoadEnv reads a keyring from the environment variable name (EnvVar by
// convention) in the key file's format, entries separated by line breaks or
// commas. getenv is os.Getenv outside tests.
func LoadEnv(getenv func(string) string, name string) (*Keyring, error) {
	source := "environment variable " + name
	v := getenv(name)
	if strings.TrimSpace(v) == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "keyring: %s is empty or unset", source)
	}
	data := []byte(strings.ReplaceAll(v, ",", "\n"))
	defer clear(data)
	entries, err := parse(data, source, "entry")
	if err != nil {
		return nil, err
	}
	return newKeyring(source, entries)
}

// Generate writes a new key file at path, mode 0600, holding one fresh key,
// and returns its ID. It refuses to overwrite an existing file: that would
// lose every value sealed under its keys; use Rotate instead.
func Generate(path string) (id string, err error) {
	e, err := newEntry(nil)
	if err != nil {
		return "", err
	}
	content := []byte(fileHeader + formatEntry(e))
	defer clear(content)
	clear(e.key)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return "", aicc.Errorf(aicc.KindConflict,
			"keyring: generate: %s already exists; rotate it instead of replacing it, which would lose every value sealed under its keys", path)
	}
	if err != nil {
		return "", fmt.Errorf("keyring: generate: %w", err)
	}
	if err := writeClose(f, content); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("keyring: generate %s: %w", path, err)
	}
	return e.id, nil
}

// Rotate puts a fresh key at the front of the key file at path, making it
// primary, keeps every other line as it was, and returns the new key's ID.
// Values sealed under the old keys still open; Reseal moves them to the new
// key. The file is replaced atomically and stays mode 0600. Processes that
// loaded the file before must load it again to see the new key.
func Rotate(path string) (id string, err error) {
	data, err := readKeyFile(path)
	if err != nil {
		return "", err
	}
	defer clear(data)
	entries, err := parse(data, "key file "+path, "line")
	if err != nil {
		return "", err
	}
	taken := make([]string, len(entries))
	for i, e := range entries {
		taken[i] = e.id
		clear(e.key)
	}
	e, err := newEntry(taken)
	if err != nil {
		return "", err
	}
	line := []byte(formatEntry(e))
	clear(e.key)
	defer clear(line)

	// Insert before the first key line, after the comments above it.
	at := 0
	for _, l := range bytes.SplitAfter(data, []byte("\n")) {
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' {
			break
		}
		at += len(l)
	}
	content := make([]byte, 0, len(data)+len(line)+1)
	content = append(content, data[:at]...)
	if at > 0 && content[at-1] != '\n' {
		content = append(content, '\n')
	}
	content = append(content, line...)
	content = append(content, data[at:]...)
	defer clear(content)

	if err := replaceFile(path, content); err != nil {
		return "", fmt.Errorf("keyring: rotate %s: %w", path, err)
	}
	return e.id, nil
}

// Retire removes the key id from the key file at path, keeping every other
// line as it was. It refuses to remove the primary key (rotate first) or a
// key the file does not hold. The caller checks first that no stored value
// is still sealed under the key: those values could no longer be opened.
func Retire(path, id string) error {
	data, err := readKeyFile(path)
	if err != nil {
		return err
	}
	defer clear(data)
	entries, err := parse(data, "key file "+path, "line")
	if err != nil {
		return err
	}
	primary := entries[0].id
	found := false
	for _, e := range entries {
		found = found || e.id == id
		clear(e.key)
	}
	switch {
	case !found:
		return aicc.Errorf(aicc.KindNotFound, "keyring: key file %s holds no key %q", path, id)
	case id == primary:
		return aicc.Errorf(aicc.KindConflict, "keyring: %q is the primary key of %s, which seals new values; rotate first, reseal, then retire it", id, path)
	}
	content := make([]byte, 0, len(data))
	for _, l := range bytes.SplitAfter(data, []byte("\n")) {
		t := bytes.TrimSpace(l)
		if len(t) > 0 && t[0] != '#' {
			if lid, _, _ := bytes.Cut(t, []byte(":")); string(bytes.TrimSpace(lid)) == id {
				continue
			}
		}
		content = append(content, l...)
	}
	defer clear(content)
	if err := replaceFile(path, content); err != nil {
		return fmt.Errorf("keyring: retire %s from %s: %w", id, path, err)
	}
	return nil
}

func formatEntry(e entry) string {
	return e.id + ":" + base64.StdEncoding.EncodeToString(e.key) + "\n"
}

// parse reads entries, one per line. Its errors name the line (unit says
// "line" or "entry") and, once it is known to be one, the key ID; they never
// quote the line itself, which may hold a key.
func parse(data []byte, source, unit string) ([]entry, error) {
	var entries []entry
	seen := map[string]int{}
	fail := func(n int, format string, args ...any) ([]entry, error) {
		for _, e := range entries {
			clear(e.key)
		}
		return nil, aicc.Errorf(aicc.KindInvalid, "keyring: %s: %s %d: %s", source, unit, n, fmt.Sprintf(format, args...))
	}
	for i, raw := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		l := bytes.TrimSpace(raw)
		if len(l) == 0 || l[0] == '#' {
			continue
		}
		rawID, b64, ok := bytes.Cut(l, []byte(":"))
		if !ok {
			return fail(n, "want ID:BASE64KEY")
		}
		id := string(bytes.TrimSpace(rawID))
		if !validID(id) {
			return fail(n, "the key ID before ':' must be 1 to %d letters, digits, '.', '_' or '-'", maxIDLen)
		}
		if first, dup := seen[id]; dup {
			return fail(n, "key ID %q is also on %s %d; IDs must be unique", id, unit, first)
		}
		b64 = bytes.TrimSpace(b64)
		key := make([]byte, base64.StdEncoding.DecodedLen(len(b64)))
		m, err := base64.StdEncoding.Decode(key, b64)
		if err != nil {
			clear(key)
			return fail(n, "key %q is not valid standard base64", id)
		}
		key = key[:m]
		if m != KeySize {
			clear(key)
			return fail(n, "key %q is %d bytes; want %d (a 256-bit key: `openssl rand -base64 32`)", id, m, KeySize)
		}
		seen[id] = n
		entries = append(entries, entry{id: id, key: key})
	}
	if len(entries) == 0 {
		return nil, aicc.Errorf(aicc.KindInvalid, "keyring: %s holds no keys; want lines of ID:BASE64KEY", source)
	}
	return entries, nil
}

// readKeyFile reads a key file after checking that only its owner may
// read or write it.
func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("keyring: open key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("keyring: key file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, aicc.Errorf(aicc.KindInvalid, "keyring: key file %s is not a regular file", path)
	}
	if err := checkPerm(path, fi.Mode().Perm()); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("keyring: read key file %s: %w", path, err)
	}
	if len(data) > maxKeyFile {
		clear(data)
		return nil, aicc.Errorf(aicc.KindInvalid, "keyring: key file %s is larger than %d bytes; it is not a key file", path, maxKeyFile)
	}
	return data, nil
}

// checkPerm refuses a key file that group or others may access. Windows
// has no such mode bits; there the file's ACL is the operator's to set.
func checkPerm(path string, perm fs.FileMode) error {
	if runtime.GOOS == "windows" || perm&0o077 == 0 {
		return nil
	}
	return aicc.Errorf(aicc.KindInvalid,
		"keyring: key file %s has permissions %04o, which are too open: group and others must not access it; run `chmod 600 %s`",
		path, perm, path)
}

// replaceFile writes content to a new file beside path, mode 0600, and
// renames it over path, so that a crash leaves either the old file or the
// new one.
func replaceFile(path string, content []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := writeClose(f, content); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // best effort: make the rename durable
		d.Close()
	}
	return nil
}

func writeClose(f *os.File, content []byte) error {
	_, err := f.Write(content)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
