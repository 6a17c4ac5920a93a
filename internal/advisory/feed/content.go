package feed

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
)

// content is an item's plain text: the withdrawal, the summary, the
// severity, the status of each model version and package, the developer's
// statement and the note of the current revision. It reads no tier but the
// summary, whose text the caller passes.
func content(a *advisory.Advisory, summary string) string {
	var parts []string
	if a.State == advisory.StateWithdrawn {
		s := "Withdrawn"
		if !a.WithdrawnAt.IsZero() {
			s += " on " + a.WithdrawnAt.UTC().Format(time.DateOnly)
		}
		if r := strings.TrimSpace(a.WithdrawReason); r != "" {
			s += ": " + r
		}
		parts = append(parts, s)
	}
	if summary != "" {
		parts = append(parts, summary)
	}
	parts = append(parts, "Technique: "+a.Class.Title()+" ("+string(a.Class)+")", severity(a), products(a))
	if len(a.Packages) > 0 {
		parts = append(parts, packages(a))
	}
	if st := a.Statement; st != nil && strings.TrimSpace(st.Text) != "" {
		parts = append(parts, "Statement from "+a.Developer+": "+strings.TrimSpace(st.Text))
	}
	for _, r := range a.History {
		if r.Number == a.Revision && strings.TrimSpace(r.Summary) != "" {
			parts = append(parts, fmt.Sprintf("Revision %d (%s): %s", r.Number, r.Date.UTC().Format(time.DateOnly), strings.TrimSpace(r.Summary)))
		}
	}
	return strings.Join(parts, "\n\n")
}

func severity(a *advisory.Advisory) string {
	s := "Severity: " + cmp.Or(string(a.Severity.Rating), "not rated")
	if a.Severity.CVSSVector != "" {
		s += fmt.Sprintf(", CVSS 4.0 score %.1f (%s)", a.Severity.CVSSScore, a.Severity.CVSSVector)
	}
	return s
}

// products lists the model versions and their status, sorted.
func products(a *advisory.Advisory) string {
	ps := slices.Clone(a.Products)
	slices.SortFunc(ps, func(x, y advisory.Product) int {
		return cmp.Or(strings.Compare(x.Model, y.Model), strings.Compare(x.Version, y.Version), strings.Compare(string(x.Surface), string(y.Surface)))
	})
	lines := []string{"Model versions (" + a.Developer + "):"}
	for _, p := range ps {
		status := strings.ReplaceAll(string(p.Status), "_", " ")
		switch {
		case p.Status == advisory.StatusFixed && p.Remediation != "":
			status += " (" + string(p.Remediation) + ")"
		case p.Status == advisory.StatusNotAffected && p.Justification != "":
			status += " (" + string(p.Justification) + ")"
		}
		line := fmt.Sprintf("- %s %s (%s): %s", p.Model, p.Version, surface(p.Surface), status)
		if n := strings.TrimSpace(p.Note); n != "" {
			line += ". " + n
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// packages lists the affected packages and their ranges, sorted.
func packages(a *advisory.Advisory) string {
	var lines []string
	for _, p := range a.Packages {
		line := fmt.Sprintf("- %s %s: affected from %s", p.Ecosystem, p.Name, p.Introduced)
		if p.Introduced == "0" {
			line = fmt.Sprintf("- %s %s: affected in every version", p.Ecosystem, p.Name)
		}
		if p.Fixed != "" {
			line += ", fixed in " + p.Fixed
		}
		lines = append(lines, line)
	}
	slices.Sort(lines)
	return "Packages:\n" + strings.Join(lines, "\n")
}

func surface(s advisory.Surface) string {
	switch s {
	case advisory.SurfaceAPI:
		return "API"
	case advisory.SurfaceHostedApp:
		return "hosted app"
	case advisory.SurfaceOpenWeights:
		return "open weights"
	}
	return string(s)
}
