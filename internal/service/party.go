package service

import (
	"context"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
	"github.com/aicc-dev/aicc/internal/store"
)

// OrgInput asks for a new organization.
type OrgInput struct {
	Name string       `json:"name"`
	Kind aicc.OrgKind `json:"kind"`
}

// CreateOrg creates an organization.
func (s *Service) CreateOrg(ctx context.Context, p aicc.Principal, in OrgInput) (*aicc.Org, error) {
	if err := check(p, authz.OrgCreate, authz.Resource{Kind: authz.KindOrg}); err != nil {
		return nil, err
	}
	o := &aicc.Org{ID: aicc.NewID(aicc.PrefixOrg), Name: strings.TrimSpace(in.Name), Kind: in.Kind, CreatedAt: s.clock()}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "org.create", "org", o.ID, map[string]any{"name": o.Name, "kind": o.Kind})
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// GetOrg returns an organization.
func (s *Service) GetOrg(ctx context.Context, p aicc.Principal, id string) (*aicc.Org, error) {
	if err := check(p, authz.OrgRead, authz.Resource{Kind: authz.KindOrg, OwnerOrg: id}); err != nil {
		return nil, err
	}
	return s.st.GetOrg(ctx, id)
}

// ListOrgs lists the organizations the principal may see.
func (s *Service) ListOrgs(ctx context.Context, p aicc.Principal, pg store.Page) ([]*aicc.Org, string, error) {
	sc := authz.Scope(p, authz.KindOrg)
	switch sc.Mode {
	case authz.ScopeAll:
		return s.st.ListOrgs(ctx, pg)
	case authz.ScopeOrg:
		o, err := s.st.GetOrg(ctx, sc.OrgID)
		if err != nil || pg.After != "" {
			return nil, "", err
		}
		return []*aicc.Org{o}, "", nil
	}
	return nil, "", check(p, authz.OrgList, authz.Resource{Kind: authz.KindOrg})
}

// UserInput asks for a new user, who gets a first API token.
type UserInput struct {
	OrgID string          `json:"org_id"`
	Name  string          `json:"name"`
	Email string          `json:"email,omitempty"`
	Role  aicc.MemberRole `json:"role"`
}

// NewUser is a user as created, with their first token.
type NewUser struct {
	aicc.User
	Token *NewToken `json:"-"`
}

// CreateUser creates a member of an organization and their first API
// token, whose value is returned this once.
func (s *Service) CreateUser(ctx context.Context, p aicc.Principal, in UserInput) (*NewUser, error) {
	u := &aicc.User{ID: aicc.NewID(aicc.PrefixUser), OrgID: in.OrgID, Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email), Role: in.Role, CreatedAt: s.clock()}
	if u.Name == "" && u.Email != "" {
		u.Name = u.Email
	}
	if err := check(p, authz.UserCreate, authz.Resource{Kind: authz.KindUser, OwnerOrg: in.OrgID}); err != nil {
		return nil, err
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	var out *NewUser
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		o, err := tx.GetOrg(ctx, in.OrgID)
		if err != nil {
			return err
		}
		if !authz.RoleFits(o.Kind, u.Role) {
			return aicc.Errorf(aicc.KindInvalid, "role %q does not exist in a %s organization", u.Role, o.Kind)
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, "user.create", "user", u.ID, map[string]any{"org_id": u.OrgID, "role": u.Role}); err != nil {
			return err
		}
		tk, err := s.createToken(ctx, tx, p, u, "first token", 0)
		if err != nil {
			return err
		}
		out = &NewUser{User: *u, Token: tk}
		return nil
	})
	return out, err
}

// ListUsers lists the users of an organization.
func (s *Service) ListUsers(ctx context.Context, p aicc.Principal, orgID string, pg store.Page) ([]*aicc.User, string, error) {
	if err := check(p, authz.UserList, authz.Resource{Kind: authz.KindUser, OwnerOrg: orgID}); err != nil {
		return nil, "", err
	}
	sc := authz.Scope(p, authz.KindUser)
	switch sc.Mode {
	case authz.ScopeAll:
		return s.st.ListUsers(ctx, orgID, pg)
	case authz.ScopeOrg:
		return s.st.ListUsers(ctx, sc.OrgID, pg)
	case authz.ScopeUser:
		u, err := s.st.GetUser(ctx, sc.UserID)
		if err != nil || pg.After != "" {
			return nil, "", err
		}
		return []*aicc.User{u}, "", nil
	}
	return nil, "", nil
}

// DisableUser disables a user: their tokens stop working at once.
func (s *Service) DisableUser(ctx context.Context, p aicc.Principal, userID string) error {
	return s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		u, err := tx.GetUser(ctx, userID)
		if err != nil {
			return err
		}
		if err := check(p, authz.UserDisable, authz.Resource{Kind: authz.KindUser, OwnerOrg: u.OrgID, OwnerUser: u.ID}); err != nil {
			return err
		}
		u.Disabled = true
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "user.disable", "user", u.ID, nil)
	})
}
