package audit

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestNext(t *testing.T) {
	zone := time.FixedZone("CET", 3600)
	in := Entry{
		Seq: 77, PrevHash: []byte("ignored"), Hash: []byte("ignored"),
		Time:   time.Date(2025, 3, 1, 13, 0, 0, 123456789, zone),
		Action: "submission.create",
		Detail: json.RawMessage(` {"b": 1, "a": [true, null]} `),
	}
	first := Next(nil, in)
	if first.Seq != 1 || !bytes.Equal(first.PrevHash, Genesis()) || len(first.Hash) != HashSize {
		t.Fatalf("first entry: Seq %d, PrevHash %x, Hash %x", first.Seq, first.PrevHash, first.Hash)
	}
	if want := time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC); first.Time != want {
		t.Errorf("Time = %v, want %v (UTC, microseconds)", first.Time, want)
	}
	if got, want := string(first.Detail), `{"a":[true,null],"b":1}`; got != want {
		t.Errorf("Detail = %s, want %s", got, want)
	}
	if in.Seq != 77 || string(in.Hash) != "ignored" {
		t.Error("Next changed its argument")
	}

	second := Next(&first, in)
	if second.Seq != 2 || !bytes.Equal(second.PrevHash, first.Hash) {
		t.Fatalf("second entry: Seq %d, PrevHash %x, want 2 and %x", second.Seq, second.PrevHash, first.Hash)
	}
	first.Hash[0] ^= 1
	if bytes.Equal(second.PrevHash, first.Hash) {
		t.Error("PrevHash shares memory with the previous entry's Hash")
	}

	bad := Next(nil, Entry{Time: in.Time, Action: "x.y", Detail: json.RawMessage(`{not json`)})
	if string(bad.Detail) != `{not json` {
		t.Errorf("Next changed a Detail that is not JSON to %s; Validate reports it", bad.Detail)
	}
}

func TestNewChain(t *testing.T) {
	tests := []struct {
		name  string
		key   []byte
		keyed bool
		err   bool
	}{
		{"nil", nil, false, false},
		{"empty", []byte{}, false, false},
		{"short", []byte("fifteen bytes!!"), false, true},
		{"minimum", []byte("sixteen bytes!!!"), true, false},
		{"long", bytes.Repeat([]byte{7}, 64), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewChain(tt.key)
			if tt.err {
				if aicc.KindOf(err) != aicc.KindInvalid {
					t.Fatalf("error %v, want kind invalid", err)
				}
				if len(tt.key) > 0 && strings.Contains(err.Error(), string(tt.key)) {
					t.Fatalf("error %q shows the key", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Keyed() != tt.keyed {
				t.Errorf("Keyed() = %v, want %v", c.Keyed(), tt.keyed)
			}
		})
	}

	key := bytes.Clone(testKey)
	c, err := NewChain(key)
	if err != nil {
		t.Fatal(err)
	}
	before := c.Next(nil, goldenEntry())
	key[0] ^= 1
	if after := c.Next(nil, goldenEntry()); !bytes.Equal(before.Hash, after.Hash) {
		t.Error("the chain uses the caller's key slice, not a copy")
	}
}

func TestDeriveKey(t *testing.T) {
	secret := bytes.Repeat([]byte{1}, 32)
	k1, err := DeriveKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := DeriveKey(secret)
	other, _ := DeriveKey(bytes.Repeat([]byte{2}, 32))
	switch {
	case len(k1) != 32:
		t.Errorf("key of %d bytes, want 32", len(k1))
	case !bytes.Equal(k1, k2):
		t.Error("DeriveKey is not deterministic")
	case bytes.Equal(k1, secret) || bytes.Equal(k1, other):
		t.Error("the derived key equals the secret or another secret's key")
	}
	for _, s := range [][]byte{nil, []byte("short")} {
		if _, err := DeriveKey(s); aicc.KindOf(err) != aicc.KindInvalid {
			t.Errorf("DeriveKey(%d bytes): error %v, want kind invalid", len(s), err)
		}
	}
}

func TestEntryValidate(t *testing.T) {
	ok := Entry{Time: base, Action: "submission.create", Detail: json.RawMessage(`{"a":1}`)}
	tests := []struct {
		name  string
		f     func(*Entry)
		field string // in the error; "" for valid
	}{
		{"valid", func(*Entry) {}, ""},
		{"no detail", func(e *Entry) { e.Detail = nil }, ""},
		{"three-part action", func(e *Entry) { e.Action = "review.window.move" }, ""},
		{"empty action", func(e *Entry) { e.Action = "" }, "audit action"},
		{"action without verb", func(e *Entry) { e.Action = "submission" }, "audit action"},
		{"upper-case action", func(e *Entry) { e.Action = "Submission.Create" }, "audit action"},
		{"action with space", func(e *Entry) { e.Action = "submission.create now" }, "audit action"},
		{"zero time", func(e *Entry) { e.Time = time.Time{} }, "audit time"},
		{"detail not canonical", func(e *Entry) { e.Detail = json.RawMessage(`{"a": 1}`) }, "not canonical"},
		{"detail not an object", func(e *Entry) { e.Detail = json.RawMessage(`[1]`) }, "must be a JSON object"},
		{"detail too big", func(e *Entry) {
			e.Detail = json.RawMessage(`{"a":"` + strings.Repeat("x", MaxDetail) + `"}`)
		}, "at most 4096"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			tt.f(&e)
			err := e.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.field) || aicc.KindOf(err) != aicc.KindInvalid {
				t.Fatalf("error %v, want kind invalid naming %q", err, tt.field)
			}
		})
	}
}
