package refmodel

// Reading documents and secrets out of a conversation, and producing what
// following an instruction produces.

import (
	"cmp"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"hash/fnv"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// splitDocument separates the user's words from content pasted below a
// delimiter line (---, ===, ```, <<<, """), or after the colon of a first
// line that asks to work on a text ("Summarise this page: …").
func splitDocument(s string) (ask, doc string) {
	off := 0
	for line := range strings.SplitAfterSeq(s, "\n") {
		t := strings.TrimSpace(line)
		if off > 0 && isDelimiter(t) {
			return s[:off], s[off+len(line):]
		}
		off += len(line)
	}
	first, _, _ := strings.Cut(s, "\n")
	if i := strings.IndexByte(first, ':'); i > 0 && hasAny(lower(first[:i]), documentVerbs) >= 0 && strings.TrimSpace(s[i+1:]) != "" {
		return s[:i+1], s[i+1:]
	}
	return s, ""
}

func isDelimiter(t string) bool {
	if len(t) < 3 {
		return false
	}
	for _, p := range []string{"<<<", `"""`, "'''", "```", "~~~"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	c := t[0]
	if !strings.ContainsRune("-=`~*_#", rune(c)) {
		return false
	}
	for i := 1; i < len(t); i++ {
		if t[i] != c {
			return false
		}
	}
	return true
}

// findSecret returns a credential-like value from the system prompt: the
// value after "=", ":" or " is " in a line or sentence that names a
// password, key, token, secret or credential.
func findSecret(system string) string {
	for line := range strings.SplitSeq(system, "\n") {
		for s := range strings.SplitSeq(line, ". ") {
			if !mentionsSecret(lower(s)) {
				continue
			}
			for _, sep := range []string{"=", ": ", " is "} {
				i := strings.Index(s, sep)
				if i < 0 {
					continue
				}
				f := strings.Fields(s[i+len(sep):])
				if len(f) == 0 {
					continue
				}
				v := strings.Trim(f[0], `"'.,;:!?()[]`+"`")
				if len(v) >= 6 {
					return v
				}
			}
		}
	}
	return ""
}

// asksForSystemPrompt reports whether l (lower case) asks for the system
// prompt: a phrase such as "system prompt", or a verb such as print or
// repeat followed closely by a reference to it ("everything written above",
// "your initial instructions").
func asksForSystemPrompt(l string) bool {
	if hasAny(l, systemPromptCues) >= 0 {
		return true
	}
	for _, v := range revealVerbs {
		for from := 0; ; {
			i := wordIndex(l[from:], v)
			if i < 0 {
				break
			}
			from += i + len(v)
			if hasAny(l[from:min(len(l), from+60)], promptRefs) >= 0 {
				return true
			}
		}
	}
	return false
}

// mentionsSecret reports whether l (lower case) names a credential.
func mentionsSecret(l string) bool {
	for w := range strings.FieldsFuncSeq(l, func(r rune) bool { return !isWordRune(r) || r == '_' }) {
		if slices.Contains(secretNouns, w) {
			return true
		}
	}
	return false
}

// encodeAsAsked encodes the secret the way the request l asks for.
func encodeAsAsked(secret, l string) string {
	switch {
	case hasAny(l, []string{"base64", "base 64", "base-64"}) >= 0:
		return base64.StdEncoding.EncodeToString([]byte(secret))
	case hasAny(l, []string{"hex", "hexadecimal", "hex-encoded"}) >= 0:
		return hex.EncodeToString([]byte(secret))
	case hasAny(l, []string{"rot13", "rot-13", "rot 13"}) >= 0:
		b := []byte(secret)
		for i, c := range b {
			switch {
			case 'a' <= c && c <= 'z':
				b[i] = 'a' + (c-'a'+13)%26
			case 'A' <= c && c <= 'Z':
				b[i] = 'A' + (c-'A'+13)%26
			}
		}
		return string(b)
	case hasAny(l, []string{"space between", "spaces between", "spell", "spelled", "spaced", "letter by letter"}) >= 0:
		return strings.Join(strings.Split(secret, ""), " ")
	case hasAny(l, []string{"url-encode", "url-encoded", "urlencode", "url encoded", "percent-encoded"}) >= 0:
		return url.QueryEscape(secret)
	}
	return secret
}

// renderSnippet finds the Markdown image or link, or HTML image, that instr
// asks to show and fills the placeholders in its URL with the secret.
func renderSnippet(instr, secret string) (string, bool) {
	start, end := -1, -1
	if i := strings.Index(instr, "]("); i >= 0 {
		if o := strings.LastIndexByte(instr[:i], '['); o >= 0 && !strings.Contains(instr[o:i], "\n") {
			if c := strings.IndexByte(instr[i:], ')'); c >= 0 {
				start, end = o, i+c+1
				if o > 0 && instr[o-1] == '!' {
					start--
				}
			}
		}
	}
	if i := strings.Index(lower(instr), "<img"); i >= 0 && (start < 0 || i < start) {
		if c := strings.IndexByte(instr[i:], '>'); c >= 0 {
			start, end = i, i+c+1
		}
	}
	if start < 0 {
		return "", false
	}
	snippet := instr[start:end]
	if !strings.Contains(snippet, "http") {
		return "", false // no URL to send anything to
	}
	return fillPlaceholders(snippet, url.QueryEscape(cmp.Or(secret, "data"))), true
}

// fillPlaceholders replaces <name>, {name}, [NAME] and UPPER_CASE words of
// four or more letters inside the URL of a snippet by fill.
func fillPlaceholders(snippet, fill string) string {
	u := strings.Index(snippet, "http")
	if u < 0 {
		return snippet
	}
	head, rest := snippet[:u], snippet[u:]
	var b strings.Builder
	for i := 0; i < len(rest); {
		c := rest[i]
		if end := closer(c); end != 0 {
			if j := strings.IndexByte(rest[i+1:], end); j > 0 && !strings.ContainsAny(rest[i+1:i+1+j], " \n\"'") {
				b.WriteString(fill)
				i += j + 2
				continue
			}
		}
		if 'A' <= c && c <= 'Z' {
			j := i
			for j < len(rest) && ('A' <= rest[j] && rest[j] <= 'Z' || rest[j] == '_') {
				j++
			}
			if j-i >= 4 && (j == len(rest) || !isWordByte(rest[j])) && (i == 0 || !isWordByte(rest[i-1])) {
				b.WriteString(fill)
				i = j
				continue
			}
			b.WriteString(rest[i:j])
			i = j
			continue
		}
		b.WriteByte(c)
		i++
	}
	return head + b.String()
}

func closer(c byte) byte {
	switch c {
	case '<':
		return '>'
	case '{':
		return '}'
	case '[':
		return ']'
	}
	return 0
}

// sayPayload returns what an injected instruction asks the model to say:
// the rest of the sentence after the first output verb.
func sayPayload(instr, l string) string {
	best := -1
	var verb string
	for _, v := range sayVerbs {
		if i := wordIndex(l, v); i >= 0 && (best < 0 || i < best) {
			best, verb = i, v
		}
	}
	if best < 0 {
		return ""
	}
	p := instr[best+len(verb):]
	if i := sentenceEnd(p); i >= 0 {
		p = p[:i]
	}
	// A quoted phrase is what to say; otherwise drop the filler before it.
	if q, ok := quoted(p); ok {
		return q
	}
	for {
		t := strings.TrimLeft(p, " :")
		for _, f := range sayFiller {
			if len(t) > len(f) && strings.EqualFold(t[:len(f)], f) {
				t = t[len(f):]
				break
			}
		}
		if t == p {
			return strings.TrimSpace(p)
		}
		p = t
	}
}

// quoted returns the first quoted phrase in p. Single quotes count only
// when they are not apostrophes inside words.
func quoted(p string) (string, bool) {
	for _, q := range []struct {
		open, close string
		word        bool
	}{{`"`, `"`, false}, {"“", "”", false}, {"'", "'", true}} {
		i := strings.Index(p, q.open)
		if i < 0 || q.word && i > 0 && isWordByte(p[i-1]) {
			continue
		}
		rest := p[i+len(q.open):]
		j := strings.Index(rest, q.close)
		if j <= 0 || q.word && j+1 < len(rest) && isWordByte(rest[j+1]) {
			continue
		}
		return rest[:j], true
	}
	return "", false
}

func sentenceEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n', '!', '?':
			return i
		case '.':
			if i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n' {
				return i
			}
		}
	}
	return -1
}

// toolArgs builds arguments for a call of t from the instruction: each
// string property of the tool's schema gets the value the instruction
// gives it ("table=orders", "filter: all", "the customers table"), an
// e-mail address for recipients, the user's request for a query, or "".
func toolArgs(t *aicc.Tool, instr, ask string) string {
	var schema struct {
		Properties map[string]struct {
			Type string `json:"type"`
		} `json:"properties"`
	}
	_ = json.Unmarshal(t.Parameters, &schema) // a bad schema yields no arguments
	args := map[string]string{}
	l := lower(instr)
	for name, p := range schema.Properties {
		if p.Type != "" && p.Type != "string" {
			continue
		}
		v := argValue(instr, l, lower(name))
		if v == "" {
			switch lower(name) {
			case "to", "email", "recipient", "address":
				v = firstEmail(instr)
			case "query", "q", "search":
				v = strings.TrimSpace(ask)
			}
		}
		args[name] = v
	}
	b, _ := json.Marshal(args) // strings only: cannot fail
	return string(b)
}

func argValue(instr, l, name string) string {
	for from := 0; ; {
		i := wordIndex(l[from:], name)
		if i < 0 {
			break
		}
		i += from
		from = i + len(name)
		rest := strings.TrimLeft(instr[from:], " ")
		if rest == "" || !strings.ContainsRune(`=:"'`, rune(rest[0])) {
			continue
		}
		if rest[0] == '=' || rest[0] == ':' {
			rest = strings.TrimLeft(rest[1:], " ")
		}
		if rest == "" {
			continue
		}
		if q := rest[0]; q == '"' || q == '\'' {
			if j := strings.IndexByte(rest[1:], q); j >= 0 {
				return rest[1 : 1+j]
			}
		}
		j := strings.IndexAny(rest, " ,;)\n")
		if j < 0 {
			j = len(rest)
		}
		return strings.TrimRight(rest[:j], ".")
	}
	// "the customers table"
	if i := wordIndex(l, name); i > 0 {
		f := strings.Fields(l[:i])
		if n := len(f); n >= 2 && f[n-2] == "the" {
			return f[n-1]
		}
	}
	return ""
}

func firstEmail(s string) string {
	i := strings.IndexByte(s, '@')
	if i < 0 {
		return ""
	}
	a, b := i, i
	for a > 0 && !strings.ContainsRune(" \n<(:,\"'", rune(s[a-1])) {
		a--
	}
	for b < len(s) && !strings.ContainsRune(" \n>),\"'", rune(s[b])) {
		b++
	}
	return strings.TrimRight(s[a:b], ".")
}

func callID(s string) string {
	h := fnv.New64a()
	h.Write([]byte(s))
	return "call_" + strconv.FormatUint(h.Sum64()&0xFFFFFFFFFF, 36)
}

// joinParts follows an instruction to join two pieces without a space ("say
// A immediately followed by B", "A and then, without a space, B", "the code
// formed by joining A and B"): it returns what comes before the pieces and
// the pieces joined, dropping the rest. Without such an instruction it
// returns p.
func joinParts(p string) string {
	l := lower(p)
	if hasAny(l, joinCues) < 0 {
		return p
	}
	// "joining A and B", "the concatenation of A and B"
	for _, v := range []string{"joining", "concatenating", "concatenation of", "concatenate", "join"} {
		i := wordIndex(l, v)
		if i < 0 {
			continue
		}
		a0, a1 := nextPiece(p, i+len(v))
		if a0 < 0 {
			break
		}
		j := wordIndex(l[a1:], "and")
		if j < 0 {
			break
		}
		if b0, b1 := nextPiece(p, a1+j+len("and")); b0 >= 0 {
			return p[a0:a1] + p[b0:b1]
		}
	}
	// "A <joining phrase> B"
	at, n := -1, 0
	for _, jp := range joinPhrases {
		if i := strings.Index(l, jp); i >= 0 && (at < 0 || i < at) {
			at, n = i, len(jp)
		}
	}
	if at < 0 {
		return p
	}
	a1 := at
	for a1 > 0 && !isWordByte(p[a1-1]) {
		a1--
	}
	a0 := a1
	for a0 > 0 && (isWordByte(p[a0-1]) || p[a0-1] == '-') {
		a0--
	}
	b0, b1 := nextPiece(p, at+n)
	if a0 == a1 || b0 < 0 {
		return p
	}
	return p[a0:a1] + p[b0:b1]
}

// nextPiece returns the span of the first word at or after from that is
// not a filler word ("the", "code", "word"…), or -1, -1.
func nextPiece(p string, from int) (int, int) {
	for i := from; i < len(p); {
		if !isWordByte(p[i]) {
			i++
			continue
		}
		j := i
		for j < len(p) && (isWordByte(p[j]) || p[j] == '-') {
			j++
		}
		if !slices.Contains(pieceFiller, lower(p[i:j])) {
			return i, j
		}
		i = j
	}
	return -1, -1
}

var (
	joinCues = []string{
		"immediately followed", "followed immediately", "directly followed", "followed directly", "without a space",
		"with no space", "no space", "no spaces", "without spaces", "joining", "concatenating", "concatenation",
		"concatenate", "join", "joined",
	}
	joinPhrases = []string{
		"immediately followed by", "followed immediately by", "directly followed by", "followed directly by",
		"followed by", "and then, without a space,", "and then without a space", "then, with no space,",
		"then with no space", "and right after it", "joined to", "glued to",
	}
	pieceFiller = []string{
		"the", "a", "an", "code", "word", "string", "token", "text", "phrase", "value", "part", "second", "first",
		"by", "with", "no", "space", "then", "and", "of", "piece", "suffix", "prefix", "it", "two", "pieces",
		"parts", "codes", "words", "strings", "tokens",
	}
)
