package service

import (
	"context"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// system is the principal of the service's own actions (the first start).
var system = aicc.Principal{UserID: "system", OrgKind: aicc.OrgClearinghouse, Role: aicc.RoleAdmin}

// Bootstrap prepares an empty service on its first start: it creates the
// clearinghouse organization, its first admin and that admin's API token,
// and returns the token, to be shown once. On a service that has any
// organization it does nothing and returns nil.
func (s *Service) Bootstrap(ctx context.Context, orgName string) (*NewToken, error) {
	var out *NewToken
	err := s.tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
		orgs, _, err := tx.ListOrgs(ctx, store.Page{Limit: 1})
		if err != nil || len(orgs) > 0 {
			return err
		}
		now := s.clock()
		o := &aicc.Org{ID: aicc.NewID(aicc.PrefixOrg), Name: orgName, Kind: aicc.OrgClearinghouse, CreatedAt: now}
		if err := o.Validate(); err != nil {
			return err
		}
		u := &aicc.User{ID: aicc.NewID(aicc.PrefixUser), OrgID: o.ID, Name: "admin", Role: aicc.RoleAdmin, CreatedAt: now}
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := s.record(ctx, tx, system, "service.bootstrap", "org", o.ID, map[string]any{"admin_user_id": u.ID}); err != nil {
			return err
		}
		out, err = s.createToken(ctx, tx, system, u, "bootstrap", 0)
		return err
	})
	if aicc.KindOf(err) == aicc.KindConflict {
		return nil, nil // another process bootstrapped at the same moment
	}
	return out, err
}
