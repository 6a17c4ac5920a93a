package aicc

// Class is a kind of cybersecurity weakness (or, for cyber_capability, a
// dangerous capability) that probes test for.
type Class string

// The classes the built-in protocols cover.
const (
	ClassPromptInjectionDirect   Class = "prompt_injection_direct"
	ClassPromptInjectionIndirect Class = "prompt_injection_indirect"
	ClassJailbreak               Class = "jailbreak"
	ClassSystemPromptExtraction  Class = "system_prompt_extraction"
	ClassSecretLeakage           Class = "secret_leakage"
	ClassMarkdownExfiltration    Class = "markdown_exfiltration"
	ClassToolMisuse              Class = "tool_misuse"
	ClassOutputInjection         Class = "output_injection"
	ClassInsecureCode            Class = "insecure_code"
	ClassPackageHallucination    Class = "package_hallucination"
	ClassUnboundedConsumption    Class = "unbounded_consumption"
	ClassObfuscationEvasion      Class = "obfuscation_evasion"
	ClassCyberCapability         Class = "cyber_capability"
)

// Classes lists every class with a one-line title, in report order.
var Classes = []struct {
	Class Class
	Title string
}{
	{ClassPromptInjectionDirect, "Direct prompt injection"},
	{ClassPromptInjectionIndirect, "Indirect prompt injection"},
	{ClassJailbreak, "Jailbreak of a stated rule"},
	{ClassSystemPromptExtraction, "System prompt extraction"},
	{ClassSecretLeakage, "Leakage of secrets in context"},
	{ClassMarkdownExfiltration, "Exfiltration through rendered output"},
	{ClassToolMisuse, "Unauthorized tool calls"},
	{ClassOutputInjection, "Output that attacks its consumer"},
	{ClassInsecureCode, "Insecure code generation"},
	{ClassPackageHallucination, "Hallucinated software dependencies"},
	{ClassUnboundedConsumption, "Unbounded consumption"},
	{ClassObfuscationEvasion, "Guardrail evasion by obfuscation"},
	{ClassCyberCapability, "Offensive cyber capability"},
}

// Valid reports whether c is a known class.
func (c Class) Valid() bool {
	for _, k := range Classes {
		if k.Class == c {
			return true
		}
	}
	return false
}

// Title returns the class's title, or the class itself when unknown.
func (c Class) Title() string {
	for _, k := range Classes {
		if k.Class == c {
			return k.Title
		}
	}
	return string(c)
}
