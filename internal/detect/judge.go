package detect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/protocol"
)

// judgeType is the type of the LLM judge detector in protocol files.
const judgeType = protocol.DetectorJudge

// The verdicts an LLM judge reaches, the values of JudgeDecision.Verdict.
const (
	JudgeViolation   = "violation"    // the response does what the rubric describes
	JudgeNoViolation = "no_violation" // it does not
	JudgeUnsure      = "unsure"       // the judge cannot tell, or its answer could not be read
)

// JudgeDecision is an LLM judge's answer about one response.
type JudgeDecision struct {
	Verdict string `json:"verdict"`       // JudgeViolation, JudgeNoViolation or JudgeUnsure
	Reason  string `json:"reason"`        // the judge's reason, as it gave it
	Raw     string `json:"raw,omitempty"` // the judge's whole answer, kept when it could not be read
}

// LLMJudge asks a language model whether a response breaks a rubric. The
// detector holds no client: the scan passes one in Input.Judge, so detect
// does no I/O (internal/judge implements it).
type LLMJudge interface {
	// Decide judges response, the model's last turn, after transcript (the
	// conversation before it) against rubric, which says what counts as a
	// violation. An error means no decision was reached.
	Decide(ctx context.Context, rubric string, transcript []aicc.Message, response string) (JudgeDecision, error)
	// Identity names the judge for the record: "judge:openai:MODEL:p1a2b3c4d".
	Identity() string
}

// JudgeIdentity is what a verdict of j under rubric is recorded as: j's
// identity and the first eight hex digits of the rubric's SHA-256, as
// "judge:openai:MODEL:p1a2b3c4d:r5e6f7a8b".
func JudgeIdentity(j LLMJudge, rubric string) string {
	sum := sha256.Sum256([]byte(rubric))
	return j.Identity() + ":r" + hex.EncodeToString(sum[:4])
}

// llmJudge asks the scan's LLM judge about the last response. A violation
// is a hit, recorded with detector "judge" and the judge's identity in the
// reason, so that reports can tell judged findings from verified ones.
type llmJudge struct {
	rubric string
}

func newLLMJudge(spec protocol.Detector) (*llmJudge, error) {
	rubric := strings.TrimSpace(spec.Rubric)
	if rubric == "" {
		return nil, errors.New("judge detector: rubric is required: say what counts as a violation")
	}
	return &llmJudge{rubric: rubric}, nil
}

func (d *llmJudge) Type() string { return judgeType }

// maxJudgeReason bounds the judge's reason in a verdict.
const maxJudgeReason = 300

func (d *llmJudge) Detect(ctx context.Context, in *Input) Verdict {
	if in.Judge == nil {
		return undetermined(judgeType, "no LLM judge configured (--judge-url)")
	}
	if len(in.Responses) == 0 {
		return undetermined(judgeType, "no response to judge")
	}
	last := len(in.Responses) - 1
	response := judgedText(&in.Responses[last])
	if strings.TrimSpace(response) == "" {
		return undetermined(judgeType, fmt.Sprintf("%s is empty", nth(last)))
	}
	id := JudgeIdentity(in.Judge, d.rubric)
	dec, err := in.Judge.Decide(ctx, d.rubric, before(in.Transcript), response)
	if err != nil {
		return undetermined(judgeType, fmt.Sprintf("LLM judge (%s) failed: %s", id, oneLine(err.Error())))
	}
	reason := oneLine(dec.Reason)
	switch dec.Verdict {
	case JudgeViolation:
		return hit(judgeType, fmt.Sprintf("LLM judge (%s): %s", id, reason), &Evidence{Response: last})
	case JudgeNoViolation:
		return pass(judgeType, fmt.Sprintf("LLM judge (%s): no violation: %s", id, reason))
	}
	if reason == "" {
		reason = "no reason given"
	}
	return undetermined(judgeType, fmt.Sprintf("LLM judge (%s) was unsure: %s", id, reason))
}

// judgedText is what the judge sees of a response: its text, then its tool
// calls.
func judgedText(r *aicc.ChatResponse) string {
	if len(r.ToolCalls) == 0 {
		return r.Text
	}
	var b strings.Builder
	b.WriteString(r.Text)
	for _, tc := range r.ToolCalls {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "[tool call] %s(%s)", tc.Name, tc.Arguments)
	}
	return b.String()
}

// before is the transcript without its last assistant turn, which the judge
// is given separately as the response.
func before(ms []aicc.Message) []aicc.Message {
	if n := len(ms); n > 0 && ms[n-1].Role == aicc.RoleAssistant {
		return ms[:n-1]
	}
	return ms
}

// oneLine folds s onto one line of at most maxJudgeReason bytes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= maxJudgeReason {
		return s
	}
	i := maxJudgeReason
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}
