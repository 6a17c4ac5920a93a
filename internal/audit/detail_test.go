package audit

import (
	"bytes"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestCanonicalDetail(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{in: ``, want: ``},
		{in: `  `, want: ``},
		{in: `null`, want: ``},
		{in: `{}`, want: `{}`},
		{in: `{"b":1,"a":2}`, want: `{"a":2,"b":1}`},
		{in: " {\n \"b\" : 1 ,\t\"a\":2 } \n", want: `{"a":2,"b":1}`},
		{in: `{"z":{"y":1,"x":[{"d":1,"c":2}]}}`, want: `{"z":{"x":[{"c":2,"d":1}],"y":1}}`},
		{in: `{"n":1.0,"m":1e3,"k":-0}`, want: `{"k":-0,"m":1e3,"n":1.0}`},
		{in: `{"a":1,"a":2}`, want: `{"a":2}`},
		{in: `{"s":"<b>&amp;</b>"}`, want: `{"s":"<b>&amp;</b>"}`},
		{in: `{"s":"\u00e9\n"}`, want: `{"s":"é\n"}`},
		{in: `{"B":1,"a":2,"_":3}`, want: `{"B":1,"_":3,"a":2}`},
		{in: `[1,2]`, err: true},
		{in: `"text"`, err: true},
		{in: `{"a":1} {"b":2}`, err: true},
		{in: `{"a":1}}`, err: true},
		{in: `{"a":`, err: true},
		{in: `{'a':1}`, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := CanonicalDetail([]byte(tt.in))
			if tt.err {
				if aicc.KindOf(err) != aicc.KindInvalid {
					t.Fatalf("got %s, %v; want an error of kind invalid", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
			if tt.want == "" && got != nil {
				t.Fatalf("got %q, want nil", got)
			}
		})
	}
}

func TestDetailOf(t *testing.T) {
	type change struct {
		To   string `json:"to"`
		From string `json:"from"`
	}
	a, err := DetailOf(change{From: "triaged", To: "scanning"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := DetailOf(map[string]any{"to": "scanning", "from": "triaged"})
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != `{"from":"triaged","to":"scanning"}` || !bytes.Equal(a, b) {
		t.Fatalf("struct gives %s, map gives %s; want both canonical and equal", a, b)
	}
	if _, err := DetailOf(func() {}); aicc.KindOf(err) != aicc.KindInvalid {
		t.Errorf("DetailOf(func): error %v, want kind invalid", err)
	}
	if _, err := DetailOf([]int{1}); aicc.KindOf(err) != aicc.KindInvalid {
		t.Errorf("DetailOf(slice): error %v, want kind invalid", err)
	}
}

// Canonical form is a fixed point: canonicalising it again changes nothing.
func FuzzCanonicalDetail(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":2}`, `{"z":{"y":[1,{"x":null}]}}`, `{"s":"\u00e9\ud800"}`, `{"n":1.50e+3}`, `null`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, err := CanonicalDetail(raw)
		if err != nil {
			return
		}
		again, err := CanonicalDetail(c)
		if err != nil || !bytes.Equal(again, c) {
			t.Fatalf("canonical %q becomes %q, %v", c, again, err)
		}
	})
}
