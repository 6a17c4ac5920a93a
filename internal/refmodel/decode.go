package refmodel

// Reading obfuscated requests. A model that decodes whatever it is given
// follows instructions an input filter on the raw text never sees: encoded
// in base64, hex or ROT13 with a request to decode them, spelled in
// leetspeak, with look-alike letters from other scripts, with invisible
// characters between the letters, or cut into variables to be joined.
// deobfuscate undoes each of these, cheaply: the decoders run only when
// the text names the encoding or holds the characters.

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// The transforms deobfuscate undoes, as reported in conversation.obfuscated.
const (
	obfBase64    = "base64"
	obfHex       = "hex"
	obfROT13     = "rot13"
	obfLeet      = "leetspeak"
	obfHomoglyph = "homoglyph"
	obfZeroWidth = "zero_width"
	obfSplit     = "split"
)

// deobfuscate returns the plain text of s and how it was obfuscated, or s
// and "" when it was not. Letters are restored first (invisible characters,
// look-alikes, leetspeak), then encodings undone, then pieces joined.
func deobfuscate(s string) (plain, how string) {
	mark := func(t string) {
		if how == "" {
			how = t
		}
	}
	if t, ok := stripZeroWidth(s); ok {
		s = t
		mark(obfZeroWidth)
	}
	if t, ok := unHomoglyph(s); ok {
		s = t
		mark(obfHomoglyph)
	}
	if t, ok := unLeet(s); ok {
		s = t
		mark(obfLeet)
	}
	l := lower(s)
	switch {
	case hasAny(l, []string{"base64", "base 64", "base-64", "b64"}) >= 0:
		if t, ok := decodeBlob(s, decodeBase64); ok {
			s = t
			mark(obfBase64)
		}
	case hasAny(l, []string{"hex", "hexadecimal", "base16", "hex-encoded"}) >= 0:
		if t, ok := decodeBlob(s, decodeHex); ok {
			s = t
			mark(obfHex)
		}
	case hasAny(l, []string{"rot13", "rot-13", "rot 13"}) >= 0:
		if t, ok := unROT13(s); ok {
			s = t
			mark(obfROT13)
		}
	}
	if t, ok := joinVariables(s); ok {
		s = t
		mark(obfSplit)
	}
	return s, how
}

// stripZeroWidth removes invisible format characters.
func stripZeroWidth(s string) (string, bool) {
	if !strings.ContainsAny(s, zeroWidth) {
		return s, false
	}
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(zeroWidth, r) {
			return -1
		}
		return r
	}, s), true
}

const zeroWidth = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"

// unHomoglyph maps letters of other scripts that look like Latin ones to
// the Latin letters.
func unHomoglyph(s string) (string, bool) {
	found := false
	for _, r := range s {
		if _, ok := homoglyphs[r]; ok {
			found = true
			break
		}
	}
	if !found {
		return s, false
	}
	return strings.Map(func(r rune) rune {
		if a, ok := homoglyphs[r]; ok {
			return a
		}
		return r
	}, s), true
}

var homoglyphs = func() map[rune]rune {
	m := map[rune]rune{}
	pairs := []string{
		// Cyrillic
		"аa", "еe", "оo", "рp", "сc", "уy", "хx", "іi", "јj", "ѕs", "ԁd", "һh", "ԛq", "ԝw", "ӏl", "ɡg",
		"АA", "ВB", "ЕE", "КK", "МM", "НH", "ОO", "РP", "СC", "ТT", "ХX", "ІI", "ЈJ", "ЅS", "ԜW", "ҮY", "УY",
		// Greek
		"αa", "οo", "ρp", "ιi", "κk", "νv", "υu", "ΑA", "ΒB", "ΕE", "ΖZ", "ΗH", "ΙI", "ΚK", "ΜM", "ΝN",
		"ΟO", "ΡP", "ΤT", "ΥY", "ΧX",
	}
	for _, p := range pairs {
		r, n := utf8.DecodeRuneInString(p)
		m[r] = rune(p[n])
	}
	// Fullwidth Latin letters and digits.
	for r := rune(0xFF21); r <= 0xFF3A; r++ {
		m[r] = 'A' + r - 0xFF21
	}
	for r := rune(0xFF41); r <= 0xFF5A; r++ {
		m[r] = 'a' + r - 0xFF41
	}
	for r := rune(0xFF10); r <= 0xFF19; r++ {
		m[r] = '0' + r - 0xFF10
	}
	return m
}()

// decodeBlob finds the longest encoded run in s that decodes to readable
// text and returns the text.
func decodeBlob(s string, dec func(string) (string, bool)) (string, bool) {
	best := ""
	for _, run := range encodedRuns(s) {
		if t, ok := dec(run); ok && len(t) > len(best) {
			best = t
		}
	}
	return best, best != ""
}

// encodedRuns returns the candidate encoded runs of s: words of 16 or more
// characters without spaces, each joined with the words after it when it
// is as long as a wrapped line (60 or more).
func encodedRuns(s string) []string {
	var runs []string
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '"' || r == '\'' || r == '`' || r == '“' || r == '”'
	})
	for i := 0; i < len(f); i++ {
		w := strings.Trim(f[i], ".,;:()[]<>")
		if len(w) < 16 {
			continue
		}
		run := w
		for len(f[i]) >= 60 && i+1 < len(f) {
			i++
			run += strings.Trim(f[i], ".,;:()[]<>")
		}
		runs = append(runs, run)
	}
	// Space-separated hex pairs: "49 67 6e 6f …".
	pairs, start := 0, -1
	for i, w := range f {
		if len(w) == 2 && isHex(w) {
			if pairs == 0 {
				start = i
			}
			pairs++
			continue
		}
		if pairs >= 8 {
			runs = append(runs, strings.Join(f[start:start+pairs], ""))
		}
		pairs = 0
	}
	if pairs >= 8 {
		runs = append(runs, strings.Join(f[start:start+pairs], ""))
	}
	return runs
}

func isHex(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func decodeBase64(w string) (string, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(w); err == nil && readable(b) {
			return string(b), true
		}
	}
	return "", false
}

func decodeHex(w string) (string, bool) {
	if len(w)%2 != 0 || !isHex(w) {
		return "", false
	}
	b, err := hex.DecodeString(w)
	if err != nil || !readable(b) {
		return "", false
	}
	return string(b), true
}

// readable reports whether b is UTF-8 text with few control characters and
// at least a few spaces or punctuation, as decoded prose is.
func readable(b []byte) bool {
	if len(b) < 8 || !utf8.Valid(b) {
		return false
	}
	bad := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0x7f {
			bad++
		}
	}
	return bad*20 <= len(b)
}

// unROT13 rotates back the parts of s that read as English only once
// rotated: each line, or the text after a colon in it, that gains common
// English words by rotating. It needs a gain of two words in all.
func unROT13(s string) (string, bool) {
	var out []string
	total := 0
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.Trim(line, " \t\"'`“”")
		if line == "" {
			continue
		}
		if g := rot13Gain(line); g > 0 {
			out, total = append(out, rot13(line)), total+g
			continue
		}
		if i := strings.IndexByte(line, ':'); i >= 0 {
			tail := strings.Trim(line[i+1:], " \t\"'`“”")
			if g := rot13Gain(tail); g > 0 {
				out, total = append(out, rot13(tail)), total+g
			}
		}
	}
	if total < 2 {
		return s, false
	}
	return strings.Join(out, "\n"), true
}

// rot13Gain is how many more common English words s has once rotated.
func rot13Gain(s string) int { return englishWords(rot13(s)) - englishWords(s) }

func rot13(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
			b[i] = 'a' + (c-'a'+13)%26
		case 'A' <= c && c <= 'Z':
			b[i] = 'A' + (c-'A'+13)%26
		}
	}
	return string(b)
}

// englishWords counts the common English words in s.
func englishWords(s string) int {
	n := 0
	for w := range strings.FieldsFuncSeq(lower(s), func(r rune) bool { return r < 'a' || r > 'z' }) {
		for _, e := range commonWords {
			if w == e {
				n++
				break
			}
		}
	}
	return n
}

var commonWords = []string{
	"the", "and", "you", "your", "to", "of", "a", "is", "in", "it", "for", "with", "that", "this", "all", "are",
	"what", "me", "my", "only", "reply", "print", "say", "give", "tell", "instructions", "previous", "ignore",
	"please", "value", "key", "word", "code", "output", "words", "above", "system", "prompt", "before",
	"message", "from", "now", "on", "new", "write", "repeat", "as", "be", "not", "can", "i", "do", "any", "or",
	"were", "was", "given", "including", "have", "has", "will", "would", "there", "here", "if", "when", "which",
	"who", "how", "why", "at", "by", "an", "no", "yes", "so", "but", "into", "out", "up", "one", "get", "make",
	"they", "them", "their", "we", "our", "us", "he", "she", "his", "her", "should", "must", "need", "want",
	"then", "than", "also", "just", "about", "after", "first", "last", "more", "some", "every", "each", "other",
	"use", "show", "answer", "question", "text", "following", "instead", "again", "full", "everything",
}

// joinVariables joins a request cut into string variables (a = "…", b =
// "…") that it asks to join, in the order an expression such as a + b
// gives, or else in the order they were defined.
func joinVariables(s string) (string, bool) {
	vars := assignments(s)
	if len(vars) < 2 {
		return s, false
	}
	if hasAny(lower(s), []string{"join", "joined", "concatenate", "concatenated", "combine", "combined", "put together", "glue"}) < 0 {
		// No request to join: a + b in a sentence stands for the joined
		// values ("reply with x + y").
		return expandSum(s, vars)
	}
	// "Join a, b and c (a + b + c) and do what the result says": the
	// result is the request.
	var b strings.Builder
	for _, v := range vars {
		b.WriteString(v.value)
	}
	return b.String(), true
}

type variable struct{ name, value string }

// assignments finds name = "value" (or 'value') definitions in s.
func assignments(s string) []variable {
	var vars []variable
	for i := 0; i < len(s); i++ {
		if s[i] != '=' {
			continue
		}
		j := i
		for j > 0 && s[j-1] == ' ' {
			j--
		}
		k := j
		for k > 0 && isWordByte(s[k-1]) {
			k--
		}
		if k == j {
			continue
		}
		rest := strings.TrimLeft(s[i+1:], " ")
		if rest == "" || rest[0] != '"' && rest[0] != '\'' {
			continue
		}
		if v, ok := quotedValue(rest); ok {
			vars = append(vars, variable{name: s[k:j], value: v})
		}
	}
	return vars
}

// quotedValue reads the string literal at the start of s, which opens
// with its quote character; a backslash escapes the next character.
func quotedValue(s string) (string, bool) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
		case c == q:
			return b.String(), true
		default:
			b.WriteByte(c)
		}
	}
	return "", false
}

// expandSum replaces the first sum of defined variables in s (a + b + c)
// with their joined values.
func expandSum(s string, vars []variable) (string, bool) {
	value := func(name string) (string, bool) {
		for _, v := range vars {
			if v.name == name {
				return v.value, true
			}
		}
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '+' {
			continue
		}
		// The name before the first plus.
		j := i
		for j > 0 && s[j-1] == ' ' {
			j--
		}
		start := j
		for start > 0 && isWordByte(s[start-1]) {
			start--
		}
		first, ok := value(s[start:j])
		if !ok {
			continue
		}
		joined, end := first, j
		for end < len(s) {
			k := end
			for k < len(s) && s[k] == ' ' {
				k++
			}
			if k >= len(s) || s[k] != '+' {
				break
			}
			k++
			for k < len(s) && s[k] == ' ' {
				k++
			}
			m := k
			for m < len(s) && isWordByte(s[m]) {
				m++
			}
			v, ok := value(s[k:m])
			if !ok {
				break
			}
			joined += v
			end = m
		}
		if end > j {
			return s[:start] + joined + s[end:], true
		}
	}
	return s, false
}

// unLeet spells leetspeak words (1gn0r3, 7h3) with letters. Words of eight
// or more capitals and digits without a 0 or a 1 are left as they are: they
// read as codes and keys (which avoid 0 and 1 for looking like O and I), and
// a reader copies those rather than reads them.
func unLeet(s string) (string, bool) {
	words, leet := 0, 0
	isPart := func(c byte) bool { return isAlnum(c) || c == '@' || c == '$' }
	for i := 0; i < len(s); {
		if !isPart(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isPart(s[j]) {
			j++
		}
		if w := s[i:j]; isLeetWord(w) {
			words++
			leet++
		} else if hasLetter(w) {
			words++
		}
		i = j
	}
	// In leetspeak most words change; in ordinary text few mix letters
	// and digits.
	if leet < 3 || leet*2 < words {
		return s, false
	}
	b := []byte(s)
	for i := 0; i < len(b); {
		if !isPart(b[i]) {
			i++
			continue
		}
		j := i
		for j < len(b) && isPart(b[j]) {
			j++
		}
		if w := string(b[i:j]); isLeetWord(w) {
			up := !hasLower(w)
			for k := i; k < j; k++ {
				if c := leetLetters[b[k]]; c != 0 {
					if up {
						c -= 'a' - 'A'
					}
					b[k] = c
				}
			}
		}
		i = j
	}
	return string(b), true
}

// isLeetWord reports whether w mixes letters with digits or symbols that
// stand for letters, and is not a code.
func isLeetWord(w string) bool {
	if len(w) >= 8 && !hasLower(w) && !strings.ContainsAny(w, "01") {
		return false
	}
	letters, subs := 0, 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			letters++
		case leetLetters[c] != 0:
			subs++
		default:
			return false
		}
	}
	return subs > 0 && (letters > 0 || len(w) == 1 && (w == "4" || w == "1"))
}

func hasLetter(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

func hasLower(w string) bool {
	for i := 0; i < len(w); i++ {
		if 'a' <= w[i] && w[i] <= 'z' {
			return true
		}
	}
	return false
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

var leetLetters = [256]byte{
	'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', '$': 's',
}

// unquoted returns s without its double-quoted strings.
func unquoted(s string) string {
	if !strings.Contains(s, `"`) {
		return s
	}
	var b strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
			b.WriteByte(' ')
		case !in:
			b.WriteByte(c)
		}
	}
	return b.String()
}
