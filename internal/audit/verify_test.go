package audit

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

const n = 100

type mode int

const (
	both mode = iota
	unkeyedOnly
	keyedOnly
)

type want struct {
	seq     int64
	kind    Kind
	message string // a part of Problem.Message
}

var intact = want{}

func checkpointAt(seq int64) func([]Entry) []Checkpoint {
	return func(orig []Entry) []Checkpoint {
		return []Checkpoint{{Seq: seq, Hash: orig[at(seq)].Hash}}
	}
}

func TestVerifyTampering(t *testing.T) {
	tests := []struct {
		name        string
		mode        mode
		tamper      func(log []Entry, c *Chain) []Entry
		checkpoints func(orig []Entry) []Checkpoint
		want        want
		wantEntries int64 // intact entries reported; 0: want.seq-1 (n when intact)
	}{
		{name: "untampered", tamper: func(log []Entry, _ *Chain) []Entry { return log }, want: intact},
		{name: "untampered, checkpoint at head", checkpoints: checkpointAt(n), want: intact},
		{name: "untampered, checkpoint inside", checkpoints: checkpointAt(40), want: intact},

		// Edited fields.
		{name: "edit action", tamper: edit(50, func(e *Entry) { e.Action = "submission.delete" }),
			want: want{50, Edited, `entry 50 ("submission.delete") was changed after it was written: its hash does not match its fields`}},
		{name: "edit detail", tamper: edit(50, func(e *Entry) { e.Detail = json.RawMessage(`{"n":49,"state":"withdrawn"}`) }),
			want: want{50, Edited, "its hash does not match its fields"}},
		{name: "edit detail to an equal but non-canonical form", tamper: edit(50, func(e *Entry) { e.Detail = json.RawMessage(`{"state":"triaged","n":49}`) }),
			want: want{50, Edited, "its hash does not match its fields"}},
		{name: "edit time by a microsecond", tamper: edit(50, func(e *Entry) { e.Time = e.Time.Add(time.Microsecond) }),
			want: want{50, Edited, "its hash does not match its fields"}},
		{name: "edit time below a microsecond", tamper: edit(50, func(e *Entry) { e.Time = e.Time.Add(time.Nanosecond) }),
			want: want{50, Edited, "finer than a microsecond"}},
		{name: "edit actor", tamper: edit(50, func(e *Entry) { e.ActorUserID = "usr_someoneelse000" }),
			want: want{50, Edited, "was changed"}},
		{name: "edit org", tamper: edit(50, func(e *Entry) { e.ActorOrgID = "" }),
			want: want{50, Edited, "was changed"}},
		{name: "edit token", tamper: edit(50, func(e *Entry) { e.TokenID = "tok_x" }),
			want: want{50, Edited, "was changed"}},
		{name: "edit object", tamper: edit(50, func(e *Entry) { e.ObjectID = "sub_other" }),
			want: want{50, Edited, "was changed"}},
		{name: "move bytes between two fields", tamper: edit(50, func(e *Entry) { e.ObjectKind, e.ObjectID = e.ObjectKind+e.ObjectID[:4], e.ObjectID[4:] }),
			want: want{50, Edited, "was changed"}},
		{name: "edit prev hash", tamper: edit(50, func(e *Entry) { e.PrevHash[0] ^= 1 }),
			want: want{50, Edited, "was changed"}},
		{name: "edit hash", tamper: edit(50, func(e *Entry) { e.Hash[31] ^= 1 }),
			want: want{50, Edited, "its hash does not match its fields"}},
		{name: "cut hash", tamper: edit(50, func(e *Entry) { e.Hash = e.Hash[:16] }),
			want: want{50, Edited, "its hash has 16 bytes, not 32"}},
		{name: "edit seq", tamper: edit(50, func(e *Entry) { e.Seq = 77 }),
			want: want{50, Edited, "entry 50 is numbered 77: its number was changed"}},
		{name: "edit first entry", mode: unkeyedOnly, tamper: edit(1, func(e *Entry) { e.ObjectID = "x" }),
			want: want{1, Edited, "if the log was written with a key, verify it with that key"}},
		{name: "edit last entry", tamper: edit(n, func(e *Entry) { e.Action = "token.revoke" }),
			want: want{n, Edited, "was changed"}},

		// Removed entries.
		{name: "remove one", tamper: remove(50, 50),
			want: want{50, Removed, "entry 50 is missing: entry 49 is followed by entry 51"}},
		{name: "remove three", tamper: remove(50, 52),
			want: want{50, Removed, "entries 50 to 52 are missing: entry 49 is followed by entry 53"}},
		{name: "remove the first", tamper: remove(1, 1),
			want: want{1, Removed, "entry 1 is missing: the log starts with entry 2"}},
		{name: "remove one and renumber the rest", tamper: func(log []Entry, _ *Chain) []Entry {
			log = remove(50, 50)(log, nil)
			renumber(log, at(50), -1)
			return log
		}, want: want{50, Removed, "entry 50 is missing: entry 49 is followed by entry 51, numbered 50 (the entries after the gap were renumbered)"}},

		// Reordered entries.
		{name: "swap neighbours", tamper: swap(50, 51),
			want: want{50, Reordered, "entry 51 comes before entry 50: entries are out of order"}},
		{name: "swap distant", tamper: swap(50, 60),
			want: want{50, Reordered, "entry 60 comes before entry 50"}},
		{name: "swap the first two", tamper: swap(1, 2),
			want: want{1, Reordered, "entry 2 comes before entry 1"}},
		{name: "move one to the end", tamper: func(log []Entry, _ *Chain) []Entry {
			e := log[at(50)]
			return append(append(log[:at(50)], log[at(51):]...), e)
		}, want: want{50, Reordered, "entry 51 comes before entry 50"}},
		{name: "renumber one past the end, read in order", tamper: func(log []Entry, _ *Chain) []Entry {
			e := log[at(50)]
			e.Seq = 1000
			return append(append(log[:at(50)], log[at(51):]...), e)
		}, want: want{50, Reordered, "entry 51 comes before entry 50 (numbered 1000): entries are out of order"}},
		{name: "move one far", tamper: func(log []Entry, _ *Chain) []Entry {
			e := log[at(20)] // 80 entries on: beyond what Verify looks ahead
			return append(append(log[:at(20)], log[at(21):]...), e)
		}, want: want{20, Removed, "entry 20 is missing: entry 19 is followed by entry 21"}},
		{name: "swap the contents of two rows", tamper: func(log []Entry, _ *Chain) []Entry {
			swapContents(log, at(50), at(51))
			return log
		}, want: want{50, Reordered, "the entry numbered 50 was written as entry 51, and entry 50 comes after it (numbered 51): entries were swapped or moved"}},
		{name: "swap the contents of distant rows", tamper: func(log []Entry, _ *Chain) []Entry {
			swapContents(log, at(50), at(70))
			return log
		}, want: want{50, Reordered, "the entry numbered 50 was written as entry 70, and entry 50 comes after it (numbered 70)"}},

		// Inserted entries.
		{name: "duplicate one", tamper: func(log []Entry, _ *Chain) []Entry { return insert(log, at(51), log[at(50)]) },
			want: want{51, Inserted, "after entry 50 comes a copy of entry 50"}},
		{name: "insert forged, numbers shared", mode: unkeyedOnly, tamper: func(log []Entry, _ *Chain) []Entry {
			return insert(log, at(51), forge(&Chain{}, &log[at(50)]))
		}, want: want{51, Inserted, "there are two different entries 51, both written after entry 50: the first was inserted"}},
		{name: "insert forged, numbers shared", mode: keyedOnly, tamper: func(log []Entry, _ *Chain) []Entry {
			return insert(log, at(51), forge(&Chain{}, &log[at(50)]))
		}, want: want{51, Inserted, "the entry numbered 51 after entry 50 does not belong to the chain (its hash does not match its fields), and the real entry 51 follows it: it was inserted"}},
		{name: "insert forged, rest renumbered", mode: unkeyedOnly, tamper: func(log []Entry, _ *Chain) []Entry {
			f := forge(&Chain{}, &log[at(50)])
			renumber(log, at(51), 1)
			return insert(log, at(51), f)
		}, want: want{51, Inserted, "there are two different entries 51, both written after entry 50: the first was inserted"}},
		{name: "insert forged, rest renumbered", mode: keyedOnly, tamper: func(log []Entry, _ *Chain) []Entry {
			f := forge(&Chain{}, &log[at(50)])
			renumber(log, at(51), 1)
			return insert(log, at(51), f)
		}, want: want{51, Inserted, "the real entry 51 follows it (numbered 52): it was inserted"}},
		{name: "insert forged at the start", mode: keyedOnly, tamper: func(log []Entry, _ *Chain) []Entry {
			f := forge(&Chain{}, nil)
			renumber(log, 0, 1)
			return insert(log, 0, f)
		}, want: want{1, Inserted, "the entry numbered 1 at the start of the log does not belong to the chain (its hash does not match its fields), and the real entry 1 follows it (numbered 2)"}},
		{name: "append forged", mode: keyedOnly, tamper: func(log []Entry, _ *Chain) []Entry {
			return append(log, forge(&Chain{}, &log[n-1]))
		}, want: want{n + 1, Edited, `entry 101 ("finding.reject") was changed after it was written: its hash does not match its fields, or it was written without the key`}},
		{name: "append forged (undetectable without a key)", mode: unkeyedOnly, tamper: func(log []Entry, _ *Chain) []Entry {
			return append(log, forge(&Chain{}, &log[n-1]))
		}, checkpoints: checkpointAt(n), want: intact, wantEntries: n + 1},

		// Rewritten entries, hashes recomputed.
		{name: "edit and recompute without the key", mode: keyedOnly, tamper: func(log []Entry, _ *Chain) []Entry {
			log[at(50)].Action = "submission.delete"
			rehash(&Chain{}, &log[at(50)])
			return log
		}, want: want{50, Edited, "or it was written without the key"}},
		{name: "edit and recompute", mode: unkeyedOnly, tamper: func(log []Entry, c *Chain) []Entry {
			log[at(50)].Action = "submission.delete"
			rehash(c, &log[at(50)])
			return log
		}, want: want{50, Edited, "entry 51 was written after a different entry 50: entry 50 was replaced, or entry 51 forged, and its hash recomputed (the log has no key"}},
		{name: "edit and recompute with the key", mode: keyedOnly, tamper: func(log []Entry, c *Chain) []Entry {
			log[at(50)].Action = "submission.delete"
			rehash(c, &log[at(50)])
			return log
		}, want: want{50, Edited, "entry 50 was replaced, or entry 51 forged, and its hash recomputed (which needs the key: treat it as compromised)"}},
		{name: "rewrite the tail", tamper: rewriteFrom(50), want: intact},
		{name: "rewrite the tail, checkpoint inside it", tamper: rewriteFrom(50), checkpoints: checkpointAt(60),
			want: want{60, Edited, "but checkpoint 60:"}},
		{name: "rewrite the tail, checkpoint before it", tamper: rewriteFrom(50), checkpoints: checkpointAt(49), want: intact},
		{name: "rewrite from the start", mode: unkeyedOnly, tamper: func(log []Entry, c *Chain) []Entry {
			log[0].PrevHash[0] = 1
			for i := range log {
				if i > 0 {
					log[i].PrevHash = log[i-1].Hash
				}
				rehash(c, &log[i])
			}
			return log
		}, want: want{1, Edited, "entry 1 does not start from the genesis value"}},

		// Truncated logs.
		{name: "truncate, no checkpoint", tamper: truncate(94), want: intact, wantEntries: 94},
		{name: "truncate, checkpoint at old head", tamper: truncate(94), checkpoints: checkpointAt(n),
			want: want{95, Truncated, "the log ends at entry 94, but checkpoint 100:"}},
		{name: "truncate, checkpoint names the range", tamper: truncate(94), checkpoints: checkpointAt(n),
			want: want{95, Truncated, "entries 95 to 100 were removed from its end"}},
		{name: "truncate, checkpoint before the cut", tamper: truncate(94), checkpoints: checkpointAt(90), want: intact, wantEntries: 94},
		{name: "truncate to nothing, checkpoint", tamper: truncate(0), checkpoints: checkpointAt(3),
			want: want{1, Truncated, "the log is empty, but checkpoint 3:"}},
		{name: "truncate, then append", tamper: func(log []Entry, c *Chain) []Entry {
			log = log[:94]
			for i := range 10 {
				log = append(log, c.Next(&log[len(log)-1], draft(1000+i)))
			}
			return log
		}, checkpoints: checkpointAt(n), want: want{n, Edited, "or it was cut off before entry 100 and appended to since"}},
	}
	for _, tt := range tests {
		for _, keyed := range []bool{false, true} {
			if (tt.mode == unkeyedOnly && keyed) || (tt.mode == keyedOnly && !keyed) {
				continue
			}
			name := tt.name + map[bool]string{false: "/unkeyed", true: "/keyed"}[keyed]
			t.Run(name, func(t *testing.T) {
				c := testChain(t, keyed)
				orig := build(t, c, n)
				log := clone(orig)
				if tt.tamper != nil {
					log = tt.tamper(log, c)
				}
				var opts Options
				if tt.checkpoints != nil {
					opts.Checkpoints = tt.checkpoints(orig)
				}
				r, err := Verify(t.Context(), Entries(log), keyOf(c), opts)
				if err != nil {
					t.Fatal(err)
				}
				assertReport(t, r, tt.want, tt.wantEntries, keyed)
			})
		}
	}
}

func assertReport(t *testing.T, r Report, w want, entries int64, keyed bool) {
	t.Helper()
	if r.Keyed != keyed {
		t.Errorf("Keyed = %v, want %v", r.Keyed, keyed)
	}
	if w == intact {
		if r.Problem != nil {
			t.Fatalf("got problem %s, want an intact log", r.Problem)
		}
		if entries == 0 {
			entries = n
		}
	} else {
		if r.Problem == nil {
			t.Fatalf("got an intact log (%s), want entry %d %s", r, w.seq, w.kind)
		}
		if r.Problem.Seq != w.seq || r.Problem.Kind != w.kind || !strings.Contains(r.Problem.Message, w.message) {
			t.Fatalf("got problem:\n  %s\nwant entry %d %s containing:\n  %s", r.Problem, w.seq, w.kind, w.message)
		}
		if entries == 0 {
			entries = w.seq - 1
		}
	}
	if r.Entries != entries || r.Head.Seq != entries {
		t.Errorf("Entries = %d, Head = %s, want %d intact entries", r.Entries, r.Head, entries)
	}
}

func edit(seq int64, f func(*Entry)) func([]Entry, *Chain) []Entry {
	return func(log []Entry, _ *Chain) []Entry {
		f(&log[at(seq)])
		return log
	}
}

func remove(from, to int64) func([]Entry, *Chain) []Entry {
	return func(log []Entry, _ *Chain) []Entry { return append(log[:at(from)], log[at(to)+1:]...) }
}

func swap(a, b int64) func([]Entry, *Chain) []Entry {
	return func(log []Entry, _ *Chain) []Entry {
		log[at(a)], log[at(b)] = log[at(b)], log[at(a)]
		return log
	}
}

func truncate(keep int) func([]Entry, *Chain) []Entry {
	return func(log []Entry, _ *Chain) []Entry { return log[:keep] }
}

// rewriteFrom changes entry seq and recomputes it and every later entry
// with the log's own chain: what someone holding the key (or anyone, for an
// unkeyed log) can do.
func rewriteFrom(seq int64) func([]Entry, *Chain) []Entry {
	return func(log []Entry, c *Chain) []Entry {
		log[at(seq)].Action = "submission.delete"
		for i := at(seq); i < len(log); i++ {
			log[i].PrevHash = log[i-1].Hash
			rehash(c, &log[i])
		}
		return log
	}
}

func TestVerifyKeys(t *testing.T) {
	keyed := build(t, testChain(t, true), 10)
	unkeyed := build(t, testChain(t, false), 10)
	other := []byte("another key, long enough for it")
	tests := []struct {
		name string
		log  []Entry
		key  []byte
		want want
	}{
		{"keyed log, right key", keyed, testKey, intact},
		{"unkeyed log, no key", unkeyed, nil, intact},
		{"keyed log, no key", keyed, nil, want{1, Edited, "if the log was written with a key, verify it with that key"}},
		{"keyed log, wrong key", keyed, other, want{1, Edited, "if every entry fails like this, the key is wrong"}},
		{"unkeyed log, a key", unkeyed, testKey, want{1, Edited, "entry 1 is hashed without a key, but a key was given"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Verify(t.Context(), Entries(tt.log), tt.key, Options{})
			if err != nil {
				t.Fatal(err)
			}
			entries := int64(0)
			if tt.want == intact {
				entries = 10
			}
			if r.Problem == nil && tt.want != intact || r.Problem != nil && (r.Problem.Kind != tt.want.kind || r.Problem.Seq != tt.want.seq || !strings.Contains(r.Problem.Message, tt.want.message)) {
				t.Fatalf("got %s, want %+v", r, tt.want)
			}
			if r.Entries != entries {
				t.Errorf("Entries = %d, want %d", r.Entries, entries)
			}
		})
	}
}

func TestVerifyReport(t *testing.T) {
	log := build(t, testChain(t, false), 3)
	r, err := Verify(t.Context(), Entries(log), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Head.String() != (Checkpoint{3, log[2].Hash}).String() {
		t.Fatalf("report %s: want intact with head 3:%x", r, log[2].Hash)
	}
	if got, want := r.String(), "audit log intact: 3 entries, head 3:"; !strings.HasPrefix(got, want) {
		t.Errorf("String() = %q, want prefix %q", got, want)
	}
	j, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"entries":3,"head":"3:` + r.Head.String()[2:] + `","keyed":false}`; string(j) != want {
		t.Errorf("JSON = %s, want %s", j, want)
	}

	empty, err := Verify(t.Context(), Entries(nil), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !empty.OK() || empty.Entries != 0 || empty.Head.String() != "0:"+strings.Repeat("00", HashSize) {
		t.Errorf("empty log: %s", empty)
	}

	log[1].Action = "token.revoke"
	bad, err := Verify(t.Context(), Entries(log), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	j, err = json.Marshal(bad)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(j, &back); err != nil || back.String() != bad.String() {
		t.Fatalf("report %s round-trips through JSON %s to %s, %v", bad, j, back, err)
	}
	if got := bad.String(); !strings.HasPrefix(got, `audit log tampered with: entry 2 edited: entry 2 ("token.revoke") was changed`) ||
		!strings.HasSuffix(got, "(entry 1 is intact, head 1:"+Checkpoint{1, log[0].Hash}.String()[2:]+")") {
		t.Errorf("String() = %q", got)
	}
}

func TestVerifyErrors(t *testing.T) {
	log := build(t, testChain(t, false), 2048)
	boom := errors.New("disk on fire")
	failing := func(yield func(Entry, error) bool) {
		for _, e := range log[:5] {
			if !yield(e, nil) {
				return
			}
		}
		yield(Entry{}, boom)
	}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		src  Source
		key  []byte
		opts Options
		is   error
		kind aicc.ErrorKind
	}{
		{name: "short key", src: Entries(log), key: []byte("short"), kind: aicc.KindInvalid},
		{name: "checkpoint without hash", src: Entries(log), opts: Options{Checkpoints: []Checkpoint{{Seq: 3}}}, kind: aicc.KindInvalid},
		{name: "checkpoint with negative seq", src: Entries(log), opts: Options{Checkpoints: []Checkpoint{{Seq: -1, Hash: Genesis()}}}, kind: aicc.KindInvalid},
		{name: "checkpoint 0 not genesis", src: Entries(log), opts: Options{Checkpoints: []Checkpoint{{Seq: 0, Hash: log[0].Hash}}}, kind: aicc.KindInvalid},
		{name: "conflicting checkpoints", src: Entries(log), opts: Options{Checkpoints: []Checkpoint{{3, log[2].Hash}, {3, log[3].Hash}}}, kind: aicc.KindInvalid},
		{name: "source fails", src: failing, is: boom},
		{name: "cancelled", ctx: cancelled, src: Entries(log), is: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = t.Context()
			}
			_, err := Verify(ctx, tt.src, tt.key, tt.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v, want %v", err, tt.is)
			}
			if tt.kind != "" && aicc.KindOf(err) != tt.kind {
				t.Errorf("error %v of kind %s, want %s", err, aicc.KindOf(err), tt.kind)
			}
		})
	}
}

func TestVerifySourceFailsAfterProblem(t *testing.T) {
	log := build(t, testChain(t, false), 10)
	src := func(yield func(Entry, error) bool) {
		for i, e := range log {
			if i == 4 {
				continue // entry 5 removed
			}
			if i == 6 {
				yield(Entry{}, errors.New("connection lost"))
				return
			}
			if !yield(e, nil) {
				return
			}
		}
	}
	r, err := Verify(t.Context(), src, nil, Options{})
	if err != nil {
		t.Fatalf("error %v: the problem found before the source failed should be reported", err)
	}
	if r.Problem == nil || r.Problem.Kind != Removed || r.Problem.Seq != 5 {
		t.Fatalf("got %s, want entry 5 removed", r)
	}
}
