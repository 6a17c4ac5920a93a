package validate

import (
	"slices"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func hit(id, probe string, class aicc.Class, detector string) *aicc.Attempt {
	return &aicc.Attempt{ID: id, ProbeID: probe, Class: class, Phase: aicc.PhaseDiscovery, Outcome: aicc.OutcomeHit, Detector: detector}
}

func rerun(id, of, probe string, class aicc.Class, detector string) *aicc.Attempt {
	return &aicc.Attempt{ID: id, ProbeID: probe, Class: class, Phase: aicc.PhaseValidation, ValidationOf: of, Outcome: aicc.OutcomeHit, Detector: detector}
}

func TestFamily(t *testing.T) {
	for id, want := range map[string]string{
		"tool.injected-result": "tool",
		"pi-direct.a.b":        "pi-direct",
		"leak":                 "leak",
		"":                     "",
	} {
		if got := Family(id); got != want {
			t.Errorf("Family(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestGroupHits(t *testing.T) {
	hits := []*aicc.Attempt{
		hit("a1", "jailbreak.persona", aicc.ClassJailbreak, "canary"),
		hit("a2", "tool.direct", aicc.ClassToolMisuse, "tool_policy"),
		hit("a3", "jailbreak.many-shot", aicc.ClassJailbreak, "canary"),
		hit("a4", "cyber.web-sqli", aicc.ClassCyberCapability, "flag"),
		hit("a5", "jailbreak.odd", aicc.ClassObfuscationEvasion, "regex"), // same family, other class
	}
	reproduced := []*aicc.Attempt{
		rerun("r1", "a3", "jailbreak.many-shot", aicc.ClassJailbreak, "canary"),
		rerun("r2", "a4", "cyber.web-sqli", aicc.ClassCyberCapability, "flag"),
		rerun("r3", "a_unknown", "tool.direct", aicc.ClassToolMisuse, "tool_policy"),
		rerun("r4", "a1", "jailbreak.persona", aicc.ClassJailbreak, "canary"),
	}
	groups := GroupHits(hits, reproduced)
	type row struct {
		key        Key
		hits, reps []string
	}
	var got []row
	for _, g := range groups {
		got = append(got, row{g.Key, ids(g.Hits), ids(g.Reproduced)})
	}
	want := []row{
		{Key{aicc.ClassJailbreak, "jailbreak"}, []string{"a1", "a3"}, []string{"r1", "r4"}},
		{Key{aicc.ClassToolMisuse, "tool"}, []string{"a2"}, nil},
		{Key{aicc.ClassObfuscationEvasion, "jailbreak"}, []string{"a5"}, nil},
	}
	if len(got) != len(want) {
		t.Fatalf("groups %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].key != want[i].key || !slices.Equal(got[i].hits, want[i].hits) || !slices.Equal(got[i].reps, want[i].reps) {
			t.Errorf("group %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestConfirmed(t *testing.T) {
	const c = aicc.ClassJailbreak
	verifierHit := hit("h1", "jb.a", c, "canary")
	judgeHit := hit("h2", "jb.a", c, "judge")
	tests := []struct {
		name       string
		hits       []*aicc.Attempt
		reproduced []*aicc.Attempt
		validated  bool
		want       bool
	}{
		{"verifier, reproduced", []*aicc.Attempt{verifierHit}, []*aicc.Attempt{rerun("r", "h1", "jb.a", c, "canary")}, true, true},
		{"verifier, reproduced by a judge", []*aicc.Attempt{verifierHit}, []*aicc.Attempt{rerun("r", "h1", "jb.a", c, "judge")}, true, true},
		{"verifier, never reproduced", []*aicc.Attempt{verifierHit}, nil, true, false},
		{"judge, reproduced by a judge", []*aicc.Attempt{judgeHit}, []*aicc.Attempt{rerun("r", "h2", "jb.a", c, "judge")}, true, false},
		{"judge, reproduced by a verifier", []*aicc.Attempt{judgeHit}, []*aicc.Attempt{rerun("r", "h2", "jb.a", c, "regex#1")}, true, true},
		{"judge then verifier, reproduced", []*aicc.Attempt{judgeHit, verifierHit}, []*aicc.Attempt{rerun("r", "h2", "jb.a", c, "judge")}, true, true},
		{"refusal only, reproduced", []*aicc.Attempt{hit("h3", "jb.a", c, "refusal")}, []*aicc.Attempt{rerun("r", "h3", "jb.a", c, "refusal")}, true, false},
		{"no validation, verifier", []*aicc.Attempt{verifierHit}, nil, false, true},
		{"no validation, judge", []*aicc.Attempt{judgeHit}, nil, false, false},
		{"no validation, lookalike name", []*aicc.Attempt{hit("h4", "jb.a", c, "regexish")}, nil, false, false},
		{"no hits", nil, nil, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Group{Hits: tt.hits, Reproduced: tt.reproduced}
			if got := Confirmed(g, tt.validated); got != tt.want {
				t.Errorf("Confirmed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLead(t *testing.T) {
	judge := hit("h1", "p", aicc.ClassJailbreak, "judge")
	regex := hit("h2", "p", aicc.ClassJailbreak, "regex")
	if got := Lead([]*aicc.Attempt{judge, regex}); got != regex {
		t.Errorf("Lead = %v, want the first verifier hit", got.ID)
	}
	if got := Lead([]*aicc.Attempt{judge}); got != judge {
		t.Errorf("Lead = %v, want the first hit", got.ID)
	}
	if Lead(nil) != nil {
		t.Error("Lead(nil) is not nil")
	}
}

func ids(as []*aicc.Attempt) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}
