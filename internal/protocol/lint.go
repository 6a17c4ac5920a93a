package protocol

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Problem is one thing wrong with a protocol file.
type Problem struct {
	File    string
	Line    int    // 1-based; 0 when unknown
	Column  int    // 1-based; 0 when unknown
	Field   string // e.g. probes[3].detectors[0].canary; "" for the file as a whole
	Message string
}

// String formats the problem as "file:line:col: field: message".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Column)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// LintError lists every problem found in a protocol, ordered by position.
// errors.As finds an *aicc.Error of kind invalid under it.
type LintError struct {
	Problems []Problem
}

// Error returns one "file:line:col: field: message" line per problem.
func (e *LintError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

var errInvalid = &aicc.Error{Kind: aicc.KindInvalid, Message: "invalid protocol"}

func (e *LintError) Unwrap() error { return errInvalid }

func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
}

var (
	nameRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	semverRE   = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)
	probeIDRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
	owaspRE    = regexp.MustCompile(`^(LLM|ASI)(0[1-9]|10):20\d\d$`)
	atlasRE    = regexp.MustCompile(`^AML\.(TA|T|M)\d{4}(\.\d{3})?$`)
	cweRE      = regexp.MustCompile(`^CWE-\d+$`)
	toolNameRE = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	canaryRE   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	varRE      = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	hostRE     = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$`)
)

// Validate checks the protocol against every lint rule and returns a
// *LintError listing all problems, or nil. When the protocol is valid it
// also prepares the probes for Render; call it again after changing a probe,
// and not while another goroutine renders. Problems carry line numbers when
// the protocol has its Source.
func (p *Protocol) Validate() error { return p.validate(nil) }

func (p *Protocol) validate(body ast.Node) error {
	for _, pr := range p.Probes {
		if pr != nil {
			pr.uninherit()
		}
	}
	l := &linter{}
	l.protocol(p)
	if len(l.problems) == 0 {
		p.byID = make(map[string]*Probe, len(p.Probes))
		for _, pr := range p.Probes {
			if pr.Derive != nil {
				pr.inherit(p.byID[pr.Derive.From]) // an earlier probe, not derived
			}
			pr.prep = pr.prepare()
			p.byID[pr.ID] = pr
		}
		return nil
	}
	p.byID = nil
	for _, pr := range p.Probes {
		if pr != nil {
			pr.prep = nil
		}
	}
	if body == nil && len(p.Source) > 0 {
		if f, err := parser.ParseBytes(p.Source, 0); err == nil && len(f.Docs) > 0 {
			body = f.Docs[0].Body
		}
	}
	for i := range l.problems {
		pr := &l.problems[i]
		pr.File = p.File
		if body != nil {
			pr.Line, pr.Column = locate(body, pr.Field)
		}
	}
	sortProblems(l.problems)
	return &LintError{Problems: l.problems}
}

type linter struct {
	problems []Problem
}

func (l *linter) add(field, format string, args ...any) {
	l.problems = append(l.problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (l *linter) protocol(p *Protocol) {
	switch {
	case p.Format == 0:
		l.add("format", "is required; set format: %d", FormatVersion)
	case p.Format != FormatVersion:
		l.add("format", "is %d, but this aicc reads format %d", p.Format, FormatVersion)
	}
	switch {
	case p.Name == "":
		l.add("name", "is required")
	case !nameRE.MatchString(p.Name):
		l.add("name", "%q must match %s", p.Name, nameRE)
	}
	switch {
	case p.Version == "":
		l.add("version", "is required, e.g. 1.0.0")
	case !semverRE.MatchString(p.Version):
		l.add("version", "%q is not a semantic version MAJOR.MINOR.PATCH like 1.0.0", p.Version)
	}
	if len(p.Probes) == 0 {
		l.add("probes", "at least one probe is required")
	}
	seen := map[string]int{}
	for i, pr := range p.Probes {
		at := fmt.Sprintf("probes[%d]", i)
		if pr == nil {
			l.add(at, "is empty; a probe needs id, class, title, severity, turns and detectors")
			continue
		}
		if j, dup := seen[pr.ID]; dup && pr.ID != "" {
			l.add(at+".id", "duplicate probe id %q (first at probes[%d])", pr.ID, j)
		} else {
			seen[pr.ID] = i
		}
		c := &probeLinter{linter: l, at: at, pr: pr}
		if pr.Derive != nil {
			c.derive(p.Probes, i)
		} else {
			c.lint()
		}
	}
}

// probeLinter checks one probe.
type probeLinter struct {
	*linter
	at       string
	pr       *Probe
	canaries map[string]bool
	tools    map[string]bool
	varTmpls []map[string]template // per variant
	dummy    values                // a value for every declared canary and the challenge
	seen     map[string]bool       // canaries the model can see (in some template)

	seenPrompt  bool // {{challenge.prompt}} is in some template the model sees
	inDetectors bool // checking detector fields, which the model does not see
}

// identity checks the fields every probe states itself, derived or not.
func (c *probeLinter) identity() {
	pr, at := c.pr, c.at
	switch {
	case pr.ID == "":
		c.add(at+".id", "is required")
	case !probeIDRE.MatchString(pr.ID):
		c.add(at+".id", "%q must match %s", pr.ID, probeIDRE)
	}
	switch {
	case pr.Class == "":
		c.add(at+".class", "is required; one of %s", classList())
	case !pr.Class.Valid():
		c.add(at+".class", "unknown class %q; one of %s", pr.Class, classList())
	}
	if strings.TrimSpace(pr.Title) == "" {
		c.add(at+".title", "is required")
	}
	switch {
	case pr.Severity == "":
		c.add(at+".severity", "is required; one of info, low, medium, high, critical")
	case !pr.Severity.Valid():
		c.add(at+".severity", "unknown severity %q; one of info, low, medium, high, critical", pr.Severity)
	}
	c.taxonomy("owasp", pr.Taxonomy.OWASP, owaspRE, "an OWASP ID like LLM01:2025 or ASI01:2026")
	c.taxonomy("atlas", pr.Taxonomy.ATLAS, atlasRE, "a MITRE ATLAS ID like AML.T0051.000")
	c.taxonomy("cwe", pr.Taxonomy.CWE, cweRE, "a CWE ID like CWE-77")
}

func (c *probeLinter) lint() {
	pr, at := c.pr, c.at
	c.identity()
	c.canaries = map[string]bool{}
	c.dummy = values{canaries: map[string]string{}, prompt: "PROMPT", flag: "FLAG{DUMMY}"}
	c.seen = map[string]bool{}
	for i, name := range pr.Canaries {
		f := fmt.Sprintf("%s.canaries[%d]", at, i)
		switch {
		case !canaryRE.MatchString(name):
			c.add(f, "canary name %q must match %s", name, canaryRE)
		case c.canaries[name]:
			c.add(f, "duplicate canary %q", name)
		}
		c.canaries[name] = true
		c.dummy.canaries[name] = "CANARY"
	}
	c.toolDefs()
	c.variants()
	c.template(at+".system", pr.System, true)
	c.turns()
	c.detectors()
	c.challenge()
	c.classRules(pr.Detectors, "")
	if t := pr.Sampling.Temperature; t != nil && !(*t >= 0 && *t <= 2) {
		c.add(at+".sampling.temperature", "%v is outside [0, 2]", *t)
	}
	if pr.Sampling.MaxTokens < 0 {
		c.add(at+".sampling.max_tokens", "is %d; use 0 (the scan's setting) or more", pr.Sampling.MaxTokens)
	}
}

func classList() string {
	names := make([]string, len(aicc.Classes))
	for i, k := range aicc.Classes {
		names[i] = string(k.Class)
	}
	return strings.Join(names, ", ")
}

func (c *probeLinter) taxonomy(key string, ids []string, re *regexp.Regexp, what string) {
	for i, id := range ids {
		if !re.MatchString(id) {
			c.add(fmt.Sprintf("%s.taxonomy.%s[%d]", c.at, key, i), "%q is not %s", id, what)
		}
	}
}

func (c *probeLinter) toolDefs() {
	c.tools = map[string]bool{}
	for i, t := range c.pr.Tools {
		f := fmt.Sprintf("%s.tools[%d]", c.at, i)
		switch {
		case !toolNameRE.MatchString(t.Name):
			c.add(f+".name", "tool name %q must match %s", t.Name, toolNameRE)
		case c.tools[t.Name]:
			c.add(f+".name", "duplicate tool %q", t.Name)
		}
		c.tools[t.Name] = true
		if t.Parameters == nil {
			continue
		}
		if typ, _ := t.Parameters["type"].(string); typ != "object" {
			c.add(f+".parameters.type", `must be "object": parameters is the JSON Schema of the arguments object`)
		}
		b, err := json.Marshal(t.Parameters)
		if err != nil {
			c.add(f+".parameters", "cannot be converted to JSON: %v", err)
			continue
		}
		if _, err := CompileSchema(b); err != nil {
			c.schemaProblem(f+".parameters", t.Parameters, err)
		}
	}
}

// schemaProblem reports why the schema params, at field, does not compile:
// at the keyword the JSON Schema meta-schema rejects, when it is one.
func (c *probeLinter) schemaProblem(field string, params map[string]any, err error) {
	var invalid *jsonschema.SchemaValidationError
	var ve *jsonschema.ValidationError
	var load *jsonschema.LoadURLError
	switch {
	case errors.As(err, &invalid) && errors.As(invalid.Err, &ve):
		walkViolations(ve, true, func(v Violation) bool {
			f, rest := schemaField(params, v.At)
			if rest != "" {
				v.Message = "at " + rest + ": " + v.Message
			}
			c.add(field+f, "is not a valid JSON Schema: %s", v.Message)
			return true
		})
	case errors.As(err, &load):
		c.add(field, "does not compile: %v", load.Err)
	default:
		msg := strings.TrimPrefix(err.Error(), "compile schema: ")
		c.add(field, "does not compile: %s", strings.ReplaceAll(msg, schemaURL, ""))
	}
}

// schemaField returns the field path (".properties.to.pattern") of the
// value at the JSON Pointer tokens at in doc, as far as it can be written
// as one: it stops before a key that holds '.', '[' or ']', and returns the
// rest as a JSON Pointer.
func schemaField(doc any, at []string) (field, rest string) {
	var b strings.Builder
	for i, tok := range at {
		switch d := doc.(type) {
		case map[string]any:
			if tok == "" || strings.ContainsAny(tok, ".[]") {
				return b.String(), pointer(at[i:])
			}
			b.WriteString("." + tok)
			doc = d[tok]
		case []any:
			n, err := strconv.Atoi(tok)
			if err != nil || n < 0 || n >= len(d) {
				return b.String(), pointer(at[i:])
			}
			fmt.Fprintf(&b, "[%d]", n)
			doc = d[n]
		default:
			return b.String(), pointer(at[i:])
		}
	}
	return b.String(), ""
}

func (c *probeLinter) variants() {
	ids := map[string]int{}
	for i, v := range c.pr.Variants {
		f := fmt.Sprintf("%s.variants[%d]", c.at, i)
		if v.ID != "" {
			if j, dup := ids[v.ID]; dup {
				c.add(f+".id", "duplicate variant id %q (first at variants[%d])", v.ID, j)
			} else {
				ids[v.ID] = i
			}
		}
		m := make(map[string]template, len(v.Vars))
		for _, name := range slices.Sorted(maps.Keys(v.Vars)) {
			vf := f + ".vars." + name
			if !varRE.MatchString(name) {
				c.add(f+".vars", "var name %q must match %s", name, varRE)
				continue
			}
			m[name] = c.template(vf, v.Vars[name], false)
		}
		c.varTmpls = append(c.varTmpls, m)
	}
}

// template parses one template field and checks its placeholders' names;
// var placeholders only where allowVars.
func (c *probeLinter) template(field, s string, allowVars bool) (t template) {
	t, _ = c.checkTemplate(field, s, allowVars)
	return t
}

// checkTemplate is template, also reporting whether the field is free of
// problems (so that it can be rendered for further checks).
func (c *probeLinter) checkTemplate(field, s string, allowVars bool) (template, bool) {
	t, probs := parseTemplate(s)
	for _, m := range probs {
		c.add(field, "%s", m)
	}
	ok := len(probs) == 0
	done := map[segment]bool{}
	for _, seg := range t {
		if seg.kind == segText || done[seg] {
			continue
		}
		done[seg] = true
		switch seg.kind {
		case segCanary:
			if !c.canaries[seg.text] {
				ok = false
				c.add(field, "{{canary.%s}} names no declared canary (%s)", seg.text, c.declared())
			}
			if !c.inDetectors {
				c.seen[seg.text] = true
			}
		case segChallenge:
			switch {
			case c.pr.Challenge == nil:
				ok = false
				c.add(field, "{{challenge.%s}} needs a challenge, and the probe has none", seg.text)
			case seg.text == "flag" && !c.inDetectors:
				ok = false
				c.add(field, "{{challenge.flag}} would show the model the answer; use it only in detectors (flag, patterns, rubric)")
			case !c.inDetectors:
				c.seenPrompt = true
			}
		case segVar:
			ok = false
			switch {
			case !allowVars:
				c.add(field, "{{var.%s}}: var values may use {{canary.NAME}} and {{challenge.prompt}} but not {{var.NAME}}", seg.text)
			case len(c.pr.Variants) == 0:
				c.add(field, "{{var.%s}} needs variants that bind %s", seg.text, seg.text)
			default:
				var missing []string
				for i, v := range c.pr.Variants {
					if _, bound := v.Vars[seg.text]; !bound {
						missing = append(missing, fmt.Sprintf("variants[%d]", i))
					}
				}
				if len(missing) > 0 {
					c.add(field, "{{var.%s}} is not bound by %s", seg.text, strings.Join(missing, ", "))
				} else {
					ok = true
				}
			}
		}
	}
	return t, ok
}

func (c *probeLinter) declared() string {
	if len(c.pr.Canaries) == 0 {
		return "the probe declares no canaries"
	}
	return "declared: " + strings.Join(c.pr.Canaries, ", ")
}

// eachRendering renders a checked template with dummy canary values, once
// per variant when it uses vars, and reports the first value check rejects.
func (c *probeLinter) eachRendering(field string, t template, esc func(string) string, check func(string) error) {
	usesVars := slices.ContainsFunc(t, func(s segment) bool { return s.kind == segVar })
	if !usesVars || len(c.varTmpls) == 0 {
		if err := check(t.render(&c.dummy, esc)); err != nil {
			c.add(field, "%v", err)
		}
		return
	}
	for i, vars := range c.varTmpls {
		v := c.dummy
		v.vars = vars
		if err := check(t.render(&v, esc)); err != nil {
			c.add(field, "%v (with variants[%d])", err, i)
			return
		}
	}
}

func (c *probeLinter) turns() {
	turns := c.pr.Turns
	if len(turns) == 0 {
		c.add(c.at+".turns", "at least one turn is required")
		return
	}
	calls := map[string]scriptedCall{}
	answered := map[string]bool{}
	pending := -1 // the assistant turn with calls that tool turns may answer
	checkAnswered := func() {
		if pending < 0 {
			return
		}
		for m, tc := range turns[pending].ToolCalls {
			if tc.ID != "" && !answered[tc.ID] {
				c.add(fmt.Sprintf("%s.turns[%d].tool_calls[%d].id", c.at, pending, m),
					"call %q is not answered; follow this turn with a tool turn whose tool_call_id is %q", tc.ID, tc.ID)
			}
		}
		pending = -1
	}
	hasUser := false
	for j, t := range turns {
		at := fmt.Sprintf("%s.turns[%d]", c.at, j)
		if t.Role != aicc.RoleTool {
			checkAnswered()
		}
		switch t.Role {
		case aicc.RoleUser:
			hasUser = true
			if t.Content == "" {
				c.add(at+".content", "a user turn needs content")
			}
		case aicc.RoleAssistant:
			if t.Content == "" && len(t.ToolCalls) == 0 {
				c.add(at, "a scripted assistant turn needs content or tool_calls")
			}
			for m, tc := range t.ToolCalls {
				f := fmt.Sprintf("%s.tool_calls[%d]", at, m)
				switch {
				case tc.ID == "":
					c.add(f+".id", "is required; tool turns answer the call by this id")
				default:
					if first, dup := calls[tc.ID]; dup {
						c.add(f+".id", "duplicate tool call id %q (first at turns[%d].tool_calls[%d])", tc.ID, first.turn, first.index)
					} else {
						calls[tc.ID] = scriptedCall{turn: j, index: m, name: tc.Name}
					}
				}
				switch {
				case tc.Name == "":
					c.add(f+".name", "is required")
				case !c.tools[tc.Name]:
					c.add(f+".name", "%q is not an offered tool (%s)", tc.Name, c.toolList())
				}
				if a, ok := c.checkTemplate(f+".arguments", tc.Arguments, true); ok && tc.Arguments != "" {
					c.eachRendering(f+".arguments", a, jsonEscape, jsonObject)
				}
			}
			if len(t.ToolCalls) > 0 {
				pending = j
			}
		case aicc.RoleTool:
			answers, ok := calls[t.ToolCallID]
			c.toolTurn(at, t, answers, ok, pending, answered)
		case "":
			c.add(at+".role", "is required; one of user, assistant, tool")
		case aicc.RoleSystem:
			c.add(at+".role", "a turn cannot be a system message; put the system prompt in the probe's system field")
		default:
			c.add(at+".role", "unknown role %q; one of user, assistant, tool", t.Role)
		}
		if t.Role != aicc.RoleAssistant && len(t.ToolCalls) > 0 {
			c.add(at+".tool_calls", "only assistant turns have tool_calls")
		}
		if t.Role != aicc.RoleTool {
			if t.ToolCallID != "" {
				c.add(at+".tool_call_id", "only tool turns have a tool_call_id")
			}
			if t.Name != "" {
				c.add(at+".name", "only tool turns have a name")
			}
		}
		c.template(at+".content", t.Content, true)
	}
	checkAnswered()
	if !hasUser {
		c.add(c.at+".turns", "at least one user turn is required")
	}
	if last := turns[len(turns)-1]; last.Role != aicc.RoleUser && last.Role != aicc.RoleTool {
		c.add(fmt.Sprintf("%s.turns[%d].role", c.at, len(turns)-1),
			"the script ends with a %s turn; end with a user or tool turn so the model is called last", cmp.Or(string(last.Role), "role-less"))
	}
}

// scriptedCall locates a scripted tool call: turns[turn].tool_calls[index].
type scriptedCall struct {
	turn, index int
	name        string
}

// toolTurn checks a tool turn: it answers (found) a call of the assistant
// turn pending, once.
func (c *probeLinter) toolTurn(at string, t Turn, answers scriptedCall, found bool, pending int, answered map[string]bool) {
	switch {
	case t.ToolCallID == "":
		c.add(at+".tool_call_id", "is required: the id of the scripted tool call this turn answers")
	case !found:
		c.add(at+".tool_call_id", "%q names no earlier scripted tool call", t.ToolCallID)
	case answers.turn != pending:
		c.add(at+".tool_call_id", "%q is a call of turns[%d]; a tool turn must follow the assistant turn that made the call (or another tool turn)", t.ToolCallID, answers.turn)
	case answered[t.ToolCallID]:
		c.add(at+".tool_call_id", "call %q is already answered", t.ToolCallID)
	default:
		answered[t.ToolCallID] = true
		if t.Name != "" && t.Name != answers.name {
			c.add(at+".name", "is %q but call %q is to %q; omit name to use the call's", t.Name, t.ToolCallID, answers.name)
		}
	}
}

func (c *probeLinter) toolList() string {
	if len(c.pr.Tools) == 0 {
		return "the probe offers no tools"
	}
	names := make([]string, len(c.pr.Tools))
	for i, t := range c.pr.Tools {
		names[i] = t.Name
	}
	return "tools: " + strings.Join(names, ", ")
}

func jsonObject(s string) error {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return fmt.Errorf("is not valid JSON: %v", err)
	}
	if _, ok := v.(map[string]any); !ok {
		return fmt.Errorf("must be a JSON object")
	}
	return nil
}

func detectorTypeList() string {
	names := make([]string, len(DetectorTypes))
	for i, d := range DetectorTypes {
		names[i] = d.Type
	}
	return strings.Join(names, ", ")
}

func (c *probeLinter) detectors() {
	c.inDetectors = true
	if len(c.pr.Detectors) == 0 {
		c.add(c.at+".detectors", "at least one detector is required")
	}
	for k, d := range c.pr.Detectors {
		at := fmt.Sprintf("%s.detectors[%d]", c.at, k)
		i := slices.IndexFunc(DetectorTypes, func(t DetectorType) bool { return t.Type == d.Type })
		if d.Type == "" {
			c.add(at+".type", "is required; one of %s", detectorTypeList())
			continue
		}
		if i < 0 {
			c.add(at+".type", "unknown detector type %q; one of %s", d.Type, detectorTypeList())
			continue
		}
		reads := DetectorTypes[i].Params
		for _, p := range []struct {
			name string
			set  bool
		}{
			{"canary", d.Canary != ""},
			{"patterns", len(d.Patterns) > 0},
			{"allow", len(d.Allow) > 0},
			{"deny", len(d.Deny) > 0},
			{"deny_arguments", len(d.DenyArguments) > 0},
			{"hosts", len(d.Hosts) > 0},
			{"expect", d.Expect != ""},
			{"languages", len(d.Languages) > 0},
			{"ecosystem", d.Ecosystem != ""},
			{"flag", d.Flag != ""},
			{"max_output_tokens", d.MaxOutputTokens != 0},
			{"max_tool_calls", d.MaxToolCalls != 0},
			{"rubric", d.Rubric != ""},
		} {
			if p.set && !slices.Contains(reads, p.name) {
				c.add(at+"."+p.name, "a %s detector does not read %s (it reads %s)", d.Type, p.name, strings.Join(reads, ", "))
			}
		}
		switch d.Type {
		case DetectorCanary:
			if d.Canary == "" {
				c.add(at+".canary", "a canary detector needs canary: NAME, a declared canary")
			}
			c.detectorCanary(at, d.Canary)
		case DetectorRegex:
			if len(d.Patterns) == 0 {
				c.add(at+".patterns", "a regex detector needs at least one pattern")
			}
			for j, s := range d.Patterns {
				c.pattern(fmt.Sprintf("%s.patterns[%d]", at, j), s, "every response")
			}
		case DetectorToolPolicy:
			if len(d.Allow) == 0 && len(d.Deny) == 0 && len(d.DenyArguments) == 0 {
				c.add(at, "a tool_policy detector needs allow, deny, deny_arguments or a combination")
			}
			for j, name := range d.Allow {
				if !c.tools[name] {
					c.add(fmt.Sprintf("%s.allow[%d]", at, j), "%q is not an offered tool (%s)", name, c.toolList())
				}
			}
			for j, name := range d.Deny {
				f := fmt.Sprintf("%s.deny[%d]", at, j)
				switch {
				case !toolNameRE.MatchString(name):
					c.add(f, "tool name %q must match %s", name, toolNameRE)
				case slices.Contains(d.Allow, name):
					c.add(f, "%q is also in allow", name)
				}
			}
			c.denyArguments(at, d)
		case DetectorMarkdownExfil:
			c.detectorCanary(at, d.Canary)
			for j, h := range d.Hosts {
				if !hostRE.MatchString(h) {
					c.add(fmt.Sprintf("%s.hosts[%d]", at, j), "%q is not a host name (no scheme, port or path), e.g. docs.example.com", h)
				}
			}
		case DetectorRefusal:
			if d.Expect != "" && d.Expect != "refuse" && d.Expect != "comply" {
				c.add(at+".expect", "is %q; use refuse (the default) or comply", d.Expect)
			}
		case DetectorCodeRules:
			for j, lang := range d.Languages {
				f := fmt.Sprintf("%s.languages[%d]", at, j)
				switch {
				case !slices.Contains(CodeLanguages, lang):
					c.add(f, "unknown language %q; one of %s", lang, strings.Join(CodeLanguages, ", "))
				case slices.Index(d.Languages, lang) < j:
					c.add(f, "duplicate language %q", lang)
				}
			}
		case DetectorPackageExists:
			switch {
			case d.Ecosystem == "":
				c.add(at+".ecosystem", "a package_exists detector needs ecosystem: one of %s", strings.Join(Ecosystems, ", "))
			case !slices.Contains(Ecosystems, d.Ecosystem):
				c.add(at+".ecosystem", "unknown ecosystem %q; one of %s", d.Ecosystem, strings.Join(Ecosystems, ", "))
			}
		case DetectorFlag:
			if d.Flag == "" {
				c.add(at+".flag", `a flag detector needs flag: the exact flag a solution yields, e.g. "{{challenge.flag}}"`)
			} else if t, ok := c.checkTemplate(at+".flag", d.Flag, true); ok {
				c.eachRendering(at+".flag", t, nil, func(s string) error {
					if strings.TrimSpace(s) == "" {
						return fmt.Errorf("renders empty, so every response would solve the challenge")
					}
					return nil
				})
			}
		case DetectorConsumption:
			if d.MaxOutputTokens == 0 && d.MaxToolCalls == 0 {
				c.add(at, "a consumption detector needs max_output_tokens, max_tool_calls or both, each more than 0")
			}
			if d.MaxOutputTokens < 0 {
				c.add(at+".max_output_tokens", "is %d; it must be more than 0", d.MaxOutputTokens)
			}
			if d.MaxToolCalls < 0 {
				c.add(at+".max_tool_calls", "is %d; it must be more than 0", d.MaxToolCalls)
			}
		case DetectorJudge:
			if strings.TrimSpace(d.Rubric) == "" {
				c.add(at+".rubric", "a judge detector needs rubric: what the judge decides, e.g. whether the answer gives working exploit steps")
			} else {
				c.template(at+".rubric", d.Rubric, true)
			}
		}
	}
	c.inDetectors = false
}

// pattern checks an RE2 pattern template at field, which must not be empty
// (it would match every what) and must compile for every variant.
func (c *probeLinter) pattern(field, s, what string) {
	if s == "" {
		c.add(field, "is empty, so it would match %s", what)
		return
	}
	if t, ok := c.checkTemplate(field, s, true); ok {
		c.eachRendering(field, t, regexp.QuoteMeta, func(s string) error {
			if _, err := regexp.Compile(s); err != nil {
				return fmt.Errorf("does not compile: %v", err)
			}
			return nil
		})
	}
}

// denyArguments checks the deny_arguments of tool_policy detector d, at:
// each names a tool the detector would otherwise let through and has
// patterns that compile.
func (c *probeLinter) denyArguments(at string, d Detector) {
	for _, name := range slices.Sorted(maps.Keys(d.DenyArguments)) {
		f := at + ".deny_arguments." + name
		switch {
		case !c.tools[name]:
			c.add(f, "%q is not an offered tool (%s)", name, c.toolList())
		case slices.Contains(d.Deny, name):
			c.add(f, "%q is in deny, so every call to it is a hit already", name)
		case len(d.Allow) > 0 && !slices.Contains(d.Allow, name):
			c.add(f, "%q is not in allow, so every call to it is a hit already", name)
		}
		pats := d.DenyArguments[name]
		if len(pats) == 0 {
			c.add(f, "needs at least one pattern")
		}
		for j, s := range pats {
			c.pattern(fmt.Sprintf("%s[%d]", f, j), s, "every call")
		}
	}
}

// challenge checks the probe's challenge, when it has one.
func (c *probeLinter) challenge() {
	ch, at := c.pr.Challenge, c.at+".challenge"
	if ch == nil {
		return
	}
	switch {
	case ch.Kind == "":
		c.add(at+".kind", "is required; one of %s", challengeKindList())
	case !challengeKnown(ch.Kind):
		c.add(at+".kind", "unknown challenge kind %q; one of %s", ch.Kind, challengeKindList())
	}
	if ch.Level < 0 || ch.Level > MaxChallengeLevel {
		c.add(at+".level", "is %d; use 1 to %d, or 0 (the default) to draw a level per attempt", ch.Level, MaxChallengeLevel)
	}
	if len(c.pr.Canaries) == 0 {
		c.add(at, "a challenge needs a canary to seed it; declare one, e.g. canaries: [seed]")
	}
	if !c.seenPrompt {
		c.add(at, "{{challenge.prompt}} appears in no template of the probe, so the model never sees the challenge")
	}
}

// classRules checks the rules that tie detectors to the probe's class: a
// cyber_capability probe is judged by a flag detector, and only such a probe
// has one. from names the source of a derived probe, whose detectors these are.
func (c *probeLinter) classRules(ds []Detector, from string) {
	capability := c.pr.Class == aicc.ClassCyberCapability
	hasFlag := false
	for k, d := range ds {
		if d.Type != DetectorFlag {
			continue
		}
		hasFlag = true
		switch {
		case capability:
		case from != "":
			c.add(c.at+".class", "is %s, but probe %q, which it derives from, has a flag detector, which only %s probes may have",
				c.pr.Class, from, aicc.ClassCyberCapability)
			return
		case c.pr.Class.Valid():
			c.add(fmt.Sprintf("%s.detectors[%d].type", c.at, k), "a flag detector is only for %s probes; this probe's class is %s",
				aicc.ClassCyberCapability, c.pr.Class)
		}
	}
	if !capability || hasFlag {
		return
	}
	if from != "" {
		c.add(c.at+".derive.from", "probe %q has no flag detector, which a %s probe needs", from, aicc.ClassCyberCapability)
		return
	}
	c.add(c.at+".detectors", `a %s probe needs a flag detector, e.g. {type: flag, flag: "{{challenge.flag}}"}`, aicc.ClassCyberCapability)
}

// detectorCanary checks a detector's canary parameter, when set.
func (c *probeLinter) detectorCanary(at, name string) {
	switch {
	case name == "":
	case !c.canaries[name]:
		c.add(at+".canary", "%q names no declared canary (%s)", name, c.declared())
	case !c.seen[name]:
		c.add(at+".canary", "canary %q appears in no template of the probe, so the model never sees it", name)
	}
}

// derive checks a derived probe, probes[i]: its own fields, its source and
// its transforms. The copied fields are checked on the source.
func (c *probeLinter) derive(probes []*Probe, i int) {
	c.identity()
	pr, at := c.pr, c.at
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"system", pr.System != ""},
		{"tools", len(pr.Tools) > 0},
		{"canaries", len(pr.Canaries) > 0},
		{"turns", len(pr.Turns) > 0},
		{"variants", len(pr.Variants) > 0},
		{"detectors", len(pr.Detectors) > 0},
		{"sampling", pr.Sampling != (Sampling{})},
		{"challenge", pr.Challenge != nil},
	} {
		if f.set {
			c.add(at+"."+f.name, "a derived probe takes %s from the probe it derives from; remove it here", f.name)
		}
	}
	d := pr.Derive
	if len(d.Transforms) == 0 {
		c.add(at+".derive.transforms", "at least one transform is required; one of %s", transformList())
	}
	for j, name := range d.Transforms {
		f := fmt.Sprintf("%s.derive.transforms[%d]", at, j)
		switch {
		case !transformKnown(name):
			c.add(f, "unknown transform %q; one of %s", name, transformList())
		case slices.Index(d.Transforms, name) < j:
			c.add(f, "duplicate transform %q", name)
		}
	}
	at += ".derive.from"
	if d.From == "" {
		c.add(at, "is required: the id of an earlier probe")
		return
	}
	j := slices.IndexFunc(probes, func(p *Probe) bool { return p != nil && p.ID == d.From })
	switch {
	case j < 0:
		c.add(at, "%q names no probe", d.From)
	case j == i:
		c.add(at, "a probe cannot derive from itself")
	case j > i:
		c.add(at, "%q is probes[%d], after this one; derive only from an earlier probe", d.From, j)
	case probes[j].Derive != nil:
		c.add(at, "%q is itself derived (from %q); derive from that probe instead", d.From, probes[j].Derive.From)
	default:
		c.classRules(probes[j].Detectors, d.From)
	}
}
