package check

import (
	"encoding/json"
	"strconv"
	"strings"
)

// node is a JSON value as decoded by encoding/json (with UseNumber) together
// with its JSON pointer. Every accessor tolerates values of the wrong type, so
// the mandatory tests also run on documents that fail the schema.
type node struct {
	v    any
	path string
}

// key returns the member k of an object; it is absent when n is not an
// object or has no member k.
func (n node) key(k string) node {
	m, _ := n.v.(map[string]any)
	return node{v: m[k], path: n.path + "/" + escapePointer(k)}
}

// has reports whether n is an object with a member k.
func (n node) has(k string) bool {
	m, ok := n.v.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m[k]
	return ok
}

// at follows a chain of member names.
func (n node) at(keys ...string) node {
	for _, k := range keys {
		n = n.key(k)
	}
	return n
}

// items returns the elements of an array, or nil.
func (n node) items() []node {
	a, _ := n.v.([]any)
	if len(a) == 0 {
		return nil
	}
	out := make([]node, len(a))
	for i, v := range a {
		out[i] = node{v: v, path: n.path + "/" + strconv.Itoa(i)}
	}
	return out
}

// str returns the value of a string.
func (n node) str() (string, bool) {
	s, ok := n.v.(string)
	return s, ok
}

// text returns the value of a string, or "" for anything else.
func (n node) text() string {
	s, _ := n.v.(string)
	return s
}

// number returns the value of a number.
func (n node) number() (float64, bool) {
	switch x := n.v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	}
	return 0, false
}

// strs returns the string elements of an array, skipping anything else.
func (n node) strs() []node {
	var out []node
	for _, it := range n.items() {
		if _, ok := it.str(); ok {
			out = append(out, it)
		}
	}
	return out
}

func escapePointer(tok string) string {
	if !strings.ContainsAny(tok, "~/") {
		return tok
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapePointer(t))
	}
	return b.String()
}
