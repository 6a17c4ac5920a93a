package detect

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Encodings a canary is found under (Evidence.Encoding). Verbatim is "".
const (
	encSpaced    = "spaced"     // letters separated by spaces, dashes, newlines…
	encZeroWidth = "zero-width" // invisible format characters between letters
	encHex       = "hex"
	encURL       = "url" // percent-encoded
	encBase64    = "base64"
	encROT13     = "rot13"
)

// maxGap is how many separator bytes may sit between two characters of a
// canary for it to count as spelled out (four zero-width characters fit).
const maxGap = 12

// forms holds one canary value and the encoded forms the detector searches
// for. Searching for the encoded canary, rather than decoding the text,
// keeps the common no-match path free of allocations: hex is byte-aligned,
// and base64 has a stable core at each of its three byte alignments.
type forms struct {
	value string
	hex   string // lower-case hex of value; "" when value is too short to trust
	rot13 string // "" when ROT13 leaves value unchanged or value is too short
	b64   [6]b64Core
	nb64  int
	esc   bool // value has bytes that percent-encoding changes
}

// b64Core is the part of value's base64 encoding, at one byte alignment and
// in one alphabet, that does not depend on neighbouring bytes, plus the
// bits of value held by the characters on either side of it.
type b64Core struct {
	core               string
	headMask, headWant byte  // the char before: its low bits (headMask 0: none)
	tailBits           uint8 // the char after: its top tailBits bits (0: none)
	tailWant           byte
}

// minEncodedValue is the shortest value the detector looks for in encoded
// form: the encodings of shorter ones match ordinary text by chance.
const minEncodedValue = 6

// match is where a canary was found.
type match struct {
	start, end int    // the span in the searched text
	encoding   string // "" for verbatim
	decoded    string // the decoded span, when encoded
}

// makeForms computes the forms of value with one allocation.
func makeForms(value string) forms {
	f := forms{value: value}
	for i := 0; i < len(value); i++ {
		if !isAlnum(value[i]) && !strings.ContainsRune("-._~", rune(value[i])) {
			f.esc = true
			break
		}
	}
	if len(value) < minEncodedValue {
		return f
	}
	var stack [256]byte
	buf := stack[:0]
	type span struct{ i, j int }
	var hexAt, rotAt span
	var cores [6]span
	hexAt.i = len(buf)
	buf = hex.AppendEncode(buf, []byte(value))
	hexAt.j = len(buf)
	rotAt.i = len(buf)
	changed := false
	for i := 0; i < len(value); i++ {
		c := rot13Byte(value[i])
		changed = changed || c != value[i]
		buf = append(buf, c)
	}
	rotAt.j = len(buf)
	if !changed {
		rotAt = span{}
	}
	var srcStack [128]byte
	for k := range 3 {
		src := append(append(srcStack[:0], make([]byte, k)...), value...)
		at := len(buf)
		buf = append(buf, make([]byte, base64.RawStdEncoding.EncodedLen(len(src)))...)
		enc := buf[at:]
		base64.RawStdEncoding.Encode(enc, src)
		c := b64Core{}
		drop := [3]int{0, 2, 3}[k]
		if k > 0 {
			c.headMask = [3]byte{0, 0x0F, 0x03}[k]
			c.headWant = b64Value[enc[drop-1]] & c.headMask
		}
		bits := 8 * len(src)
		end := bits / 6
		if t := bits % 6; t > 0 {
			c.tailBits = uint8(t)
			c.tailWant = b64Value[enc[end]] >> (6 - t)
		}
		cores[f.nb64] = span{at + drop, at + end}
		f.b64[f.nb64] = c
		f.nb64++
		if bytes.ContainsAny(enc[drop:end], "+/") {
			u := len(buf)
			for _, ch := range buf[at+drop : at+end] {
				switch ch {
				case '+':
					ch = '-'
				case '/':
					ch = '_'
				}
				buf = append(buf, ch)
			}
			cores[f.nb64] = span{u, len(buf)}
			f.b64[f.nb64] = c
			f.nb64++
		}
	}
	all := string(buf)
	f.hex = all[hexAt.i:hexAt.j]
	f.rot13 = all[rotAt.i:rotAt.j]
	for i := range f.nb64 {
		f.b64[i].core = all[cores[i].i:cores[i].j]
	}
	return f
}

// find finds core c in s with the bits on either side checked.
func (c *b64Core) find(s string) (int, bool) {
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], c.core)
		if i < 0 {
			return 0, false
		}
		i += from
		j := i + len(c.core)
		head := c.headMask == 0 || i > 0 && b64Value[s[i-1]] != 0xFF && b64Value[s[i-1]]&c.headMask == c.headWant
		tail := c.tailBits == 0 || j < len(s) && b64Value[s[j]] != 0xFF && b64Value[s[j]]>>(6-c.tailBits) == c.tailWant
		if head && tail {
			return i, true
		}
		from = i + 1
	}
	return 0, false
}

// b64Value maps a base64 character (either alphabet) to its 6 bits, and
// anything else to 0xFF.
var b64Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(std) {
		t[std[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

// find looks for the canary in s: verbatim (ignoring ASCII case), spelled out
// with separators or zero-width characters, hex- or percent-encoded,
// base64-encoded (standard or URL alphabet, padded or raw) or in ROT13.
func (f *forms) find(s string) (match, bool) {
	if f.value == "" || len(s) == 0 {
		return match{}, false
	}
	if i, j, ok := matchSpaced(s, f.value, false); ok {
		m := match{start: i, end: j}
		if !equalFold(s[i:j], f.value) {
			m.encoding = encSpaced
			if hasFormatChar(s[i:j]) {
				m.encoding = encZeroWidth
			}
			m.decoded = f.value
		}
		return m, true
	}
	if f.hex != "" {
		if i, j, ok := matchSpaced(s, f.hex, true); ok {
			enc := encHex
			if strings.IndexByte(s[i:j], '%') >= 0 {
				enc = encURL
			}
			return match{start: i, end: j, encoding: enc, decoded: f.value}, true
		}
	}
	for k := range f.nb64 {
		c := &f.b64[k]
		if i, ok := c.find(s); ok {
			i, j := b64Run(s, i, i+len(c.core))
			return match{start: i, end: j, encoding: encBase64, decoded: decodeB64Run(s[i:j], f.value)}, true
		}
	}
	if f.rot13 != "" {
		if i, j, ok := matchSpaced(s, f.rot13, false); ok {
			return match{start: i, end: j, encoding: encROT13, decoded: rot13(s[i:j])}, true
		}
	}
	if f.esc && strings.IndexByte(s, '%') >= 0 {
		if d := percentDecode(s); d != s {
			if i, j, ok := matchSpaced(d, f.value, false); ok {
				// Report the decoded span: mapping it back is not worth it.
				return match{start: 0, end: len(s), encoding: encURL, decoded: d[i:j]}, true
			}
		}
	}
	return match{}, false
}

// matchSpaced finds want in s ignoring ASCII case, allowing up to maxGap
// separator bytes (anything but an ASCII letter or digit) between two of
// its letters and digits; want's own separators may be absent or replaced.
// In hex mode "0x" and "\x" prefixes count as separators too. It returns
// the span of the first match.
func matchSpaced(s, want string, hexMode bool) (int, int, bool) {
	if len(want) == 0 {
		return 0, 0, false
	}
	if i := strings.Index(s, want); i >= 0 { // the common case, fast
		return i, i + len(want), true
	}
	f := 0
	for f < len(want) && !isAlnum(want[f]) {
		f++
	}
	if f == len(want) {
		return 0, 0, false // no letters or digits: only an exact match counts
	}
	w0 := lower(want[f])
	for i := 0; i < len(s); i++ {
		if lower(s[i]) != w0 || (hexMode && isHexPrefix(s, i)) {
			continue
		}
		if j, ok := matchFrom(s, i+1, want[f+1:], hexMode); ok {
			return i, j, true
		}
	}
	return 0, 0, false
}

// matchFrom matches the letters and digits of rest at s[k:], skipping
// separators; it returns the end of the match.
func matchFrom(s string, k int, rest string, hexMode bool) (int, bool) {
	for j := 0; j < len(rest); j++ {
		if !isAlnum(rest[j]) {
			continue
		}
		w, gap := lower(rest[j]), 0
		for {
			if k >= len(s) {
				return 0, false
			}
			if lower(s[k]) == w && !(hexMode && isHexPrefix(s, k)) {
				break
			}
			n := skippable(s, k, hexMode)
			if n == 0 || gap+n > maxGap {
				return 0, false
			}
			gap += n
			k += n
		}
		k++
	}
	return k, true
}

// equalFold reports whether a and b are equal ignoring ASCII case.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// skippable returns how many separator bytes start at s[k], 0 if none.
func skippable(s string, k int, hexMode bool) int {
	switch {
	case !isAlnum(s[k]):
		return 1
	case hexMode && isHexPrefix(s, k):
		return 2
	case hexMode && lower(s[k]) == 'x' && k > 0 && s[k-1] == '\\':
		return 1
	}
	return 0
}

// isHexPrefix reports whether a "0x" prefix of a hex number starts at s[k].
func isHexPrefix(s string, k int) bool {
	return s[k] == '0' && k+2 < len(s) && lower(s[k+1]) == 'x' && isHex(s[k+2]) && (k == 0 || !isAlnum(s[k-1]))
}

func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + ('a' - 'A')
	}
	return b
}

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

func isHex(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= lower(b) && lower(b) <= 'f'
}

func isB64(b byte) bool { return isAlnum(b) || b == '+' || b == '/' || b == '-' || b == '_' }

// hasFormatChar reports whether s holds an invisible format character
// (zero-width space, joiner, soft hyphen, BOM…).
func hasFormatChar(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.Is(unicode.Cf, r) {
			return true
		}
		i += n
	}
	return false
}

func rot13Byte(c byte) byte {
	switch {
	case 'a' <= c && c <= 'z':
		return 'a' + (c-'a'+13)%26
	case 'A' <= c && c <= 'Z':
		return 'A' + (c-'A'+13)%26
	}
	return c
}

func rot13(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = rot13Byte(c)
	}
	return string(b)
}

// b64Run widens [i, j) to the whole run of base64 characters around it,
// with its padding.
func b64Run(s string, i, j int) (int, int) {
	for i > 0 && isB64(s[i-1]) {
		i--
	}
	for j < len(s) && isB64(s[j]) {
		j++
	}
	for j < len(s) && s[j] == '=' {
		j++
	}
	return i, j
}

// decodeB64Run decodes a base64 run for the evidence, trying the alignments
// a run that began mid-word needs. It returns the first decoding that holds
// value, or value itself.
func decodeB64Run(run, value string) string {
	run = strings.TrimRight(run, "=")
	run = strings.NewReplacer("-", "+", "_", "/").Replace(run)
	for off := 0; off < 4 && off < len(run); off++ {
		r := run[off:]
		if len(r)%4 == 1 {
			r = r[:len(r)-1]
		}
		d, err := base64.RawStdEncoding.DecodeString(r)
		if err != nil {
			continue
		}
		if _, _, ok := matchSpaced(string(d), value, false); ok {
			return bounded(strings.ToValidUTF8(string(d), "\uFFFD"))
		}
	}
	return value
}

// percentDecode decodes %XX escapes and '+', leaving malformed escapes as
// they are.
func percentDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		case s[i] == '+':
			b.WriteByte(' ') // form encoding
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return lower(c) - 'a' + 10
}
