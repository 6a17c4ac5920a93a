package protocol

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// A template is text with {{canary.NAME}}, {{var.NAME}} and
// {{challenge.prompt|flag}} placeholders,
// split once (at Validate) so that rendering is a loop of appends.
type template []segment

type segKind uint8

const (
	segText segKind = iota
	segCanary
	segVar
	segChallenge
)

// segment is literal text or one placeholder.
type segment struct {
	kind segKind
	text string // segText: the text; otherwise the placeholder's NAME
}

// literalOpen is the placeholder that renders as a literal "{{".
const literalOpen = `"{{"`

// parseTemplate splits s into segments. Each string in problems describes
// one malformed placeholder; the names in well-formed ones are not checked.
func parseTemplate(s string) (t template, problems []string) {
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			problems = append(problems, `unclosed "{{"; write {{"{{"}} for a literal "{{"`)
			break
		}
		t = t.appendText(s[:i])
		inner := s[i+2 : i+2+j]
		s = s[i+2+j+2:]
		name := strings.TrimSpace(inner)
		switch {
		case name == literalOpen:
			t = t.appendText("{{")
		case strings.HasPrefix(name, "canary."):
			t = append(t, segment{segCanary, name[len("canary."):]})
		case strings.HasPrefix(name, "var."):
			t = append(t, segment{segVar, name[len("var."):]})
		case name == "challenge.prompt" || name == "challenge.flag":
			t = append(t, segment{segChallenge, name[len("challenge."):]})
		default:
			problems = append(problems, fmt.Sprintf(`unknown placeholder "{{%s}}"; use {{canary.NAME}}, {{var.NAME}}, {{challenge.prompt}} or {{challenge.flag}}`, inner))
		}
	}
	return t.appendText(s), problems
}

func (t template) appendText(s string) template {
	if s == "" {
		return t
	}
	if n := len(t); n > 0 && t[n-1].kind == segText {
		t[n-1].text += s
		return t
	}
	return append(t, segment{segText, s})
}

// static reports whether t has no placeholders.
func (t template) static() bool {
	return len(t) == 0 || (len(t) == 1 && t[0].kind == segText)
}

// values are what a template's placeholders render as in one attempt.
type values struct {
	canaries map[string]string
	vars     map[string]template // the variant's, rendered with the same values
	prompt   string              // {{challenge.prompt}}
	flag     string              // {{challenge.flag}}
}

// render substitutes canary, (rendered) var and challenge values, each
// passed through esc when esc is not nil. Every name must be present:
// Validate checks the templates and Render checks the canaries before
// calling it.
func (t template) render(v *values, esc func(string) string) string {
	switch {
	case len(t) == 0:
		return ""
	case len(t) == 1 && t[0].kind == segText:
		return t[0].text
	}
	var b strings.Builder
	n := 0
	for _, s := range t {
		n += len(s.text) + 16
	}
	b.Grow(n)
	for _, s := range t {
		var x string
		switch s.kind {
		case segText:
			b.WriteString(s.text)
			continue
		case segCanary:
			x = v.canaries[s.text]
		case segVar:
			x = v.vars[s.text].render(v, nil) // var values have no var placeholders
		case segChallenge:
			x = v.prompt
			if s.text == "flag" {
				x = v.flag
			}
		}
		if esc != nil {
			x = esc(x)
		}
		b.WriteString(x)
	}
	return b.String()
}

// jsonEscape escapes s for use inside a JSON string (without the quotes).
func jsonEscape(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b.WriteByte(c)
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b.WriteString(`\ufffd`)
			} else {
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		}
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
		i++
	}
	return b.String()
}
