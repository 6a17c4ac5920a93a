package audit

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// MinKeySize is the shortest key a keyed chain accepts, in bytes.
const MinKeySize = 16

// Chain builds entries. The zero Chain hashes with plain SHA-256: anyone
// can recompute it, so it shows accidents and edits by people who do not
// bother to recompute, and a Checkpoint kept elsewhere is what shows a
// rewrite. A keyed Chain (NewChain) uses HMAC-SHA256: someone who can
// write to the database but does not hold the key cannot produce an entry
// Verify accepts, while verifying then needs the key too. See
// docs/audit.md.
//
// A Chain is safe for concurrent use, but the log is not: see Next.
type Chain struct {
	key []byte
}

// NewChain returns a chain keyed with key (nil or empty: unkeyed). A key
// must have at least MinKeySize bytes; use a key kept for the audit log
// alone, e.g. from DeriveKey.
func NewChain(key []byte) (*Chain, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	return &Chain{key: bytes.Clone(key)}, nil
}

// Keyed reports whether c hashes with a key.
func (c *Chain) Keyed() bool { return len(c.key) > 0 }

// Next returns e as the entry after prev (nil: e is the first entry): it
// sets Seq, PrevHash and Hash, puts Time in UTC truncated to the
// microsecond and Detail in canonical form (when it is JSON; Validate
// reports when it is not).
//
// prev must be the log's current head, read in the same transaction that
// inserts the result, with the log locked against other appends until it
// commits (SQLite: a write transaction; PostgreSQL: e.g. a transaction
// advisory lock or SELECT … FOR UPDATE on the head). A unique key on Seq
// turns a lost race into a failed insert rather than a fork.
func (c *Chain) Next(prev *Entry, e Entry) Entry {
	e.Seq, e.PrevHash = 1, Genesis()
	if prev != nil {
		e.Seq, e.PrevHash = prev.Seq+1, bytes.Clone(prev.Hash)
	}
	e.Time = e.Time.UTC().Truncate(time.Microsecond)
	if d, err := CanonicalDetail(e.Detail); err == nil {
		e.Detail = d
	}
	s := newHasher(c.key).sum(&e)
	e.Hash = s[:]
	return e
}

// Next is Next of the unkeyed Chain.
func Next(prev *Entry, e Entry) Entry {
	var c Chain
	return c.Next(prev, e)
}

// DeriveKey derives the audit chain's key from a longer-lived secret (e.g.
// a key of the server's key file) with HKDF-SHA256, so that the same bytes
// never serve as both an encryption key and the audit key. The secret must
// not change while the log exists: entries hashed under an old key do not
// verify under a new one.
func DeriveKey(secret []byte) ([]byte, error) {
	if err := checkKey(secret); err != nil || len(secret) == 0 {
		return nil, aicc.Errorf(aicc.KindInvalid, "audit key secret: must be at least %d bytes", MinKeySize)
	}
	k, err := hkdf.Key(sha256.New, secret, nil, "aicc audit chain v1", 32)
	if err != nil {
		return nil, aicc.Errorf(aicc.KindInternal, "derive audit key: %v", err)
	}
	return k, nil
}

// checkKey never puts the key in its error.
func checkKey(key []byte) error {
	if len(key) > 0 && len(key) < MinKeySize {
		return aicc.Errorf(aicc.KindInvalid, "audit key: %d bytes, at least %d needed", len(key), MinKeySize)
	}
	return nil
}
