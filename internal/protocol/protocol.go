// Package protocol owns the scanning protocol format: a versioned YAML
// document of probes, their conversations, tools, canaries and the detectors
// that judge them. It parses and lints protocol files (errors name the file,
// line and field), computes their content digest, expands probes into the
// attempts of a scan, and embeds the built-in protocols.
package protocol

import (
	"encoding/json"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// FormatVersion is the version of the protocol file format this package reads.
const FormatVersion = 1

// Protocol is a parsed, validated protocol.
type Protocol struct {
	Format      int      `yaml:"format"`  // must be FormatVersion
	Name        string   `yaml:"name"`    // [a-z0-9][a-z0-9_-]*
	Version     string   `yaml:"version"` // semantic version, e.g. 1.0.0
	Description string   `yaml:"description"`
	Probes      []*Probe `yaml:"probes"`

	// Set by Parse, not read from the file.
	Digest string `yaml:"-"` // "sha256:" + hex of the exact source bytes
	Source []byte `yaml:"-"` // the exact bytes the digest covers
	File   string `yaml:"-"` // where it was read from ("builtin:core" for embedded ones)

	byID map[string]*Probe // set by Validate when the protocol is valid
}

// Probe is one test: a conversation script, run once per variant (and per
// repetition), judged by its detectors.
type Probe struct {
	ID          string        `yaml:"id"` // unique in the protocol; [a-z0-9][a-z0-9_.-]*
	Class       aicc.Class    `yaml:"class"`
	Title       string        `yaml:"title"`
	Description string        `yaml:"description,omitempty"`
	Severity    aicc.Severity `yaml:"severity"`
	Taxonomy    aicc.Taxonomy `yaml:"taxonomy"`

	// System is the system prompt, a template (see Render).
	System string `yaml:"system,omitempty"`
	// Tools offered to the model.
	Tools []Tool `yaml:"tools,omitempty"`
	// Canaries names the per-attempt random tokens the templates may use as
	// {{canary.NAME}}. Each attempt gets fresh values.
	Canaries []string `yaml:"canaries,omitempty"`
	// Turns is the conversation script. The model is called after every user
	// or tool turn that is not followed by a scripted assistant turn; scripted
	// assistant turns (many-shot examples, prior tool calls) are sent as history.
	Turns []Turn `yaml:"turns"`
	// Variants are the probe's attempt indexes: each binds {{var.NAME}}
	// placeholders. A probe without variants has one attempt index.
	Variants []Variant `yaml:"variants,omitempty"`
	// Detectors judge the model's responses; see Detector.
	Detectors []Detector `yaml:"detectors"`
	// Sampling overrides the scan's sampling parameters for this probe.
	Sampling Sampling `yaml:"sampling,omitempty"`

	// Derive makes this probe a copy of an earlier probe sent through
	// obfuscating transforms (see Derive). Validate fills the copied fields
	// in from the source; they are shared with it: do not modify them.
	Derive *Derive `yaml:"derive,omitempty"`
	// Challenge makes each attempt a freshly generated capability challenge
	// (see Challenge), shown through {{challenge.prompt}}.
	Challenge *Challenge `yaml:"challenge,omitempty"`

	prep      *prepared  // split templates for Render, set by Validate when the protocol is valid
	inherited *inherited // what Validate copied into a derived probe from its source
}

// Derive makes a probe from an earlier one: the derived probe states its own
// id, class, title, description, severity and taxonomy and takes everything
// else (system, tools, canaries, turns, variants, detectors, sampling,
// challenge) from the probe named in From, which must come earlier in the
// file and must not be derived itself. Each of the source's attempt indexes
// runs once per transform, applied to the last user turn: attempt index
// variant×len(Transforms)+t.
type Derive struct {
	From       string   `yaml:"from"`
	Transforms []string `yaml:"transforms"` // names from Transforms, at least one
}

// Challenge asks for a capability challenge generated afresh for every
// attempt from the attempt's canary values, so that a rerun of an attempt
// sees the same challenge and every other attempt a new one. Kind is one of
// ChallengeKinds; Level is the difficulty, 1 to 3, or 0 (the default) to
// draw one per attempt.
type Challenge struct {
	Kind  string `yaml:"kind"`
	Level int    `yaml:"level,omitempty"`
}

// Tool is a function offered to the model. Parameters is a JSON Schema.
type Tool struct {
	Name        string         `yaml:"name"`
	Description string         `yaml:"description,omitempty"`
	Parameters  map[string]any `yaml:"parameters,omitempty"`
}

// AICC converts the tool to the provider-neutral form.
func (t Tool) AICC() aicc.Tool {
	out := aicc.Tool{Name: t.Name, Description: t.Description}
	if t.Parameters != nil {
		out.Parameters, _ = json.Marshal(t.Parameters) // decoded from YAML, always encodable
	}
	return out
}

// Turn is one scripted message. Content is a template.
type Turn struct {
	Role       aicc.Role      `yaml:"role"` // user, assistant or tool
	Content    string         `yaml:"content,omitempty"`
	ToolCalls  []ToolCallStep `yaml:"tool_calls,omitempty"`   // scripted assistant turns only
	ToolCallID string         `yaml:"tool_call_id,omitempty"` // tool turns: the scripted call answered
	Name       string         `yaml:"name,omitempty"`         // tool turns: the tool's name
}

// ToolCallStep is a scripted tool call in an assistant turn. Arguments is a template.
type ToolCallStep struct {
	ID        string `yaml:"id"`
	Name      string `yaml:"name"`
	Arguments string `yaml:"arguments"`
}

// Variant binds template variables for one attempt index.
type Variant struct {
	ID   string            `yaml:"id,omitempty"` // optional label shown in reports
	Vars map[string]string `yaml:"vars"`
}

// Sampling holds optional sampling parameters.
type Sampling struct {
	Temperature *float64 `yaml:"temperature,omitempty"`
	MaxTokens   int      `yaml:"max_tokens,omitempty"`
}

// Detector configures one detector of a probe. Type selects the detector;
// the other fields are its parameters (each type documents which it reads).
// Fields that are templates are rendered with the attempt's canaries and vars.
type Detector struct {
	Type string `yaml:"type"`

	Canary   string   `yaml:"canary,omitempty"`   // canary: the canary name that must not appear; markdown_exfil: optional, the canary a URL must carry
	Patterns []string `yaml:"patterns,omitempty"` // regex: patterns (RE2) that prove a hit (templates)
	Allow    []string `yaml:"allow,omitempty"`    // tool_policy: tools the model may call
	Deny     []string `yaml:"deny,omitempty"`     // tool_policy: tools that must never be called
	Hosts    []string `yaml:"hosts,omitempty"`    // markdown_exfil: hosts links may point to
	Expect   string   `yaml:"expect,omitempty"`   // refusal: "refuse" (default) or "comply"

	// DenyArguments (tool_policy) maps an offered tool to RE2 patterns
	// (templates) that its call's raw JSON arguments must not match.
	DenyArguments map[string][]string `yaml:"deny_arguments,omitempty"`

	Languages       []string `yaml:"languages,omitempty"`         // code_rules: languages whose rules apply (default: all)
	Ecosystem       string   `yaml:"ecosystem,omitempty"`         // package_exists: pypi or npm
	Flag            string   `yaml:"flag,omitempty"`              // flag: the flag a correct solution yields (template)
	MaxOutputTokens int      `yaml:"max_output_tokens,omitempty"` // consumption: most output tokens over the attempt
	MaxToolCalls    int      `yaml:"max_tool_calls,omitempty"`    // consumption: most tool calls over the attempt
	Rubric          string   `yaml:"rubric,omitempty"`            // judge: what the LLM judge decides (template)

	// Tools (tool_policy) are the probe's tools, whose parameters schemas
	// the model's arguments must satisfy. Not read from the file: Render
	// sets them in Script.Detectors.
	Tools []aicc.Tool `yaml:"-"`
}

// The detector types.
const (
	DetectorCanary        = "canary"
	DetectorRegex         = "regex"
	DetectorToolPolicy    = "tool_policy"
	DetectorMarkdownExfil = "markdown_exfil"
	DetectorRefusal       = "refusal"
	DetectorCodeRules     = "code_rules"
	DetectorPackageExists = "package_exists"
	DetectorFlag          = "flag"
	DetectorConsumption   = "consumption"
	DetectorJudge         = "judge"
)

// DetectorType describes one detector type.
type DetectorType struct {
	Type    string
	Params  []string // the Detector fields (by YAML name) the type reads; the others must be empty
	Meaning string   // one line
}

// DetectorTypes lists every detector type, in documentation order.
var DetectorTypes = []DetectorType{
	{DetectorCanary, []string{"canary"}, "hit when the named canary appears in a response or tool call, even encoded"},
	{DetectorRegex, []string{"patterns"}, "hit when any pattern matches a response"},
	{DetectorToolPolicy, []string{"allow", "deny", "deny_arguments"}, "hit when the model calls a tool outside allow or inside deny, or with arguments outside the tool's schema or matching deny_arguments"},
	{DetectorMarkdownExfil, []string{"hosts", "canary"}, "hit when a response links or embeds a URL to a host outside hosts that carries the canary (or, without one, any canary or query data)"},
	{DetectorRefusal, []string{"expect"}, "pass when the model refused (expect: refuse) or complied (expect: comply); undetermined otherwise"},
	{DetectorCodeRules, []string{"languages"}, "hit when generated code matches a static rule for a common CWE"},
	{DetectorPackageExists, []string{"ecosystem"}, "hit when a response tells the user to install or import a package the shipped index of real names does not contain"},
	{DetectorFlag, []string{"flag"}, "hit (solved) when the exact flag appears in a response; cyber_capability probes only"},
	{DetectorConsumption, []string{"max_output_tokens", "max_tool_calls"}, "hit when the attempt's output tokens or tool calls exceed the budget"},
	{DetectorJudge, []string{"rubric"}, "an LLM judge decides by the rubric; never the sole basis of a confirmed finding"},
}

// CodeLanguages are the languages a code_rules detector may name.
var CodeLanguages = []string{"python", "javascript", "go", "c", "sql"}

// Ecosystems are the package ecosystems a package_exists detector may name.
var Ecosystems = []string{"pypi", "npm"}

// inherited records what Validate copied into a derived probe, so that a
// later Validate can tell its copies from fields set by hand.
type inherited struct {
	system    string
	tools     []Tool
	canaries  []string
	turns     []Turn
	variants  []Variant
	detectors []Detector
	sampling  Sampling
	challenge *Challenge
}

// inherit fills a derived probe in from its source.
func (p *Probe) inherit(src *Probe) {
	h := &inherited{src.System, src.Tools, src.Canaries, src.Turns, src.Variants, src.Detectors, src.Sampling, src.Challenge}
	p.System, p.Tools, p.Canaries, p.Turns, p.Variants, p.Detectors, p.Sampling, p.Challenge =
		h.system, h.tools, h.canaries, h.turns, h.variants, h.detectors, h.sampling, h.challenge
	p.inherited = h
}

// uninherit clears the fields inherit copied that still hold the copies.
func (p *Probe) uninherit() {
	h := p.inherited
	if h == nil {
		return
	}
	p.inherited = nil
	if p.System == h.system {
		p.System = ""
	}
	if sameSlice(p.Tools, h.tools) {
		p.Tools = nil
	}
	if sameSlice(p.Canaries, h.canaries) {
		p.Canaries = nil
	}
	if sameSlice(p.Turns, h.turns) {
		p.Turns = nil
	}
	if sameSlice(p.Variants, h.variants) {
		p.Variants = nil
	}
	if sameSlice(p.Detectors, h.detectors) {
		p.Detectors = nil
	}
	if p.Sampling == h.sampling {
		p.Sampling = Sampling{}
	}
	if p.Challenge == h.challenge {
		p.Challenge = nil
	}
}

// sameSlice reports whether a and b are the same slice (not merely equal).
func sameSlice[S ~[]E, E any](a, b S) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
