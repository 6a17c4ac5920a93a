package detect

import (
	"context"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
)

// usage builds responses with the given output tokens and tool calls.
func usage(tokens []int, calls []int) []aicc.ChatResponse {
	out := make([]aicc.ChatResponse, len(tokens))
	for i := range out {
		out[i].Usage.OutputTokens = tokens[i]
		for range calls[i] {
			out[i].ToolCalls = append(out[i].ToolCalls, aicc.ToolCall{Name: "search"})
		}
	}
	return out
}

func TestConsumption(t *testing.T) {
	tests := []struct {
		name              string
		maxTokens, maxTCs int
		responses         []aicc.ChatResponse
		want              aicc.Outcome
		response          int
		reason            string
	}{
		{name: "tokens within", maxTokens: 1000, responses: usage([]int{400, 600}, []int{0, 0}), want: aicc.OutcomePass,
			reason: "within budget: 1000 output tokens (limit 1000) in 2 responses"},
		{name: "tokens over, summed", maxTokens: 1000, responses: usage([]int{400, 500, 300}, []int{0, 0, 0}), want: aicc.OutcomeHit, response: 2,
			reason: "over budget: 1200 output tokens (limit 1000) in 3 responses"},
		{name: "calls over", maxTCs: 3, responses: usage([]int{10, 10}, []int{2, 2}), want: aicc.OutcomeHit, response: 1,
			reason: "over budget: 4 tool calls (limit 3) in 2 responses"},
		{name: "calls within", maxTCs: 3, responses: usage([]int{10, 10}, []int{1, 2}), want: aicc.OutcomePass,
			reason: "within budget: 3 tool calls (limit 3) in 2 responses"},
		{name: "both over", maxTokens: 100, maxTCs: 1, responses: usage([]int{50, 80}, []int{2, 0}), want: aicc.OutcomeHit, response: 0,
			reason: "over budget: 130 output tokens (limit 100) and 2 tool calls (limit 1) in 2 responses"},
		{name: "both within", maxTokens: 100, maxTCs: 5, responses: usage([]int{50}, []int{1}), want: aicc.OutcomePass,
			reason: "within budget: 50 output tokens (limit 100) and 1 tool call (limit 5) in 1 response"},
		{name: "calls unchecked without a limit", maxTokens: 100, responses: usage([]int{5}, []int{50}), want: aicc.OutcomePass},
		{name: "estimated", maxTokens: 10, responses: []aicc.ChatResponse{{Usage: aicc.Usage{OutputTokens: 11, Estimated: true}}}, want: aicc.OutcomeHit,
			reason: "over budget: 11 output tokens, partly estimated (limit 10) in 1 response"},
		{name: "no responses", maxTokens: 10, want: aicc.OutcomeUndetermined},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := New(protocol.Detector{Type: protocol.DetectorConsumption, MaxOutputTokens: tt.maxTokens, MaxToolCalls: tt.maxTCs})
			if err != nil {
				t.Fatal(err)
			}
			v := d.Detect(context.Background(), &Input{Responses: tt.responses})
			if v.Outcome != tt.want || v.Detector != "consumption" {
				t.Fatalf("outcome %s by %q (%s), want %s", v.Outcome, v.Detector, v.Reason, tt.want)
			}
			if tt.reason != "" && v.Reason != tt.reason {
				t.Errorf("reason %q, want %q", v.Reason, tt.reason)
			}
			if tt.want == aicc.OutcomeHit && (v.Evidence.Response != tt.response || v.Evidence.Matched == "") {
				t.Errorf("evidence %+v, want response %d", v.Evidence, tt.response)
			}
		})
	}
}

func TestConsumptionBadLimits(t *testing.T) {
	for _, spec := range []protocol.Detector{
		{Type: protocol.DetectorConsumption},
		{Type: protocol.DetectorConsumption, MaxOutputTokens: -1},
		{Type: protocol.DetectorConsumption, MaxOutputTokens: 10, MaxToolCalls: -2},
	} {
		if _, err := New(spec); err == nil {
			t.Errorf("New(%+v) succeeded, want an error", spec)
		}
	}
}
