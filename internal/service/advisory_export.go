package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/csaf"
	csafcheck "github.com/aicc-dev/aicc/internal/advisory/csaf/check"
	"github.com/aicc-dev/aicc/internal/advisory/openvex"
	"github.com/aicc-dev/aicc/internal/advisory/osv"
	"github.com/aicc-dev/aicc/internal/advisory/stix"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// ExportFormats lists the formats ExportAdvisory writes.
var ExportFormats = []string{"csaf", "csaf-vex", "openvex", "osv", "stix"}

// Document is one exported document.
type Document struct {
	Name        string `json:"name"` // a file name
	ContentType string `json:"content_type"`
	Body        []byte `json:"-"`
}

// ExportAdvisory renders what p may see of an advisory in a format: a
// published revision (revision > 0: as it was published; 0: the current
// one), or, for the clearinghouse and the developer, the current draft.
// The same revision renders byte-identical every time. Every export is
// recorded in the audit log.
func (s *Service) ExportAdvisory(ctx context.Context, p aicc.Principal, id, format string, revision int) (*Document, error) {
	return s.export(ctx, p, false, format, revision,
		func() (*advisory.Advisory, error) { return s.viewAdvisory(ctx, p, id) },
		func(n int) (*advisory.Advisory, error) { return s.viewRevision(ctx, p, id, n) })
}

// ExportAdvisoryOffline renders an advisory for the operator who holds the
// deployment's database (`aicc advisory export --data`): the clearinghouse's
// view, every tier, as ExportAdvisory renders it for a clearinghouse
// member. It is recorded in the audit log as an offline export, by the
// system.
func (s *Service) ExportAdvisoryOffline(ctx context.Context, id, format string, revision int) (*Document, error) {
	return s.export(ctx, system, true, format, revision,
		func() (*advisory.Advisory, error) { return s.st.GetAdvisory(ctx, id) },
		func(n int) (*advisory.Advisory, error) { return s.st.AdvisoryRevision(ctx, id, n) })
}

// export renders, for p (offline: for the operator, as the system), the
// current advisory (or, when revision > 0 or the
// advisory is published, that revision) that current and atRevision read,
// and records the export.
func (s *Service) export(ctx context.Context, p aicc.Principal, offline bool, format string, revision int,
	current func() (*advisory.Advisory, error), atRevision func(int) (*advisory.Advisory, error)) (*Document, error) {
	if !slices.Contains(ExportFormats, format) {
		return nil, aicc.Errorf(aicc.KindInvalid, "format %q: want one of %s", format, strings.Join(ExportFormats, ", "))
	}
	a, err := current()
	if err != nil {
		return nil, err
	}
	if revision == 0 && a.State.Public() {
		revision = a.Revision
	}
	if revision > 0 {
		if a, err = atRevision(revision); err != nil {
			return nil, err
		}
	}
	doc, err := s.render(a, format)
	if err != nil {
		return nil, err
	}
	// The export entry is the read: it names the tier labels it carried.
	detail := map[string]any{"format": format, "revision": a.Revision, "state": a.State, "tlp": advisory.Ceiling(a)}
	if offline {
		detail["offline"] = true
	}
	err = s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		return s.record(ctx, tx, p, "advisory.export", "advisory", a.ID, detail)
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// render encodes a (already cut to its reader's view) in a format.
func (s *Service) render(a *advisory.Advisory, format string) (*Document, error) {
	base := strings.ToLower(a.ID)
	if a.State.Public() {
		base += fmt.Sprintf("-r%d", a.Revision)
	}
	switch format {
	case "csaf", "csaf-vex":
		cat := csaf.SecurityAdvisory
		if format == "csaf-vex" {
			cat = csaf.VEX
		}
		b, err := csaf.Encode(a, s.publisher, cat)
		if err != nil {
			return nil, err
		}
		// Never hand out a document standard tools would reject.
		rep, err := csafcheck.Validate(b)
		if err != nil {
			return nil, err
		}
		if !rep.OK() {
			return nil, fmt.Errorf("the CSAF document of %s fails validation, which is a bug: %s", a.ID, rep)
		}
		return &Document{Name: csaf.Filename(a.ID), ContentType: "application/json", Body: b}, nil
	case "openvex":
		b, err := openvex.Encode(a, s.publisher)
		if err != nil {
			return nil, err
		}
		return &Document{Name: base + ".openvex.json", ContentType: "application/json", Body: b}, nil
	case "osv":
		if !osv.Applies(a) {
			return nil, aicc.Errorf(aicc.KindInvalid, "advisory %s names no software package in an OSV ecosystem, so it has no OSV record; OSV covers packages (an agent framework, a serving library), not models", a.ID)
		}
		b, err := osv.Encode(a, s.publisher)
		if err != nil {
			return nil, err
		}
		return &Document{Name: osv.ID(a.ID) + ".json", ContentType: "application/json", Body: b}, nil
	case "stix":
		b, err := stix.Bundle([]*advisory.Advisory{a}, s.publisher)
		if err != nil {
			return nil, err
		}
		return &Document{Name: base + ".stix.json", ContentType: "application/stix+json;version=2.1", Body: b}, nil
	}
	return nil, aicc.Errorf(aicc.KindInvalid, "format %q is not supported", format)
}
