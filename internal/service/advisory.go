package service

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/store"
)

// AdvisoryInput asks for a new advisory from a confirmed finding. Every
// field but FindingID has a default drawn from the finding and its review.
type AdvisoryInput struct {
	FindingID string `json:"finding_id"`
	Title     string `json:"title,omitempty"`
	// Surface is how the reviewed version is offered (default api).
	Surface advisory.Surface `json:"surface,omitempty"`
	// The tiers; a zero tier gets the defaults: summary TLP:CLEAR, details
	// TLP:AMBER to agencies and operators, payload TLP:RED to nobody but
	// the parties.
	Summary *advisory.Tier `json:"summary,omitempty"`
	Details *advisory.Tier `json:"details,omitempty"`
	Payload *advisory.Tier `json:"payload,omitempty"`
	// Packages in OSV ecosystems that the technique affects too.
	Packages []advisory.Package `json:"packages,omitempty"`
}

// viewer is the organization of p as a viewer of advisories.
func viewer(p aicc.Principal) advisory.Viewer {
	if p.Anonymous() {
		return advisory.Anonymous
	}
	return advisory.Viewer{OrgID: p.OrgID, Kind: p.OrgKind}
}

// CreateAdvisory drafts an advisory from a confirmed (or since fixed)
// finding: the technique, the reviewed model version and, where a retest
// showed a remediation fixed it, the fixed version; the reproduction
// figures and severity; and the first hit's prompt as the payload.
func (s *Service) CreateAdvisory(ctx context.Context, p aicc.Principal, in AdvisoryInput) (*advisory.Advisory, error) {
	f, sub, err := s.loadFinding(ctx, s.st, p, in.FindingID)
	if err != nil {
		return nil, err
	}
	if err := check(p, authz.AdvisoryCreate, authz.Resource{Kind: authz.KindAdvisory, OwnerOrg: sub.OrgID, TLP: aicc.TLPRed}); err != nil {
		return nil, err
	}
	switch f.Status {
	case aicc.FindingConfirmed, aicc.FindingFixed, aicc.FindingPartial:
	default:
		return nil, aicc.Errorf(aicc.KindConflict, "finding %s is %s: an advisory needs a confirmed finding (confirm it first, with a rationale)", f.ID, f.Status)
	}
	dev, err := s.st.GetOrg(ctx, sub.OrgID)
	if err != nil {
		return nil, err
	}
	products, err := s.advisoryProducts(ctx, f, sub, cmp.Or(in.Surface, advisory.SurfaceAPI))
	if err != nil {
		return nil, err
	}
	payload, err := s.advisoryPayload(ctx, p, f)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	a := &advisory.Advisory{
		Revision:       1,
		State:          advisory.StateDraft,
		Title:          cmp.Or(strings.TrimSpace(in.Title), fmt.Sprintf("%s in %s %s", f.Title, sub.Model, sub.Version)),
		DeveloperOrgID: sub.OrgID,
		Developer:      dev.Name,
		SubmissionID:   sub.ID,
		FindingIDs:     []string{f.ID},
		Class:          f.Class,
		Family:         f.Family,
		Taxonomy:       f.Taxonomy,
		Severity:       advisory.Severity{CVSSVector: f.CVSSVector, CVSSScore: f.CVSSScore, Rating: f.Severity},
		Reproduction:   f.Reproduction,
		Products:       products,
		Packages:       in.Packages,
		Summary:        tierOr(in.Summary, advisory.Tier{TLP: aicc.TLPClear, Text: defaultSummary(f, sub, dev.Name)}),
		Details: tierOr(in.Details, advisory.Tier{TLP: aicc.TLPAmber, Audience: advisory.Audience{Kinds: []aicc.OrgKind{aicc.OrgAgency, aicc.OrgOperator}},
			Text: defaultDetails(f)}),
		Payload:   tierOr(in.Payload, advisory.Tier{TLP: aicc.TLPRed, Text: payload}),
		Embargo:   s.defaultEmbargo(sub, now),
		CreatedAt: now,
		UpdatedAt: now,
	}
	err = s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		seq, err := tx.NextAdvisorySeq(ctx, now.Year())
		if err != nil {
			return err
		}
		a.ID = advisory.FormatID(now.Year(), seq)
		if err := tx.CreateAdvisory(ctx, a); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "advisory.create", "advisory", a.ID, map[string]any{"finding_id": f.ID, "submission_id": sub.ID,
			"embargo_until": a.Embargo.Until, "embargo_basis": a.Embargo.Basis})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func tierOr(t *advisory.Tier, def advisory.Tier) advisory.Tier {
	if t == nil {
		return def
	}
	out := *t
	if out.TLP == "" {
		out.TLP = def.TLP
	}
	if out.Text == "" {
		out.Text = def.Text
	}
	if len(out.Audience.Kinds)+len(out.Audience.Orgs) == 0 && out.TLP == def.TLP {
		out.Audience = def.Audience
	}
	out.Withheld = false
	return out
}

// defaultEmbargo anchors the embargo to the model's planned release: it
// lifts then, or when the developer has been silent for the fallback
// period. A model already released gets none.
func (s *Service) defaultEmbargo(sub *aicc.Submission, now time.Time) advisory.Embargo {
	if sub.State == aicc.ReviewReleased {
		return advisory.Embargo{Basis: advisory.BasisNone, LastContact: now, FallbackDays: s.fallbackDays}
	}
	return advisory.Embargo{Basis: advisory.BasisRelease, Until: sub.ReleaseDate, LastContact: now, FallbackDays: s.fallbackDays}
}

// advisoryProducts lists the reviewed version (affected, unless a retest
// showed it fixed since) and each remediated version with the latest
// retest's verdict.
func (s *Service) advisoryProducts(ctx context.Context, f *aicc.Finding, sub *aicc.Submission, surface advisory.Surface) ([]advisory.Product, error) {
	reviewed := advisory.Product{Model: sub.Model, Version: sub.Version, Surface: surface, Status: advisory.StatusAffected, Reproduction: f.Reproduction}
	out := []advisory.Product{reviewed}
	rems, err := s.st.ListRemediations(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	rts, err := s.st.ListRetests(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range rems {
		if r.Version == sub.Version {
			continue
		}
		p := advisory.Product{Model: sub.Model, Version: r.Version, Surface: surface, Status: advisory.StatusUnderInvestigation,
			Remediation: r.Type, Note: r.Note}
		for _, rt := range rts { // the latest finished retest of this remediation decides
			if rt.RemediationID != r.ID || rt.Status != aicc.RetestDone {
				continue
			}
			p.Reproduction = rt.After
			switch rt.Verdict {
			case "fixed":
				p.Status = advisory.StatusFixed
			case "partly_fixed", "not_fixed":
				p.Status = advisory.StatusAffected
			}
		}
		if i := slices.IndexFunc(out, func(q advisory.Product) bool { return q.Key() == p.Key() }); i >= 0 {
			out[i] = p
		} else {
			out = append(out, p)
		}
	}
	return out, nil
}

// advisoryPayload is the prompt of the finding's first hit: for a model,
// the exploit. Reading it is an evidence read, and logged as one.
func (s *Service) advisoryPayload(ctx context.Context, p aicc.Principal, f *aicc.Finding) (string, error) {
	if s.scans == nil || len(f.Evidence) == 0 {
		return "", nil
	}
	ev, err := s.FindingEvidence(ctx, p, f.ID)
	if err != nil {
		if aicc.KindOf(err) == aicc.KindForbidden {
			return "", nil
		}
		return "", err
	}
	for _, at := range ev.Attempts {
		for i := len(at.Transcript) - 1; i >= 0; i-- {
			if m := at.Transcript[i]; m.Role == aicc.RoleUser && strings.TrimSpace(m.Content) != "" {
				return m.Content, nil
			}
		}
	}
	return "", nil
}

func defaultSummary(f *aicc.Finding, sub *aicc.Submission, developer string) string {
	return fmt.Sprintf("%s %s by %s is affected by %s (%s). Severity: %s.",
		sub.Model, sub.Version, developer, strings.ToLower(f.Title), strings.ReplaceAll(string(f.Class), "_", " "), cmp.Or(string(f.Severity), "not rated"))
}

func defaultDetails(f *aicc.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Technique: %s", f.Class)
	if f.Family != "" {
		fmt.Fprintf(&b, " (probe family %s)", f.Family)
	}
	b.WriteString(".")
	if r := f.Reproduction; r != nil && r.Attempts > 0 {
		fmt.Fprintf(&b, " Reproduced in %d of %d attempts (%.0f%%, 95%% interval %.0f–%.0f%%).", r.Successes, r.Attempts, 100*r.Rate, 100*r.CILow, 100*r.CIHigh)
	}
	if len(f.Probes) > 0 {
		fmt.Fprintf(&b, " Probes: %s.", strings.Join(f.Probes, ", "))
	}
	return b.String()
}

// loadAdvisory returns an advisory p may read; one p may not read is
// reported as not found.
func (s *Service) loadAdvisory(ctx context.Context, r store.ServiceReader, p aicc.Principal, id string) (*advisory.Advisory, error) {
	a, err := r.GetAdvisory(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := check(p, authz.AdvisoryRead, a.Resource(a.Summary)); err != nil {
		return nil, hide(err, "advisory", id)
	}
	return a, nil
}

// GetAdvisory returns what p may see of an advisory (see
// advisory.Visible): nothing, reported as not found, before it is
// published unless p is the clearinghouse or the developer; then every
// tier p may read, the others withheld. The public reads published
// TLP:CLEAR advisories through the feeds and the CSAF directory.
func (s *Service) GetAdvisory(ctx context.Context, p aicc.Principal, id string) (*advisory.Advisory, error) {
	v, err := s.viewAdvisory(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := s.logPayloadReads(ctx, p, v); err != nil {
		return nil, err
	}
	return v, nil
}

// viewAdvisory is what p may see of an advisory, without logging.
func (s *Service) viewAdvisory(ctx context.Context, p aicc.Principal, id string) (*advisory.Advisory, error) {
	a, err := s.loadAdvisory(ctx, s.st, p, id)
	if err != nil {
		return nil, err
	}
	v := advisory.Visible(a, viewer(p))
	if v == nil {
		return nil, &aicc.Error{Kind: aicc.KindNotFound, Message: "advisory " + id + " not found"}
	}
	return v, nil
}

// logPayloadReads records, as a read of evidence, every exploit payload
// about to be shown to p: the payload is the prompt of a finding's hit.
func (s *Service) logPayloadReads(ctx context.Context, p aicc.Principal, as ...*advisory.Advisory) error {
	var ids []string
	for _, a := range as {
		if !a.Payload.Withheld && a.Payload.Text != "" {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		for _, id := range ids {
			if err := s.record(ctx, tx, p, "evidence.read", "advisory", id, map[string]any{"tier": "payload"}); err != nil {
				return err
			}
		}
		return nil
	})
}

// GetAdvisoryRevision returns what p may see of a published revision.
func (s *Service) GetAdvisoryRevision(ctx context.Context, p aicc.Principal, id string, revision int) (*advisory.Advisory, error) {
	v, err := s.viewRevision(ctx, p, id, revision)
	if err != nil {
		return nil, err
	}
	if err := s.logPayloadReads(ctx, p, v); err != nil {
		return nil, err
	}
	return v, nil
}

// viewRevision is what p may see of a published revision, without logging.
func (s *Service) viewRevision(ctx context.Context, p aicc.Principal, id string, revision int) (*advisory.Advisory, error) {
	if _, err := s.viewAdvisory(ctx, p, id); err != nil {
		return nil, err
	}
	a, err := s.st.AdvisoryRevision(ctx, id, revision)
	if err != nil {
		return nil, err
	}
	v := advisory.Visible(a, viewer(p))
	if v == nil {
		return nil, &aicc.Error{Kind: aicc.KindNotFound, Message: fmt.Sprintf("revision %d of advisory %s not found", revision, id)}
	}
	return v, nil
}

// ListAdvisories lists what p may see of advisories, in the order they
// were created.
func (s *Service) ListAdvisories(ctx context.Context, p aicc.Principal, f store.AdvisoryFilter, pg store.Page) ([]*advisory.Advisory, string, error) {
	if err := check(p, authz.AdvisoryList, authz.Resource{Kind: authz.KindAdvisory}); err != nil {
		return nil, "", err
	}
	v := viewer(p)
	var out []*advisory.Advisory
	for {
		as, next, err := s.st.ListAdvisories(ctx, f, pg)
		if err != nil {
			return nil, "", err
		}
		for _, a := range as {
			if va := advisory.Visible(a, v); va != nil {
				out = append(out, va)
			}
		}
		// A page the viewer sees little of is topped up from the next, so
		// that an empty page never hides that more exist.
		if next == "" || len(out) >= pg.Size()/2 {
			if err := s.logPayloadReads(ctx, p, out...); err != nil {
				return nil, "", err
			}
			return out, next, nil
		}
		pg.After = next
	}
}
