package osv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// SchemaVersion is the version of the OSV schema the records follow.
const SchemaVersion = "1.7.5"

// Prefix goes before an advisory's ID to make the record's id: OSV's
// prefix for a database it does not aggregate. Registering "AICC" with
// ossf/osv-schema would let it go.
const Prefix = "x_"

// ID returns the id of the OSV record of the advisory advisoryID.
func ID(advisoryID string) string { return Prefix + advisoryID }

// Applies reports whether a has an OSV record: whether it affects a
// package in an OSV ecosystem.
func Applies(a *advisory.Advisory) bool { return a != nil && len(a.Packages) > 0 }

// Encode returns the OSV record of one revision of a as p publishes it. a
// must have a package (see Applies). It renders what it is given: the
// caller passes the copy an audience may see (advisory.Visible).
func Encode(a *advisory.Advisory, p advisory.Publisher) ([]byte, error) {
	if a == nil {
		return nil, errors.New("osv record: no advisory")
	}
	r, err := build(a, p)
	if err != nil {
		return nil, fmt.Errorf("osv record for %s: %w", a.ID, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // the text is Markdown, not HTML
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("osv record for %s: %w", a.ID, err)
	}
	return buf.Bytes(), nil
}

// cvss4 is the schema's pattern for a CVSS_V4 score.
var cvss4 = regexp.MustCompile(`^CVSS:4[.]0/AV:[NALP]/AC:[LH]/AT:[NP]/PR:[NLH]/UI:[NPA]/VC:[HLN]/VI:[HLN]/VA:[HLN]/SC:[HLN]/SI:[HLN]/SA:[HLN](/E:[XAPU])?(/CR:[XHML])?(/IR:[XHML])?(/AR:[XHML])?(/MAV:[XNALP])?(/MAC:[XLH])?(/MAT:[XNP])?(/MPR:[XNLH])?(/MUI:[XNPA])?(/MVC:[XNLH])?(/MVI:[XNLH])?(/MVA:[XNLH])?(/MSC:[XNLH])?(/MSI:[XNLHS])?(/MSA:[XNLHS])?(/S:[XNP])?(/AU:[XNY])?(/R:[XAUI])?(/V:[XDC])?(/RE:[XLMH])?(/U:(X|Clear|Green|Amber|Red))?$`)

func build(a *advisory.Advisory, p advisory.Publisher) (*record, error) {
	if !Applies(a) {
		return nil, aicc.Errorf(aicc.KindInvalid, "advisory %s has no package in an OSV ecosystem: OSV records are for advisories that affect software packages", a.ID)
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.Name) == "" || strings.TrimSpace(p.BaseURL) == "" {
		return nil, errors.New("the publisher's name and base URL are required")
	}
	affected, err := affectedPackages(a.Packages)
	if err != nil {
		return nil, err
	}
	modified := revised(a)
	if modified.IsZero() {
		return nil, errors.New("the advisory has no date")
	}
	r := &record{
		SchemaVersion: SchemaVersion, ID: ID(a.ID), Modified: timestamp(modified), Published: timestamp(a.PublishedAt),
		Summary: a.Title, Details: details(a), Affected: affected,
		References:       []reference{{Type: "ADVISORY", URL: p.URL(a.ID)}},
		Credits:          []credit{{Name: p.Name, Type: "COORDINATOR"}},
		DatabaseSpecific: databaseSpecific(a, p),
	}
	if v := a.Severity.CVSSVector; v != "" {
		if !cvss4.MatchString(v) {
			return nil, aicc.Errorf(aicc.KindInvalid, "advisory %s: severity.cvss_vector %q is not a CVSS 4.0 vector", a.ID, v)
		}
		r.Severity = []severity{{Type: "CVSS_V4", Score: v}}
	}
	if a.State == advisory.StateWithdrawn {
		if a.WithdrawnAt.IsZero() {
			return nil, aicc.Errorf(aicc.KindInvalid, "advisory %s is withdrawn without a withdrawal date", a.ID)
		}
		r.Withdrawn = timestamp(a.WithdrawnAt)
		r.Summary = "[WITHDRAWN] " + a.Title
		if reason := strings.TrimSpace(a.WithdrawReason); reason != "" {
			r.Summary += " — " + reason // OSV puts the rationale in the summary
		}
	}
	return r, nil
}

// revised is the date of a's current revision: the withdrawal's when it
// is later, the last update's for a draft.
func revised(a *advisory.Advisory) time.Time {
	t := a.RevisedAt
	for _, u := range []time.Time{a.PublishedAt, a.UpdatedAt, a.CreatedAt} {
		if t.IsZero() {
			t = u
		}
	}
	if a.State == advisory.StateWithdrawn && a.WithdrawnAt.After(t) {
		t = a.WithdrawnAt
	}
	return t
}

// timestamp is an OSV timestamp: RFC 3339 in UTC ending in Z, to the
// second; "" for the zero time.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// details is the summary tier's text (when given), the withdrawal notice
// and the developer's statement, in Markdown.
func details(a *advisory.Advisory) string {
	var parts []string
	if a.State == advisory.StateWithdrawn {
		s := "**Withdrawn** on " + a.WithdrawnAt.UTC().Format(time.DateOnly) + "."
		if reason := strings.TrimSpace(a.WithdrawReason); reason != "" {
			s = "**Withdrawn** on " + a.WithdrawnAt.UTC().Format(time.DateOnly) + ": " + reason
		}
		parts = append(parts, s)
	}
	if t := strings.TrimSpace(a.Summary.Text); t != "" && !a.Summary.Withheld {
		parts = append(parts, t)
	}
	if st := a.Statement; st != nil && strings.TrimSpace(st.Text) != "" {
		head := "Statement from " + a.Developer
		if !st.AddedAt.IsZero() {
			head += " (" + st.AddedAt.UTC().Format(time.DateOnly) + ")"
		}
		lines := strings.Split(strings.TrimSpace(st.Text), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight("> "+l, " ")
		}
		parts = append(parts, head+":\n\n"+strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\n\n")
}
