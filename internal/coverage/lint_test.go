package coverage

import (
	"errors"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// head is a valid policy up to its rules, which start on line 10.
const head = `format: 1
id: t
version: 1.0.0
title: T
effective: 2026-01-01
citations:
  - id: s
    title: S
rules:
`

// rule is a valid rule on lines 10 to 14 (when on line 13, outcome on 14).
const rule = `  - id: r
    cite: [s]
    summary: S
    when: {compute_above: 1e26}
    outcome: recommend_consultation
`

func TestLint(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []string // each a prefix of one problem's "file:line:col: field: message"
	}{
		{"unknown field", "format: 1\ncolour: red\n", []string{`t.yaml:2:1: colour: unknown field "colour"`}},
		{"unknown condition", head + strings.Replace(rule, "compute_above", "compute_over", 1),
			[]string{`t.yaml:13:12: rules[0].when.compute_over: unknown field "compute_over"`}},
		{"wrong type", head + strings.Replace(rule, "1e26", "lots", 1),
			[]string{`t.yaml:13:27: rules[0].when.compute_above: must be a number, not a string`}},
		{"unknown outcome", head + strings.Replace(rule, "recommend_consultation", "approved", 1),
			[]string{`t.yaml:14:5: rules[0].outcome: "approved" is not one of covered, presumed_covered,`}},
		{"no outcome", head + strings.Replace(rule, "    outcome: recommend_consultation\n", "", 1),
			[]string{`t.yaml:10:5: rules[0].outcome: is required`}},
		{"undeclared citation", head + strings.Replace(rule, "[s]", "[s, eo]", 1),
			[]string{`t.yaml:11:15: rules[0].cite[1]: cites "eo", which is not declared`}},
		{"no citation", head + strings.Replace(rule, "[s]", "[]", 1),
			[]string{`t.yaml:11:5: rules[0].cite: at least one citation is required`}},
		{"unused citation", strings.Replace(head, "rules:", "  - {id: spare, title: Spare}\nrules:", 1) + strings.Replace(rule, "    when", "\n    when", 1),
			[]string{`t.yaml:9:6: citations[1].id: "spare" is cited by no rule`}},
		{"undeclared policy citation", "cite: [nope]\n" + head + rule,
			[]string{`t.yaml:1:8: cite[0]: cites "nope"`}},
		{"designation_only, covered by a proxy", head + strings.Replace(rule, "recommend_consultation", "covered", 1) + "designation_only: true\n",
			[]string{`t.yaml:14:5: rules[0].outcome: yields covered without requiring a designation, but the policy is designation_only`}},
		{"designation_only, presumed by any with a proxy", head +
			strings.NewReplacer("{compute_above: 1e26}", "{any: [{designated: {kind: covered_frontier_model}}, {compute_above: 1e26}]}",
				"recommend_consultation", "presumed_covered").Replace(rule) + "designation_only: true\n",
			[]string{`t.yaml:14:5: rules[0].outcome: yields presumed_covered without requiring a designation`}},
		{"designation_only, covered by not designated", head +
			strings.NewReplacer("{compute_above: 1e26}", "{not: {designated: {kind: covered_frontier_model}}}",
				"recommend_consultation", "covered").Replace(rule) + "designation_only: true\n",
			[]string{`t.yaml:14:5: rules[0].outcome: yields covered without requiring a designation`}},
		{"two keys in a condition", head + strings.Replace(rule, "1e26}", "1e26, open_weights: true}", 1),
			[]string{`t.yaml:13:5: rules[0].when: sets compute_above and open_weights; a condition sets exactly one`}},
		{"empty condition", head + strings.Replace(rule, "{compute_above: 1e26}", "{}", 1),
			[]string{`t.yaml:13:5: rules[0].when: sets none of: always, all,`}},
		{"no condition", head + strings.Replace(rule, "    when: {compute_above: 1e26}\n", "", 1),
			[]string{`t.yaml:10:5: rules[0].when: is required`}},
		{"negative threshold", head + strings.Replace(rule, "1e26", "-1", 1),
			[]string{`t.yaml:13:12: rules[0].when.compute_above: must be a positive finite number`}},
		{"infinite threshold", head + strings.Replace(rule, "1e26", ".inf", 1),
			[]string{`t.yaml:13:12: rules[0].when.compute_above: must be a positive finite number`}},
		{"empty all", head + strings.Replace(rule, "{compute_above: 1e26}", "{all: []}", 1),
			[]string{`t.yaml:13:12: rules[0].when.all: lists no conditions`}},
		{"null member", head + strings.Replace(rule, "{compute_above: 1e26}", "{any: [null]}", 1),
			[]string{`t.yaml:13:18: rules[0].when.any[0]: is empty`}},
		{"always false", head + strings.Replace(rule, "{compute_above: 1e26}", "{always: false}", 1),
			[]string{`t.yaml:13:12: rules[0].when.always: must be true`}},
		{"unknown designation kind", head + strings.Replace(rule, "{compute_above: 1e26}", "{designated: {kind: licensed}}", 1),
			[]string{`t.yaml:13:25: rules[0].when.designated.kind: "licensed" is not one of covered_frontier_model, systemic_risk`}},
		{"unknown developer size", head + strings.Replace(rule, "{compute_above: 1e26}", "{developer_size: [huge]}", 1),
			[]string{`t.yaml:13:29: rules[0].when.developer_size[0]: "huge" is not one of small, medium, large`}},
		{"capability without value", head + strings.Replace(rule, "{compute_above: 1e26}", "{capability_at_least: {name: ctf}}", 1),
			[]string{`t.yaml:13:12: rules[0].when.capability_at_least.value: is required`}},
		{"bad modality", head + strings.Replace(rule, "{compute_above: 1e26}", "{modality: Text Only}", 1),
			[]string{`t.yaml:13:12: rules[0].when.modality: "Text Only" must match`}},
		{"when_uncertain without an estimate", head + strings.Replace(rule, "{compute_above: 1e26}", "{open_weights: true}", 1) + "    when_uncertain: indeterminate\n",
			[]string{`t.yaml:15:5: rules[0].when_uncertain: has no effect`}},
		{"when_uncertain covered", head + rule + "    when_uncertain: covered\n",
			[]string{`t.yaml:15:5: rules[0].when_uncertain: "covered" must be recommend_consultation or indeterminate`}},
		{"duplicate rule id", head + rule + rule,
			[]string{`t.yaml:15:5: rules[1].id: duplicate rule id "r" (first at rules[0])`}},
		{"unreachable rule", head + strings.Replace(rule, "{compute_above: 1e26}", "{always: true}", 1) + strings.Replace(rule, "id: r", "id: r2", 1),
			[]string{`t.yaml:15:5: rules[1]: is never reached: rules[0] always holds`}},
		{"no rules", head, []string{`t.yaml:9:1: rules: at least one rule is required`}},
		{"bad version and date", strings.NewReplacer("1.0.0", "v1", "2026-01-01", "2026-13-01").Replace(head) + rule,
			[]string{`t.yaml:3:1: version: "v1" is not a semantic version`, `t.yaml:5:1: effective: "2026-13-01" is not a date`}},
		{"ended before effective", head + rule + "ended: 2025-12-31\n",
			[]string{`t.yaml:15:1: ended: 2025-12-31 is not after effective 2026-01-01`}},
		{"bad url", strings.Replace(head, "title: S", "title: S\n    url: ftp://example.org/x", 1) + strings.Replace(rule, "    when", "\n    when", 1),
			[]string{`t.yaml:9:5: citations[0].url: "ftp://example.org/x" is not an absolute http(s) URL`}},
		{"format", strings.Replace(head, "format: 1", "format: 2", 1) + rule,
			[]string{`t.yaml:1:1: format: is 2, but this aicc reads format 1`}},
		{"too deep", head + strings.Replace(rule, "{compute_above: 1e26}", strings.Repeat("{not: ", 17)+"{always: true}"+strings.Repeat("}", 17), 1),
			[]string{`t.yaml:13:102: rules[0].when` + strings.Repeat(".not", 16) + `: nests more than 16 conditions deep`}},
		{"empty file", "", []string{`t.yaml:1:1: the file is empty`}},
		{"two documents", head + rule + "---\n" + head + rule, []string{`t.yaml:16:1: a policy file holds one YAML document`}},
		{"syntax", "format: [\n", []string{`t.yaml:1:9: sequence end token`}},
		{"alias bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
			"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
			[]string{`t.yaml:1:1: with its aliases expanded`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.src))
			var le *LintError
			if !errors.As(err, &le) {
				t.Fatalf("Parse = %v; want a *LintError\n%s", err, tc.src)
			}
			if aicc.KindOf(err) != aicc.KindInvalid {
				t.Errorf("kind %s; want invalid", aicc.KindOf(err))
			}
			for _, w := range tc.want {
				found := false
				for _, p := range le.Problems {
					found = found || strings.HasPrefix(p.String(), w)
				}
				if !found {
					t.Errorf("no problem starts with\n  %s\ngot\n%v\n---\n%s", w, err, tc.src)
				}
			}
		})
	}
}

func TestLintValid(t *testing.T) {
	p := mustParse(t, head+rule)
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate of a parsed policy: %v", err)
	}
	p.Rules[0].Outcome = "approved" // a policy built or changed in code is checked too, without positions
	err := p.Validate()
	var le *LintError
	if !errors.As(err, &le) || len(le.Problems) != 1 || le.Problems[0].Field != "rules[0].outcome" || le.Problems[0].Line != 0 {
		t.Errorf("Validate = %#v; want one problem at rules[0].outcome without a line", err)
	}
}
