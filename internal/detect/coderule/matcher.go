package coderule

import (
	"regexp"
	"strings"
	"sync"
)

// matcher is one way a rule can match. The checks run cheapest first:
// hints, then the pattern, then the whole-block conditions, then the
// per-candidate ones.
type matcher struct {
	hints   []string         // the code must contain one of these (none: no pre-check)
	re      *regexp.Regexp   // each match is a candidate; it is reported at its start
	needs   []*regexp.Regexp // the code must also match each of these
	unless  *regexp.Regexp   // code that matches this guards against the flaw: no candidate counts
	window  int              // lines above and below the candidate that near and notNear see (0: its own line)
	near    *regexp.Regexp   // a candidate counts only with this within window lines
	notNear *regexp.Regexp   // a candidate does not count with this within window lines
	// verify is a last check of a candidate, given its submatch indexes.
	verify func(code string, loc []int) bool
	// inComments makes candidates on comment lines count too (secrets do).
	inComments bool
	// fold runs re on the code with ASCII letters in lower case (offsets do
	// not change), so a lower-case pattern matches any case and keeps the
	// literal prefix that lets the regexp package skip ahead quickly.
	fold bool
}

// lowerBufs holds buffers for folded code.
var lowerBufs = sync.Pool{New: func() any { return new([]byte) }}

// find calls emit with the offset of every candidate in code that counts.
func (m *matcher) find(code, lang string, emit func(at int)) {
	if len(m.hints) > 0 && !containsAny(code, m.hints) {
		return
	}
	var locs [][]int
	if m.fold {
		buf := lowerBufs.Get().(*[]byte)
		*buf = append((*buf)[:0], code...)
		for i, c := range *buf {
			if 'A' <= c && c <= 'Z' {
				(*buf)[i] = c + 'a' - 'A'
			}
		}
		locs = m.re.FindAllSubmatchIndex(*buf, -1)
		lowerBufs.Put(buf)
	} else {
		locs = m.re.FindAllStringSubmatchIndex(code, -1)
	}
	if locs == nil {
		return
	}
	for _, re := range m.needs {
		if !re.MatchString(code) {
			return
		}
	}
	if m.unless != nil && m.unless.MatchString(code) {
		return
	}
	for _, loc := range locs {
		at := loc[0]
		for at < loc[1] && (code[at] == '\n' || code[at] == '\r') { // a pattern that starts at a line break
			at++
		}
		if !m.inComments && isComment(code, at, lang) {
			continue
		}
		if m.near != nil || m.notNear != nil {
			w := window(code, at, m.window)
			if m.near != nil && !m.near.MatchString(w) {
				continue
			}
			if m.notNear != nil && m.notNear.MatchString(w) {
				continue
			}
		}
		if m.verify != nil && !m.verify(code, loc) {
			continue
		}
		emit(at)
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// isComment reports whether the line holding offset at is a whole-line
// comment in lang.
func isComment(code string, at int, lang string) bool {
	line := strings.TrimLeft(code[lineStart(code, at):lineEnd(code, at)], " \t")
	switch lang {
	case Python:
		return strings.HasPrefix(line, "#")
	case JavaScript, Go, C:
		return strings.HasPrefix(line, "//") || strings.HasPrefix(line, "/*")
	case SQL:
		return strings.HasPrefix(line, "--")
	}
	return false
}

// window returns the lines of code from n above to n below the one holding
// offset at.
func window(code string, at, n int) string {
	start, end := lineStart(code, at), lineEnd(code, at)
	for i := 0; i < n && start > 0; i++ {
		start = lineStart(code, start-1)
	}
	for i := 0; i < n && end < len(code); i++ {
		end = lineEnd(code, end+1)
	}
	return code[start:end]
}

// group returns submatch k of loc in code, or "" when it did not take part.
func group(code string, loc []int, k int) string {
	if 2*k+1 >= len(loc) || loc[2*k] < 0 {
		return ""
	}
	return code[loc[2*k]:loc[2*k+1]]
}

// fixedArray reports whether code declares name as a fixed-size char
// array: "char name[64]", "char a[8], name[32]", "wchar_t name[N]". It
// looks at most 80 bytes back from each mention, so it stays linear.
func fixedArray(code, name string) bool {
	if name == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(code[from:], name)
		if i < 0 {
			return false
		}
		i += from
		from = i + len(name)
		if i > 0 && isWord(code[i-1]) {
			continue
		}
		rest := code[from:min(len(code), from+8)]
		rest = strings.TrimLeft(rest, " \t")
		if !strings.HasPrefix(rest, "[") || strings.HasPrefix(rest, "[]") {
			continue
		}
		decl := code[max(0, i-80):i]
		if j := strings.LastIndexByte(decl, '\n'); j >= 0 {
			decl = decl[j+1:]
		}
		if strings.Contains(decl, "char") && !strings.ContainsAny(decl, "=(") {
			return true
		}
	}
}

func isWord(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
