package service

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/store"
)

// DesignationInput records an authority's designation of a model (or of
// one version of it).
type DesignationInput struct {
	Model string `json:"model"`
	// Version designates one version; empty designates every version.
	Version string `json:"version,omitempty"`
	// DeveloperOrgID, when set, limits the designation to that developer
	// organization's model of this name.
	DeveloperOrgID string `json:"developer_org_id,omitempty"`
	// AuthorityOrgID is the agency recording it; empty for the caller's
	// own organization, the only one it may name.
	AuthorityOrgID string `json:"authority_org_id,omitempty"`
	// Authority names the designating authority; empty for the recording
	// organization's name.
	Authority string `json:"authority,omitempty"`
	// Kind is what the model is designated as; empty for
	// covered_frontier_model.
	Kind      aicc.DesignationKind `json:"designation,omitempty"`
	Reference string               `json:"reference"`
	Date      string               `json:"date"` // YYYY-MM-DD, the day it takes effect
	Note      string               `json:"note,omitempty"`
}

// CreateDesignation records an authority's designation. Agencies record
// designations, each in its own name. The coverage of the open submissions
// it applies to is evaluated again in the same transaction.
func (s *Service) CreateDesignation(ctx context.Context, p aicc.Principal, in DesignationInput) (*aicc.Designation, error) {
	authority := cmp.Or(strings.TrimSpace(in.AuthorityOrgID), p.OrgID)
	if err := check(p, authz.DesignationCreate, authz.Resource{Kind: authz.KindDesignation, OwnerOrg: authority}); err != nil {
		return nil, err
	}
	d := &aicc.Designation{
		ID: aicc.NewID(aicc.PrefixDesignation), Model: strings.TrimSpace(in.Model), Version: strings.TrimSpace(in.Version),
		DeveloperOrgID: strings.TrimSpace(in.DeveloperOrgID), AuthorityOrgID: authority, Authority: strings.TrimSpace(in.Authority),
		Kind: cmp.Or(in.Kind, aicc.DesignationCoveredFrontierModel), Reference: strings.TrimSpace(in.Reference),
		Note: strings.TrimSpace(in.Note), CreatedAt: s.clock(), CreatedBy: p.UserID,
	}
	var err error
	if d.Date, err = ParseDate("date", in.Date); err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		o, err := tx.GetOrg(ctx, authority)
		if err != nil {
			return err
		}
		d.Authority = cmp.Or(d.Authority, o.Name)
		if d.DeveloperOrgID != "" {
			dev, err := tx.GetOrg(ctx, d.DeveloperOrgID)
			switch {
			case errors.Is(err, aicc.ErrNotFound):
				return aicc.Errorf(aicc.KindInvalid, "developer_org_id %s: no such organization", d.DeveloperOrgID)
			case err != nil:
				return err
			case dev.Kind != aicc.OrgDeveloper:
				return aicc.Errorf(aicc.KindInvalid, "developer_org_id %s: a %s organization; designations name developer organizations", dev.ID, dev.Kind)
			}
		}
		if err := d.Validate(); err != nil {
			return err
		}
		if err := tx.CreateDesignation(ctx, d); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, "designation.create", "designation", d.ID, map[string]any{
			"model": d.Model, "version": d.Version, "developer_org_id": d.DeveloperOrgID, "authority": d.Authority,
			"designation": d.Kind, "reference": d.Reference, "date": d.Date.Format(time.DateOnly),
		}); err != nil {
			return err
		}
		return s.reevaluate(ctx, tx, p, d, "designation.create")
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// RevokeDesignation revokes a designation, by the agency that recorded it,
// saying why. The designation is kept, so the record shows that it once
// stood; the coverage of the open submissions it applied to is evaluated
// again in the same transaction.
func (s *Service) RevokeDesignation(ctx context.Context, p aicc.Principal, id, note string) (*aicc.Designation, error) {
	note = strings.TrimSpace(note)
	switch {
	case note == "":
		return nil, aicc.Errorf(aicc.KindInvalid, "note: say why the designation is revoked")
	case len(note) > 4000:
		return nil, aicc.Errorf(aicc.KindInvalid, "note: at most 4,000 characters")
	}
	var out *aicc.Designation
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		d, err := tx.GetDesignation(ctx, id)
		if err != nil {
			return err
		}
		if err := check(p, authz.DesignationList, authz.Resource{Kind: authz.KindDesignation}); err != nil {
			return hide(err, "designation", id)
		}
		if err := check(p, authz.DesignationRevoke, authz.Resource{Kind: authz.KindDesignation, OwnerOrg: d.AuthorityOrgID}); err != nil {
			return err
		}
		if d.RevokedAt != nil {
			return aicc.Errorf(aicc.KindConflict, "designation %s was already revoked at %s", id, d.RevokedAt.Format(time.RFC3339))
		}
		// A designation revoked before its date never stood; the time kept
		// is still when it was revoked.
		now := s.clock()
		if err := tx.RevokeDesignation(ctx, id, now, p.UserID, note); err != nil {
			return err
		}
		d.RevokedAt, d.RevokedBy, d.RevocationNote = &now, p.UserID, note
		if err := s.record(ctx, tx, p, "designation.revoke", "designation", d.ID, map[string]any{
			"model": d.Model, "version": d.Version, "note": note,
		}); err != nil {
			return err
		}
		out = d
		return s.reevaluate(ctx, tx, p, d, "designation.revoke")
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DesignationQuery narrows ListDesignations.
type DesignationQuery struct {
	Model          string
	AuthorityOrgID string
	IncludeRevoked bool
}

// ListDesignations lists designations, to the clearinghouse and agencies.
func (s *Service) ListDesignations(ctx context.Context, p aicc.Principal, q DesignationQuery, pg store.Page) ([]*aicc.Designation, string, error) {
	if err := check(p, authz.DesignationList, authz.Resource{Kind: authz.KindDesignation, OwnerOrg: q.AuthorityOrgID}); err != nil {
		return nil, "", err
	}
	return s.st.ListDesignations(ctx, store.DesignationFilter{
		Model: q.Model, AuthorityOrgID: q.AuthorityOrgID, IncludeRevoked: q.IncludeRevoked,
	}, pg)
}
