package coverage

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// truth is a three-valued truth: a condition holds, does not, or cannot be
// decided from the facts.
type truth int8

const (
	no truth = iota
	yes
	unknown
)

// verdict is a condition's truth and why.
type verdict struct {
	truth truth
	// missing names the facts whose absence left the condition unknown.
	missing []string
	// straddles is set when an estimate's uncertainty interval straddles a
	// threshold the condition compares it with.
	straddles    bool
	reasons      []string
	designations []string // IDs of the designations a true condition rests on
}

// env is what conditions are evaluated against.
type env struct {
	facts aicc.ModelFacts
	// designations apply to the subject and stand at the evaluation time.
	designations []aicc.Designation
}

func (c *Condition) eval(e *env) verdict {
	switch {
	case c == nil:
		return verdict{truth: no, reasons: []string{"empty condition"}}
	case c.Always != nil:
		return verdict{truth: yes, reasons: []string{"always holds"}}
	case c.All != nil:
		return all(e, c.All)
	case c.Any != nil:
		return anyOf(e, c.Any)
	case c.Not != nil:
		v := c.Not.eval(e)
		r := "not (" + strings.Join(v.reasons, "; ") + ")"
		switch v.truth {
		case yes:
			return verdict{truth: no, reasons: []string{r}}
		case no:
			return verdict{truth: yes, reasons: []string{r}}
		}
		return verdict{truth: unknown, missing: v.missing, straddles: v.straddles, reasons: []string{r}}
	case c.Designated != nil:
		return e.designated(c.Designated)
	case c.ComputeAbove != nil:
		return e.compute(*c.ComputeAbove, true)
	case c.ComputeAtLeast != nil:
		return e.compute(*c.ComputeAtLeast, false)
	case c.RevenueAbove != nil:
		return e.revenue(*c.RevenueAbove, true)
	case c.RevenueAtLeast != nil:
		return e.revenue(*c.RevenueAtLeast, false)
	case c.OpenWeights != nil:
		return e.openWeights(*c.OpenWeights)
	case c.Modality != nil:
		return e.modality(*c.Modality)
	case c.DeveloperSize != nil:
		return e.developerSize(c.DeveloperSize)
	case c.CapabilityAtLeast != nil:
		return e.capability(c.CapabilityAtLeast)
	}
	return verdict{truth: no, reasons: []string{"empty condition"}}
}

// all holds when every member holds, fails when one fails, and is unknown
// otherwise.
func all(e *env, cs []*Condition) verdict {
	vs := evalEach(e, cs)
	if failed := filter(vs, no); len(failed) > 0 {
		return verdict{truth: no, reasons: reasons(failed)}
	}
	if open := filter(vs, unknown); len(open) > 0 {
		return undecided(open, vs)
	}
	return verdict{truth: yes, reasons: reasons(vs), designations: designations(vs)}
}

// anyOf holds when a member holds, fails when every member fails, and is
// unknown otherwise.
func anyOf(e *env, cs []*Condition) verdict {
	vs := evalEach(e, cs)
	if held := filter(vs, yes); len(held) > 0 {
		return verdict{truth: yes, reasons: reasons(held), designations: designations(held)}
	}
	if open := filter(vs, unknown); len(open) > 0 {
		return undecided(open, vs)
	}
	return verdict{truth: no, reasons: reasons(vs)}
}

func evalEach(e *env, cs []*Condition) []verdict {
	vs := make([]verdict, len(cs))
	for i, c := range cs {
		vs[i] = c.eval(e)
	}
	return vs
}

func filter(vs []verdict, t truth) []verdict {
	var out []verdict
	for _, v := range vs {
		if v.truth == t {
			out = append(out, v)
		}
	}
	return out
}

func reasons(vs []verdict) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.reasons...)
	}
	return out
}

func designations(vs []verdict) []string {
	var out []string
	for _, v := range vs {
		for _, id := range v.designations {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// undecided is the unknown verdict of a combination whose open members
// left it undecided; every member's reason is kept.
func undecided(open, vs []verdict) verdict {
	v := verdict{truth: unknown, reasons: reasons(vs)}
	for _, o := range open {
		v.missing = union(v.missing, o.missing...)
		v.straddles = v.straddles || o.straddles
	}
	return v
}

// union appends to a the members of b it lacks.
func union[T comparable](a []T, b ...T) []T {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}

func missing(fact, reason string) verdict {
	return verdict{truth: unknown, missing: []string{fact}, reasons: []string{reason}}
}

func decided(ok bool, reason string) verdict {
	if ok {
		return verdict{truth: yes, reasons: []string{reason}}
	}
	return verdict{truth: no, reasons: []string{reason}}
}

// compute compares the training compute estimate's interval
// [operations×(1−u), operations×(1+u)] with the threshold x: it holds when
// the whole interval is above x (or at least x), fails when the whole
// interval is not, and is unknown when the interval straddles x.
func (e *env) compute(x float64, strict bool) verdict {
	c := e.facts.Compute
	if c == nil || !(c.Operations > 0) || math.IsInf(c.Operations, 0) {
		return missing("training_compute", "training compute not reported")
	}
	u := c.Uncertainty
	if !(u >= 0) {
		return missing("training_compute.uncertainty", fmt.Sprintf("training compute uncertainty %v is not a relative uncertainty ≥ 0", u))
	}
	lo, hi := max(0, c.Operations*(1-u)), c.Operations*(1+u)
	desc := "training compute " + num(c.Operations) + " operations"
	if u > 0 {
		desc += fmt.Sprintf(" (±%.3g %%: %.3g to %.3g)", u*100, lo, hi)
	}
	above, notAbove, cmp := lo > x, hi <= x, "above"
	if !strict {
		above, notAbove, cmp = lo >= x, hi < x, "at least"
	}
	switch {
	case above:
		return decided(true, fmt.Sprintf("%s is %s %s", desc, cmp, num(x)))
	case notAbove:
		return decided(false, fmt.Sprintf("%s is not %s %s", desc, cmp, num(x)))
	}
	return verdict{truth: unknown, straddles: true,
		reasons: []string{fmt.Sprintf("%s straddles %s: the interval reaches both sides", desc, num(x))}}
}

func (e *env) revenue(x float64, strict bool) verdict {
	r := e.facts.AnnualRevenueUSD
	if !(r > 0) || math.IsInf(r, 0) {
		return missing("annual_revenue_usd", "annual revenue not reported")
	}
	ok, cmp := r > x, "above"
	if !strict {
		ok, cmp = r >= x, "at least"
	}
	neg := ""
	if !ok {
		neg = "not "
	}
	return decided(ok, fmt.Sprintf("annual revenue %s is %s%s %s", dollars(r), neg, cmp, dollars(x)))
}

func (e *env) openWeights(want bool) verdict {
	if e.facts.OpenWeights {
		return decided(want, "the weights are open")
	}
	return decided(!want, "the weights are not open")
}

func (e *env) modality(m string) verdict {
	ms := e.facts.Modalities
	if len(ms) == 0 {
		return missing("modalities", "no modalities declared")
	}
	for _, v := range ms {
		if strings.EqualFold(string(v), m) {
			return decided(true, "declares the "+m+" modality")
		}
	}
	list := make([]string, len(ms))
	for i, v := range ms {
		list[i] = string(v)
	}
	return decided(false, fmt.Sprintf("does not declare the %s modality (declares %s)", m, strings.Join(list, ", ")))
}

func (e *env) developerSize(sizes []string) verdict {
	s := e.facts.DeveloperSize
	if s == "" {
		return missing("developer_size", "developer size not declared")
	}
	if slices.Contains(sizes, s) {
		return decided(true, fmt.Sprintf("developer size %s is one of %s", s, strings.Join(sizes, ", ")))
	}
	return decided(false, fmt.Sprintf("developer size %s is not one of %s", s, strings.Join(sizes, ", ")))
}

func (e *env) capability(c *Capability) verdict {
	v, ok := e.facts.Capabilities[c.Name]
	if !ok || math.IsNaN(v) {
		return missing("capabilities."+c.Name, "no result for capability "+c.Name)
	}
	want := 0.0
	if c.Value != nil {
		want = *c.Value
	}
	if v >= want {
		return decided(true, fmt.Sprintf("capability %s %s is at least %s", c.Name, num(v), num(want)))
	}
	return decided(false, fmt.Sprintf("capability %s %s is below %s", c.Name, num(v), num(want)))
}

func (e *env) designated(want *Designated) verdict {
	v := verdict{truth: no}
	for _, d := range e.designations {
		if d.Kind != want.Kind || (want.Authority != "" && !strings.EqualFold(d.Authority, want.Authority)) {
			continue
		}
		v.truth = yes
		v.designations = append(v.designations, d.ID)
		v.reasons = append(v.reasons, fmt.Sprintf("designated %s by %s on %s (reference: %s)",
			d.Kind, d.Authority, d.Date.UTC().Format(time.DateOnly), d.Reference))
	}
	if v.truth == no {
		by := ""
		if want.Authority != "" {
			by = " by " + want.Authority
		}
		v.reasons = []string{fmt.Sprintf("no standing %s designation%s for this model version", want.Kind, by)}
	}
	return v
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// dollars formats a US dollar amount with thousands separators.
func dollars(v float64) string {
	if v >= 1e15 {
		return "$" + num(v)
	}
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return "$" + b.String()
}
