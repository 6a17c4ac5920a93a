package validate

import (
	"fmt"

	gocvss40 "github.com/pandatix/go-cvss/40"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// CVSS is a CVSS 4.0 base score: the vector, the score the FIRST
// specification computes from it, and the qualitative rating of that score.
type CVSS struct {
	Version  string  `json:"version"` // "4.0"
	Vector   string  `json:"vector"`
	Score    float64 `json:"score"`    // 0.0 to 10.0
	Severity string  `json:"severity"` // None, Low, Medium, High or Critical
}

// baseVectors is the default CVSS 4.0 base vector of each weakness class,
// for a model deployed behind an application that an attacker can reach
// over the network without an account. The vulnerable system is that
// application (model, instructions, context, tools); subsequent systems are
// what consumes its output or what its tools act on. docs/reports.md
// explains each choice; a deployment that differs (users must sign in: PR:L;
// no tools: no tool_misuse) should rescore.
var baseVectors = map[aicc.Class]string{
	// The attacker is the user: instructions overridden in their own session.
	aicc.ClassPromptInjectionDirect: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
	// Planted content takes over a victim's session while they use the app.
	aicc.ClassPromptInjectionIndirect: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:N/SC:L/SI:L/SA:N",
	// A stated rule broken: the application's policy, nothing more.
	aicc.ClassJailbreak: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N",
	// Instructions disclosed; they should hold no secrets.
	aicc.ClassSystemPromptExtraction: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
	// A credential in context disclosed; it opens something elsewhere.
	aicc.ClassSecretLeakage: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:L/SI:L/SA:N",
	// A victim's conversation data sent out when their client renders a link.
	aicc.ClassMarkdownExfiltration: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N",
	// A tool the model must not call acts on the systems behind it.
	aicc.ClassToolMisuse: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:L/SI:H/SA:L",
	// A payload (script, SQL, shell) that runs where the output is consumed
	// without encoding: a condition of the deployment (AT:P).
	aicc.ClassOutputInjection: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:L",
	// A weakness lands in software only once a developer adopts the code.
	aicc.ClassInsecureCode: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N",
	// The attacker must register the name first; a developer must install it;
	// then its code runs with the developer's rights.
	aicc.ClassPackageHallucination: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H",
	// Output or tool calls without bound: cost and capacity.
	aicc.ClassUnboundedConsumption: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N",
	// A guardrail bypassed by encoding: as a jailbreak.
	aicc.ClassObfuscationEvasion: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N",
	// aicc.ClassCyberCapability has none: a capability is not a weakness.
}

// BaseVector returns the default CVSS 4.0 base vector of a class, and false
// for classes without one (cyber_capability, unknown classes).
func BaseVector(c aicc.Class) (string, bool) {
	v, ok := baseVectors[c]
	return v, ok
}

// ClassCVSS scores the default base vector of a class; false when the class
// has none.
func ClassCVSS(c aicc.Class) (CVSS, bool) {
	v, ok := baseVectors[c]
	if !ok {
		return CVSS{}, false
	}
	s, err := Score(v)
	if err != nil {
		panic(err) // the table is tested: every vector parses
	}
	return s, true
}

// Score parses a CVSS 4.0 vector and computes its score and rating with
// github.com/pandatix/go-cvss, which implements the FIRST specification.
func Score(vector string) (CVSS, error) {
	v, err := gocvss40.ParseVector(vector)
	if err != nil {
		return CVSS{}, aicc.Errorf(aicc.KindInvalid, "CVSS 4.0 vector %q: %v", vector, err)
	}
	score := v.Score()
	rating, err := gocvss40.Rating(score)
	if err != nil {
		return CVSS{}, fmt.Errorf("rate CVSS score %v: %w", score, err)
	}
	return CVSS{Version: "4.0", Vector: v.Vector(), Score: score, Severity: ratingName(rating)}, nil
}

// ratingName turns the library's "CRITICAL" into the specification's
// "Critical".
func ratingName(r string) string {
	if r == "" {
		return r
	}
	b := []byte(r)
	for i := 1; i < len(b); i++ {
		if b[i] >= 'A' && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}
