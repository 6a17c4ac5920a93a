package audit

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestParseCheckpoint(t *testing.T) {
	h := strings.Repeat("ab", HashSize)
	tests := []struct {
		in   string
		want string // String() of the result; "" for an error
	}{
		{"42:" + h, "42:" + h},
		{" 42:" + strings.ToUpper(h) + "\n", "42:" + h},
		{"0:" + strings.Repeat("00", HashSize), "0:" + strings.Repeat("00", HashSize)},
		{"42", ""},
		{":" + h, ""},
		{"-1:" + h, ""},
		{"042:" + h, ""},
		{"+42:" + h, ""},
		{"4x:" + h, ""},
		{"42:" + h[:62], ""},
		{"42:" + h + "ab", ""},
		{"42:" + h[:63] + "g", ""},
		{"99999999999999999999:" + h, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := ParseCheckpoint(tt.in)
			if tt.want == "" {
				if aicc.KindOf(err) != aicc.KindInvalid {
					t.Fatalf("got %s, %v; want an error of kind invalid", c, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.String() != tt.want {
				t.Fatalf("got %s, want %s", c, tt.want)
			}
		})
	}
}

func TestCheckpointJSON(t *testing.T) {
	log := build(t, testChain(t, false), 2)
	c := Checkpoint{Seq: 2, Hash: log[1].Hash}
	j, err := json.Marshal(struct{ Head Checkpoint }{c})
	if err != nil {
		t.Fatal(err)
	}
	var back struct{ Head Checkpoint }
	if err := json.Unmarshal(j, &back); err != nil {
		t.Fatal(err)
	}
	if back.Head.String() != c.String() {
		t.Fatalf("%s round-trips to %s", c, back.Head)
	}
	if err := json.Unmarshal([]byte(`{"Head":"2:zz"}`), &back); err == nil {
		t.Fatal("a bad checkpoint unmarshals")
	}
}

// Checkpoints come from people (a flag, a file): nothing may make the
// parser panic, and what it accepts prints back to an equal checkpoint.
func FuzzParseCheckpoint(f *testing.F) {
	f.Add("42:" + strings.Repeat("ab", HashSize))
	f.Add("0:" + strings.Repeat("00", HashSize))
	f.Add("1:")
	f.Add(":::")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCheckpoint(s)
		if err != nil {
			return
		}
		back, err := ParseCheckpoint(c.String())
		if err != nil || back.String() != c.String() || c.Seq < 0 || len(c.Hash) != HashSize {
			t.Fatalf("%q parses to %s, which parses back to %s, %v", s, c, back, err)
		}
	})
}
