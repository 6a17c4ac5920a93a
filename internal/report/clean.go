package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// visible makes attacker-controlled text safe to show: control characters
// (ANSI escapes among them) and the Unicode controls that reorder or hide
// text become visible escapes such as \x1b or \u202e, and invalid UTF-8
// becomes U+FFFD. Newlines and tabs are kept when multiline is set, else
// escaped too, so the text stays on one line.
func visible(s string, multiline bool) string {
	clean := true
	for _, r := range s {
		if hidden(r, multiline) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		switch {
		case r == '\n' && !multiline:
			b.WriteString(`\n`)
		case r == '\t' && !multiline:
			b.WriteString(`\t`)
		case hidden(r, multiline) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case hidden(r, multiline):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r) // RuneError for invalid bytes: written as U+FFFD
		}
	}
	return b.String()
}

// hidden reports whether r must not reach a terminal or page as itself.
func hidden(r rune, multiline bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return !multiline
	case r < 0x20 || r >= 0x7f && r < 0xa0: // C0, DEL, C1
		return true
	case r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069: // bidi controls
		return true
	}
	return false
}

// truncate shortens s to at most n runes and says how many runes it cut.
func truncate(s string, n int) (string, int) {
	if len(s) <= n {
		return s, 0
	}
	count := 0
	for i := range s {
		if count == n {
			return s[:i], utf8.RuneCountInString(s[i:])
		}
		count++
	}
	return s, 0
}
