package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// KeySize is the length of every key in bytes: AES-256.
const KeySize = 32

// maxIDLen bounds a key ID; it is stored in every sealed value.
const maxIDLen = 32

// Keyring holds the keys that seal and open values. Build one with LoadFile,
// LoadEnv or NewEphemeral; the zero Keyring holds no keys and seals nothing.
// It is immutable once built and safe for concurrent use. It prints, formats and logs as its key
// IDs only, never its keys.
type Keyring struct {
	source  string
	ids     []string // primary first, then the others in file order
	ciphers map[string]cipher.AEAD
}

// entry is one key as read from a key file or built in memory.
type entry struct {
	id  string
	key []byte
}

// newKeyring builds a keyring from entries, the first one primary. It
// clears each entry's key bytes once the cipher holds them.
func newKeyring(source string, entries []entry) (*Keyring, error) {
	if len(entries) == 0 {
		return nil, aicc.Errorf(aicc.KindInvalid, "keyring: %s holds no keys", source)
	}
	kr := &Keyring{source: source, ciphers: make(map[string]cipher.AEAD, len(entries))}
	for _, e := range entries {
		aead, err := newAEAD(e.key)
		clear(e.key)
		if err != nil {
			return nil, fmt.Errorf("keyring: %s: key %q: %w", source, e.id, err)
		}
		kr.ids = append(kr.ids, e.id)
		kr.ciphers[e.id] = aead
	}
	return kr, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// NewEphemeral returns a keyring with one fresh random key that lives only
// in memory: what it seals cannot be opened after the process exits. It is
// meant for tests and throw-away demos, never for a server's data.
func NewEphemeral() (*Keyring, error) {
	e, err := newEntry(nil)
	if err != nil {
		return nil, err
	}
	return newKeyring("ephemeral keyring", []entry{e})
}

// newEntry makes a fresh random key with an ID not in taken.
func newEntry(taken []string) (entry, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return entry{}, fmt.Errorf("keyring: generate key: %w", err)
	}
	for {
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return entry{}, fmt.Errorf("keyring: generate key ID: %w", err)
		}
		if id := hex.EncodeToString(b[:]); !slices.Contains(taken, id) {
			return entry{id: id, key: key}, nil
		}
	}
}

// PrimaryID returns the ID of the key that seals new values.
func (kr *Keyring) PrimaryID() string {
	if len(kr.ids) == 0 {
		return ""
	}
	return kr.ids[0]
}

// IDs returns the IDs of all keys, the primary first.
func (kr *Keyring) IDs() []string { return slices.Clone(kr.ids) }

// Source says where the keyring came from, e.g. "key file /etc/aicc/keys".
func (kr *Keyring) Source() string { return kr.source }

// String describes the keyring by its source and key IDs; keys are never
// shown. The methods that print have value receivers so that a Keyring
// value, not only a pointer, prints this way.
func (kr Keyring) String() string {
	if len(kr.ids) == 0 {
		return "keyring(empty)"
	}
	return fmt.Sprintf("keyring(%s; primary %s; keys %s)", kr.source, kr.ids[0], strings.Join(kr.ids, ","))
}

// GoString is String: %#v must not dump the ciphers' key schedules.
func (kr Keyring) GoString() string { return kr.String() }

// Format writes String for every verb, so that no verb (%d, %x, %+v ...)
// reaches the keys through reflection.
func (kr Keyring) Format(f fmt.State, _ rune) { fmt.Fprint(f, kr.String()) }

// LogValue logs the keyring as its source and key IDs.
func (kr Keyring) LogValue() slog.Value {
	if len(kr.ids) == 0 {
		return slog.StringValue("keyring(empty)")
	}
	return slog.GroupValue(
		slog.String("source", kr.source),
		slog.String("primary", kr.ids[0]),
		slog.Any("keys", slices.Clone(kr.ids)),
	)
}

// AAD builds associated data from the parts that name a value's place, e.g.
// AAD("submission", id, "credential"). Each part is length-prefixed, so no
// two different lists of parts give the same bytes (unlike joining with ":").
func AAD(parts ...string) []byte {
	var b []byte
	for _, p := range parts {
		b = binary.AppendUvarint(b, uint64(len(p)))
		b = append(b, p...)
	}
	return b
}

// validID reports whether id may name a key: 1 to 32 ASCII letters, digits,
// '.', '_' or '-'. The limit also keeps a misplaced base64 key (44
// characters) from ever being taken for an ID and shown in an error.
func validID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}
