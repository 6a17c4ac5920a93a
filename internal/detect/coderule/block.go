package coderule

import (
	"regexp"
	"strings"
)

// Block is one piece of code in a response.
type Block struct {
	// Lang is the block's language: from the fence's tag (canonical when it
	// names a language rules exist for, e.g. "python" for "py", else the tag
	// in lower case, e.g. "bash"), or guessed when the block is untagged;
	// "" when unknown.
	Lang string
	Tag  string // the fence's tag as written ("" when untagged or unfenced)
	Code string
	Line int // the line of the response where Code starts, 1-based
}

// Blocks returns the code blocks of a model's response: each fenced block
// (``` or ~~~, with an optional language tag; an unclosed fence runs to the
// end, as in a response cut off by a token limit). A response with no fence
// at all that looks like code is one untagged block. Empty blocks are left out.
func Blocks(text string) []Block {
	var (
		out      []Block
		fenced   bool   // a fence was seen
		in       bool   // inside a fence
		fch      byte   // its character
		flen     int    // its length
		tag      string // its tag
		start    int    // offset where its code starts
		startNo  int    // line number where its code starts
		lineNo   int
		lineFrom int
	)
	for lineFrom <= len(text) {
		end := lineEnd(text, lineFrom)
		line := strings.TrimLeft(text[lineFrom:end], " \t")
		lineNo++
		c, n := fence(line)
		switch {
		case !in && n >= 3 && !(c == '`' && strings.ContainsRune(line[n:], '`')):
			fenced, in, fch, flen = true, true, c, n
			tag = infoWord(line[n:])
			start, startNo = min(end+1, len(text)), lineNo+1
		case in && c == fch && n >= flen && strings.TrimSpace(line[n:]) == "":
			in = false
			out = appendBlock(out, tag, text[start:lineFrom], startNo)
		}
		lineFrom = end + 1
	}
	switch {
	case in:
		out = appendBlock(out, tag, text[start:], startNo)
	case !fenced && looksLikeCode(text):
		out = appendBlock(out, "", text, 1)
	}
	return out
}

func appendBlock(out []Block, tag, code string, line int) []Block {
	if strings.TrimSpace(code) == "" {
		return out
	}
	b := Block{Tag: tag, Code: code, Line: line}
	switch t := strings.ToLower(tag); t {
	case "", "text", "txt", "plaintext", "plain", "code":
		b.Lang, _ = Guess(code)
	default:
		b.Lang = Canonical(t)
	}
	return append(out, b)
}

// fence returns the fence character and run length at the start of line
// (0 when the line does not start with ``` or ~~~).
func fence(line string) (byte, int) {
	if line == "" || line[0] != '`' && line[0] != '~' {
		return 0, 0
	}
	n := 1
	for n < len(line) && line[n] == line[0] {
		n++
	}
	return line[0], n
}

// infoWord returns the language tag of a fence's info string:
// "python", "{.python}", "py title=x.py", "python:main.py" give "python",
// "py", "py", "python".
func infoWord(info string) string {
	info = strings.TrimLeft(strings.TrimSpace(info), "{.")
	if i := strings.IndexAny(info, " \t{}:,;"); i >= 0 {
		info = info[:i]
	}
	return info
}

// aliases maps fence tags to the languages rules are written for.
var aliases = map[string]string{
	"py": Python, "python": Python, "python3": Python, "py3": Python, "ipython": Python, "pycon": Python,
	"js": JavaScript, "javascript": JavaScript, "jsx": JavaScript, "mjs": JavaScript, "cjs": JavaScript,
	"node": JavaScript, "nodejs": JavaScript, "ts": JavaScript, "typescript": JavaScript, "tsx": JavaScript,
	"go": Go, "golang": Go,
	"c": C, "h": C, "cpp": C, "c++": C, "cc": C, "cxx": C, "hpp": C, "objective-c": C, "objc": C,
	"sql": SQL, "mysql": SQL, "postgresql": SQL, "postgres": SQL, "psql": SQL, "pgsql": SQL, "plpgsql": SQL,
	"plsql": SQL, "tsql": SQL, "t-sql": SQL, "sqlite": SQL, "mssql": SQL,
}

// Canonical returns the language name for a tag or alias ("py" → "python",
// "TypeScript" → "javascript"), or the tag in lower case when rules know no
// such language.
func Canonical(tag string) string {
	if l, ok := aliases[tag]; ok { // the common case: already canonical or lower case
		return l
	}
	t := strings.ToLower(tag)
	if l, ok := aliases[t]; ok {
		return l
	}
	return t
}

// A signal is evidence that code is in a language.
type signal struct {
	lang   string
	weight int
	sub    string         // a substring to look for, or
	re     *regexp.Regexp // a pattern
}

var signals = []signal{
	{lang: Python, weight: 3, re: re(`(?m)^[ \t]*(?:async\s+)?def \w+\(.*\)\s*(?:->[^:\n]*)?:\s*$`)},
	{lang: Python, weight: 2, re: re(`(?m)^[ \t]*(?:from [\w.]+ )?import [\w.]+(?: as \w+)?(?:, [\w.]+)*\s*$`)},
	{lang: Python, weight: 2, sub: "elif "},
	{lang: Python, weight: 3, sub: "__name__"},
	{lang: Python, weight: 1, sub: "self."},
	{lang: Python, weight: 1, re: re(`(?m)^[ \t]*(?:if|for|while|with|try|else|class)\b[^\n;{]*:\s*$`)},
	{lang: Python, weight: 1, re: re(`\b(?:None|True|False)\b`)},

	{lang: JavaScript, weight: 2, re: re(`(?m)^[ \t]*(?:export\s+)?(?:const|let|var)\s+[\w${}\[\], ]+\s*=`)},
	{lang: JavaScript, weight: 1, sub: "=>"},
	{lang: JavaScript, weight: 3, sub: "console.log("},
	{lang: JavaScript, weight: 2, sub: "require("},
	{lang: JavaScript, weight: 3, re: re(`(?m)^[ \t]*import\s[^\n]*\bfrom\s+["']`)},
	{lang: JavaScript, weight: 3, sub: "module.exports"},
	{lang: JavaScript, weight: 2, sub: "==="},
	{lang: JavaScript, weight: 1, re: re(`\bfunction\s*\w*\s*\(`)},
	{lang: JavaScript, weight: 1, sub: "document."},

	{lang: Go, weight: 4, re: re(`(?m)^package \w+\s*$`)},
	{lang: Go, weight: 3, re: re(`(?m)^func [\w(]`)},
	{lang: Go, weight: 2, sub: ":="},
	{lang: Go, weight: 2, sub: "fmt."},
	{lang: Go, weight: 3, sub: "err != nil"},
	{lang: Go, weight: 3, re: re(`(?m)^import \(`)},

	{lang: C, weight: 4, re: re(`(?m)^[ \t]*#include\s*[<"]`)},
	{lang: C, weight: 3, re: re(`\bint\s+main\s*\(`)},
	{lang: C, weight: 1, sub: "printf("},
	{lang: C, weight: 2, re: re(`\b(?:malloc|free|strcpy|strcat|sizeof)\s*\(`)},
	{lang: C, weight: 2, re: re(`(?m)^[ \t]*(?:(?:unsigned|static|const|struct)\s+)*(?:int|char|void|size_t|long|double|float)\s+\*?\w+\s*[\[=;(]`)},
	{lang: C, weight: 1, sub: "NULL"},
	{lang: C, weight: 3, sub: "std::"},

	{lang: SQL, weight: 3, re: re(`(?im)^[ \t]*(?:select\s[^\n]*\bfrom\b|insert\s+into\b|update\s+\w+\s+set\b|delete\s+from\b|create\s+(?:or\s+replace\s+)?(?:table|view|index|function|procedure|trigger|role|user)\b|alter\s+table\b|drop\s+table\b|grant\s|revoke\s|begin\s+transaction\b|declare\s+@)`)},
	{lang: SQL, weight: 2, re: re(`(?i)\bwhere\s+\w+\s*=\s*(?:'|@|\$\d|\?)`)},
}

// minGuess is the least score Guess accepts.
const minGuess = 3

// Guess guesses the language of untagged code from keywords and shapes
// typical of Python, JavaScript, Go, C and SQL. It returns "" when no
// language scores well enough, with the best score either way.
func Guess(code string) (string, int) {
	var scores [5]int // in the order of Languages
	for i := range signals {
		s := &signals[i]
		if s.sub != "" && strings.Contains(code, s.sub) || s.re != nil && s.re.MatchString(code) {
			scores[langIndex(s.lang)] += s.weight
		}
	}
	best, lang := 0, ""
	for i, l := range Languages() {
		if scores[i] > best {
			best, lang = scores[i], l
		}
	}
	if best < minGuess {
		return "", best
	}
	return lang, best
}

func langIndex(lang string) int {
	switch lang {
	case Python:
		return 0
	case JavaScript:
		return 1
	case Go:
		return 2
	case C:
		return 3
	}
	return 4
}

// looksLikeCode reports whether unfenced text reads as code: most of its
// lines end or start the way code lines do, and either a language scores
// or there are at least two such lines. Prose ends its lines with full
// stops and question marks.
func looksLikeCode(text string) bool {
	lines, codeish := 0, 0
	for line := range strings.Lines(text) {
		l := strings.TrimSpace(line)
		if l == "" {
			continue
		}
		lines++
		if codeLine(l) {
			codeish++
		}
	}
	if lines == 0 || 2*codeish < lines {
		return false
	}
	if codeish >= 2 {
		return true
	}
	_, score := Guess(text)
	return score >= minGuess
}

// codeLine reports whether a trimmed line looks like a line of code.
func codeLine(l string) bool {
	switch l[len(l)-1] {
	case ';', '{', '}', ')', ']':
		return true
	}
	for _, p := range []string{"#include", "import ", "from ", "def ", "func ", "package ", "//", "SELECT ", "select "} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return assignment.MatchString(l)
}

var assignment = re(`^[\w.\[\]"']+\s*(?::=|=)\s*\S`)
