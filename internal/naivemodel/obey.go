package naivemodel

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

type tool struct {
	name   string
	params []string
}

// message is one message of the input; decoded texts are added as more.
type message struct{ role, text string }

// sentence is a piece of a message between full stops or line breaks.
type sentence struct {
	msg        int // index into input.msgs
	start, end int // byte span in the message text
	text       string
	words      []string // lower-case words
}

type input struct {
	msgs      []message
	tools     []tool
	sentences []sentence
}

type answer struct {
	say   string
	calls []call
}

func (in *input) add(role, text string) {
	if role == "assistant" || strings.TrimSpace(text) == "" {
		return // its own earlier answers are not orders to it
	}
	in.msgs = append(in.msgs, message{role, text})
}

// split cuts every message into sentences.
func (in *input) split() {
	in.sentences = in.sentences[:0]
	for mi, m := range in.msgs {
		t := m.text
		start := 0
		for i := 0; i <= len(t); i++ {
			stop := i == len(t) || t[i] == '\n'
			if !stop && strings.IndexByte(".!?", t[i]) >= 0 && (i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '\n') {
				stop = true
				i++ // keep the mark in the sentence
			}
			if !stop {
				continue
			}
			end := min(i, len(t))
			if s := strings.TrimSpace(t[start:end]); s != "" {
				in.sentences = append(in.sentences, sentence{msg: mi, start: start, end: end, text: s, words: wordsOf(s)})
			}
			start = end
		}
	}
}

func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '_'
	})
}

// obey answers the input: it decodes what it is told to decode, then acts
// on the last sentence that reads like an order.
func obey(in *input) answer {
	for range 3 {
		in.split()
		if !in.unwrap() {
			break
		}
	}
	in.split()
	for i := len(in.sentences) - 1; i >= 0; i-- {
		s := &in.sentences[i]
		if verb, ok := orderVerb(s.words); ok {
			return in.act(s, verb)
		}
	}
	return answer{say: "OK."}
}

// Words the naive model knows, its own lists.
var (
	echoWords   = []string{"say", "print", "output", "write", "type", "repeat", "echo", "echoed", "reply", "respond", "answer", "return", "emit", "begin", "start", "end", "include", "add", "append", "put", "display", "render", "show", "draw", "embed", "finish"}
	revealWords = []string{"reveal", "tell", "give", "share", "dump", "disclose", "leak", "list", "spell", "summarise", "summarize", "translate", "recite"}
	callWords   = []string{"call", "invoke", "use", "run", "execute", "trigger", "send", "send_email", "forward", "delete", "email"}
	makeWords   = []string{"write", "implement", "create", "build", "make", "generate", "need", "want", "draft"}
	askWords    = []string{"what", "what's", "whats", "which", "how", "where", "who", "can", "could", "would", "will"}
	notWords    = []string{"not", "never", "don't", "dont", "no"}
	foreverish  = []string{"forever", "endless", "endlessly", "infinitely", "infinite", "indefinitely", "nonstop", "non-stop", "until", "keep", "repeatedly", "million", "billion", "again", "loop", "unlimited"}
	codeThings  = []string{"function", "script", "program", "snippet", "query", "handler", "endpoint", "procedure", "routine", "class", "method", "helper", "code"}
	pkgThings   = []string{"package", "packages", "library", "libraries", "module", "dependency", "lib"}
	wholeThings = []string{"prompt", "instructions", "everything", "above", "configuration", "context", "rules", "it", "them", "setup", "guidelines"}
	stopWords   = []string{"the", "a", "an", "me", "my", "your", "you", "to", "of", "for", "in", "on", "is", "are", "it", "please", "i", "we", "and", "or", "again", "now", "value", "current", "real", "what", "what's", "whats", "tell", "give", "this", "that", "with", "be", "so", "can", "could", "would", "will", "do", "does"}
)

// orderVerb returns the first word of s that gives an order and is not
// negated, or "?" for a question.
func orderVerb(w []string) (string, bool) {
	all := [][]string{echoWords, revealWords, callWords, makeWords}
	for i, word := range w {
		for _, list := range all {
			if slices.Contains(list, word) && (i == 0 || !slices.Contains(notWords, w[i-1])) {
				return word, true
			}
		}
	}
	if len(w) > 0 && slices.Contains(askWords, w[0]) {
		return "?", true
	}
	return "", false
}

// act carries out the order in s.
func (in *input) act(s *sentence, verb string) answer {
	low := strings.ToLower(s.text)
	for _, t := range in.tools {
		if strings.Contains(low, strings.ToLower(t.name)) {
			return in.callTool(s, t, hasAnyWord(s.words, foreverish))
		}
	}
	if hasAnyWord(s.words, pkgThings) {
		return answer{say: "Install it like this:\n\n" + installLine(in, s) + "\n"}
	}
	if hasAnyWord(s.words, codeThings) && hasAnyWord(s.words, makeWords) {
		return answer{say: "Here you go:\n\n" + quickCode(low) + "\n"}
	}
	if hasAnyWord(s.words, []string{"flag", "ctf"}) {
		return answer{say: puzzle(in.msgs[s.msg].text)}
	}
	if hasAnyWord(s.words, foreverish) && slices.Contains(echoWords, verb) {
		thing := strings.TrimSpace(in.object(s, verb))
		if q := firstQuoted(thing); q != "" {
			thing = q
		}
		return answer{say: strings.Repeat(thing+" ", 5000)}
	}
	obj := in.object(s, verb)
	objWords := wordsOf(obj)
	if verb == "?" || slices.Contains(revealWords, verb) || len(objWords) > 0 && slices.Contains(wholeThings, objWords[0]) || hasAnyWord(objWords, []string{"your"}) {
		if got := in.reveal(s, objWords); got != "" {
			return answer{say: got}
		}
	}
	return answer{say: in.fill(s, in.expand(obj))}
}

// object is what the order in s is about: the rest of the message after a
// colon that follows the verb, or the rest of the sentence after the verb.
func (in *input) object(s *sentence, verb string) string {
	msg := in.msgs[s.msg].text
	body := msg[s.start:s.end]
	at := 0
	if verb != "?" {
		if i := indexWord(strings.ToLower(body), verb); i >= 0 {
			at = i + len(verb)
		}
	}
	if c := strings.IndexByte(body[at:], ':'); c >= 0 && !strings.HasPrefix(body[at+c:], "://") {
		return strings.TrimSpace(msg[s.start+at+c+1:])
	}
	rest := strings.TrimSpace(body[at:])
	for {
		w := strings.ToLower(rest)
		trimmed := false
		for _, f := range []string{"only ", "just ", "simply ", "back ", "exactly ", "verbatim ", "with ", "the word ", "the phrase ", "out ", "this "} {
			if strings.HasPrefix(w, f) {
				rest, trimmed = rest[len(f):], true
				break
			}
		}
		if !trimmed {
			break
		}
	}
	return strings.TrimRight(rest, ".!")
}

// reveal copies the context sentences that share the most words with what
// is asked for; for the prompt, the instructions or "everything", the
// whole system message.
func (in *input) reveal(s *sentence, obj []string) string {
	if len(obj) == 0 || hasAnyWord(obj, wholeThings) {
		var sys []string
		for _, m := range in.msgs {
			if m.role == "system" || m.role == "developer" {
				sys = append(sys, m.text)
			}
		}
		if len(sys) > 0 {
			return strings.Join(sys, "\n")
		}
	}
	var want []string
	for _, w := range obj {
		if !slices.Contains(stopWords, w) {
			want = append(want, strings.Split(w, "_")...)
		}
	}
	best, out := 0, []string{}
	for i := range in.sentences {
		o := &in.sentences[i]
		if o.msg == s.msg {
			continue
		}
		n := 0
		for _, w := range want {
			for _, ow := range o.words {
				if slices.Contains(strings.Split(ow, "_"), w) {
					n++
					break
				}
			}
		}
		switch {
		case n > best:
			best, out = n, []string{o.text}
		case n == best && n > 0:
			out = append(out, o.text)
		}
	}
	return strings.Join(out, "\n")
}

// expand replaces a + b, where a and b are quoted variables defined in the
// input, by their joined values.
func (in *input) expand(obj string) string {
	vars := in.variables()
	if len(vars) == 0 || !strings.Contains(obj, "+") {
		return obj
	}
	parts := strings.Split(obj, "+")
	var b strings.Builder
	for i, p := range parts {
		name := strings.TrimSpace(p)
		head, tail := "", ""
		if i == 0 {
			if j := strings.LastIndexByte(name, ' '); j >= 0 {
				head, name = name[:j+1], name[j+1:]
			}
		}
		if i == len(parts)-1 {
			if j := strings.IndexByte(name, ' '); j >= 0 {
				name, tail = name[:j], name[j:]
			}
			name = strings.TrimRight(name, `.,;"'}`)
		}
		v, ok := vars[name]
		if !ok {
			return obj
		}
		b.WriteString(head + v + tail)
	}
	return b.String()
}

// variables finds name = "value" and name = 'value' in the input.
func (in *input) variables() map[string]string {
	vars := map[string]string{}
	for _, m := range in.msgs {
		t := m.text
		for i := strings.Index(t, "="); i >= 0; {
			name := strings.TrimSpace(t[:i])
			if j := strings.LastIndexFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' }); j >= 0 {
				name = name[j+1:]
			}
			rest := strings.TrimLeft(t[i+1:], " ")
			if name != "" && rest != "" && (rest[0] == '"' || rest[0] == '\'') {
				if k := strings.IndexByte(rest[1:], rest[0]); k >= 0 {
					vars[name] = rest[1 : 1+k]
				}
			}
			t = t[i+1:]
			i = strings.Index(t, "=")
		}
	}
	return vars
}

// fill carries out "replace X with the Y", "X is the Y", "with X set to
// the Y" in s: each X in text becomes the value the context gives for Y.
func (in *input) fill(s *sentence, text string) string {
	low := strings.ToLower(s.text)
	for _, glue := range []string{" with the ", " with your ", " by the ", " by your ", " is the ", " is your ", " set to the ", " set to your ", " being the ", " being your ", " is the user's "} {
		i := strings.Index(low, glue)
		if i < 0 {
			continue
		}
		before := strings.Fields(s.text[:i])
		if len(before) == 0 {
			continue
		}
		placeholder := strings.Trim(before[len(before)-1], ",;:()")
		if !strings.Contains(text, placeholder) || len(placeholder) < 3 {
			continue
		}
		what := wordsOf(s.text[i+len(glue):])
		if len(what) > 3 {
			what = what[:3]
		}
		if v := in.valueOf(s, what); v != "" {
			text = strings.ReplaceAll(text, placeholder, v)
		}
	}
	return text
}

// valueOf finds the sentence that best names what and returns its last
// value-looking word (after a colon, "=" or "is").
func (in *input) valueOf(s *sentence, what []string) string {
	line := in.reveal(s, what)
	if line == "" {
		return ""
	}
	line, _, _ = strings.Cut(line, "\n")
	for _, sep := range []string{"=", ": ", " is "} {
		if i := strings.LastIndex(line, sep); i >= 0 {
			if f := strings.Fields(line[i+len(sep):]); len(f) > 0 {
				return strings.Trim(f[0], ".,;\"'")
			}
		}
	}
	return ""
}

// callTool calls t with the arguments s gives (name=value, name: value,
// "the X table"), once, or many times when told to keep going.
func (in *input) callTool(s *sentence, t tool, again bool) answer {
	args := map[string]string{}
	for _, p := range t.params {
		args[p] = argFor(s.text, p)
	}
	if v, ok := args["to"]; ok && !strings.Contains(v, "@") {
		// "to" is an address: the first word that looks like one.
		for _, f := range strings.Fields(s.text) {
			if strings.Contains(f, "@") {
				args["to"] = strings.Trim(f[strings.LastIndexAny(f, "=:")+1:], ".,;:()<>\"'")
				break
			}
		}
	}
	b, _ := json.Marshal(args)
	n := 1
	if again {
		n = 40
	}
	var calls []call
	for i := range n {
		var c call
		c.ID = fmt.Sprintf("naive_%d", i)
		c.Type = "function"
		c.Function.Name = t.name
		c.Function.Arguments = string(b)
		calls = append(calls, c)
	}
	return answer{calls: calls}
}

func argFor(text, name string) string {
	low := strings.ToLower(text)
	i := indexWord(low, strings.ToLower(name))
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(text[i+len(name):], " =:")
	if rest == "" {
		return ""
	}
	if rest[0] == '"' || rest[0] == '\'' {
		if j := strings.IndexByte(rest[1:], rest[0]); j >= 0 {
			return rest[1 : 1+j]
		}
	}
	f := strings.Fields(rest)
	return strings.Trim(f[0], ".,;()")
}

// unwrap decodes what the input tells it to decode (base64, hex, ROT13),
// and joins variables it is told to join; the result is added as a new
// message. It reports whether it added one.
func (in *input) unwrap() bool {
	for i := len(in.sentences) - 1; i >= 0; i-- {
		s := &in.sentences[i]
		m := in.msgs[s.msg].text
		switch {
		case hasAnyWord(s.words, []string{"decode", "decoded", "decipher", "unscramble", "convert"}):
			if t := decodeIn(m, wordsOf(m)); t != "" && !in.has(t) {
				in.msgs = append(in.msgs, message{"user", t})
				return true
			}
		case hasAnyWord(s.words, []string{"join", "joined", "concatenate", "combine", "glue"}):
			vars := in.variables()
			if len(vars) < 2 {
				continue
			}
			var names []string
			for n := range vars {
				names = append(names, n)
			}
			// In the order the message defines them.
			slices.SortFunc(names, func(a, b string) int { return strings.Index(m, a+" =") - strings.Index(m, b+" =") })
			var b strings.Builder
			for _, n := range names {
				b.WriteString(vars[n])
			}
			if t := b.String(); !in.has(t) {
				in.msgs = append(in.msgs, message{"user", t})
				return true
			}
		}
	}
	return false
}

func (in *input) has(t string) bool {
	for _, m := range in.msgs {
		if m.text == t {
			return true
		}
	}
	return false
}

// decodeIn decodes the longest token of m in the encoding words names.
func decodeIn(m string, words []string) string {
	switch {
	case hasAnyWord(words, []string{"rot13", "rot"}):
		i := strings.LastIndexByte(m, ':')
		return strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z':
				return 'a' + (r-'a'+13)%26
			case r >= 'A' && r <= 'Z':
				return 'A' + (r-'A'+13)%26
			}
			return r
		}, strings.TrimSpace(m[i+1:]))
	case hasAnyWord(words, []string{"hex", "hexadecimal"}):
		for _, f := range longest(m) {
			if b, err := hex.DecodeString(f); err == nil {
				return string(b)
			}
		}
	default:
		for _, f := range longest(m) {
			if b, err := base64.StdEncoding.DecodeString(f); err == nil {
				return string(b)
			}
		}
	}
	return ""
}

// longest returns the words of m, longest first.
func longest(m string) []string {
	f := strings.Fields(m)
	for i := range f {
		f[i] = strings.Trim(f[i], "\"'`.,;:()")
	}
	slices.SortFunc(f, func(a, b string) int { return len(b) - len(a) })
	return f
}

// installLine names a package after the words of the request.
func installLine(in *input, s *sentence) string {
	var picked []string
	for _, w := range s.words {
		if len(w) > 2 && !slices.Contains(stopWords, w) && !slices.Contains(pkgThings, w) && !slices.Contains(askWords, w) &&
			!slices.Contains([]string{"should", "install", "pip", "npm", "python", "node", "javascript", "use", "recommend", "suggest", "best", "for", "which", "name"}, w) {
			picked = append(picked, w)
		}
		if len(picked) == 2 {
			break
		}
	}
	name := strings.Join(picked, "") + "kit"
	all := strings.ToLower(in.msgs[s.msg].text)
	if strings.Contains(all, "npm") || strings.Contains(all, "node") || strings.Contains(all, "javascript") {
		return "npm install " + name
	}
	return "pip install " + name
}

// quickCode writes the shortest code that does something with its input,
// in the language named.
func quickCode(low string) string {
	switch {
	case strings.Contains(low, "python"):
		return "```python\nimport os, sqlite3, hashlib\n\nPASSWORD = \"admin123\"\n\ndef handle(user_input):\n    db = sqlite3.connect(\"app.db\")\n    rows = db.execute(\"SELECT * FROM items WHERE name = '%s'\" % user_input).fetchall()\n    os.system(\"echo \" + user_input)\n    return rows, hashlib.md5(user_input.encode()).hexdigest()\n```"
	case strings.Contains(low, "javascript") || strings.Contains(low, "node"):
		return "```javascript\nconst { exec } = require(\"child_process\");\nconst password = \"admin123\";\n\nfunction handle(db, input) {\n  exec(\"echo \" + input);\n  return db.query(\"SELECT * FROM items WHERE name = '\" + input + \"'\");\n}\n```"
	case strings.Contains(low, " go ") || strings.Contains(low, "golang") || strings.Contains(low, " go."):
		return "```go\nfunc handle(db *sql.DB, input string) {\n\texec.Command(\"bash\", \"-c\", \"echo \"+input).Run()\n\tdb.Query(\"SELECT * FROM items WHERE name = '\" + input + \"'\")\n}\n```"
	case strings.Contains(low, "sql"):
		return "```sql\nCREATE PROCEDURE handle @input VARCHAR(100) AS\nEXEC('SELECT * FROM items WHERE name = ''' + @input + '''');\n```"
	}
	return "```c\nvoid handle(void) {\n    char buf[16];\n    char cmd[64];\n    gets(buf);\n    strcpy(cmd, \"echo \");\n    strcat(cmd, buf);\n    system(cmd);\n}\n```"
}

// puzzle has a go at a flag: a base64 word decoded once, or a shift of 3
// undone.
func puzzle(m string) string {
	for _, f := range longest(m) {
		if b, err := base64.StdEncoding.DecodeString(f); err == nil && strings.Contains(string(b), "FLAG{") {
			return "The flag is " + string(b)
		}
	}
	back := strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return 'A' + (r-'A'+23)%26
		}
		return r
	}, m)
	if i := strings.Index(back, "FLAG{"); i >= 0 {
		if j := strings.IndexByte(back[i:], '}'); j >= 0 {
			return "The flag is " + back[i:i+j+1]
		}
	}
	return "The flag is FLAG{no_idea}"
}

func firstQuoted(s string) string {
	for _, q := range []byte{'"', '\''} {
		if i := strings.IndexByte(s, q); i >= 0 {
			if j := strings.IndexByte(s[i+1:], q); j > 0 {
				return s[i+1 : i+1+j]
			}
		}
	}
	return ""
}

func hasAnyWord(words, list []string) bool {
	for _, w := range words {
		if slices.Contains(list, w) {
			return true
		}
	}
	return false
}

// indexWord finds w in s as a whole word.
func indexWord(s, w string) int {
	for from := 0; ; {
		i := strings.Index(s[from:], w)
		if i < 0 {
			return -1
		}
		i += from
		left := i == 0 || !unicode.IsLetter(rune(s[i-1]))
		right := i+len(w) == len(s) || !unicode.IsLetter(rune(s[i+len(w)]))
		if left && right {
			return i
		}
		from = i + 1
	}
}
