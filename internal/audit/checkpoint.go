package audit

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Checkpoint is an entry's Seq and Hash, recorded outside the log: the head
// a previous `aicc audit verify` printed, kept in a ticket, a mail or
// another system. A chain cannot show that entries were removed from its
// end; a checkpoint that is no longer in the log can. It is written
// "SEQ:HEX", e.g. "42:9f86d0…".
type Checkpoint struct {
	Seq  int64
	Hash []byte
}

func (c Checkpoint) String() string {
	return strconv.FormatInt(c.Seq, 10) + ":" + hex.EncodeToString(c.Hash)
}

// MarshalText writes "SEQ:HEX".
func (c Checkpoint) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads what MarshalText writes.
func (c *Checkpoint) UnmarshalText(b []byte) error {
	p, err := ParseCheckpoint(string(b))
	if err != nil {
		return err
	}
	*c = p
	return nil
}

// ParseCheckpoint reads "SEQ:HEX": a Seq of 0 or more and a hash of
// HashSize bytes in hexadecimal.
func ParseCheckpoint(s string) (Checkpoint, error) {
	seq, h, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return Checkpoint{}, aicc.Errorf(aicc.KindInvalid, "audit checkpoint %q: want SEQ:HASH, as `aicc audit verify` prints it", clip(s))
	}
	n, err := strconv.ParseInt(seq, 10, 64)
	if err != nil || strings.Trim(seq, "0123456789") != "" || (seq != "0" && seq[0] == '0') {
		return Checkpoint{}, aicc.Errorf(aicc.KindInvalid, "audit checkpoint %q: the sequence number must be a whole number, 0 or more", clip(s))
	}
	hash, err := hex.DecodeString(h)
	if err != nil || len(hash) != HashSize {
		return Checkpoint{}, aicc.Errorf(aicc.KindInvalid, "audit checkpoint %q: the hash must be %d hexadecimal digits", clip(s), 2*HashSize)
	}
	return Checkpoint{Seq: n, Hash: hash}, nil
}

func (c Checkpoint) validate() error {
	if c.Seq < 0 || len(c.Hash) != HashSize {
		return aicc.Errorf(aicc.KindInvalid, "audit checkpoint %s: needs a sequence number of 0 or more and a %d-byte hash", c, HashSize)
	}
	if c.Seq == 0 && c.String() != (Checkpoint{Hash: Genesis()}).String() {
		return aicc.Errorf(aicc.KindInvalid, "audit checkpoint %s: the only checkpoint of entry 0 is the genesis value", c)
	}
	return nil
}

// clip keeps an echoed input short.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
