package protocol

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// head is lines 1-4 of every lint case; the probe starts on line 5.
const head = "format: 1\nname: t\nversion: 1.0.0\nprobes:\n"

// okProbe is a valid probe on lines 5-13.
const okProbe = `  - id: p
    class: jailbreak
    title: T
    severity: low
    turns:
      - role: user
        content: hi
    detectors:
      - type: refusal
`

func TestLint(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // "line:col: field: message", in order
	}{
		{"format missing", "name: t\nversion: 1.0.0\nprobes:\n" + okProbe, []string{
			"1:1: format: is required; set format: 1",
		}},
		{"format wrong", "format: 2\nname: t\nversion: 1.0.0\nprobes:\n" + okProbe, []string{
			"1:1: format: is 2, but this aicc reads format 1",
		}},
		{"name and version", "format: 1\nname: Bad Name\nversion: v1\nprobes:\n" + okProbe, []string{
			`2:1: name: "Bad Name" must match ^[a-z0-9][a-z0-9_-]*$`,
			`3:1: version: "v1" is not a semantic version MAJOR.MINOR.PATCH like 1.0.0`,
		}},
		{"no probes", head[:len(head)-1] + " []\n", []string{
			"4:1: probes: at least one probe is required",
		}},
		{"empty probe", head + "  - \n", []string{
			"5:5: probes[0]: is empty; a probe needs id, class, title, severity, turns and detectors",
		}},
		{"duplicate and bad ids", head + okProbe + strings.Replace(okProbe, "id: p", "id: p", 1) + strings.Replace(okProbe, "id: p", "id: P!", 1), []string{
			`14:5: probes[1].id: duplicate probe id "p" (first at probes[0])`,
			`23:5: probes[2].id: "P!" must match ^[a-z0-9][a-z0-9_.-]*$`,
		}},
		{"class severity title", head + `  - id: p
    class: nonsense
    severity: urgent
    turns:
      - role: user
        content: hi
    detectors:
      - type: refusal
`, []string{
			"5:5: probes[0].title: is required",
			`6:5: probes[0].class: unknown class "nonsense"; one of ` + classList(),
			`7:5: probes[0].severity: unknown severity "urgent"; one of info, low, medium, high, critical`,
		}},
		{"taxonomy", head + okProbe + `    taxonomy:
      owasp: [LLM1:2025, LLM01:2025, ASI11:2026]
      atlas: [AML.T51, AML.T0051.000]
      cwe: [77]
`, []string{
			`15:15: probes[0].taxonomy.owasp[0]: "LLM1:2025" is not an OWASP ID like LLM01:2025 or ASI01:2026`,
			`15:38: probes[0].taxonomy.owasp[2]: "ASI11:2026" is not an OWASP ID like LLM01:2025 or ASI01:2026`,
			`16:15: probes[0].taxonomy.atlas[0]: "AML.T51" is not a MITRE ATLAS ID like AML.T0051.000`,
			`17:13: probes[0].taxonomy.cwe[0]: "77" is not a CWE ID like CWE-77`,
		}},
		{"turn roles", head + `  - id: p
    class: jailbreak
    title: T
    severity: low
    turns:
      - role: system
        content: x
      - role: robot
        content: y
      - role: assistant
    detectors:
      - type: refusal
`, []string{
			"9:5: probes[0].turns: at least one user turn is required",
			"10:9: probes[0].turns[0].role: a turn cannot be a system message; put the system prompt in the probe's system field",
			`12:9: probes[0].turns[1].role: unknown role "robot"; one of user, assistant, tool`,
			"14:9: probes[0].turns[2]: a scripted assistant turn needs content or tool_calls",
			"14:9: probes[0].turns[2].role: the script ends with a assistant turn; end with a user or tool turn so the model is called last",
		}},
		{"user turn fields", head + `  - id: p
    class: jailbreak
    title: T
    severity: low
    turns:
      - role: user
        tool_call_id: c1
        name: x
    detectors:
      - type: refusal
`, []string{
			"10:9: probes[0].turns[0].content: a user turn needs content",
			"11:9: probes[0].turns[0].tool_call_id: only tool turns have a tool_call_id",
			"12:9: probes[0].turns[0].name: only tool turns have a name",
		}},
		{"tool calls and results", head + `  - id: p
    class: tool_misuse
    title: T
    severity: low
    tools:
      - name: read
    turns:
      - role: user
        content: hi
      - role: assistant
        tool_calls:
          - id: c1
            name: read
            arguments: '{"a": 1}'
          - id: c2
            name: write
            arguments: '[1]'
      - role: tool
        tool_call_id: c1
        name: other
      - role: tool
        tool_call_id: c9
      - role: user
        content: go on
      - role: tool
        tool_call_id: c1
    detectors:
      - type: refusal
`, []string{
			"19:13: probes[0].turns[1].tool_calls[1].id: call \"c2\" is not answered; follow this turn with a tool turn whose tool_call_id is \"c2\"",
			`20:13: probes[0].turns[1].tool_calls[1].name: "write" is not an offered tool (tools: read)`,
			"21:13: probes[0].turns[1].tool_calls[1].arguments: must be a JSON object",
			`24:9: probes[0].turns[2].name: is "other" but call "c1" is to "read"; omit name to use the call's`,
			`26:9: probes[0].turns[3].tool_call_id: "c9" names no earlier scripted tool call`,
			`30:9: probes[0].turns[5].tool_call_id: "c1" is a call of turns[1]; a tool turn must follow the assistant turn that made the call (or another tool turn)`,
		}},
		{"tools", head + okProbe + `    tools:
      - name: "bad name"
      - name: ok
        parameters: {type: string}
      - name: ok
`, []string{
			`15:9: probes[0].tools[0].name: tool name "bad name" must match ^[a-zA-Z0-9_-]{1,64}$`,
			`17:22: probes[0].tools[1].parameters.type: must be "object": parameters is the JSON Schema of the arguments object`,
			`18:9: probes[0].tools[2].name: duplicate tool "ok"`,
		}},
		{"tool schemas", head + okProbe + `    tools:
      - name: a
        parameters:
          type: object
          properties:
            to: {type: string, pattern: "^(x"}
            n: {type: integer, maxLength: -1}
          required: to
      - name: b
        parameters:
          type: object
          properties:
            kind: {type: strin}
            look: {type: string, pattern: "(?=x)"}
      - name: c
        parameters:
          type: object
          properties:
            x: {$ref: "other.json"}
            y: {$ref: "#/$defs/missing"}
      - name: d
        parameters:
          type: object
          properties:
            "a.b": {type: 5}
            list: {type: array, items: [{type: string}]}
      - name: e
        parameters:
          type: object
          properties:
            ok: {type: string, format: email, enum: [a@x.example], maxLength: 40, pattern: "^[a-z]+@x\\.example$"}
          required: [ok]
          additionalProperties: false
      - name: f
        parameters:
          type: object
          properties:
            y: {$ref: "#/$defs/missing"}
`, []string{
			"19:32: probes[0].tools[0].parameters.properties.to.pattern: is not a valid JSON Schema: '^(x' is not valid regex: error parsing regexp: missing closing ): `^(x`",
			"20:32: probes[0].tools[0].parameters.properties.n.maxLength: is not a valid JSON Schema: minimum: got -1, want 0",
			"21:11: probes[0].tools[0].parameters.required: is not a valid JSON Schema: got string, want array",
			"26:20: probes[0].tools[1].parameters.properties.kind.type: is not a valid JSON Schema: value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'",
			"27:34: probes[0].tools[1].parameters.properties.look.pattern: is not a valid JSON Schema: '(?=x)' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
			"29:9: probes[0].tools[2].parameters: does not compile: a tool's schema must be self-contained; it cannot refer to other.json (use $defs and #/$defs/NAME)",
			"37:11: probes[0].tools[3].parameters.properties: is not a valid JSON Schema: at /a.b/type: value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'",
			"39:33: probes[0].tools[3].parameters.properties.list.items: is not a valid JSON Schema: got array, want boolean or object",
			`48:9: probes[0].tools[5].parameters: does not compile: json-pointer in "#/$defs/missing" not found`,
		}},
		{"canaries", head + okProbe + "    canaries: [ok, Bad, ok]\n", []string{
			`14:20: probes[0].canaries[1]: canary name "Bad" must match ^[a-z][a-z0-9_]*$`,
			`14:25: probes[0].canaries[2]: duplicate canary "ok"`,
		}},
		{"placeholders", head + `  - id: p
    class: jailbreak
    title: T
    severity: low
    canaries: [a]
    system: "{{canary.b}} {{ var.x }} {{a}}"
    turns:
      - role: user
        content: "{{canary.a}} {{unclosed"
    detectors:
      - type: refusal
`, []string{
			`10:5: probes[0].system: unknown placeholder "{{a}}"; use {{canary.NAME}}, {{var.NAME}}, {{challenge.prompt}} or {{challenge.flag}}`,
			"10:5: probes[0].system: {{canary.b}} names no declared canary (declared: a)",
			"10:5: probes[0].system: {{var.x}} needs variants that bind x",
			`13:9: probes[0].turns[0].content: unclosed "{{"; write {{"{{"}} for a literal "{{"`,
		}},
		{"variants", head + `  - id: p
    class: jailbreak
    title: T
    severity: low
    turns:
      - role: user
        content: "{{var.q}}"
    variants:
      - id: one
        vars: {q: "{{var.r}}"}
      - id: one
        vars: {r: x}
      - vars: {"1x": y}
    detectors:
      - type: refusal
`, []string{
			"11:9: probes[0].turns[0].content: {{var.q}} is not bound by variants[1], variants[2]",
			"14:16: probes[0].variants[0].vars.q: {{var.r}}: var values may use {{canary.NAME}} and {{challenge.prompt}} but not {{var.NAME}}",
			`15:9: probes[0].variants[1].id: duplicate variant id "one" (first at variants[0])`,
			`17:9: probes[0].variants[2].vars: var name "1x" must match ^[A-Za-z][A-Za-z0-9_]*$`,
		}},
		{"no detectors", head + strings.Replace(okProbe, "    detectors:\n      - type: refusal\n", "", 1), []string{
			"5:5: probes[0].detectors: at least one detector is required",
		}},
		{"detector types", head + okProbe + `      - type: magic
      - {}
      - type: canary
        patterns: [x]
      - type: canary
        canary: nope
`, []string{
			`14:9: probes[0].detectors[1].type: unknown detector type "magic"; one of ` + allTypes,
			"15:9: probes[0].detectors[2].type: is required; one of " + allTypes,
			"16:9: probes[0].detectors[3].canary: a canary detector needs canary: NAME, a declared canary",
			"17:9: probes[0].detectors[3].patterns: a canary detector does not read patterns (it reads canary)",
			`19:9: probes[0].detectors[4].canary: "nope" names no declared canary (the probe declares no canaries)`,
		}},
		{"canary never shown", head + okProbe + "      - {type: canary, canary: k}\n    canaries: [k]\n", []string{
			`14:24: probes[0].detectors[1].canary: canary "k" appears in no template of the probe, so the model never sees it`,
		}},
		{"regex", head + okProbe + `      - type: regex
      - type: regex
        patterns: ["", "a(b", "[{{var.v}}]", "{{canary.x}}"]
    variants:
      - vars: {v: a}
      - vars: {v: ""}
`, []string{
			"14:9: probes[0].detectors[1].patterns: a regex detector needs at least one pattern",
			"16:20: probes[0].detectors[2].patterns[0]: is empty, so it would match every response",
			"16:24: probes[0].detectors[2].patterns[1]: does not compile: error parsing regexp: missing closing ): `a(b`",
			"16:31: probes[0].detectors[2].patterns[2]: does not compile: error parsing regexp: missing closing ]: `[]` (with variants[1])",
			"16:46: probes[0].detectors[2].patterns[3]: {{canary.x}} names no declared canary (the probe declares no canaries)",
		}},
		{"tool policy", head + okProbe + `      - type: tool_policy
      - type: tool_policy
        allow: [run]
        deny: [run, "no way"]
        hosts: [x.example]
`, []string{
			"14:9: probes[0].detectors[1]: a tool_policy detector needs allow, deny, deny_arguments or a combination",
			`16:17: probes[0].detectors[2].allow[0]: "run" is not an offered tool (the probe offers no tools)`,
			`17:16: probes[0].detectors[2].deny[0]: "run" is also in allow`,
			`17:21: probes[0].detectors[2].deny[1]: tool name "no way" must match ^[a-zA-Z0-9_-]{1,64}$`,
			"18:9: probes[0].detectors[2].hosts: a tool_policy detector does not read hosts (it reads allow, deny, deny_arguments)",
		}},
		{"deny_arguments", head + `  - id: p
    class: tool_misuse
    title: T
    severity: low
    canaries: [c]
    tools:
      - name: run_sql
      - name: delete_file
      - name: send_email
    turns:
      - role: user
        content: "hi {{canary.c}}"
    detectors:
      - type: tool_policy
        allow: [run_sql, delete_file]
        deny: [send_email]
        deny_arguments:
          run_sql: ['(?i)drop\s+table', "", "a(b", "{{canary.c}}(", "{{canary.nope}}"]
          delete_file: []
          send_email: [x]
          nowhere: [x]
      - type: tool_policy
        allow: [run_sql]
        deny_arguments: {delete_file: [x]}
      - type: regex
        patterns: [x]
        deny_arguments: {run_sql: [x]}
      - type: tool_policy
        deny_arguments: {run_sql: ['"path":"/"']}
`, []string{
			"22:41: probes[0].detectors[0].deny_arguments.run_sql[1]: is empty, so it would match every call",
			"22:45: probes[0].detectors[0].deny_arguments.run_sql[2]: does not compile: error parsing regexp: missing closing ): `a(b`",
			"22:52: probes[0].detectors[0].deny_arguments.run_sql[3]: does not compile: error parsing regexp: missing closing ): `CANARY(`",
			"22:69: probes[0].detectors[0].deny_arguments.run_sql[4]: {{canary.nope}} names no declared canary (declared: c)",
			"23:11: probes[0].detectors[0].deny_arguments.delete_file: needs at least one pattern",
			`24:11: probes[0].detectors[0].deny_arguments.send_email: "send_email" is in deny, so every call to it is a hit already`,
			`25:11: probes[0].detectors[0].deny_arguments.nowhere: "nowhere" is not an offered tool (tools: run_sql, delete_file, send_email)`,
			`28:26: probes[0].detectors[1].deny_arguments.delete_file: "delete_file" is not in allow, so every call to it is a hit already`,
			"31:9: probes[0].detectors[2].deny_arguments: a regex detector does not read deny_arguments (it reads patterns)",
		}},
		{"markdown and refusal", head + okProbe + `        expect: maybe
      - type: markdown_exfil
        hosts: [ok.example.com, "https://x.example/"]
        canary: c
`, []string{
			`14:9: probes[0].detectors[0].expect: is "maybe"; use refuse (the default) or comply`,
			`16:33: probes[0].detectors[1].hosts[1]: "https://x.example/" is not a host name (no scheme, port or path), e.g. docs.example.com`,
			`17:9: probes[0].detectors[1].canary: "c" names no declared canary (the probe declares no canaries)`,
		}},
		{"sampling", head + okProbe + "    sampling: {temperature: 2.5, max_tokens: -1}\n", []string{
			"14:16: probes[0].sampling.temperature: 2.5 is outside [0, 2]",
			"14:34: probes[0].sampling.max_tokens: is -1; use 0 (the scan's setting) or more",
		}},
		{"unknown field", head + okProbe + "    bogus: 1\n", []string{
			`14:5: probes[0].bogus: unknown field "bogus"`,
		}},
		{"unknown detector field", head + okProbe + "        pattern: x\n", []string{
			`14:9: probes[0].detectors[0].pattern: unknown field "pattern"`,
		}},
		{"type error", head + okProbe + "    sampling:\n      max_tokens: lots\n", []string{
			"15:19: probes[0].sampling.max_tokens: must be an integer, not a string",
		}},
		{"wrong node type", head + okProbe + "    canaries: {a: 1}\n", []string{
			"14:15: probes[0].canaries: mapping was used where sequence is expected",
		}},
		{"syntax error", head + "  - id: [p\n", []string{
			"5:9: sequence end token ']' not found",
		}},
		{"duplicate key", "format: 1\nformat: 1\n", []string{
			`2:1: mapping key "format" already defined at [1:1]`,
		}},
		{"alias bomb", head + okProbe + aliasBomb, []string{
			"1:1: with its aliases expanded the document has over 1048576 nodes; use fewer aliases",
		}},
		{"problem under an alias", head + okProbe + "    tools: &t [{name: a}, {name: a}]\n" +
			strings.Replace(okProbe, "id: p", "id: q", 1) + "    tools: *t\n", []string{
			`14:28: probes[0].tools[1].name: duplicate tool "a"`,
			`24:5: probes[1].tools[1].name: duplicate tool "a"`,
		}},
		{"empty file", "# nothing\n", []string{
			"1:1: the file is empty; a protocol starts with format: 1",
		}},
		{"two documents", head + okProbe + "---\nformat: 1\n", []string{
			"15:1: a protocol file holds one YAML document; remove the second",
		}},
		{"not a mapping", "- 1\n", []string{
			"1:1: sequence was used where mapping is expected",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkLint(t, tt.src, tt.want) })
	}
}

// checkLint parses src as t.yaml and checks its problems, each
// "line:col: field: message", in order.
func checkLint(t *testing.T, src string, want []string) {
	t.Helper()
	_, err := Parse("t.yaml", []byte(src))
	var le *LintError
	if !errors.As(err, &le) {
		t.Fatalf("Parse error = %v, want a *LintError", err)
	}
	got := strings.Split(le.Error(), "\n")
	for i := range got {
		got[i] = strings.TrimPrefix(got[i], "t.yaml:")
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if aicc.KindOf(err) != aicc.KindInvalid {
		t.Errorf("KindOf = %s, want invalid", aicc.KindOf(err))
	}
}

const allTypes = "canary, regex, tool_policy, markdown_exfil, refusal, code_rules, package_exists, flag, consumption, judge"

// aliasBomb nests aliases ten deep, ten wide: 10^10 nodes expanded.
var aliasBomb = func() string {
	var b strings.Builder
	b.WriteString("    description: x\n    tools:\n      - name: t\n        parameters:\n          type: object\n          a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "          a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	return b.String()
}()

func TestLintValidFiles(t *testing.T) {
	for _, name := range []string{"testdata/minimal.yaml", "testdata/full.yaml", "testdata/next.yaml"} {
		if _, err := LoadFile(name); err != nil {
			t.Errorf("LoadFile(%s): %v", name, err)
		}
	}
	for name, src := range map[string]string{
		"okProbe":             okProbe,
		"derived":             okProbe + derivedProbe,
		"derived from a flag": challengeProbe(ChallengeCaesar, 1) + strings.Replace(strings.Replace(derivedProbe, "from: p", "from: c", 1), "obfuscation_evasion", "cyber_capability", 1),
	} {
		if _, err := Parse("t.yaml", []byte(head+src)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, k := range ChallengeKinds {
		for level := range MaxChallengeLevel + 1 {
			if _, err := Parse("t.yaml", []byte(head+challengeProbe(k.Kind, level))); err != nil {
				t.Errorf("challenge %s level %d: %v", k.Kind, level, err)
			}
		}
	}
}

func TestValidateTwice(t *testing.T) {
	p := loadNext(t)
	d := p.Probe("leak.system.obfuscated")
	if d.System == "" || len(d.Detectors) != 2 || len(d.Variants) != 3 {
		t.Fatalf("derived probe not filled in from its source: %+v", d)
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate after Parse: %v", err)
	}
	d.Sampling.MaxTokens = 9 // set by hand on a derived probe
	err := p.Validate()
	if err == nil || !strings.Contains(err.Error(), "probes[1].sampling: a derived probe takes sampling") {
		t.Fatalf("Validate = %v, want the hand-set sampling reported", err)
	}
	d.Sampling = Sampling{}
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate after undoing: %v", err)
	}
	if d.NumVariants() != 6 || d.System != p.Probe("leak.system").System {
		t.Errorf("after revalidation: %d variants, system %q", d.NumVariants(), d.System)
	}
}

func TestValidateProgrammatic(t *testing.T) {
	p, err := LoadFile("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p.Probes[0].Severity = "dire"
	p.Source = nil
	err = p.Validate()
	var le *LintError
	if !errors.As(err, &le) || len(le.Problems) != 1 {
		t.Fatalf("Validate = %v, want one problem", err)
	}
	want := `testdata/minimal.yaml: probes[0].severity: unknown severity "dire"; one of info, low, medium, high, critical`
	if le.Error() != want {
		t.Errorf("Validate = %q, want %q", le.Error(), want)
	}
	if _, err := p.Probes[0].Render(0, map[string]string{"word": "W"}); err == nil {
		t.Error("Render after a failed Validate succeeded, want an error")
	}
}

// derivedProbe derives probe q from probe p (okProbe); 7 lines.
const derivedProbe = `  - id: q
    class: obfuscation_evasion
    title: T2
    severity: low
    derive:
      from: p
      transforms: [rot13, split]
`

// challengeProbe is a valid cyber_capability probe c; 12 lines.
func challengeProbe(kind string, level int) string {
	return fmt.Sprintf(`  - id: c
    class: cyber_capability
    title: Solves a %s challenge
    severity: info
    canaries: [seed]
    challenge: {kind: %s, level: %d}
    turns:
      - role: user
        content: "{{challenge.prompt}}"
    detectors:
      - type: flag
        flag: "{{challenge.flag}}"
`, kind, kind, level)
}

func TestLintNextClasses(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"new detector types", head + okProbe + `      - type: code_rules
        languages: [python, cobol, python]
        ecosystem: pypi
      - type: package_exists
      - type: package_exists
        ecosystem: maven
      - type: consumption
      - type: consumption
        max_output_tokens: -1
        max_tool_calls: 3
      - type: judge
      - type: judge
        rubric: "Is {{canary.x}} there?"
      - type: regex
        patterns: [x]
        languages: [go]
        max_tool_calls: 2
        rubric: r
`, []string{
			`15:29: probes[0].detectors[1].languages[1]: unknown language "cobol"; one of python, javascript, go, c, sql`,
			`15:36: probes[0].detectors[1].languages[2]: duplicate language "python"`,
			"16:9: probes[0].detectors[1].ecosystem: a code_rules detector does not read ecosystem (it reads languages)",
			"17:9: probes[0].detectors[2].ecosystem: a package_exists detector needs ecosystem: one of pypi, npm",
			`19:9: probes[0].detectors[3].ecosystem: unknown ecosystem "maven"; one of pypi, npm`,
			"20:9: probes[0].detectors[4]: a consumption detector needs max_output_tokens, max_tool_calls or both, each more than 0",
			"22:9: probes[0].detectors[5].max_output_tokens: is -1; it must be more than 0",
			"24:9: probes[0].detectors[6].rubric: a judge detector needs rubric: what the judge decides, e.g. whether the answer gives working exploit steps",
			"26:9: probes[0].detectors[7].rubric: {{canary.x}} names no declared canary (the probe declares no canaries)",
			"29:9: probes[0].detectors[8].languages: a regex detector does not read languages (it reads patterns)",
			"30:9: probes[0].detectors[8].max_tool_calls: a regex detector does not read max_tool_calls (it reads patterns)",
			"31:9: probes[0].detectors[8].rubric: a regex detector does not read rubric (it reads patterns)",
		}},
		{"flag detector", head + okProbe + `      - type: flag
      - type: flag
        flag: "{{var.f}}"
    variants:
      - vars: {f: "FLAG{x}"}
      - vars: {f: " "}
`, []string{
			`14:9: probes[0].detectors[1].flag: a flag detector needs flag: the exact flag a solution yields, e.g. "{{challenge.flag}}"`,
			"14:9: probes[0].detectors[1].type: a flag detector is only for cyber_capability probes; this probe's class is jailbreak",
			"15:9: probes[0].detectors[2].type: a flag detector is only for cyber_capability probes; this probe's class is jailbreak",
			"16:9: probes[0].detectors[2].flag: renders empty, so every response would solve the challenge (with variants[1])",
		}},
		{"capability without flag", head + strings.Replace(okProbe, "class: jailbreak", "class: cyber_capability", 1), []string{
			`12:5: probes[0].detectors: a cyber_capability probe needs a flag detector, e.g. {type: flag, flag: "{{challenge.flag}}"}`,
		}},
		{"challenge placeholders without a challenge", head + strings.Replace(okProbe, "content: hi", `content: "{{challenge.prompt}} {{challenge.answer}}"`, 1), []string{
			`11:9: probes[0].turns[0].content: unknown placeholder "{{challenge.answer}}"; use {{canary.NAME}}, {{var.NAME}}, {{challenge.prompt}} or {{challenge.flag}}`,
			"11:9: probes[0].turns[0].content: {{challenge.prompt}} needs a challenge, and the probe has none",
		}},
		{"challenge fields", head + `  - id: c
    class: cyber_capability
    title: T
    severity: info
    challenge: {kind: sudoku, level: 4}
    system: "The answer is {{challenge.flag}}."
    turns:
      - role: user
        content: "Solve it."
    variants:
      - vars: {v: "{{challenge.flag}}"}
    detectors:
      - type: flag
        flag: "{{challenge.flag}}"
      - type: regex
        patterns: ["{{challenge.flag}}"]
`, []string{
			"9:5: probes[0].challenge: a challenge needs a canary to seed it; declare one, e.g. canaries: [seed]",
			"9:5: probes[0].challenge: {{challenge.prompt}} appears in no template of the probe, so the model never sees the challenge",
			`9:17: probes[0].challenge.kind: unknown challenge kind "sudoku"; one of caesar, decode_chain, program_secret, injectable_param`,
			"9:31: probes[0].challenge.level: is 4; use 1 to 3, or 0 (the default) to draw a level per attempt",
			"10:5: probes[0].system: {{challenge.flag}} would show the model the answer; use it only in detectors (flag, patterns, rubric)",
			"15:16: probes[0].variants[0].vars.v: {{challenge.flag}} would show the model the answer; use it only in detectors (flag, patterns, rubric)",
		}},
		{"challenge kind missing", head + strings.Replace(challengeProbe("caesar", 0), "{kind: caesar, level: 0}", "{level: 1}", 1), []string{
			"10:5: probes[0].challenge.kind: is required; one of caesar, decode_chain, program_secret, injectable_param",
		}},
		{"derive", head + okProbe + `  - id: d1
    class: obfuscation_evasion
    title: T
    severity: low
    derive:
      from: nope
      transforms: [base64, pig_latin, base64]
  - id: d2
    class: obfuscation_evasion
    title: T
    severity: low
    derive:
      from: d3
      transforms: []
  - id: d3
    class: obfuscation_evasion
    title: T
    severity: low
    derive: {from: d3, transforms: [hex]}
  - id: d4
    class: obfuscation_evasion
    title: T
    severity: low
    derive: {from: d1, transforms: [hex]}
  - id: d5
    class: obfuscation_evasion
    title: T
    severity: low
    derive: {transforms: [hex]}
`, []string{
			`19:7: probes[1].derive.from: "nope" names no probe`,
			`20:28: probes[1].derive.transforms[1]: unknown transform "pig_latin"; one of base64, hex, rot13, leetspeak, homoglyph, zero_width, split`,
			`20:39: probes[1].derive.transforms[2]: duplicate transform "base64"`,
			`26:7: probes[2].derive.from: "d3" is probes[3], after this one; derive only from an earlier probe`,
			"27:7: probes[2].derive.transforms: at least one transform is required; one of base64, hex, rot13, leetspeak, homoglyph, zero_width, split",
			"32:14: probes[3].derive.from: a probe cannot derive from itself",
			`37:14: probes[4].derive.from: "d1" is itself derived (from "nope"); derive from that probe instead`,
			"42:5: probes[5].derive.from: is required: the id of an earlier probe",
		}},
		{"fields set on a derived probe", head + okProbe + derivedProbe + `    system: s
    tools: [{name: t}]
    canaries: [k]
    turns: [{role: user, content: x}]
    variants: [{vars: {v: x}}]
    detectors: [{type: refusal}]
    sampling: {max_tokens: 5}
    challenge: {kind: caesar}
`, []string{
			"21:5: probes[1].system: a derived probe takes system from the probe it derives from; remove it here",
			"22:5: probes[1].tools: a derived probe takes tools from the probe it derives from; remove it here",
			"23:5: probes[1].canaries: a derived probe takes canaries from the probe it derives from; remove it here",
			"24:5: probes[1].turns: a derived probe takes turns from the probe it derives from; remove it here",
			"25:5: probes[1].variants: a derived probe takes variants from the probe it derives from; remove it here",
			"26:5: probes[1].detectors: a derived probe takes detectors from the probe it derives from; remove it here",
			"27:5: probes[1].sampling: a derived probe takes sampling from the probe it derives from; remove it here",
			"28:5: probes[1].challenge: a derived probe takes challenge from the probe it derives from; remove it here",
		}},
		{"derived class and flags", head + okProbe + challengeProbe("caesar", 1) + strings.Replace(derivedProbe, "from: p", "from: c", 1) +
			strings.Replace(strings.Replace(derivedProbe, "id: q", "id: r", 1), "class: obfuscation_evasion", "class: cyber_capability", 1), []string{
			`27:5: probes[2].class: is obfuscation_evasion, but probe "c", which it derives from, has a flag detector, which only cyber_capability probes may have`,
			`38:7: probes[3].derive.from: probe "p" has no flag detector, which a cyber_capability probe needs`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkLint(t, tt.src, tt.want) })
	}
}
