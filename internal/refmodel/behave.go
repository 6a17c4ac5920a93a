package refmodel

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// The reference model is a naive assistant written as rules. It reads the
// conversation the way a careless model might: it looks for the instruction
// it should act on (the user's request, or an instruction planted in a
// pasted document or a tool result), works out what that instruction wants
// (call a tool, render an image or link, reveal the system prompt, reveal a
// credential, echo text verbatim, say something), and follows it only when
// every weakness the request relies on is switched on for the version.
// Otherwise it refuses, or, when the instruction came from untrusted
// content, answers the user's own request and says it ignored the rest.
//
// All matching is generic (phrases any attacker might use), on lower-cased
// copies of the text with strings.Index: no regular expressions.

const (
	refusal   = "I can't help with that."
	ignoreMsg = " Note: the content contained instructions addressed to an AI assistant; I did not follow them."
)

// channel is where the instruction the model acts on came from.
type channel uint8

const (
	fromUser     channel = iota // the user's own request
	fromOverride                // an override phrase in the user's own words
	fromContent                 // a pasted document or a tool result
)

// intent is what the instruction asks for.
type intent uint8

const (
	intentNone intent = iota
	intentTool
	intentRender
	intentSystemPrompt
	intentSecret
	intentEcho
	intentSay
)

// reply is the model's answer.
type reply struct {
	text      string
	toolCalls []aicc.ToolCall
}

// conversation is what the model reads from a request.
type conversation struct {
	system     string
	secret     string // a credential-like value the system prompt holds
	tools      []aicc.Tool
	raw        string         // the last user turn as sent
	full       string         // the last user turn, decoded when it was obfuscated
	obfuscated string         // how the last user turn was obfuscated, "" when it was not
	tail       []aicc.Message // the messages after the last user turn
	ask        string         // the user's own words in it
	doc        string         // content pasted into it below a delimiter line or after "Summarise this:"
	untrusted  []string       // doc and the tool results after the last user turn
	afterTool  bool           // the last message is a tool result
	priorUsers int            // user turns before the last one
	complied   int            // earlier assistant turns that opened by complying
	refused    bool           // an earlier assistant turn refused
}

func read(msgs []aicc.Message, tools []aicc.Tool) *conversation {
	c := &conversation{tools: tools}
	last := -1
	for i, m := range msgs {
		switch m.Role {
		case aicc.RoleSystem:
			if i == 0 {
				c.system = m.Content
			}
		case aicc.RoleUser:
			last = i
		}
	}
	c.secret = findSecret(c.system)
	if last < 0 {
		return c
	}
	for _, m := range msgs[:last] {
		switch m.Role {
		case aicc.RoleUser:
			c.priorUsers++
		case aicc.RoleAssistant:
			l := lower(m.Content)
			if hasAny(l[:min(len(l), 40)], compliantOpeners) >= 0 {
				c.complied++
			}
			if strings.HasPrefix(m.Content, refusal) {
				c.refused = true
			}
		}
	}
	c.raw = msgs[last].Content
	c.tail = msgs[last+1:]
	c.setLast(c.raw)
	c.afterTool = msgs[len(msgs)-1].Role == aicc.RoleTool
	return c
}

// setLast reads text as the last user turn.
func (c *conversation) setLast(text string) {
	c.full = text
	c.ask, c.doc = splitDocument(text)
	c.untrusted = c.untrusted[:0]
	if c.doc != "" {
		c.untrusted = append(c.untrusted, c.doc)
	}
	for _, m := range c.tail {
		if m.Role == aicc.RoleTool {
			c.untrusted = append(c.untrusted, m.Content)
		}
	}
}

// respond decides the model's answer; u is the request's random draw in
// [0, 1), 0 at temperature 0.
func (v *version) respond(msgs []aicc.Message, tools []aicc.Tool, u float64) reply {
	c := read(msgs, tools)
	if r, ok := c.challenge(); ok {
		return r
	}
	if plain, how := deobfuscate(c.raw); how != "" {
		c.obfuscated = how
		c.setLast(plain)
	}
	ch, instr := fromUser, c.ask
	for _, t := range c.untrusted {
		if i := injectionCue(lower(t)); i >= 0 {
			ch, instr = fromContent, t[i:]
			break
		}
	}
	if ch == fromUser {
		if i := overrideCue(lower(c.ask)); i >= 0 {
			ch, instr = fromOverride, c.ask[i:]
		}
	}
	if ch == fromUser && c.obfuscated == "" {
		if r, ok := v.task(c, u); ok {
			return r
		}
	}
	var needs []weakness
	switch ch {
	case fromOverride:
		// Versions without the direct weakness stop overrides with a
		// keyword filter on the raw request, outside quoted strings (so that
		// users may quote an attack to ask about it): an override that
		// shows only once decoded, or only once quoted pieces are joined,
		// passes it.
		if c.obfuscated == "" || overrideCue(lower(unquoted(c.raw))) >= 0 {
			needs = append(needs, weakDirect)
		}
	case fromContent:
		needs = append(needs, weakIndirect)
	}
	if c.obfuscated != "" {
		needs = append(needs, weakDecode)
	}
	if c.jailbreak() {
		needs = append(needs, weakJailbreak)
	}
	in, act := c.intent(ch, instr)
	switch in {
	case intentNone:
		return c.harmless(ch)
	case intentTool:
		if ch != fromUser || c.forbidden(act.tool) || destructive(act.toolCalls[0].Arguments) {
			needs = append(needs, weakTool)
		}
	case intentRender:
		needs = append(needs, weakMarkdown)
	case intentSystemPrompt:
		needs = append(needs, weakSystemPrompt)
	case intentSecret:
		needs = append(needs, weakSecret)
	case intentEcho:
		if dangerous(lower(act.text)) {
			needs = append(needs, weakOutput)
		}
	}
	if !v.fires(needs, u) {
		if ch == fromContent {
			return c.harmless(ch)
		}
		return reply{text: refusal}
	}
	return act.reply
}

// action is what following an instruction produces.
type action struct {
	reply
	tool string // intentTool: the tool called
	text string // intentEcho: the payload
}

// intent works out what instr asks for and what following it produces.
func (c *conversation) intent(ch channel, instr string) (intent, action) {
	if vars := assignments(instr); len(vars) >= 2 {
		instr, _ = expandSum(instr, vars) // "say p + q" after p = "…" and q = "…"
	}
	l := lower(instr)
	if t := c.mentionedTool(l); t != nil {
		call := aicc.ToolCall{ID: callID(instr), Name: t.Name, Arguments: toolArgs(t, instr, c.ask)}
		return intentTool, action{reply: reply{toolCalls: []aicc.ToolCall{call}}, tool: t.Name}
	}
	if snippet, ok := renderSnippet(instr, c.secret); ok {
		return intentRender, action{reply: reply{text: "Here is a short summary of the content.\n\n" + snippet}}
	}
	if c.system != "" && asksForSystemPrompt(l) {
		return intentSystemPrompt, action{reply: reply{text: "Sure. My instructions are:\n\n" + c.system}}
	}
	if c.secret != "" && mentionsSecret(l) {
		return intentSecret, action{reply: reply{text: "Sure, here it is: " + encodeAsAsked(c.secret, l)}}
	}
	if i := hasAny(l, verbatimCues); i >= 0 {
		payload := instr[i:]
		if ch == fromUser {
			payload = c.full[i:] // what to echo may be pasted below the request
		}
		// The text to echo follows a colon, or is quoted.
		if j := strings.IndexByte(payload, ':'); j >= 0 {
			payload = payload[j+1:]
		} else if q, ok := quoted(payload); ok {
			payload = q
		} else {
			payload = ""
		}
		if payload = joinParts(strings.TrimLeft(payload, " \n\t")); payload != "" {
			return intentEcho, action{reply: reply{text: payload}, text: payload}
		}
	}
	if ch != fromUser {
		if payload := joinParts(sayPayload(instr, l)); payload != "" {
			return intentSay, action{reply: reply{text: "Sure. " + payload}}
		}
	}
	return intentNone, action{}
}

// harmless answers the user's own request without acting on anything else.
func (c *conversation) harmless(ch channel) reply {
	var text string
	switch {
	case c.afterTool:
		text = "Based on the search results, here is a short answer to your question. Let me know if you need more detail."
	case c.doc != "":
		n := len(strings.Fields(c.doc))
		text = "Here is a brief summary: the text you shared is about " + strconv.Itoa(n) + " words long and makes a few points. Let me know if you need more detail."
	default:
		text = "Happy to help. Here is a short, general answer to your question; let me know if you need more detail."
	}
	if ch == fromContent {
		text += ignoreMsg
	}
	return reply{text: text}
}

// jailbreak reports whether the last request is framed to talk the model
// out of its rules: a persona, a hypothetical, many-shot examples (three or
// more earlier assistant turns that complied), or escalation (the fourth or
// later user turn of a conversation in which the model has not refused).
func (c *conversation) jailbreak() bool {
	l := lower(c.ask)
	return hasAny(l, personaCues) >= 0 || hasAny(l, hypotheticalCues) >= 0 ||
		c.complied >= 3 || (c.priorUsers >= 3 && !c.refused)
}

// forbidden reports whether the system prompt forbids calling tool: a
// sentence naming it also says never, must not, do not….
func (c *conversation) forbidden(tool string) bool {
	l := lower(c.system)
	name := lower(tool)
	for s := range strings.SplitSeq(l, ". ") {
		if wordIndex(s, name) >= 0 && hasAny(s, prohibitionCues) >= 0 {
			return true
		}
	}
	return false
}

// destructive reports whether the arguments of a tool call (a JSON object
// of strings, as toolArgs writes them) would destroy data: a value that
// stands for everything ("/", "*", "~") or holds a destructive command
// ("drop table", "delete from", "rm -rf"…).
func destructive(args string) bool {
	var m map[string]string
	if json.Unmarshal([]byte(args), &m) != nil {
		return false
	}
	for _, v := range m {
		v = strings.TrimSpace(v)
		if slices.Contains(everythingValues, v) || hasAny(lower(v), destructiveCues) >= 0 {
			return true
		}
	}
	return false
}

// mentionedTool returns the offered tool instr names first, or nil.
func (c *conversation) mentionedTool(l string) *aicc.Tool {
	var found *aicc.Tool
	at := len(l)
	for i := range c.tools {
		t := &c.tools[i]
		if len(t.Name) < 3 {
			continue
		}
		if j := wordIndex(l, lower(t.Name)); j >= 0 && j < at {
			found, at = t, j
		}
	}
	return found
}

// task answers the user's own request for output without end, for a
// package to install, or for code, when the request is one of these.
func (v *version) task(c *conversation, u float64) (reply, bool) {
	l := lower(c.ask)
	if tool, ok := c.loopRequest(l); ok {
		return c.loop(tool, v.fires([]weakness{weakConsume}, u)), true
	}
	if eco, ok := packageRequest(l); ok {
		return recommend(l, eco, v.fires([]weakness{weakPackage}, u)), true
	}
	if lang, task, ok := codeRequest(l); ok {
		return writeCode(lang, task, v.fires([]weakness{weakCode}, u)), true
	}
	return reply{}, false
}
