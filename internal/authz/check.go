package authz

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Check decides whether p may do a to r. It returns nil when p may, an
// *aicc.Error of kind KindUnauthorized when p is anonymous or carries no
// valid identity, and one of kind KindForbidden, with a message saying why,
// when p may not. Anything not allowed by a rule is forbidden.
//
// If r.Kind is empty it is taken to be a.Kind().
func Check(p aicc.Principal, a Action, r Resource) error {
	if err := identify(p); err != nil {
		return err
	}
	rl, ok := rules[a]
	if !ok {
		return forbid("unknown action %q: only the actions the service lists can be allowed", a)
	}
	if r.Kind == "" {
		r.Kind = rl.kind
	}
	if r.Kind != rl.kind {
		return forbid("%s applies to a %s, not a %s; this is a bug in the caller, please report it", a, rl.kind, r.Kind)
	}
	if !RoleFits(p.OrgKind, p.Role) {
		return forbid("role %s does not exist in %s organizations (they have %s); ask an admin to change your role",
			p.Role, p.OrgKind, roleNames(p.OrgKind))
	}
	var why string
	switch rl.verb {
	case verbRead:
		if s := visibility(p, rl.kind); !s.Includes(r) {
			why = explain(p, rl.kind, s, r)
		}
	case verbList:
		if s := visibility(p, rl.kind); !s.admits(r) {
			why = explain(p, rl.kind, s, r)
		}
	case verbWrite:
		why = rl.write(p, r)
	}
	if why != "" {
		return forbid("%s", why)
	}
	return nil
}

// Allowed reports whether Check(p, a, r) allows the action.
func Allowed(p aicc.Principal, a Action, r Resource) bool {
	return Check(p, a, r) == nil
}

// RoleFits reports whether organizations of kind k have members of role r:
// the clearinghouse and agencies have admins, analysts and viewers;
// developer organizations admins, developers and viewers; consumers
// (operators, open-source projects) admins and viewers. A member whose
// role does not fit is allowed nothing; the API should refuse to create one.
func RoleFits(k aicc.OrgKind, r aicc.MemberRole) bool {
	return slices.Contains(roles(k), r)
}

func roles(k aicc.OrgKind) []aicc.MemberRole {
	switch k {
	case aicc.OrgClearinghouse, aicc.OrgAgency:
		return []aicc.MemberRole{aicc.RoleAdmin, aicc.RoleAnalyst, aicc.RoleViewer}
	case aicc.OrgDeveloper:
		return []aicc.MemberRole{aicc.RoleAdmin, aicc.RoleDeveloper, aicc.RoleViewer}
	case aicc.OrgOperator, aicc.OrgOSS:
		return []aicc.MemberRole{aicc.RoleAdmin, aicc.RoleViewer}
	}
	return nil
}

func roleNames(k aicc.OrgKind) string {
	var s []string
	for _, r := range roles(k) {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

// identify refuses a principal that names nobody. Disabled users and
// revoked or expired tokens never become principals: the authenticator
// answers them with the zero Principal, which is anonymous.
func identify(p aicc.Principal) error {
	switch {
	case p.Anonymous():
		return &aicc.Error{Kind: aicc.KindUnauthorized,
			Message: "sign in first: send an API token (the CLI reads it from AICC_TOKEN)"}
	case p.OrgID == "" || !p.OrgKind.Valid() || !p.Role.Valid():
		return &aicc.Error{Kind: aicc.KindUnauthorized,
			Message: "your credentials name no valid organization or role; ask your organization's admin for a new token"}
	}
	return nil
}

func forbid(format string, args ...any) error {
	return &aicc.Error{Kind: aicc.KindForbidden, Message: fmt.Sprintf(format, args...)}
}
