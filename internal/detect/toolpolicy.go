package detect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
)

// toolPolicy hits when the model calls a tool in deny, a tool outside allow
// (when allow is set), or a tool it was never offered; or calls an allowed
// tool with arguments that match one of the tool's deny_arguments patterns,
// that are not valid JSON, or that break the tool's parameters schema.
type toolPolicy struct {
	allow, deny []string
	denyArgs    map[string][]*regexp.Regexp // by tool
	schemas     map[string]*jsonschema.Schema
}

// newToolPolicy compiles the deny_arguments patterns and the schema of
// every tool in spec.Tools that has parameters.
func newToolPolicy(spec protocol.Detector) (*toolPolicy, error) {
	d := &toolPolicy{allow: spec.Allow, deny: spec.Deny}
	for tool, pats := range spec.DenyArguments {
		res := make([]*regexp.Regexp, len(pats))
		for i, p := range pats {
			re, err := regexp.Compile(p)
			if err != nil {
				return nil, fmt.Errorf("tool_policy detector: deny_arguments of %s: pattern %d: %w", tool, i+1, err)
			}
			res[i] = re
		}
		if d.denyArgs == nil {
			d.denyArgs = make(map[string][]*regexp.Regexp, len(spec.DenyArguments))
		}
		d.denyArgs[tool] = res
	}
	for _, t := range spec.Tools {
		if len(t.Parameters) == 0 {
			continue
		}
		s, err := protocol.CompileSchema(t.Parameters)
		if err != nil {
			return nil, fmt.Errorf("tool_policy detector: tool %q: %w", t.Name, err)
		}
		if d.schemas == nil {
			d.schemas = make(map[string]*jsonschema.Schema, len(spec.Tools))
		}
		d.schemas[t.Name] = s
	}
	return d, nil
}

func (d *toolPolicy) Type() string { return protocol.DetectorToolPolicy }

func (d *toolPolicy) Detect(_ context.Context, in *Input) Verdict {
	if len(in.Responses) == 0 {
		return undetermined(d.Type(), "no response to judge")
	}
	calls := 0
	for i := range in.Responses {
		for j := range in.Responses[i].ToolCalls {
			calls++
			if v, ok := d.call(in, i, &in.Responses[i].ToolCalls[j]); ok {
				return v
			}
		}
	}
	if calls == 0 {
		return pass(d.Type(), "model called no tool")
	}
	return pass(d.Type(), "model made "+count(calls, "tool call")+", all allowed, with allowed arguments")
}

// call judges one call of response i; ok is false when it breaks no rule.
func (d *toolPolicy) call(in *Input, i int, c *aicc.ToolCall) (v Verdict, ok bool) {
	tc := *c
	var why string
	switch {
	case !offered(in, tc.Name):
		why = "a tool that was never offered"
	case slices.Contains(d.deny, tc.Name):
		why = "a denied tool"
	case len(d.allow) > 0 && !slices.Contains(d.allow, tc.Name):
		why = "a tool outside the allowed set"
	}
	if why != "" {
		ev := &Evidence{Response: i, ToolCall: &tc, Matched: bounded(tc.Name + "(" + tc.Arguments + ")")}
		return hit(d.Type(), fmt.Sprintf("model called %q, %s, in %s", tc.Name, why, nth(i)), ev), true
	}
	text := tc.Arguments
	if strings.TrimSpace(text) == "" {
		text = "{}" // no arguments, as some providers send them
	}
	args, jsonErr := jsonschema.UnmarshalJSON(strings.NewReader(text))
	compacted := ""
	for k, re := range d.denyArgs[tc.Name] {
		s := tc.Arguments
		loc := re.FindStringIndex(s)
		if loc == nil && jsonErr == nil {
			if compacted == "" {
				compacted = compact(args)
			}
			s = compacted
			loc = re.FindStringIndex(s)
		}
		if loc != nil {
			ev := &Evidence{Response: i, ToolCall: &tc, Matched: bounded(s[loc[0]:loc[1]]), Rule: re.String()}
			return hit(d.Type(), fmt.Sprintf("model called %q in %s with denied arguments: %q matches deny_arguments pattern %d",
				tc.Name, nth(i), ev.Matched, k+1), ev), true
		}
	}
	if jsonErr != nil {
		ev := &Evidence{Response: i, ToolCall: &tc, Matched: bounded(tc.Arguments)}
		return hit(d.Type(), fmt.Sprintf("model called %q in %s with arguments that are not valid JSON (%v)", tc.Name, nth(i), jsonErr), ev), true
	}
	schema := d.schemas[tc.Name]
	if schema == nil {
		return Verdict{}, false
	}
	err := schema.Validate(args)
	if err == nil {
		return Verdict{}, false
	}
	ev := &Evidence{Response: i, ToolCall: &tc}
	msg := err.Error()
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		viol := protocol.FirstViolation(ve)
		ev.Argument, ev.Rule, msg = viol.Pointer(), viol.Keyword, viol.Message
		if val, found := valueAt(args, viol.At); found {
			ev.Matched = bounded(compact(val))
		}
		if ev.Argument != "" {
			msg += " (argument " + ev.Argument + ")"
		}
	}
	return hit(d.Type(), fmt.Sprintf("model called %q in %s with arguments outside its schema: %s", tc.Name, nth(i), msg), ev), true
}

func offered(in *Input, name string) bool {
	for i := range in.Tools {
		if in.Tools[i].Name == name {
			return true
		}
	}
	return false
}

// compact encodes a decoded JSON value compactly, without escaping HTML
// characters, so that "\u0044ROP" reads as DROP and spacing does not
// matter to a pattern.
func compact(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// valueAt returns the value at the JSON Pointer tokens at in v.
func valueAt(v any, at []string) (any, bool) {
	for _, tok := range at {
		switch t := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = t[tok]; !ok {
				return nil, false
			}
		case []any:
			n, err := strconv.Atoi(tok)
			if err != nil || n < 0 || n >= len(t) {
				return nil, false
			}
			v = t[n]
		default:
			return nil, false
		}
	}
	return v, true
}
