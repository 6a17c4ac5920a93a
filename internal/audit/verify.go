package audit

import (
	"bytes"
	"context"
	"fmt"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Kind is the kind of tampering Verify found.
type Kind string

const (
	Edited    Kind = "edited"    // an entry's fields differ from when it was written
	Removed   Kind = "removed"   // entries are missing from the middle (or start)
	Reordered Kind = "reordered" // entries are out of order
	Inserted  Kind = "inserted"  // an entry that was never chained in, or a copy
	Truncated Kind = "truncated" // entries are missing from the end (needs a Checkpoint)
)

// Problem is the first thing wrong with a log.
type Problem struct {
	Seq     int64  `json:"seq"` // the lowest entry number affected
	Kind    Kind   `json:"kind"`
	Message string `json:"message"` // for a person
}

func (p *Problem) String() string {
	return fmt.Sprintf("entry %d %s: %s", p.Seq, p.Kind, p.Message)
}

// Report is what Verify found.
type Report struct {
	// Entries is how many entries, from entry 1, form an intact chain.
	Entries int64 `json:"entries"`
	// Head is the last of them (Seq 0 and Genesis for none): a checkpoint
	// for the next verification.
	Head  Checkpoint `json:"head"`
	Keyed bool       `json:"keyed"` // verified with a key
	// Problem is the first problem found; nil when the log is intact.
	Problem *Problem `json:"problem,omitempty"`
}

// OK reports whether no problem was found.
func (r Report) OK() bool { return r.Problem == nil }

func (r Report) String() string {
	if r.Problem == nil {
		return fmt.Sprintf("audit log intact: %d entries, head %s", r.Entries, r.Head)
	}
	intact := "no entry is intact"
	switch {
	case r.Entries == 1:
		intact = "entry 1 is intact, head " + r.Head.String()
	case r.Entries > 1:
		intact = fmt.Sprintf("entries 1 to %d are intact, head %s", r.Entries, r.Head)
	}
	return fmt.Sprintf("audit log tampered with: %s (%s)", r.Problem, intact)
}

// Options tune Verify.
type Options struct {
	// Checkpoints are heads recorded earlier. Each must still be in the
	// log, with the same hash; one beyond the log's end shows that entries
	// were cut off it.
	Checkpoints []Checkpoint
}

// lookahead is how many entries Verify reads past the first bad one to tell
// what happened to it; window is how far from where it is found an entry's
// original Seq is searched for. Both bound the work done on a bad log.
const (
	lookahead = 64
	window    = 64
)

// Verify reads src to its end (or to the first problem) and checks that it
// is one unbroken chain from entry 1: numbered 1, 2, 3, …, each entry's
// Hash matching its fields under key (nil: unkeyed), each PrevHash the
// Hash before it, and every checkpoint present with its hash. The first
// problem goes in the Report; the error is for a source that fails, a
// cancelled ctx or bad arguments, never for tampering. (A source that
// fails after a problem was found does not hide the problem: it is
// reported, named from the entries read so far.)
//
// A log with entries removed from its end, or rewritten from some entry on
// with every hash recomputed (which needs the key of a keyed log), is a
// valid chain: only a checkpoint beyond or inside the change shows it.
func Verify(ctx context.Context, src Source, key []byte, opts Options) (Report, error) {
	if err := checkKey(key); err != nil {
		return Report{}, err
	}
	v, err := newVerifier(key, opts.Checkpoints)
	if err != nil {
		return Report{}, err
	}
	var (
		bad   *Entry
		ahead []Entry
		read  int
	)
	for e, err := range src {
		if err != nil {
			if bad != nil {
				break // diagnose with what was read
			}
			return v.report(), fmt.Errorf("verify audit log after entry %d: %w", v.head.Seq, err)
		}
		if bad != nil {
			if ahead = append(ahead, e); len(ahead) == lookahead {
				break
			}
			continue
		}
		if read++; read%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return v.report(), fmt.Errorf("verify audit log after entry %d: %w", v.head.Seq, err)
			}
		}
		if !v.intact(&e) {
			b := e
			bad = &b
			continue
		}
		if v.problem = v.checkpoint(&e); v.problem != nil {
			break
		}
		v.accept(&e)
	}
	switch {
	case bad != nil:
		v.problem = v.diagnose(bad, ahead)
	case v.problem == nil:
		v.problem = v.truncated()
	}
	return v.report(), nil
}

// verifier holds the state of one verification: the intact chain so far
// and the hashes of its last entries.
type verifier struct {
	h           *hasher
	keyed       bool
	checkpoints map[int64][]byte
	head        struct {
		Seq  int64
		Hash [HashSize]byte
	}
	recent  [4 * window]recent // ring of the last intact entries, by Seq
	buf     []byte
	problem *Problem
}

type recent struct {
	seq  int64
	hash [HashSize]byte
}

func newVerifier(key []byte, cps []Checkpoint) (*verifier, error) {
	v := &verifier{h: newHasher(key), keyed: len(key) > 0, checkpoints: map[int64][]byte{}}
	for _, c := range cps {
		if err := c.validate(); err != nil {
			return nil, err
		}
		if h, ok := v.checkpoints[c.Seq]; ok && !bytes.Equal(h, c.Hash) {
			return nil, aicc.Errorf(aicc.KindInvalid, "audit checkpoints: two different hashes for entry %d", c.Seq)
		}
		if c.Seq > 0 {
			v.checkpoints[c.Seq] = c.Hash
		}
	}
	return v, nil
}

// intact reports whether e is the next entry of the chain.
func (v *verifier) intact(e *Entry) bool {
	return e.Seq == v.head.Seq+1 && bytes.Equal(e.PrevHash, v.head.Hash[:]) && v.h.valid(e)
}

// checkpoint compares an intact entry with its checkpoint, if any.
func (v *verifier) checkpoint(e *Entry) *Problem {
	want, ok := v.checkpoints[e.Seq]
	if !ok || bytes.Equal(want, e.Hash) {
		return nil
	}
	return problem(e.Seq, Edited, "entry %d has hash %x, but checkpoint %s records another: the log was changed at or before entry %d and its hashes recomputed%s, or it was cut off before entry %d and appended to since",
		e.Seq, e.Hash, Checkpoint{e.Seq, want}, e.Seq, v.rewriteHint(), e.Seq)
}

func (v *verifier) accept(e *Entry) {
	v.head.Seq = e.Seq
	copy(v.head.Hash[:], e.Hash)
	v.recent[e.Seq%int64(len(v.recent))] = recent{seq: e.Seq, hash: v.head.Hash}
}

// hashOf returns the hash of intact entry seq (Genesis for 0), if it is
// still remembered.
func (v *verifier) hashOf(seq int64) ([HashSize]byte, bool) {
	if seq == 0 {
		return [HashSize]byte{}, true
	}
	if seq < 0 || seq > v.head.Seq {
		return [HashSize]byte{}, false
	}
	r := v.recent[seq%int64(len(v.recent))]
	return r.hash, r.seq == seq
}

// truncated compares the end of an intact log with the checkpoints.
func (v *verifier) truncated() *Problem {
	var last int64
	for seq := range v.checkpoints {
		last = max(last, seq)
	}
	if last <= v.head.Seq {
		return nil
	}
	cp := Checkpoint{last, v.checkpoints[last]}
	if v.head.Seq == 0 {
		return problem(1, Truncated, "the log is empty, but checkpoint %s shows it reached entry %d: all its entries were removed", cp, last)
	}
	return problem(v.head.Seq+1, Truncated, "the log ends at entry %d, but checkpoint %s shows it reached entry %d: entries %s were removed from its end",
		v.head.Seq, cp, last, span(v.head.Seq+1, last))
}

// report reports the intact chain up to the problem, which may lie among
// entries that had looked intact (an entry found later shows that one of
// them does not belong).
func (v *verifier) report() Report {
	seq, hash := v.head.Seq, v.head.Hash
	if p := v.problem; p != nil && p.Seq <= seq {
		if h, ok := v.hashOf(p.Seq - 1); ok {
			seq, hash = p.Seq-1, h
		}
	}
	return Report{Entries: seq, Head: Checkpoint{Seq: seq, Hash: hash[:]}, Keyed: v.keyed, Problem: v.problem}
}

// rewriteHint says who can recompute hashes.
func (v *verifier) rewriteHint() string {
	if v.keyed {
		return " (which needs the key: treat it as compromised)"
	}
	return " (the log has no key, so anyone who can write to it can do this)"
}

func problem(seq int64, kind Kind, format string, args ...any) *Problem {
	return &Problem{Seq: seq, Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// span names entries from to to.
func span(from, to int64) string {
	if from == to {
		return fmt.Sprint(from)
	}
	return fmt.Sprintf("%d to %d", from, to)
}
