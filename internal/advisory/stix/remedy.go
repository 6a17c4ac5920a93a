package stix

import (
	"fmt"
	"strings"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// remediations says what each remediation type is, for a course of action
// without a note.
var remediations = map[aicc.RemediationType]string{
	aicc.RemediationWeights:      "retraining the weights",
	aicc.RemediationGuardrail:    "a guardrail or safety classifier",
	aicc.RemediationSystemPrompt: "a change to the system prompt",
	aicc.RemediationTool:         "a change to tools or permissions",
	aicc.RemediationServing:      "a mitigation in serving",
}

// addCoursesOfAction adds a course of action for each model version that
// is fixed, or affected with a mitigation on offer, and the relationship
// "course-of-action mitigates vulnerability".
func (b *builder) addCoursesOfAction() error {
	for _, p := range b.a.Products {
		if p.Remediation == "" || p.Status == advisory.StatusNotAffected {
			continue
		}
		id := newID("course-of-action", b.a.ID+"|"+p.Key())
		c, err := b.sdo(id, b.a.Summary.TLP, b.created)
		if err != nil {
			return err
		}
		c.Extensions = b.withExtension()
		product := fmt.Sprintf("%s %s (%s)", p.Model, p.Version, strings.ReplaceAll(string(p.Surface), "_", " "))
		name, how := "Mitigation for "+product, "Mitigated by "
		if p.Status == advisory.StatusFixed {
			name, how = "Fixed in "+product, "Fixed by "
		}
		desc := p.Note
		if desc == "" {
			desc = how + remediations[p.Remediation] + "."
		}
		if err := b.add(id, b.modified, courseOfAction{common: c, Name: name, Description: desc,
			XProduct: p.Key(), XRemediation: string(p.Remediation)}); err != nil {
			return err
		}
		if err := b.relate(id, "mitigates", b.vuln, b.a.Summary.TLP); err != nil {
			return err
		}
	}
	return nil
}
