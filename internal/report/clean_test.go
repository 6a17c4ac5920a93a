package report

import "testing"

func TestVisible(t *testing.T) {
	tests := []struct {
		in        string
		multiline bool
		want      string
	}{
		{"plain text", false, "plain text"},
		{"a\x1b[31mb", false, `a\x1b[31mb`},
		{"line1\nline2\tx", true, "line1\nline2\tx"},
		{"line1\nline2\tx", false, `line1\nline2\tx`},
		{"over\rwrite", true, `over\x0dwrite`},
		{"c1\u009bx", true, `c1\x9bx`},
		{"bidi\u202eevil", true, `bidi\u202eevil`},
		{"bad\xffutf8", false, "bad\uFFFDutf8"},
		{"émoji ✓", false, "émoji ✓"},
	}
	for _, tt := range tests {
		if got := visible(tt.in, tt.multiline); got != tt.want {
			t.Errorf("visible(%q, %v) = %q, want %q", tt.in, tt.multiline, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
		cut  int
	}{
		{"abc", 3, "abc", 0},
		{"abcdef", 3, "abc", 3},
		{"ééé", 3, "ééé", 0},
		{"éééé", 2, "éé", 2},
		{"", 0, "", 0},
	}
	for _, tt := range tests {
		got, cut := truncate(tt.in, tt.n)
		if got != tt.want || cut != tt.cut {
			t.Errorf("truncate(%q, %d) = %q, %d; want %q, %d", tt.in, tt.n, got, cut, tt.want, tt.cut)
		}
	}
}
