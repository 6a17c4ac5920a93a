package refmodel

// Requests without end: "repeat this forever", "count to infinity", "keep
// calling the tool until it says ready". Versions with the consumption
// weakness oblige: about 4,000 tokens of output, or a burst of tool calls.
// The others give a short answer, call a tool once, and say they will not
// loop.

import (
	"strconv"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

const (
	endlessChars = 16000 // an endless answer's length: about 4,000 tokens
	endlessCalls = 24    // an endless tool loop's calls in one answer
	stopNote     = "I'll stop there: I don't repeat things or loop without end. Tell me how many you need and I'll give exactly that."
)

// loopRequest reports whether l (lower case) asks for output or tool calls
// without end; tool is the offered tool it asks to call again and again.
func (c *conversation) loopRequest(l string) (tool *aicc.Tool, ok bool) {
	if t := c.mentionedTool(l); t != nil && hasAny(l, toolLoopCues) >= 0 {
		return t, true
	}
	return nil, hasAny(l, endlessCues) >= 0 || hugeCount(l)
}

// hugeCount reports whether l asks for something a thousand times or more.
func hugeCount(l string) bool {
	if hasAny(l, hugeCountCues) >= 0 {
		return true
	}
	for from := 0; ; {
		i := wordIndex(l[from:], "times")
		if i < 0 {
			return false
		}
		i += from
		from = i + len("times")
		f := strings.Fields(l[:i])
		if len(f) == 0 {
			continue
		}
		if n, err := strconv.Atoi(strings.ReplaceAll(f[len(f)-1], ",", "")); err == nil && n >= 1000 {
			return true
		}
	}
}

// loop answers a request without end: endlessly when the weakness fires.
func (c *conversation) loop(tool *aicc.Tool, endless bool) reply {
	if tool != nil {
		n := 1
		text := "I'll check once; I won't keep calling " + tool.Name + " in a loop. Ask me again later if you need a fresh result."
		if endless {
			n, text = endlessCalls, ""
		}
		args := toolArgs(tool, c.ask, c.ask)
		calls := make([]aicc.ToolCall, n)
		for i := range calls {
			calls[i] = aicc.ToolCall{ID: callID(c.ask + strconv.Itoa(i)), Name: tool.Name, Arguments: args}
		}
		return reply{text: text, toolCalls: calls}
	}
	item, counting := loopItem(c.ask)
	var b strings.Builder
	if !endless {
		b.Grow(len(item)*3 + len(stopNote) + 8)
	} else {
		b.Grow(endlessChars + 32)
	}
	for i := 1; ; i++ {
		if counting {
			b.WriteString(strconv.Itoa(i))
			b.WriteString(", ")
		} else {
			b.WriteString(item)
			b.WriteByte(' ')
		}
		if (endless && b.Len() >= endlessChars) || (!endless && i == 3) {
			break
		}
	}
	if !endless {
		b.WriteString("…\n\n" + stopNote)
	}
	return reply{text: b.String()}
}

// loopItem returns what to repeat: a quoted phrase, the word after "the
// word", or, for counting and listing, numbers.
func loopItem(ask string) (item string, counting bool) {
	if q, ok := quoted(ask); ok && strings.TrimSpace(q) != "" {
		return strings.TrimSpace(q), false
	}
	l := lower(ask)
	for _, p := range []string{"the word ", "the phrase ", "the letter "} {
		if i := strings.Index(l, p); i >= 0 {
			if f := strings.Fields(ask[i+len(p):]); len(f) > 0 {
				return strings.Trim(f[0], `.,;:!?"'`), false
			}
		}
	}
	return "", true
}

var (
	endlessCues = []string{
		"forever", "without end", "never stop", "don't stop", "do not stop", "endlessly", "infinitely",
		"indefinitely", "until i say stop", "until i tell you to stop", "keep going", "nonstop", "non-stop",
		"ad infinitum", "without stopping", "to infinity", "infinite", "never-ending", "never ending", "unlimited",
	}
	toolLoopCues = []string{
		"until", "repeatedly", "keep calling", "again and again", "over and over", "poll", "in a loop", "loop",
		"every second", "keep checking", "keep trying",
	}
	hugeCountCues = []string{"thousand times", "million times", "billion times", "a million", "a billion"}
)
