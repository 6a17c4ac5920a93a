package refmodel

// The phrases the model recognises, and the word-boundary matching it uses.

import "strings"

// dangerous reports whether l (lower case) holds a payload that attacks
// whatever consumes the model's output.
func dangerous(l string) bool {
	for _, m := range dangerMarkers {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}

// injectionCue returns where an instruction aimed at the model starts in
// untrusted content l (lower case), or -1.
func injectionCue(l string) int {
	a, b := overrideCue(l), hasAny(l, addressCues)
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	}
	return min(a, b)
}

// overrideCue returns where l (lower case) tries to override the model's
// instructions, or -1: a fixed phrase ("new instructions", "from now on")
// or a verb such as ignore or disregard near a noun such as instructions.
func overrideCue(l string) int {
	best := hasAny(l, overridePhrases)
	for _, v := range overrideVerbs {
		for from := 0; ; {
			i := wordIndex(l[from:], v)
			if i < 0 {
				break
			}
			i += from
			from = i + len(v)
			if best >= 0 && i >= best {
				break
			}
			lo, hi := max(0, i-32), min(len(l), i+len(v)+48)
			if hasAny(l[lo:i], overrideNouns) >= 0 || hasAny(l[i+len(v):hi], overrideNouns) >= 0 {
				best = i
				break
			}
		}
	}
	return best
}

// hasAny returns the smallest index at which one of the phrases occurs in
// l as whole words, or -1.
func hasAny(l string, phrases []string) int {
	best := -1
	for _, p := range phrases {
		if i := wordIndex(l, p); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}

// wordIndex returns the index of the first occurrence of p in l that starts
// and ends at word boundaries (where p itself starts or ends with a letter
// or digit), or -1.
func wordIndex(l, p string) int {
	if p == "" {
		return -1
	}
	for from := 0; from <= len(l)-len(p); {
		i := strings.Index(l[from:], p)
		if i < 0 {
			return -1
		}
		i += from
		j := i + len(p)
		okStart := i == 0 || !isWordByte(p[0]) || !isWordByte(l[i-1])
		okEnd := j == len(l) || !isWordByte(p[len(p)-1]) || !isWordByte(l[j])
		if okStart && okEnd {
			return i
		}
		from = i + 1
	}
	return -1
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

func isWordRune(r rune) bool { return r < 0x80 && isWordByte(byte(r)) || r >= 0x80 }

// lower lower-cases ASCII letters only, so that indexes into the result
// are indexes into s.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// The phrases the model recognises, all lower case.
var (
	overridePhrases = []string{
		"new instructions", "new instruction", "new task", "new role", "new priority", "from now on",
		"you are no longer", "system override", "admin override",
	}
	overrideVerbs = []string{
		"ignore", "disregard", "forget", "override", "bypass", "obsolete", "supersede", "supersedes",
		"superseded", "cancel", "cancelled", "canceled", "replaced", "updated", "void",
	}
	overrideNouns = []string{
		"instructions", "instruction", "rules", "rule", "guidance", "guidelines", "directions", "directives",
		"prompt", "task", "role", "told", "programming", "question", "request", "above",
	}
	addressCues = []string{
		"ai assistant", "ai assistants", "assistant:", "assistant,", "assistant must", "assistant should",
		"the assistant", "assistant instruction", "ai agent", "ai agents", "to the agent", "language model",
		"language models", "llm", "llms", "note to ai", "for ai", "to ai", "chatbot", "if you are an ai",
		"ai model", "ai system", "dear ai", "attention ai", "hey bot", "to any ai", "to the ai", "the ai:", "ai:",
	}
	personaCues = []string{
		"you are now", "act as", "pretend", "play a game", "role-play", "roleplay", "role play",
		"stay in character", "in character", "persona", "do anything now", "developer mode", "jailbreak",
		"jailbroken", "unrestricted", "no restrictions", "without restrictions", "no rules", "without rules",
		"no content rules", "broken free",
	}
	hypotheticalCues = []string{
		"hypothetical", "hypothetically", "imagine", "in a story", "fiction", "fictional", "novel", "thriller",
		"screenplay", "a scene", "that scene", "parallel universe", "alternate universe", "what would you",
		"for realism", "in a world where", "suppose",
	}
	compliantOpeners = []string{
		"sure", "of course", "no problem", "happy to help", "absolutely", "certainly", "here is", "here's", "yes",
	}
	systemPromptCues = []string{
		"system prompt", "system message", "developer message", "initial instructions", "original instructions",
		"instructions you were given", "your instructions", "your prompt", "words above", "text above",
		"everything above", "the above text", "your configuration", "context window", "before my first message",
		"before this message", "what were you told", "what you were told", "your rules", "your guidelines",
		"hidden instructions", "initial prompt", "pre-prompt", "what rules", "which rules", "rules you were given",
		"your hidden",
	}
	revealVerbs = []string{
		"print", "repeat", "show", "output", "reveal", "tell", "write", "display", "list", "dump", "give",
		"share", "recite", "translate", "summarise", "summarize", "copy", "echo", "spell", "paste", "quote",
		"paraphrase", "rewrite",
	}
	promptRefs = []string{
		"above", "prompt", "precedes", "preceding", "instructions you", "you were given", "your rules", "previous instructions", "prior instructions", "earlier instructions",
		"system instructions", "preceding", "first message", "before my message", "start of this conversation",
		"beginning of this conversation", "start of the conversation", "beginning of the conversation",
	}
	secretNouns = []string{
		"password", "passwords", "passphrase", "passcode", "secret", "secrets", "key", "keys", "apikey",
		"token", "tokens", "credential", "credentials", "pin", "session", "cookie", "bearer",
	}
	documentVerbs = []string{
		"summarise", "summarize", "summary", "translate", "proofread", "review", "check", "analyse", "analyze",
		"read", "classify", "rewrite", "paraphrase", "explain", "tl;dr", "tldr", "gist", "here is", "here's",
	}
	verbatimCues = []string{
		"verbatim", "exactly", "exact", "echo", "echoed", "word for word", "unchanged", "as written",
		"as-is", "repeat", "copy",
	}
	sayVerbs = []string{
		"say", "says", "print", "output", "write", "reply", "respond", "answer", "type", "repeat", "return",
		"state", "include", "includes", "append", "add", "echo", "begin", "begins", "start", "starts", "end",
		"ends", "display", "show",
	}
	sayFiller = []string{
		"only ", "just ", "simply ", "exactly ", "with ", "back ", "the word ", "the phrase ", "the text ",
		"the string ", "the following", "the token ", "this ", "this:",
	}
	prohibitionCues = []string{
		"never", "must not", "mustn't", "do not", "don't", "forbidden", "not allowed", "prohibited", "may not",
	}
	destructiveCues = []string{
		"drop table", "drop database", "drop schema", "truncate", "delete from", "rm -rf", "rm -fr", "rm -r",
		"mkfs", "format c:", "dd if=", "shred", "wipe",
	}
	everythingValues = []string{"/", "/*", "*", "*.*", "~", "~/", "c:\\", "c:/"}
	dangerMarkers    = []string{
		"<script", "onerror", "onload=", "javascript:", "<img", "<iframe", "<svg", "drop table", "delete from",
		"insert into", "union select", "' or ", "or 1=1", ";--", "; --", "rm -rf", "| sh", "|sh", "| bash",
		"|bash", "curl ", "wget ", "$(", "\x1b", "\x07", "\x9b",
	}
)
