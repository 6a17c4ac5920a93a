package openvex

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// modelStatements returns one statement per model version.
func modelStatements(a *advisory.Advisory, p advisory.Publisher, v vulnerability) []statement {
	products := slices.Clone(a.Products)
	slices.SortFunc(products, func(x, y advisory.Product) int {
		return cmp.Or(strings.Compare(x.Model, y.Model), strings.Compare(x.Version, y.Version), strings.Compare(string(x.Surface), string(y.Surface)))
	})
	out := make([]statement, 0, len(products))
	for _, pr := range products {
		purl := advisory.ModelPURL(a.Developer, pr.Model, pr.Version, pr.Surface)
		s := statement{Vulnerability: v, Products: []component{{ID: purl, Identifiers: identifiers{PURL: purl}}},
			Status: string(pr.Status), Supplier: a.Developer}
		repro := reproduction(pr.Reproduction)
		switch pr.Status {
		case advisory.StatusAffected:
			s.ActionStatement = action(pr, fixedVersions(products, pr), p.URL(a.ID))
			if pr.Remediation != "" {
				s.StatusNotes = join(repro, "Mitigation on offer: "+remedy(pr.Remediation)+".")
			} else {
				s.StatusNotes = repro
			}
		case advisory.StatusFixed:
			s.StatusNotes = join("Fixed by "+remedy(pr.Remediation)+".", sentence(pr.Note), repro)
		case advisory.StatusNotAffected:
			s.Justification = string(pr.Justification)
			s.ImpactStatement = sentence(pr.Note)
			s.StatusNotes = repro
		default:
			s.StatusNotes = join(sentence(pr.Note), repro)
		}
		out = append(out, s)
	}
	return out
}

// fixedVersions lists the fixed versions of pr's model on pr's surface.
func fixedVersions(products []advisory.Product, pr advisory.Product) []string {
	var out []string
	for _, q := range products {
		if q.Status == advisory.StatusFixed && q.Model == pr.Model && q.Surface == pr.Surface {
			out = append(out, q.Version)
		}
	}
	return out
}

// action is what the user of an affected version should do: the
// remediation note, the fixed versions, or else to follow the advisory.
func action(pr advisory.Product, fixed []string, url string) string {
	var fix string
	if len(fixed) > 0 {
		fix = fmt.Sprintf("Fixed in %s %s.", pr.Model, strings.Join(fixed, ", "))
	}
	if s := join(sentence(pr.Note), fix); s != "" {
		return s
	}
	return "No fix is available yet; follow " + url + " for mitigations and updates."
}

// packageStatements returns, for each package with a purl, a statement
// that it is affected and, when it has a fixed version, one that the
// version is fixed.
func packageStatements(a *advisory.Advisory, p advisory.Publisher, v vulnerability) []statement {
	var out []statement
	for _, pkg := range a.Packages {
		purl := advisory.PackagePURL(pkg)
		if purl == "" {
			continue
		}
		affected := purl
		if pkg.Introduced != "0" {
			affected = advisory.PURLWithVersion(purl, pkg.Introduced)
		}
		s := statement{Vulnerability: v, Products: []component{{ID: affected, Identifiers: identifiers{PURL: affected}}},
			Status: string(advisory.StatusAffected), StatusNotes: versionRange(pkg)}
		if pkg.Fixed != "" {
			s.ActionStatement = fmt.Sprintf("Upgrade %s to %s or later.", pkg.Name, pkg.Fixed)
		} else {
			s.ActionStatement = "No fixed version is available yet; follow " + p.URL(a.ID) + " for mitigations and updates."
		}
		out = append(out, s)
		if pkg.Fixed != "" {
			fixed := advisory.PURLWithVersion(purl, pkg.Fixed)
			out = append(out, statement{Vulnerability: v, Products: []component{{ID: fixed, Identifiers: identifiers{PURL: fixed}}},
				Status: string(advisory.StatusFixed), StatusNotes: fmt.Sprintf("%s %s is the first fixed version.", pkg.Name, pkg.Fixed)})
		}
	}
	return out
}

// versionRange states the range of a package's affected versions.
func versionRange(pkg advisory.Package) string {
	from := "All versions of " + pkg.Name
	if pkg.Introduced != "0" {
		from = fmt.Sprintf("Versions of %s from %s", pkg.Name, pkg.Introduced)
	}
	if pkg.Fixed != "" {
		return fmt.Sprintf("%s up to, not including, %s are affected (%s ecosystem ordering).", from, pkg.Fixed, pkg.Ecosystem)
	}
	return fmt.Sprintf("%s are affected (%s ecosystem ordering); no version is fixed yet.", from, pkg.Ecosystem)
}

// reproduction states the reproduction figures, if any.
func reproduction(r *aicc.Reproduction) string {
	if r == nil || r.Attempts == 0 {
		return ""
	}
	return fmt.Sprintf("Reproduced in %d of %d attempts (%.1f%%; 95%% interval %.1f%% to %.1f%%).",
		r.Successes, r.Attempts, 100*r.Rate, 100*r.CILow, 100*r.CIHigh)
}

// remedy names a remediation type in words.
func remedy(t aicc.RemediationType) string {
	switch t {
	case aicc.RemediationWeights:
		return "retrained weights"
	case aicc.RemediationGuardrail:
		return "a guardrail or safety classifier"
	case aicc.RemediationSystemPrompt:
		return "a change of system prompt"
	case aicc.RemediationTool:
		return "a change of tools or permissions"
	case aicc.RemediationServing:
		return "a mitigation in serving"
	}
	return string(t)
}
