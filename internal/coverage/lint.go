package coverage

import (
	"cmp"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Problem is one thing wrong with a policy file.
type Problem struct {
	File    string
	Line    int    // 1-based; 0 when unknown
	Column  int    // 1-based; 0 when unknown
	Field   string // e.g. rules[2].when.all[0].compute_above; "" for the file as a whole
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

// LintError lists every problem found in one or more policy files.
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

var errInvalid = &aicc.Error{Kind: aicc.KindInvalid, Message: "invalid coverage policy"}

func (e *LintError) Unwrap() error { return errInvalid }

var (
	idRE       = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)
	semverRE   = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)
	modalityRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	capNameRE  = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,127}$`)
)

// developerSizes are the sizes aicc.ModelFacts.DeveloperSize takes.
var developerSizes = []string{"small", "medium", "large"}

// maxDepth bounds how deeply conditions nest.
const maxDepth = 16

// Validate checks the policy against every lint rule and returns a
// *LintError listing all problems, or nil. Problems carry positions only
// when the policy came from Parse.
func (p *Policy) Validate() error { return p.validate(nil) }

func (p *Policy) validate(body ast.Node) error {
	l := &linter{p: p, cited: map[string]bool{}}
	l.policy()
	if len(l.problems) == 0 {
		return nil
	}
	for i := range l.problems {
		pr := &l.problems[i]
		pr.File = p.File
		if body != nil {
			pr.Line, pr.Column = locate(body, pr.Field)
		}
	}
	slices.SortStableFunc(l.problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return &LintError{Problems: l.problems}
}

type linter struct {
	p        *Policy
	problems []Problem
	cited    map[string]bool // citation ids some rule or the policy cites
}

func (l *linter) add(field, format string, args ...any) {
	l.problems = append(l.problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (l *linter) policy() {
	p := l.p
	switch {
	case p.Format == 0:
		l.add("format", "is required; set format: %d", FormatVersion)
	case p.Format != FormatVersion:
		l.add("format", "is %d, but this aicc reads format %d", p.Format, FormatVersion)
	}
	switch {
	case p.ID == "":
		l.add("id", "is required, e.g. id: my-policy")
	case !idRE.MatchString(p.ID):
		l.add("id", "%q must match %s", p.ID, idRE)
	}
	switch {
	case p.Version == "":
		l.add("version", "is required, e.g. 1.0.0")
	case !semverRE.MatchString(p.Version):
		l.add("version", "%q is not a semantic version MAJOR.MINOR.PATCH like 1.0.0", p.Version)
	}
	if p.Title == "" || len(p.Title) > 200 {
		l.add("title", "must be 1 to 200 characters")
	}
	p.effective, p.ended = time.Time{}, time.Time{}
	if p.Effective == "" {
		l.add("effective", "is required: the first day the policy applies, e.g. 2026-01-01")
	} else {
		p.effective = l.date("effective", p.Effective)
	}
	if p.Ended != "" {
		p.ended = l.date("ended", p.Ended)
		if !p.effective.IsZero() && !p.ended.IsZero() && !p.ended.After(p.effective) {
			l.add("ended", "%s is not after effective %s", p.Ended, p.Effective)
		}
	}
	l.citations()
	for i, id := range p.Cite {
		l.cite(fmt.Sprintf("cite[%d]", i), id)
	}
	l.rules()
	for i, c := range p.Citations {
		if c.ID != "" && !l.cited[c.ID] {
			l.add(fmt.Sprintf("citations[%d].id", i), "%q is cited by no rule nor by the policy's cite; cite it or remove it", c.ID)
		}
	}
}

func (l *linter) date(field, s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		l.add(field, "%q is not a date YYYY-MM-DD", s)
		return time.Time{}
	}
	return t
}

func (l *linter) citations() {
	if len(l.p.Citations) == 0 {
		l.add("citations", "at least one citation is required: the sources the rules rest on")
	}
	seen := map[string]int{}
	for i, c := range l.p.Citations {
		at := fmt.Sprintf("citations[%d]", i)
		switch {
		case c.ID == "":
			l.add(at+".id", "is required")
		case !idRE.MatchString(c.ID):
			l.add(at+".id", "%q must match %s", c.ID, idRE)
		default:
			if j, dup := seen[c.ID]; dup {
				l.add(at+".id", "duplicate citation id %q (first at citations[%d])", c.ID, j)
			} else {
				seen[c.ID] = i
			}
		}
		if c.Title == "" || len(c.Title) > 1000 {
			l.add(at+".title", "must be 1 to 1000 characters: the source and the provision")
		}
		if c.URL != "" {
			u, err := url.Parse(c.URL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				l.add(at+".url", "%q is not an absolute http(s) URL", c.URL)
			}
		}
	}
}

// cite checks that a cited id is declared, and records it as cited.
func (l *linter) cite(field, id string) {
	if _, ok := l.p.citation(id); !ok {
		l.add(field, "cites %q, which is not declared under citations", id)
		return
	}
	l.cited[id] = true
}

func (l *linter) rules() {
	p := l.p
	if len(p.Rules) == 0 {
		l.add("rules", "at least one rule is required")
	}
	seen := map[string]int{}
	always := -1 // the first rule whose condition always holds
	for i, r := range p.Rules {
		at := fmt.Sprintf("rules[%d]", i)
		if r == nil {
			l.add(at, "is empty; a rule needs id, cite, summary, when and outcome")
			continue
		}
		switch {
		case r.ID == "":
			l.add(at+".id", "is required")
		case !idRE.MatchString(r.ID):
			l.add(at+".id", "%q must match %s", r.ID, idRE)
		default:
			if j, dup := seen[r.ID]; dup {
				l.add(at+".id", "duplicate rule id %q (first at rules[%d])", r.ID, j)
			} else {
				seen[r.ID] = i
			}
		}
		if len(r.Cite) == 0 {
			l.add(at+".cite", "at least one citation is required: every rule cites its source")
		}
		for j, id := range r.Cite {
			l.cite(fmt.Sprintf("%s.cite[%d]", at, j), id)
		}
		if r.Summary == "" || len(r.Summary) > 2000 {
			l.add(at+".summary", "must be 1 to 2000 characters: what the rule says, for people reading the result")
		}
		switch {
		case r.Outcome == "":
			l.add(at+".outcome", "is required: one of %s", outcomeList())
		case !r.Outcome.Valid():
			l.add(at+".outcome", "%q is not one of %s", r.Outcome, outcomeList())
		}
		if always >= 0 {
			l.add(at, "is never reached: rules[%d] always holds and comes first", always)
		}
		if r.When == nil {
			l.add(at+".when", "is required: the condition under which the rule yields its outcome")
			continue
		}
		l.condition(at+".when", r.When, 1)
		if r.When.Always != nil && *r.When.Always && always < 0 {
			always = i
		}
		switch r.WhenUncertain {
		case "", aicc.CoverageRecommendConsultation, aicc.CoverageIndeterminate:
		default:
			l.add(at+".when_uncertain", "%q must be recommend_consultation or indeterminate", r.WhenUncertain)
		}
		if r.WhenUncertain != "" && !r.When.usesEstimate() {
			l.add(at+".when_uncertain", "has no effect: the condition compares no estimate with an uncertainty (compute_above, compute_at_least)")
		}
		if p.DesignationOnly && (r.Outcome == aicc.CoverageCovered || r.Outcome == aicc.CoveragePresumedCovered) && !r.When.requiresDesignation() {
			l.add(at+".outcome", "yields %s without requiring a designation, but the policy is designation_only: "+
				"put a designated condition in the rule (alone or under all), or yield at most recommend_consultation", r.Outcome)
		}
	}
}

func outcomeList() string {
	names := make([]string, len(aicc.CoverageOutcomes))
	for i, o := range aicc.CoverageOutcomes {
		names[i] = string(o)
	}
	return strings.Join(names, ", ")
}

// condition checks one condition and those under it.
func (l *linter) condition(at string, c *Condition, depth int) {
	if c == nil {
		l.add(at, "is empty; a condition sets one of: %s", strings.Join(conditionKeys, ", "))
		return
	}
	if depth > maxDepth {
		l.add(at, "nests more than %d conditions deep", maxDepth)
		return
	}
	switch keys := c.keys(); len(keys) {
	case 0:
		l.add(at, "sets none of: %s", strings.Join(conditionKeys, ", "))
	case 1:
	default:
		l.add(at, "sets %s; a condition sets exactly one (combine several with all or any)", strings.Join(keys, " and "))
	}
	if c.Always != nil && !*c.Always {
		l.add(at+".always", "must be true (a rule that never holds is not needed)")
	}
	for _, g := range []struct {
		name string
		list []*Condition
	}{{"all", c.All}, {"any", c.Any}} {
		name, list := g.name, g.list
		if list == nil {
			continue
		}
		if len(list) == 0 {
			l.add(at+"."+name, "lists no conditions")
		}
		for i, sub := range list {
			l.condition(fmt.Sprintf("%s.%s[%d]", at, name, i), sub, depth+1)
		}
	}
	if c.Not != nil {
		l.condition(at+".not", c.Not, depth+1)
	}
	if d := c.Designated; d != nil {
		switch {
		case d.Kind == "":
			l.add(at+".designated.kind", "is required: one of %s", designationKindList())
		case !d.Kind.Valid():
			l.add(at+".designated.kind", "%q is not one of %s", d.Kind, designationKindList())
		}
		if len(d.Authority) > 200 {
			l.add(at+".designated.authority", "must be at most 200 characters")
		}
	}
	l.threshold(at+".compute_above", c.ComputeAbove)
	l.threshold(at+".compute_at_least", c.ComputeAtLeast)
	l.threshold(at+".revenue_above", c.RevenueAbove)
	l.threshold(at+".revenue_at_least", c.RevenueAtLeast)
	if c.Modality != nil && !modalityRE.MatchString(*c.Modality) {
		l.add(at+".modality", "%q must match %s, e.g. text or bio_sequence", *c.Modality, modalityRE)
	}
	if c.DeveloperSize != nil && len(c.DeveloperSize) == 0 {
		l.add(at+".developer_size", "lists no sizes; list some of %s", strings.Join(developerSizes, ", "))
	}
	for i, s := range c.DeveloperSize {
		if !slices.Contains(developerSizes, s) {
			l.add(fmt.Sprintf("%s.developer_size[%d]", at, i), "%q is not one of %s", s, strings.Join(developerSizes, ", "))
		}
	}
	if cp := c.CapabilityAtLeast; cp != nil {
		if !capNameRE.MatchString(cp.Name) {
			l.add(at+".capability_at_least.name", "%q must match %s, e.g. cyber_ctf_solve_rate", cp.Name, capNameRE)
		}
		switch {
		case cp.Value == nil:
			l.add(at+".capability_at_least.value", "is required")
		case math.IsNaN(*cp.Value) || math.IsInf(*cp.Value, 0):
			l.add(at+".capability_at_least.value", "must be a finite number")
		}
	}
}

func (l *linter) threshold(field string, v *float64) {
	if v != nil && !(*v > 0 && !math.IsInf(*v, 0)) {
		l.add(field, "must be a positive finite number, e.g. 1e26")
	}
}

func designationKindList() string {
	names := make([]string, len(aicc.DesignationKinds))
	for i, k := range aicc.DesignationKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// conditionKeys are the fields of a condition, as written in policy files.
var conditionKeys = []string{
	"always", "all", "any", "not", "designated", "compute_above", "compute_at_least",
	"revenue_above", "revenue_at_least", "open_weights", "modality", "developer_size", "capability_at_least",
}

// keys lists the fields c sets, as written in policy files.
func (c *Condition) keys() []string {
	set := []bool{
		c.Always != nil, c.All != nil, c.Any != nil, c.Not != nil, c.Designated != nil, c.ComputeAbove != nil,
		c.ComputeAtLeast != nil, c.RevenueAbove != nil, c.RevenueAtLeast != nil, c.OpenWeights != nil,
		c.Modality != nil, c.DeveloperSize != nil, c.CapabilityAtLeast != nil,
	}
	var keys []string
	for i, ok := range set {
		if ok {
			keys = append(keys, conditionKeys[i])
		}
	}
	return keys
}

// requiresDesignation reports whether c can hold only when a designation
// stands: it is designated, an all with such a member, or an any whose
// every member is such.
func (c *Condition) requiresDesignation() bool {
	switch {
	case c == nil:
		return false
	case c.Designated != nil:
		return len(c.keys()) == 1
	case c.All != nil:
		return slices.ContainsFunc(c.All, (*Condition).requiresDesignation)
	case c.Any != nil:
		return len(c.Any) > 0 && !slices.ContainsFunc(c.Any, func(s *Condition) bool { return !s.requiresDesignation() })
	}
	return false
}

// usesEstimate reports whether c compares an estimate that carries an
// uncertainty (training compute).
func (c *Condition) usesEstimate() bool {
	if c == nil {
		return false
	}
	if c.ComputeAbove != nil || c.ComputeAtLeast != nil {
		return true
	}
	return slices.ContainsFunc(c.All, (*Condition).usesEstimate) ||
		slices.ContainsFunc(c.Any, (*Condition).usesEstimate) || c.Not.usesEstimate()
}
