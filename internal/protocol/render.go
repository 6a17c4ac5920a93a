package protocol

import (
	"fmt"
	"regexp"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Script is one attempt's conversation, rendered. It shares read-only data
// (tools, static tool calls and detector parameters) with its Probe: do not
// modify it.
type Script struct {
	ProbeID   string
	Index     int // variant index
	VariantID string
	// Messages holds the system message first when the probe has one, then
	// the turns, rendered.
	Messages []aicc.Message
	// CallAfter lists the indexes into Messages after which the model is
	// called, ascending; it always includes the last message.
	CallAfter []int
	Tools     []aicc.Tool
	Detectors []Detector // with templated fields (Patterns) rendered
	Sampling  Sampling
}

// prepared is what Validate precomputes for Render.
type prepared struct {
	system    template
	turns     []preparedTurn
	vars      []map[string]template // per variant
	patterns  [][]template          // per detector; nil when its patterns have no placeholders
	tools     []aicc.Tool
	callAfter []int
}

type preparedTurn struct {
	content template
	args    []template      // per scripted tool call
	calls   []aicc.ToolCall // the scripted calls, shared, when no arguments have placeholders
	name    string          // tool turns: Name, or else the answered call's name
}

// prepare splits the probe's templates. It assumes the probe is valid.
func (p *Probe) prepare() *prepared {
	tt := func(s string) template { t, _ := parseTemplate(s); return t }
	pp := &prepared{system: tt(p.System), turns: make([]preparedTurn, len(p.Turns))}
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
		pp.turns[i] = pt
	}
	for _, v := range p.Variants {
		m := make(map[string]template, len(v.Vars))
		for k, s := range v.Vars {
			m[k] = tt(s)
		}
		pp.vars = append(pp.vars, m)
	}
	pp.patterns = make([][]template, len(p.Detectors))
	for i, d := range p.Detectors {
		var ts []template
		static := true
		for _, s := range d.Patterns {
			t := tt(s)
			static = static && t.static()
			ts = append(ts, t)
		}
		if !static {
			pp.patterns[i] = ts
		}
	}
	for _, t := range p.Tools {
		pp.tools = append(pp.tools, t.AICC())
	}
	off := 0
	if p.System != "" {
		off = 1
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
// of variants, or 1 when it has none.
func (p *Probe) NumVariants() int { return max(1, len(p.Variants)) }

// Render builds the script of attempt index (0 ≤ index < NumVariants) with
// the attempt's canary values, which must name every declared canary.
// Placeholders are replaced by their values; in detector patterns the values
// are regexp.QuoteMeta'd, and in tool call arguments JSON-string-escaped.
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
		Detectors: p.Detectors,
		Sampling:  p.Sampling,
	}
	var vars map[string]template
	if len(p.Variants) > 0 {
		s.VariantID = p.Variants[index].ID
		vars = pp.vars[index]
	}
	n := len(p.Turns)
	if p.System != "" {
		n++
	}
	s.Messages = make([]aicc.Message, 0, n)
	if p.System != "" {
		s.Messages = append(s.Messages, aicc.Message{Role: aicc.RoleSystem, Content: pp.system.render(canaries, vars, nil)})
	}
	for i := range p.Turns {
		turn, pt := &p.Turns[i], &pp.turns[i]
		m := aicc.Message{
			Role:       turn.Role,
			Content:    pt.content.render(canaries, vars, nil),
			ToolCalls:  pt.calls,
			ToolCallID: turn.ToolCallID,
			Name:       pt.name,
		}
		if m.ToolCalls == nil && len(turn.ToolCalls) > 0 {
			m.ToolCalls = make([]aicc.ToolCall, len(turn.ToolCalls))
			for j, c := range turn.ToolCalls {
				m.ToolCalls[j] = aicc.ToolCall{ID: c.ID, Name: c.Name, Arguments: pt.args[j].render(canaries, vars, jsonEscape)}
			}
		}
		s.Messages = append(s.Messages, m)
	}
	copied := false
	for i, ts := range pp.patterns {
		if ts == nil {
			continue
		}
		if !copied {
			s.Detectors = append([]Detector(nil), p.Detectors...)
			copied = true
		}
		pats := make([]string, len(ts))
		for j, t := range ts {
			pats[j] = t.render(canaries, vars, regexp.QuoteMeta)
		}
		s.Detectors[i].Patterns = pats
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
