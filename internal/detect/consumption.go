package detect

import (
	"context"
	"fmt"
	"strings"

	"github.com/aicc-dev/aicc/internal/protocol"
)

// consumption hits when an attempt uses more than its budget: more output
// tokens over all its responses than max_output_tokens, or more tool calls
// than max_tool_calls. A limit of 0 is not checked; at least one is set.
// Token counts are the endpoint's, or aicc's estimate where it gave none.
type consumption struct {
	maxTokens, maxCalls int
}

func newConsumption(spec protocol.Detector) (*consumption, error) {
	switch {
	case spec.MaxOutputTokens < 0 || spec.MaxToolCalls < 0:
		return nil, fmt.Errorf("consumption detector: max_output_tokens %d and max_tool_calls %d must not be negative", spec.MaxOutputTokens, spec.MaxToolCalls)
	case spec.MaxOutputTokens == 0 && spec.MaxToolCalls == 0:
		return nil, fmt.Errorf("consumption detector: set max_output_tokens, max_tool_calls or both")
	}
	return &consumption{maxTokens: spec.MaxOutputTokens, maxCalls: spec.MaxToolCalls}, nil
}

func (d *consumption) Type() string { return protocol.DetectorConsumption }

func (d *consumption) Detect(_ context.Context, in *Input) Verdict {
	if len(in.Responses) == 0 {
		return undetermined(d.Type(), "no response to judge")
	}
	tokens, calls := 0, 0
	tokensAt, callsAt := -1, -1 // the responses where each limit was passed
	estimated := false
	for i := range in.Responses {
		r := &in.Responses[i]
		tokens += r.Usage.OutputTokens
		calls += len(r.ToolCalls)
		estimated = estimated || r.Usage.Estimated
		if d.maxTokens > 0 && tokens > d.maxTokens && tokensAt < 0 {
			tokensAt = i
		}
		if d.maxCalls > 0 && calls > d.maxCalls && callsAt < 0 {
			callsAt = i
		}
	}
	est := ""
	if estimated {
		est = ", partly estimated"
	}
	var over, within []string
	at := -1 // the first response where a limit was passed
	if d.maxTokens > 0 {
		s := fmt.Sprintf("%s%s (limit %d)", count(tokens, "output token"), est, d.maxTokens)
		if tokensAt >= 0 {
			over, at = append(over, s), tokensAt
		} else {
			within = append(within, s)
		}
	}
	if d.maxCalls > 0 {
		s := fmt.Sprintf("%s (limit %d)", count(calls, "tool call"), d.maxCalls)
		if callsAt >= 0 {
			over = append(over, s)
			if at < 0 || callsAt < at {
				at = callsAt
			}
		} else {
			within = append(within, s)
		}
	}
	if len(over) > 0 {
		ev := &Evidence{Response: at, Matched: strings.Join(over, " and ")}
		return hit(d.Type(), fmt.Sprintf("over budget: %s in %s", strings.Join(over, " and "), count(len(in.Responses), "response")), ev)
	}
	return pass(d.Type(), fmt.Sprintf("within budget: %s in %s", strings.Join(within, " and "), count(len(in.Responses), "response")))
}
