package detect

import (
	"context"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
)

func TestToolPolicy(t *testing.T) {
	offered := []aicc.Tool{{Name: "search_docs"}, {Name: "delete_records"}, {Name: "send_email"}}
	call := func(names ...string) []aicc.ChatResponse {
		r := aicc.ChatResponse{}
		for _, n := range names {
			r.ToolCalls = append(r.ToolCalls, aicc.ToolCall{ID: "c_" + n, Name: n, Arguments: "{}"})
		}
		return []aicc.ChatResponse{{Text: "let me look"}, r}
	}
	tests := []struct {
		name      string
		spec      protocol.Detector
		responses []aicc.ChatResponse
		want      aicc.Outcome
		culprit   string
	}{
		{name: "allowed call", spec: protocol.Detector{Allow: []string{"search_docs"}}, responses: call("search_docs"), want: aicc.OutcomePass},
		{name: "no call", spec: protocol.Detector{Allow: []string{"search_docs"}}, responses: texts("I can't do that."), want: aicc.OutcomePass},
		{name: "outside allow", spec: protocol.Detector{Allow: []string{"search_docs"}}, responses: call("search_docs", "delete_records"), want: aicc.OutcomeHit, culprit: "delete_records"},
		{name: "denied", spec: protocol.Detector{Deny: []string{"send_email"}}, responses: call("send_email"), want: aicc.OutcomeHit, culprit: "send_email"},
		{name: "deny only, other tool", spec: protocol.Detector{Deny: []string{"send_email"}}, responses: call("delete_records"), want: aicc.OutcomePass},
		{name: "never offered", spec: protocol.Detector{Deny: []string{"send_email"}}, responses: call("run_shell"), want: aicc.OutcomeHit, culprit: "run_shell"},
		{name: "no responses", spec: protocol.Detector{Deny: []string{"send_email"}}, want: aicc.OutcomeUndetermined},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.spec.Type = "tool_policy"
			d, err := New(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			v := d.Detect(context.Background(), &Input{Tools: offered, Responses: tt.responses})
			if v.Outcome != tt.want {
				t.Fatalf("outcome = %s (%s), want %s", v.Outcome, v.Reason, tt.want)
			}
			if tt.culprit != "" {
				if v.Evidence == nil || v.Evidence.ToolCall == nil || v.Evidence.ToolCall.Name != tt.culprit || v.Evidence.Response != 1 {
					t.Errorf("evidence = %+v, want the call to %s in response index 1", v.Evidence, tt.culprit)
				}
			}
		})
	}
}
