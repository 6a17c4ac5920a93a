package audit

import (
	"bytes"
	"crypto/hmac"
	"encoding/binary"
	"fmt"
	"time"
)

// diagnose names what happened at bad, the first entry that is not the next
// entry of the chain, from its fields, the intact entries before it and
// the entries after it (ahead).
//
// The key fact is an entry's identity: the Seq under which its hash
// matches its other fields (see identify). An entry whose identity is its
// own Seq was written as it is; one whose identity is another Seq was
// renumbered; one without an identity was changed.
func (v *verifier) diagnose(bad *Entry, ahead []Entry) *Problem {
	x := v.head.Seq + 1 // the entry that should have come
	s := v.identify(bad, x)
	switch {
	case s == x && bad.Seq != x:
		return problem(x, Edited, "entry %d is numbered %d: its number was changed", x, bad.Seq)
	case s == x && x == 1:
		return problem(1, Edited, "entry 1 does not start from the genesis value: the start of the log was rewritten%s", v.rewriteHint())
	case s == x:
		return problem(x-1, Edited, "entry %d was written after a different entry %d: entry %d was replaced, or entry %d forged, and its hash recomputed%s",
			x, x-1, x-1, x, v.rewriteHint())
	case s > x:
		return v.missing(x, s, bad, ahead)
	case s > 0:
		return v.earlier(x, s, bad, ahead)
	}
	// No identity: bad's fields were changed, or it was forged.
	ids := v.identities(ahead, x)
	if i := index(ids, x, x); i >= 0 {
		return problem(x, Inserted, "the entry numbered %d %s does not belong to the chain (its hash does not match its fields), and the real entry %d follows it%s: it was inserted",
			bad.Seq, after(x), x, renumbered(ahead[i].Seq, x))
	}
	switch {
	case bad.Seq > x:
		return v.missing(x, bad.Seq, bad, ahead)
	case bad.Seq < x:
		return problem(x, Inserted, "the entry numbered %d %s matches no entry of the chain: it was inserted", bad.Seq, after(x))
	}
	return v.edited(bad)
}

// missing explains bad, written as entry s > x, standing where entry x
// should be: entries x to s-1 are later in the log, or gone.
func (v *verifier) missing(x, s int64, bad *Entry, ahead []Entry) *Problem {
	ids := v.identities(ahead, x)
	i := index(ids, x, x)
	if i < 0 {
		i = index(ids, x, s-1)
	}
	if i >= 0 {
		if bad.Seq == s {
			return problem(x, Reordered, "entry %d comes before entry %d%s: entries are out of order", s, ids[i], renumbered(ahead[i].Seq, ids[i]))
		}
		return problem(x, Reordered, "the entry numbered %d was written as entry %d, and entry %d comes after it%s: entries were swapped or moved",
			bad.Seq, s, ids[i], renumbered(ahead[i].Seq, ids[i]))
	}
	what := fmt.Sprintf("entry %d is", x)
	if s-x > 1 {
		what = fmt.Sprintf("entries %s are", span(x, s-1))
	}
	msg := fmt.Sprintf("%s missing: entry %d is followed by entry %d", what, x-1, s)
	if x == 1 {
		msg = fmt.Sprintf("%s missing: the log starts with entry %d", what, s)
	}
	if bad.Seq != s {
		msg += fmt.Sprintf(", numbered %d (the entries after the gap were renumbered)", bad.Seq)
	}
	return problem(x, Removed, "%s", msg)
}

// earlier explains bad, written as entry s < x, standing where entry x
// should be: it is a copy of s, a second entry s, or out of order.
func (v *verifier) earlier(x, s int64, bad *Entry, ahead []Entry) *Problem {
	if h, ok := v.hashOf(s); ok && bytes.Equal(h[:], bad.Hash) {
		return problem(x, Inserted, "after entry %d comes a copy of entry %d", x-1, s)
	}
	if ph, ok := v.hashOf(s - 1); ok && bytes.Equal(ph[:], bad.PrevHash) {
		which := "one of them was inserted"
		if len(ahead) > 0 && bytes.Equal(ahead[0].PrevHash, bad.Hash) {
			which = "the first was inserted, for the entry after the second chains to it"
		}
		return problem(s, Inserted, "there are two different entries %d, both written after entry %d: %s%s", s, s-1, which, v.rewriteHint())
	}
	return problem(x, Reordered, "after entry %d comes entry %d: entries are out of order", x-1, s)
}

// edited explains bad, numbered x and without identity.
func (v *verifier) edited(bad *Entry) *Problem {
	why := "its hash does not match its fields"
	switch {
	case len(bad.Hash) != HashSize:
		why = fmt.Sprintf("its hash has %d bytes, not %d", len(bad.Hash), HashSize)
	case bad.Time.Nanosecond()%int(time.Microsecond) != 0:
		why = "its time has a part finer than a microsecond, which no entry is written with"
	}
	msg := fmt.Sprintf("entry %d (%q) was changed after it was written: %s", bad.Seq, clip(bad.Action), why)
	if v.keyed {
		msg += ", or it was written without the key"
	}
	if bad.Seq == 1 {
		switch {
		case v.keyed && newHasher(nil).valid(bad):
			msg = "entry 1 is hashed without a key, but a key was given: the log was written without a key, or rewritten by someone without it"
		case v.keyed:
			msg += "; if every entry fails like this, the key is wrong"
		default:
			msg += "; if the log was written with a key, verify it with that key"
		}
	}
	return problem(bad.Seq, Edited, "%s", msg)
}

// identify returns e's identity: the Seq under which its hash matches its
// other fields, searched at e.Seq, at x and within window of either; 0
// when none matches.
func (v *verifier) identify(e *Entry, x int64) int64 {
	if len(e.Hash) != HashSize || e.Time.Nanosecond()%int(time.Microsecond) != 0 {
		return 0
	}
	v.buf = appendEncoding(v.buf[:0], e)
	matches := func(s int64) bool {
		if s < 1 {
			return false
		}
		binary.BigEndian.PutUint64(v.buf[seqOffset:], uint64(s))
		sum := v.h.sumOf(v.buf)
		return hmac.Equal(sum[:], e.Hash)
	}
	if matches(e.Seq) {
		return e.Seq
	}
	if matches(x) {
		return x
	}
	for d := int64(1); d <= window; d++ {
		for _, s := range [...]int64{e.Seq - d, e.Seq + d, x - d, x + d} {
			if matches(s) {
				return s
			}
		}
	}
	return 0
}

func (v *verifier) identities(entries []Entry, x int64) []int64 {
	ids := make([]int64, len(entries))
	for i := range entries {
		ids[i] = v.identify(&entries[i], x)
	}
	return ids
}

// index returns the index of the first id in [lo, hi], or -1.
func index(ids []int64, lo, hi int64) int {
	for i, id := range ids {
		if id >= lo && id <= hi {
			return i
		}
	}
	return -1
}

// renumbered notes an entry stored under a number other than its own.
func renumbered(stored, id int64) string {
	if stored == id {
		return ""
	}
	return fmt.Sprintf(" (numbered %d)", stored)
}

// after says where entry x belongs.
func after(x int64) string {
	if x == 1 {
		return "at the start of the log"
	}
	return fmt.Sprintf("after entry %d", x-1)
}
