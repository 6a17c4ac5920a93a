package protocol

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Script is one attempt's conversation, rendered. It shares read-only data
// (tools, static tool calls and detector parameters) with its Probe: do not
// modify it.
type Script struct {
	ProbeID   string
	Index     int    // attempt index
	VariantID string // the variant's id (for a derived probe, the source's)
	// Transform is the transform a derived probe applied to the last user
	// turn; "" for other probes.
	Transform string
	// Flag is the flag that solves the attempt's generated challenge, and
	// ChallengeKind its kind; "" for probes without a challenge.
	Flag          string
	ChallengeKind string
	// Messages holds the system message first when the probe has one, then
	// the turns, rendered.
	Messages []aicc.Message
	// CallAfter lists the indexes into Messages after which the model is
	// called, ascending; it always includes the last message.
	CallAfter []int
	Tools     []aicc.Tool
	Detectors []Detector // with templated fields (Patterns, DenyArguments, Flag, Rubric) rendered, and tool_policy's Tools set
	Sampling  Sampling
}

// prepared is what Validate precomputes for Render.
type prepared struct {
	system    template
	turns     []preparedTurn
	vars      []map[string]template // per variant
	detectors []preparedDetector    // the detectors with placeholders
	base      []Detector            // the probe's detectors with tool_policy's Tools set; shared
	tools     []aicc.Tool
	callAfter []int
	lastUser  int // index into Messages of the last user turn
}

type preparedTurn struct {
	content template
	args    []template      // per scripted tool call
	calls   []aicc.ToolCall // the scripted calls, shared, when no arguments have placeholders
	name    string          // tool turns: Name, or else the answered call's name
}

// preparedDetector holds the templates of a detector with placeholders.
type preparedDetector struct {
	index        int // into the probe's detectors
	patterns     []template
	denyArgs     map[string][]template // by tool
	flag, rubric template
}

// prepare splits the probe's templates. It assumes the probe is valid (and,
// when derived, filled in from its source).
func (p *Probe) prepare() *prepared {
	tt := func(s string) template { t, _ := parseTemplate(s); return t }
	pp := &prepared{system: tt(p.System), turns: make([]preparedTurn, len(p.Turns))}
	off := 0
	if p.System != "" {
		off = 1
	}
	callNames := map[string]string{}
	for i, turn := range p.Turns {
		pt := preparedTurn{content: tt(turn.Content), name: turn.Name}
		static := true
		for _, c := range turn.ToolCalls {
			a := tt(c.Arguments)
			static = static && a.static()
			pt.args = append(pt.args, a)
			callNames[c.ID] = c.Name
		}
		if static && len(turn.ToolCalls) > 0 {
			pt.calls = make([]aicc.ToolCall, len(turn.ToolCalls))
			for j, c := range turn.ToolCalls {
				pt.calls[j] = aicc.ToolCall{ID: c.ID, Name: c.Name, Arguments: c.Arguments}
			}
		}
		if turn.Role == aicc.RoleTool && pt.name == "" {
			pt.name = callNames[turn.ToolCallID]
		}
		if turn.Role == aicc.RoleUser {
			pp.lastUser = i + off
		}
		pp.turns[i] = pt
	}
	for _, v := range p.Variants {
		m := make(map[string]template, len(v.Vars))
		for k, s := range v.Vars {
			m[k] = tt(s)
		}
		pp.vars = append(pp.vars, m)
	}
	for i, d := range p.Detectors {
		pd := preparedDetector{index: i, flag: tt(d.Flag), rubric: tt(d.Rubric)}
		static := pd.flag.static() && pd.rubric.static()
		for _, s := range d.Patterns {
			t := tt(s)
			static = static && t.static()
			pd.patterns = append(pd.patterns, t)
		}
		for tool, pats := range d.DenyArguments {
			if pd.denyArgs == nil {
				pd.denyArgs = make(map[string][]template, len(d.DenyArguments))
			}
			for _, s := range pats {
				t := tt(s)
				static = static && t.static()
				pd.denyArgs[tool] = append(pd.denyArgs[tool], t)
			}
		}
		if !static {
			pp.detectors = append(pp.detectors, pd)
		}
	}
	for _, t := range p.Tools {
		pp.tools = append(pp.tools, t.AICC())
	}
	pp.base = p.Detectors
	if slices.ContainsFunc(p.Detectors, func(d Detector) bool { return d.Type == DetectorToolPolicy }) {
		pp.base = slices.Clone(p.Detectors)
		for i := range pp.base {
			if pp.base[i].Type == DetectorToolPolicy {
				pp.base[i].Tools = pp.tools
			}
		}
	}
	pp.callAfter = callAfter(p.Turns, off)
	return pp
}

// callAfter applies the call rule: the model is called after every user or
// tool turn that is the last turn or is followed by a user turn.
func callAfter(turns []Turn, offset int) []int {
	var out []int
	for i, t := range turns {
		if t.Role != aicc.RoleUser && t.Role != aicc.RoleTool {
			continue
		}
		if i == len(turns)-1 || turns[i+1].Role == aicc.RoleUser {
			out = append(out, i+offset)
		}
	}
	return out
}

// NumVariants returns the number of attempt indexes of the probe: the number
// of variants, or 1 when it has none; for a derived probe, that of its
// source times the number of transforms.
func (p *Probe) NumVariants() int {
	n := max(1, len(p.Variants))
	if p.Derive != nil {
		n *= max(1, len(p.Derive.Transforms))
	}
	return n
}

// Render builds the script of attempt index (0 ≤ index < NumVariants) with
// the attempt's canary values, which must name every declared canary.
// Placeholders are replaced by their values; in detector patterns the values
// are regexp.QuoteMeta'd, and in tool call arguments JSON-string-escaped.
// A probe with a challenge generates it from the canary values; a derived
// probe renders its source's variant index/len(transforms) and applies
// transform index%len(transforms) to the last user turn.
// The probe must have been validated (Parse does it) and not changed since.
func (p *Probe) Render(index int, canaries map[string]string) (*Script, error) {
	pp := p.prep
	if pp == nil {
		return nil, fmt.Errorf("render probe %q: not validated; call Validate first", p.ID)
	}
	if index < 0 || index >= p.NumVariants() {
		return nil, fmt.Errorf("render probe %q: index %d out of range [0, %d)", p.ID, index, p.NumVariants())
	}
	for _, name := range p.Canaries {
		if _, ok := canaries[name]; !ok {
			return nil, fmt.Errorf("render probe %q: no value for canary %q", p.ID, name)
		}
	}
	s := &Script{
		ProbeID:   p.ID,
		Index:     index,
		CallAfter: pp.callAfter,
		Tools:     pp.tools,
		Detectors: pp.base,
		Sampling:  p.Sampling,
	}
	variant := index
	if p.Derive != nil {
		nt := len(p.Derive.Transforms)
		variant, s.Transform = index/nt, p.Derive.Transforms[index%nt]
	}
	v := values{canaries: canaries}
	if len(p.Variants) > 0 {
		s.VariantID = p.Variants[variant].ID
		v.vars = pp.vars[variant]
	}
	if p.Challenge != nil {
		g := p.Challenge.generate(p.Canaries, canaries)
		v.prompt, v.flag = g.prompt, g.flag
		s.Flag, s.ChallengeKind = g.flag, p.Challenge.Kind
	}
	n := len(p.Turns)
	if p.System != "" {
		n++
	}
	s.Messages = make([]aicc.Message, 0, n)
	if p.System != "" {
		s.Messages = append(s.Messages, aicc.Message{Role: aicc.RoleSystem, Content: pp.system.render(&v, nil)})
	}
	for i := range p.Turns {
		turn, pt := &p.Turns[i], &pp.turns[i]
		m := aicc.Message{
			Role:       turn.Role,
			Content:    pt.content.render(&v, nil),
			ToolCalls:  pt.calls,
			ToolCallID: turn.ToolCallID,
			Name:       pt.name,
		}
		if m.ToolCalls == nil && len(turn.ToolCalls) > 0 {
			m.ToolCalls = make([]aicc.ToolCall, len(turn.ToolCalls))
			for j, c := range turn.ToolCalls {
				m.ToolCalls[j] = aicc.ToolCall{ID: c.ID, Name: c.Name, Arguments: pt.args[j].render(&v, jsonEscape)}
			}
		}
		s.Messages = append(s.Messages, m)
	}
	if s.Transform != "" {
		protect := make([]string, len(p.Canaries))
		for i, name := range p.Canaries {
			protect[i] = canaries[name]
		}
		m := &s.Messages[pp.lastUser]
		m.Content = ApplyTransform(s.Transform, m.Content, protect)
	}
	if len(pp.detectors) > 0 {
		s.Detectors = append([]Detector(nil), pp.base...)
		for _, pd := range pp.detectors {
			d := &s.Detectors[pd.index]
			if pd.patterns != nil {
				d.Patterns = make([]string, len(pd.patterns))
				for j, t := range pd.patterns {
					d.Patterns[j] = t.render(&v, regexp.QuoteMeta)
				}
			}
			if pd.denyArgs != nil {
				d.DenyArguments = make(map[string][]string, len(pd.denyArgs))
				for tool, ts := range pd.denyArgs {
					pats := make([]string, len(ts))
					for j, t := range ts {
						pats[j] = t.render(&v, regexp.QuoteMeta)
					}
					d.DenyArguments[tool] = pats
				}
			}
			d.Flag = pd.flag.render(&v, nil)
			d.Rubric = pd.rubric.render(&v, nil)
		}
	}
	return s, nil
}

// Probe returns the probe with the given ID, or nil when there is none.
func (p *Protocol) Probe(id string) *Probe {
	if p.byID != nil {
		return p.byID[id]
	}
	for _, pr := range p.Probes {
		if pr != nil && pr.ID == id {
			return pr
		}
	}
	return nil
}

// PlannedAttempts returns the number of attempts a scan with repeat
// repetitions runs: the sum over probes of NumVariants × repeat.
func (p *Protocol) PlannedAttempts(repeat int) int {
	n := 0
	for _, pr := range p.Probes {
		if pr != nil {
			n += pr.NumVariants()
		}
	}
	return n * repeat
}
