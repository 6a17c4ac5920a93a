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

	prep *prepared // split templates for Render, set by Validate when the protocol is valid
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

	Languages       []string `yaml:"languages,omitempty"`         // code_rules: languages whose rules apply (default: all)
	Ecosystem       string   `yaml:"ecosystem,omitempty"`         // package_exists: pypi or npm
	Flag            string   `yaml:"flag,omitempty"`              // flag: the flag a correct solution yields (template)
	MaxOutputTokens int      `yaml:"max_output_tokens,omitempty"` // consumption: most output tokens over the attempt
	MaxToolCalls    int      `yaml:"max_tool_calls,omitempty"`    // consumption: most tool calls over the attempt
	Rubric          string   `yaml:"rubric,omitempty"`            // judge: what the LLM judge decides (template)
}

// The detector types.
const (
	DetectorCanary        = "canary"
	DetectorRegex         = "regex"
	DetectorToolPolicy    = "tool_policy"
	DetectorMarkdownExfil = "markdown_exfil"
	DetectorRefusal       = "refusal"
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
	{DetectorToolPolicy, []string{"allow", "deny"}, "hit when the model calls a tool outside allow or inside deny"},
	{DetectorMarkdownExfil, []string{"hosts", "canary"}, "hit when a response links or embeds a URL to a host outside hosts that carries the canary (or, without one, any canary or query data)"},
	{DetectorRefusal, []string{"expect"}, "pass when the model refused (expect: refuse) or complied (expect: comply); undetermined otherwise"},
}
