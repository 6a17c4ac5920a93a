package authz_test

import (
	"errors"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
)

// FuzzCheck: whatever a principal and resource hold, Check answers nil or
// a forbidden/unauthorized *aicc.Error with a message, agrees with
// Allowed, and allows nothing to the anonymous or unknown actions.
func FuzzCheck(f *testing.F) {
	f.Add("u1", "o1", "developer", "developer", "submission.read", "submission", "o1", "", "TLP:RED", false, false, "")
	f.Add("u1", "o1", "agency", "analyst", "finding.read", "finding", "o2", "", "TLP:AMBER", true, false, "")
	f.Add("u1", "o1", "oss", "viewer", "advisory.read", "advisory", "o9", "", "TLP:AMBER", false, true, "o1")
	f.Add("", "", "", "", "audit.read", "", "", "", "", false, false, "")
	f.Fuzz(func(t *testing.T, user, org, kind, role, action, rkind, owner, ownerUser, tlp string, shared, published bool, recipient string) {
		p := aicc.Principal{UserID: user, OrgID: org, OrgKind: aicc.OrgKind(kind), Role: aicc.MemberRole(role)}
		r := authz.Resource{Kind: authz.Kind(rkind), OwnerOrg: owner, OwnerUser: ownerUser, TLP: aicc.TLP(tlp),
			Shared: shared, Published: published, Recipients: []string{recipient}}
		a := authz.Action(action)
		err := authz.Check(p, a, r)
		if (err == nil) != authz.Allowed(p, a, r) {
			t.Fatal("Check and Allowed disagree")
		}
		if err == nil {
			if p.Anonymous() {
				t.Fatal("anonymous principal allowed")
			}
			if !a.Known() {
				t.Fatal("unknown action allowed")
			}
			return
		}
		var e *aicc.Error
		if !errors.As(err, &e) || (e.Kind != aicc.KindForbidden && e.Kind != aicc.KindUnauthorized) || e.Message == "" {
			t.Fatalf("denial %#v is not a forbidden/unauthorized *aicc.Error with a message", err)
		}
	})
}
