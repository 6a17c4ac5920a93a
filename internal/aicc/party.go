package aicc

import "time"

// OrgKind is what an organization is to the clearinghouse.
type OrgKind string

const (
	OrgClearinghouse OrgKind = "clearinghouse" // runs reviews; its analysts see every review
	OrgAgency        OrgKind = "agency"        // designates covered models; sees what is shared with it
	OrgDeveloper     OrgKind = "developer"     // submits its own unreleased models
	OrgOperator      OrgKind = "operator"      // critical-infrastructure operator: a consumer
	OrgOSS           OrgKind = "oss"           // open-source project: a consumer
)

// OrgKinds lists every organization kind.
var OrgKinds = []OrgKind{OrgClearinghouse, OrgAgency, OrgDeveloper, OrgOperator, OrgOSS}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	for _, v := range OrgKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Consumer reports whether organizations of kind k consume advisories and
// take no part in reviews.
func (k OrgKind) Consumer() bool { return k == OrgOperator || k == OrgOSS }

// Org is an organization: a party to the clearinghouse.
type Org struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Kind      OrgKind   `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate names the first field of o that is wrong.
func (o *Org) Validate() error {
	switch {
	case o.Name == "" || len(o.Name) > 200:
		return Errorf(KindInvalid, "org name: must be 1 to 200 characters")
	case !o.Kind.Valid():
		return Errorf(KindInvalid, "org kind %q: must be one of clearinghouse, agency, developer, operator, oss", o.Kind)
	}
	return nil
}

// MemberRole is what a member may do within their organization.
type MemberRole string

const (
	RoleAdmin     MemberRole = "admin"     // manages the organization's members and tokens, and does what an analyst or developer does
	RoleAnalyst   MemberRole = "analyst"   // clearinghouse or agency staff who run and judge reviews
	RoleDeveloper MemberRole = "developer" // a developer organization's staff who submit and remediate
	RoleViewer    MemberRole = "viewer"    // reads what the organization may read
)

// MemberRoles lists every role.
var MemberRoles = []MemberRole{RoleAdmin, RoleAnalyst, RoleDeveloper, RoleViewer}

// Valid reports whether r is a known role.
func (r MemberRole) Valid() bool {
	for _, v := range MemberRoles {
		if r == v {
			return true
		}
	}
	return false
}

// User is a member of one organization. Users authenticate with API tokens.
type User struct {
	ID        string     `json:"id"`
	OrgID     string     `json:"org_id"`
	Name      string     `json:"name"`
	Email     string     `json:"email,omitempty"`
	Role      MemberRole `json:"role"`
	CreatedAt time.Time  `json:"created_at"`
	Disabled  bool       `json:"disabled,omitempty"`
}

// Validate names the first field of u that is wrong.
func (u *User) Validate() error {
	switch {
	case u.OrgID == "":
		return Errorf(KindInvalid, "user org: required")
	case u.Name == "" || len(u.Name) > 200:
		return Errorf(KindInvalid, "user name: must be 1 to 200 characters")
	case !u.Role.Valid():
		return Errorf(KindInvalid, "user role %q: must be one of admin, analyst, developer, viewer", u.Role)
	}
	return nil
}

// Token is an API token's record. The token itself is shown once, when it
// is created; the store keeps only its hash.
type Token struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Hash       []byte     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Active reports whether t may authenticate at now.
func (t *Token) Active(now time.Time) bool {
	return t.RevokedAt == nil && now.Before(t.ExpiresAt)
}

// Principal is who makes a request: an authenticated user of an
// organization. The zero Principal is anonymous.
type Principal struct {
	UserID  string
	OrgID   string
	OrgKind OrgKind
	Role    MemberRole
	TokenID string
}

// Anonymous reports whether p carries no identity.
func (p Principal) Anonymous() bool { return p.UserID == "" }
