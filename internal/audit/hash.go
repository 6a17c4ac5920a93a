package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"time"
)

// HashSize is the length of Hash and PrevHash, in bytes.
const HashSize = sha256.Size

// Genesis returns the PrevHash of entry 1: 32 zero bytes.
func Genesis() []byte { return make([]byte, HashSize) }

// encodingTag starts every encoding, so that no other use of SHA-256 or of
// the key produces an input that is also an entry's, and so that a new
// encoding can take a new tag.
const encodingTag = "aicc.audit.entry.v1"

// seqOffset is where Seq's 8 bytes sit in an encoding: after the tag and
// its length.
const seqOffset = 8 + len(encodingTag)

// appendEncoding appends the canonical encoding of every field of e but
// Hash: the tag, Seq and Time (Unix microseconds) as 8-byte big-endian
// integers, then each string and byte field as an 8-byte big-endian length
// followed by its bytes. Fixed widths and length prefixes make it
// unambiguous: no two different entries share an encoding, however their
// fields' bytes are split.
func appendEncoding(b []byte, e *Entry) []byte {
	b = appendField(b, []byte(encodingTag))
	b = binary.BigEndian.AppendUint64(b, uint64(e.Seq))
	b = binary.BigEndian.AppendUint64(b, uint64(e.Time.UnixMicro()))
	for _, s := range [...]string{e.ActorUserID, e.ActorOrgID, e.TokenID, e.Action, e.ObjectKind, e.ObjectID} {
		b = appendField(b, []byte(s))
	}
	b = appendField(b, e.Detail)
	return appendField(b, e.PrevHash)
}

func appendField(b, v []byte) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(v)))
	return append(b, v...)
}

// hasher hashes encodings, with or without a key. It is not safe for
// concurrent use.
type hasher struct {
	h   hash.Hash
	buf []byte // the last encoding
	out []byte // the last sum: a field, so that Sum does not allocate
}

func newHasher(key []byte) *hasher {
	if len(key) == 0 {
		return &hasher{h: sha256.New()}
	}
	return &hasher{h: hmac.New(sha256.New, key)}
}

// sum returns the hash e should carry.
func (h *hasher) sum(e *Entry) [HashSize]byte {
	h.buf = appendEncoding(h.buf[:0], e)
	return h.sumOf(h.buf)
}

func (h *hasher) sumOf(enc []byte) (s [HashSize]byte) {
	h.h.Reset()
	h.h.Write(enc)
	h.out = h.h.Sum(h.out[:0])
	copy(s[:], h.out)
	return s
}

// valid reports whether e carries the hash of its own fields. An entry
// whose Time has a part finer than a microsecond was changed after Next
// truncated it (the hash covers microseconds only).
func (h *hasher) valid(e *Entry) bool {
	if len(e.Hash) != HashSize || e.Time.Nanosecond()%int(time.Microsecond) != 0 {
		return false
	}
	s := h.sum(e)
	return hmac.Equal(s[:], e.Hash)
}
