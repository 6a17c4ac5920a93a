package audit

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"
)

func goldenEntry() Entry {
	return Entry{
		Time:        time.Date(2025, 3, 1, 12, 0, 0, 123456789, time.UTC),
		ActorUserID: "usr_aaaaaaaaaaaaaaaa",
		ActorOrgID:  "org_bbbbbbbbbbbbbbbb",
		TokenID:     "tok_cccccccccccccccc",
		Action:      "evidence.read",
		ObjectKind:  "attempt",
		ObjectID:    "at_dddddddddddddddd",
		Detail:      json.RawMessage(`{"tlp":"RED","bytes":1234}`),
	}
}

// TestGoldenHashes pins the encoding: a change here breaks every stored
// log, so it needs a new encoding tag, not a new expected value.
func TestGoldenHashes(t *testing.T) {
	e := goldenEntry()
	c, err := NewChain(testKey)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  Entry
		want string
	}{
		{"unkeyed", Next(nil, e), "e94ae2fb1fe431c8f8f4ab60de3209b712713366c48c05a2135b734190846fba"},
		{"keyed", c.Next(nil, e), "a57783c261778d84f35c178e072500d1c9ed5cd170f915bb35de8ae472e4ef39"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hex.EncodeToString(tt.got.Hash); got != tt.want {
				t.Errorf("hash %s, want %s", got, tt.want)
			}
		})
	}
	enc := appendEncoding(nil, &tests[0].got)
	if got, want := hex.EncodeToString(enc), "0000000000000013616963632e61756469742e656e7472792e7631000000000000000100062f46a99d124000000000000000147573725f6161616161616161616161616161616100000000000000146f72675f626262626262626262626262626262620000000000000014746f6b5f63636363636363636363636363636363000000000000000d65766964656e63652e726561640000000000000007617474656d7074000000000000001361745f64646464646464646464646464646464000000000000001a7b226279746573223a313233342c22746c70223a22524544227d00000000000000200000000000000000000000000000000000000000000000000000000000000000"; got != want {
		t.Errorf("encoding\n%s\nwant\n%s", got, want)
	}
	if got := int64(binary.BigEndian.Uint64(enc[seqOffset:])); got != 1 {
		t.Errorf("Seq at seqOffset = %d, want 1", got)
	}
}

// TestEncodingUnambiguous: moving bytes from one field to its neighbour
// changes the encoding, and so does every single field.
func TestEncodingUnambiguous(t *testing.T) {
	e := Next(nil, goldenEntry())
	enc := appendEncoding(nil, &e)
	changes := []struct {
		name string
		f    func(*Entry)
	}{
		{"seq", func(e *Entry) { e.Seq++ }},
		{"time", func(e *Entry) { e.Time = e.Time.Add(time.Microsecond) }},
		{"user", func(e *Entry) { e.ActorUserID += "x" }},
		{"org", func(e *Entry) { e.ActorOrgID = "" }},
		{"token", func(e *Entry) { e.TokenID = "tok_x" }},
		{"action", func(e *Entry) { e.Action = "evidence.reads" }},
		{"object kind", func(e *Entry) { e.ObjectKind = "" }},
		{"object id", func(e *Entry) { e.ObjectID = "at_x" }},
		{"detail", func(e *Entry) { e.Detail = json.RawMessage(`{"tlp":"AMBER","bytes":1234}`) }},
		{"prev hash", func(e *Entry) { e.PrevHash[5] ^= 0x80 }},
		{"user to org", func(e *Entry) { e.ActorUserID, e.ActorOrgID = e.ActorUserID[:3], e.ActorUserID[3:]+e.ActorOrgID }},
		{"org to user", func(e *Entry) { e.ActorUserID, e.ActorOrgID = e.ActorUserID+e.ActorOrgID[:1], e.ActorOrgID[1:] }},
		{"action to kind", func(e *Entry) { e.Action, e.ObjectKind = "evidence", ".read"+e.ObjectKind }},
		{"kind to id", func(e *Entry) { e.ObjectKind, e.ObjectID = "", e.ObjectKind+e.ObjectID }},
		{"detail to prev hash", func(e *Entry) { e.Detail, e.PrevHash = e.Detail[:len(e.Detail)-1], append([]byte("}"), e.PrevHash...) }},
		{"empty fields shift", func(e *Entry) { e.TokenID, e.Action = "", e.TokenID+e.Action }},
	}
	for _, tt := range changes {
		t.Run(tt.name, func(t *testing.T) {
			changed := clone([]Entry{e})[0]
			tt.f(&changed)
			if bytes.Equal(appendEncoding(nil, &changed), enc) {
				t.Fatal("the encoding did not change")
			}
			if newHasher(nil).valid(&changed) {
				t.Fatal("the changed entry still has a valid hash")
			}
		})
	}
}

func TestKeyedAndUnkeyedDiffer(t *testing.T) {
	e := goldenEntry()
	u := Next(nil, e)
	k := testChain(t, true).Next(nil, e)
	if bytes.Equal(u.Hash, k.Hash) {
		t.Fatal("keyed and unkeyed hashes are equal")
	}
	if !newHasher(testKey).valid(&k) || newHasher(nil).valid(&k) || newHasher(testKey).valid(&u) {
		t.Fatal("a hash verifies under the wrong mode")
	}
}
