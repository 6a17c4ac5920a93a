// Package coderule finds classic weaknesses in code a model wrote. It owns
// the extraction of code blocks from a response (Blocks), the guess of an
// untagged block's language, and a fixed set of rules for Python,
// JavaScript (and TypeScript), Go, C (and C++) and SQL, plus a few that
// apply to any language (hard-coded secrets). Each rule names its CWE.
//
// The rules are patterns, not a parser: they look for the shapes that
// hurried examples take (a query built with an f-string and passed to
// execute, a shell command built by concatenation, MD5 next to the word
// password) and accept the safe shapes (parameterised queries, argument
// lists, checked paths). They can miss a weakness spread over many lines
// or variables, and a nearby-word test (is this MD5 for a password or a
// file checksum?) only looks a few lines up and down. Rules.go documents
// the limits of each rule next to it.
//
// Scanning is cheap: patterns are compiled once, a rule runs only on blocks
// of its language, and each rule first checks for a literal hint with
// strings.Contains before any regular expression runs.
package coderule

import (
	"slices"
	"sort"
	"strings"
)

// The languages rules are written for. Block.Lang and Rule.Language use
// these names; Canonical maps the usual aliases (py, ts, golang, cpp …).
const (
	Python     = "python"
	JavaScript = "javascript" // and TypeScript
	Go         = "go"
	C          = "c" // and C++
	SQL        = "sql"
	// Any is the language of rules that apply to code in every language.
	Any = "any"
)

// Languages lists the languages a filter may name, in documentation order.
func Languages() []string { return []string{Python, JavaScript, Go, C, SQL} }

// Rule is one weakness pattern.
type Rule struct {
	ID       string // e.g. "py.sql-injection"
	Language string // one of Languages, or Any
	CWE      string // e.g. "CWE-89"
	Title    string // one line a person can read

	ms []matcher // the rule matches where any of these does
}

// Match is one place where a rule matched.
type Match struct {
	Rule    Rule
	Block   int    // index into the blocks scanned
	Line    int    // line within the block, 1-based
	Snippet string // the line that matched, trimmed and cut to maxSnippet bytes
}

// maxSnippet bounds Match.Snippet.
const maxSnippet = 160

// Rules returns the rule set, in documentation order.
func Rules() []Rule { return slices.Clone(rules) }

// Scan extracts the code blocks of text and applies the rules for
// languages to them (all languages when languages is empty).
func Scan(text string, languages []string) []Match {
	return ScanBlocks(Blocks(text), languages)
}

// InScope reports whether a block of language lang is judged under the
// languages filter: every block is when the filter is empty, a block of
// unknown language ("") always is (only rules for Any apply to it), and
// otherwise the block's language must be in the filter.
func InScope(lang string, languages []string) bool {
	if len(languages) == 0 || lang == "" {
		return true
	}
	for _, l := range languages {
		if Canonical(l) == lang {
			return true
		}
	}
	return false
}

// ScanBlocks applies the rules for languages (all when empty) to blocks.
// Matches come in block order, then line order, then rule order; a rule
// matches a line at most once.
func ScanBlocks(blocks []Block, languages []string) []Match {
	var out []Match
	for bi := range blocks {
		b := &blocks[bi]
		if !InScope(b.Lang, languages) {
			continue
		}
		first := len(out)
		for ri := range rules {
			r := &rules[ri]
			if r.Language != Any && r.Language != b.Lang {
				continue
			}
			lastLine := 0
			for _, m := range r.ms {
				m.find(b.Code, b.Lang, func(start int) {
					line := 1 + strings.Count(b.Code[:start], "\n")
					if line == lastLine {
						return
					}
					lastLine = line
					out = append(out, Match{Rule: *r, Block: bi, Line: line, Snippet: snippet(b.Code, start)})
				})
			}
		}
		// Each rule's matches precede the next rule's, so a stable sort by
		// line keeps rule order within a line and puts repeats side by side.
		found := out[first:]
		sort.SliceStable(found, func(i, j int) bool { return found[i].Line < found[j].Line })
		found = slices.CompactFunc(found, func(a, b Match) bool { return a.Line == b.Line && a.Rule.ID == b.Rule.ID })
		out = out[:first+len(found)]
	}
	return out
}

// snippet returns the trimmed line of code holding offset at.
func snippet(code string, at int) string {
	s := strings.TrimSpace(code[lineStart(code, at):lineEnd(code, at)])
	if len(s) <= maxSnippet {
		return s
	}
	i := maxSnippet
	for i > 0 && s[i]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		i--
	}
	return s[:i] + "…"
}

func lineStart(s string, at int) int { return strings.LastIndexByte(s[:at], '\n') + 1 }

func lineEnd(s string, at int) int {
	if i := strings.IndexByte(s[at:], '\n'); i >= 0 {
		return at + i
	}
	return len(s)
}
