package audit

import (
	"bytes"
	"encoding/json"
	"testing"
)

// serialize writes a log as JSON lines, the way an export would.
func serialize(t testing.TB, log []Entry) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, e := range log {
		if err := enc.Encode(e); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// deserialize reads JSON lines back; ok is false when they do not parse.
func deserialize(data []byte) (log []Entry, ok bool) {
	for line := range bytes.Lines(data) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, false
		}
		log = append(log, e)
	}
	return log, true
}

func sameEntry(a, b *Entry) bool {
	return a.Seq == b.Seq && a.Time.Equal(b.Time) && a.ActorUserID == b.ActorUserID && a.ActorOrgID == b.ActorOrgID &&
		a.TokenID == b.TokenID && a.Action == b.Action && a.ObjectKind == b.ObjectKind && a.ObjectID == b.ObjectID &&
		bytes.Equal(a.Detail, b.Detail) && bytes.Equal(a.PrevHash, b.PrevHash) && bytes.Equal(a.Hash, b.Hash)
}

// mutate applies one mutation to a serialized log: a byte replaced,
// deleted or inserted, or a line deleted, swapped with another or
// duplicated.
func mutate(data []byte, op uint8, pos, pos2 uint16, val byte) []byte {
	if len(data) == 0 {
		return data
	}
	i := int(pos) % len(data)
	switch op % 6 {
	case 0:
		out := bytes.Clone(data)
		out[i] = val
		return out
	case 1:
		return append(bytes.Clone(data[:i]), data[i+1:]...)
	case 2:
		out := append(bytes.Clone(data[:i]), val)
		return append(out, data[i:]...)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines = lines[:len(lines)-1] // the empty string after the last newline
	a, b := int(pos)%len(lines), int(pos2)%len(lines)
	switch op % 6 {
	case 3:
		lines = append(lines[:a:a], lines[a+1:]...)
	case 4:
		lines[a], lines[b] = lines[b], lines[a]
	case 5:
		lines = append(lines[:b:b], append([][]byte{lines[a]}, lines[b:]...)...)
	}
	return bytes.Join(lines, nil)
}

// Any single mutation of a serialized log that changes what it says is
// detected, given a checkpoint of its head (without one, removing the last
// entries is not).
func FuzzVerifyDetectsMutation(f *testing.F) {
	logs := map[bool][]Entry{false: build(f, testChain(f, false), 8), true: build(f, testChain(f, true), 8)}
	data := map[bool][]byte{false: serialize(f, logs[false]), true: serialize(f, logs[true])}
	for op := range uint8(6) {
		f.Add(op, uint16(300), uint16(5), byte('x'), op%2 == 0)
		f.Add(op, uint16(7), uint16(2), byte('1'), op%2 == 1)
	}
	f.Add(uint8(3), uint16(7), uint16(0), byte(0), true) // remove the last entry
	f.Fuzz(func(t *testing.T, op uint8, pos, pos2 uint16, val byte, keyed bool) {
		orig := logs[keyed]
		mutated := mutate(data[keyed], op, pos, pos2, val)
		log, ok := deserialize(mutated)
		if !ok {
			return // a log that does not parse is rejected before Verify
		}
		same := len(log) == len(orig)
		for i := 0; same && i < len(log); i++ {
			same = sameEntry(&log[i], &orig[i])
		}
		head := Checkpoint{Seq: orig[len(orig)-1].Seq, Hash: orig[len(orig)-1].Hash}
		var key []byte
		if keyed {
			key = testKey
		}
		r, err := Verify(t.Context(), Entries(log), key, Options{Checkpoints: []Checkpoint{head}})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case same && !r.OK():
			t.Fatalf("an unchanged log reported %s", r.Problem)
		case !same && r.OK():
			t.Fatalf("mutation op %d at %d/%d (%q) not detected:\n%s", op%6, pos, pos2, val, mutated)
		case !same && (r.Problem.Seq < 1 || r.Entries >= r.Problem.Seq):
			t.Fatalf("problem %s with %d intact entries", r.Problem, r.Entries)
		}
	})
}
