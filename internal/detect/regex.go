package detect

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"github.com/aicc-dev/aicc/internal/protocol"
)

// regex hits when any of its patterns matches a response's text or a tool
// call's arguments. Protocols put the attempt's canary inside the pattern,
// so that only the payload the probe planted counts, not a generic mention.
type regex struct {
	res []*regexp.Regexp
}

func newRegex(spec protocol.Detector) (*regex, error) {
	if len(spec.Patterns) == 0 {
		return nil, fmt.Errorf("regex detector: no patterns")
	}
	d := &regex{res: make([]*regexp.Regexp, len(spec.Patterns))}
	for i, p := range spec.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("regex detector: pattern %d: %w", i+1, err)
		}
		d.res[i] = re
	}
	return d, nil
}

func (d *regex) Type() string { return protocol.DetectorRegex }

func (d *regex) Detect(_ context.Context, in *Input) Verdict {
	if len(in.Responses) == 0 {
		return undetermined(d.Type(), "no response to judge")
	}
	for i := range in.Responses {
		r := &in.Responses[i]
		for k, re := range d.res {
			if loc := re.FindStringIndex(r.Text); loc != nil {
				ev := &Evidence{Response: i, Matched: bounded(r.Text[loc[0]:loc[1]])}
				return hit(d.Type(), fmt.Sprintf("pattern %d matched %s", k+1, nth(i)), ev)
			}
			for j := range r.ToolCalls {
				if loc := re.FindStringIndex(r.ToolCalls[j].Arguments); loc != nil {
					tc := r.ToolCalls[j]
					ev := &Evidence{Response: i, Matched: bounded(tc.Arguments[loc[0]:loc[1]]), ToolCall: &tc}
					return hit(d.Type(), fmt.Sprintf("pattern %d matched the arguments of a call to %q in %s", k+1, tc.Name, nth(i)), ev)
				}
			}
		}
	}
	return pass(d.Type(), "no pattern matched "+count(len(in.Responses), "response"))
}

// count renders "1 response", "3 responses".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
