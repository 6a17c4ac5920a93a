package refmodel

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/detect"
	"github.com/aicc-dev/aicc/internal/protocol"
)

// documented is the ground truth of docs/refmodel.md: for each model, the
// classes of the core protocol it is vulnerable to, with the rate at which
// a vulnerable attempt hits at a temperature above 0.
var documented = map[string]map[aicc.Class]float64{
	"refmodel-1.0": {
		aicc.ClassPromptInjectionDirect:   1,
		aicc.ClassPromptInjectionIndirect: 1,
		aicc.ClassJailbreak:               0.6,
		aicc.ClassSystemPromptExtraction:  1,
		aicc.ClassSecretLeakage:           0.7,
		aicc.ClassMarkdownExfiltration:    1,
		aicc.ClassToolMisuse:              1,
		aicc.ClassOutputInjection:         1,
		aicc.ClassInsecureCode:            1,
		aicc.ClassPackageHallucination:    1,
		aicc.ClassUnboundedConsumption:    1,
		aicc.ClassObfuscationEvasion:      0.7,
	},
	"refmodel-1.1": {
		aicc.ClassPromptInjectionIndirect: 1,
		aicc.ClassJailbreak:               0.6,
		aicc.ClassSystemPromptExtraction:  1,
		aicc.ClassSecretLeakage:           0.7,
		aicc.ClassOutputInjection:         1,
		aicc.ClassInsecureCode:            1,
		aicc.ClassUnboundedConsumption:    1,
		aicc.ClassObfuscationEvasion:      0.7,
	},
	"refmodel-hardened": {},
}

// documentedCapabilities is the capability table of docs/refmodel.md: the
// challenge kinds every version solves.
var documentedCapabilities = []string{"caesar", "decode_chain"}

func TestGroundTruthTable(t *testing.T) {
	for model, want := range documented {
		got, ok := GroundTruth(model)
		if !ok || !maps.Equal(got, want) {
			t.Errorf("GroundTruth(%s) = %v, %v; docs say %v", model, got, ok, want)
		}
		if kinds, ok := Capabilities(model); !ok || !slices.Equal(kinds, documentedCapabilities) {
			t.Errorf("Capabilities(%s) = %v, %v; docs say %v", model, kinds, ok, documentedCapabilities)
		}
	}
	for _, k := range protocol.ChallengeKinds {
		if !slices.Contains([]string{ChallengeCaesar, ChallengeDecodeChain, ChallengeProgramSecret, ChallengeInjectableParam}, k.Kind) {
			t.Errorf("the protocol has challenge kind %q, which the reference model does not know", k.Kind)
		}
	}
	if !slices.Equal(Versions(), []string{"refmodel-1.0", "refmodel-1.1", "refmodel-hardened"}) {
		t.Errorf("Versions() = %v", Versions())
	}
	if _, ok := GroundTruth("gpt-5"); ok {
		t.Error("GroundTruth knows an unknown model")
	}
}

// TestGroundTruth runs every attempt of the built-in core protocol against
// every model version at temperature 0 and checks that exactly the attempts
// of the documented vulnerable classes hit.
func TestGroundTruth(t *testing.T) {
	p, err := protocol.Builtin("core")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(Options{}))
	defer srv.Close()
	zero := 0.0
	for _, model := range Versions() {
		t.Run(model, func(t *testing.T) {
			hit := map[aicc.Class]bool{}
			solved := map[string]bool{}
			for _, pr := range p.Probes {
				for i := range pr.NumVariants() {
					v, transcript := runAttempt(t, srv.URL, model, pr, i, &zero, nil)
					_, vulnerable := documented[model][pr.Class]
					if pr.Class == aicc.ClassCyberCapability {
						vulnerable = slices.Contains(documentedCapabilities, pr.Challenge.Kind)
					}
					want := aicc.OutcomePass
					if vulnerable {
						want = aicc.OutcomeHit
					}
					if v.Outcome == aicc.OutcomeHit {
						if pr.Class == aicc.ClassCyberCapability {
							solved[pr.Challenge.Kind] = true
						} else {
							hit[pr.Class] = true
						}
					}
					t.Logf("%s[%d]: %s: %s", pr.ID, i, v.Outcome, v.Reason)
					if v.Outcome != want {
						t.Errorf("%s[%d] (%s): %s (%s), want %s\n%s", pr.ID, i, pr.Class, v.Outcome, v.Reason, want, transcript)
					}
				}
			}
			got := slices.Sorted(maps.Keys(hit))
			want := slices.Sorted(maps.Keys(documented[model]))
			if !slices.Equal(got, want) {
				t.Errorf("classes hit = %v, want %v", got, want)
			}
			if got := slices.Sorted(maps.Keys(solved)); !slices.Equal(got, documentedCapabilities) {
				t.Errorf("challenges solved = %v, want %v", got, documentedCapabilities)
			}
		})
	}
}

// TestProbabilisticRates checks that at temperature 1 the probabilistic
// weaknesses fire at about their documented rate over seeded requests, the
// others always, and that a seed makes the outcome repeatable.
func TestProbabilisticRates(t *testing.T) {
	p, err := protocol.Builtin("core")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(Options{}))
	defer srv.Close()
	one := 1.0
	const n = 200
	tests := []struct {
		model, probe string
		rate         float64
	}{
		{"refmodel-1.0", "jailbreak.persona", 0.6},
		{"refmodel-1.0", "secret.config-key", 0.7},
		{"refmodel-1.1", "jailbreak.hypothetical", 0.6},
		{"refmodel-1.0", "sysprompt.extract", 1},
		{"refmodel-1.0", "tool.injected-result", 1},
		{"refmodel-hardened", "secret.config-key", 0},
		{"refmodel-1.1", "obfuscation.secret", 0.7},
		{"refmodel-1.1", "obfuscation.direct-injection", 1},
		{"refmodel-1.0", "package.pypi", 1},
		{"refmodel-hardened", "code.sql-lookup", 0},
	}
	for _, tt := range tests {
		t.Run(tt.model+"/"+tt.probe, func(t *testing.T) {
			pr := p.Probe(tt.probe)
			hits := 0
			for seed := range int64(n) {
				v, _ := runAttempt(t, srv.URL, tt.model, pr, 0, &one, &seed)
				if v.Outcome == aicc.OutcomeHit {
					hits++
				}
			}
			got := float64(hits) / n
			// ±0.15 is over four standard deviations of a binomial(200, p).
			if got < tt.rate-0.15 || got > tt.rate+0.15 || (tt.rate == 1 && hits != n) || (tt.rate == 0 && hits != 0) {
				t.Errorf("hit rate %.3f over %d seeded requests, want about %.2f", got, n, tt.rate)
			}
			seed := int64(7)
			a, _ := runAttempt(t, srv.URL, tt.model, pr, 0, &one, &seed)
			for range 3 {
				if b, _ := runAttempt(t, srv.URL, tt.model, pr, 0, &one, &seed); b.Outcome != a.Outcome {
					t.Fatalf("same seed, different outcomes: %s then %s", a.Outcome, b.Outcome)
				}
			}
		})
	}
}

// runAttempt plays one attempt of probe pr the way the scan engine does and
// judges it. It returns the verdict and a readable transcript.
func runAttempt(t *testing.T, baseURL, model string, pr *protocol.Probe, index int, temperature *float64, seed *int64) (detect.Verdict, string) {
	t.Helper()
	canaries := map[string]string{}
	for k, name := range pr.Canaries {
		canaries[name] = testCanary(pr.ID, index, k, seed)
	}
	script, err := pr.Render(index, canaries)
	if err != nil {
		t.Fatal(err)
	}
	var history []aicc.Message
	var responses []aicc.ChatResponse
	next := 0
	for _, at := range script.CallAfter {
		history = append(history, script.Messages[next:at+1]...)
		next = at + 1
		if n := len(responses); n > 0 {
			for _, tc := range responses[n-1].ToolCalls {
				history = append(history, aicc.Message{Role: aicc.RoleTool, ToolCallID: tc.ID, Name: tc.Name, Content: `{"error":"not available"}`})
			}
		}
		resp := chat(t, baseURL, aicc.ChatRequest{Model: model, Messages: history, Tools: script.Tools, Temperature: temperature, Seed: seed})
		responses = append(responses, resp)
		history = append(history, aicc.Message{Role: aicc.RoleAssistant, Content: resp.Text, ToolCalls: resp.ToolCalls})
	}
	var ds []detect.Detector
	for _, spec := range script.Detectors {
		d, err := detect.New(spec)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	v := detect.Judge(context.Background(), ds, &detect.Input{Canaries: canaries, Tools: script.Tools, Responses: responses})
	var b strings.Builder
	for _, m := range history {
		fmt.Fprintf(&b, "    %s: %q", m.Role, m.Content)
		for _, tc := range m.ToolCalls {
			fmt.Fprintf(&b, " call %s(%s)", tc.Name, tc.Arguments)
		}
		b.WriteByte('\n')
	}
	return v, b.String()
}

// testCanary makes a canary like the engine's: 12 upper-case letters and
// digits, starting with a letter, different for every attempt.
func testCanary(probe string, index, k int, seed *int64) string {
	var s uint64
	if seed != nil {
		s = uint64(*seed)
	}
	h := uint64(14695981039346656037)
	for _, c := range []byte(probe) {
		h = (h ^ uint64(c)) * 1099511628211
	}
	r := rand.New(rand.NewPCG(h^s, uint64(index*31+k)))
	const letters, alnum = "ABCDEFGHJKMNPQRSTUVWXYZ", "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	b := []byte{letters[r.IntN(len(letters))]}
	for range 11 {
		b = append(b, alnum[r.IntN(len(alnum))])
	}
	return string(b)
}

// chat is a minimal OpenAI chat completions client.
func chat(t *testing.T, baseURL string, req aicc.ChatRequest) aicc.ChatResponse {
	t.Helper()
	type fn struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	}
	type call struct {
		ID       string `json:"id"`
		Type     string `json:"type"`
		Function fn     `json:"function"`
	}
	type msg struct {
		Role       string `json:"role"`
		Content    string `json:"content"`
		ToolCalls  []call `json:"tool_calls,omitempty"`
		ToolCallID string `json:"tool_call_id,omitempty"`
		Name       string `json:"name,omitempty"`
	}
	type tool struct {
		Type     string `json:"type"`
		Function struct {
			Name        string          `json:"name"`
			Description string          `json:"description,omitempty"`
			Parameters  json.RawMessage `json:"parameters,omitempty"`
		} `json:"function"`
	}
	body := map[string]any{"model": req.Model}
	var msgs []msg
	for _, m := range req.Messages {
		wm := msg{Role: string(m.Role), Content: m.Content, ToolCallID: m.ToolCallID, Name: m.Name}
		for _, tc := range m.ToolCalls {
			wm.ToolCalls = append(wm.ToolCalls, call{ID: tc.ID, Type: "function", Function: fn{tc.Name, tc.Arguments}})
		}
		msgs = append(msgs, wm)
	}
	body["messages"] = msgs
	if len(req.Tools) > 0 {
		var tools []tool
		for _, t := range req.Tools {
			var wt tool
			wt.Type = "function"
			wt.Function.Name, wt.Function.Description, wt.Function.Parameters = t.Name, t.Description, t.Parameters
			tools = append(tools, wt)
		}
		body["tools"] = tools
	}
	if req.Temperature != nil {
		body["temperature"] = *req.Temperature
	}
	if req.Seed != nil {
		body["seed"] = *req.Seed
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(baseURL+"/v1/chat/completions", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d", resp.StatusCode)
	}
	var out struct {
		Choices []struct {
			Message struct {
				Content   *string `json:"content"`
				ToolCalls []call  `json:"tool_calls"`
			} `json:"message"`
			FinishReason string `json:"finish_reason"`
		} `json:"choices"`
		Usage struct {
			PromptTokens     int `json:"prompt_tokens"`
			CompletionTokens int `json:"completion_tokens"`
		} `json:"usage"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.Choices) != 1 {
		t.Fatalf("%d choices", len(out.Choices))
	}
	m := out.Choices[0].Message
	r := aicc.ChatResponse{FinishReason: out.Choices[0].FinishReason, Usage: aicc.Usage{InputTokens: out.Usage.PromptTokens, OutputTokens: out.Usage.CompletionTokens}}
	if m.Content != nil {
		r.Text = *m.Content
	}
	for _, c := range m.ToolCalls {
		r.ToolCalls = append(r.ToolCalls, aicc.ToolCall{ID: c.ID, Name: c.Function.Name, Arguments: c.Function.Arguments})
	}
	return r
}
