package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

var base = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// testChain returns a chain keyed with testKey or unkeyed.
func testChain(t testing.TB, keyed bool) *Chain {
	t.Helper()
	if !keyed {
		return &Chain{}
	}
	c, err := NewChain(testKey)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func keyOf(c *Chain) []byte { return c.key }

// draft returns the i-th entry of a test log, before Next.
func draft(i int) Entry {
	actions := []string{"submission.create", "evidence.read", "token.use", "finding.confirm", "advisory.export"}
	return Entry{
		Time:        base.Add(time.Duration(i)*time.Second + 1234567*time.Nanosecond),
		ActorUserID: fmt.Sprintf("usr_%016d", i%3),
		ActorOrgID:  fmt.Sprintf("org_%016d", i%2),
		TokenID:     fmt.Sprintf("tok_%016d", i%5),
		Action:      actions[i%len(actions)],
		ObjectKind:  "submission",
		ObjectID:    fmt.Sprintf("sub_%016d", i%7),
		Detail:      json.RawMessage(fmt.Sprintf(`{"state": "triaged", "n": %d}`, i)),
	}
}

// build returns a log of n entries.
func build(t testing.TB, c *Chain, n int) []Entry {
	t.Helper()
	log := make([]Entry, 0, n)
	for i := range n {
		var prev *Entry
		if i > 0 {
			prev = &log[i-1]
		}
		log = append(log, c.Next(prev, draft(i)))
	}
	return log
}

// clone deep-copies a log, so tampering leaves the original alone.
func clone(log []Entry) []Entry {
	out := make([]Entry, len(log))
	for i, e := range log {
		e.Detail = bytes.Clone(e.Detail)
		e.PrevHash = bytes.Clone(e.PrevHash)
		e.Hash = bytes.Clone(e.Hash)
		out[i] = e
	}
	return out
}

// at returns the index of entry seq in an untampered log.
func at(seq int64) int { return int(seq - 1) }

// rehash recomputes e's hash with c, as someone with write access (and,
// for a keyed c, the key) could.
func rehash(c *Chain, e *Entry) {
	s := newHasher(c.key).sum(e)
	e.Hash = s[:]
}

// renumber adds delta to the Seq of log[from:], leaving hashes alone, as a
// database UPDATE would.
func renumber(log []Entry, from int, delta int64) {
	for i := from; i < len(log); i++ {
		log[i].Seq += delta
	}
}

// swapContents exchanges every field but Seq of two entries: what swapping
// two rows of a table keyed by Seq looks like when read back.
func swapContents(log []Entry, i, j int) {
	si, sj := log[i].Seq, log[j].Seq
	log[i], log[j] = log[j], log[i]
	log[i].Seq, log[j].Seq = si, sj
}

// forge builds an entry chained after prev with c (the forger's chain).
func forge(c *Chain, prev *Entry) Entry {
	e := draft(999)
	e.Action = "finding.reject"
	return c.Next(prev, e)
}

func insert(log []Entry, i int, e Entry) []Entry { return slices.Insert(log, i, e) }
