package authz_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
)

// column is a principal of the matrix: an organization kind and a role that
// exists in it.
type column struct {
	kind aicc.OrgKind
	role aicc.MemberRole
	head string // column heading in docs/authz.md
}

// columns are the 13 (kind, role) pairs that exist, in the order of the
// cells of each expectation row. Every other pair is a misfit and is
// allowed nothing (TestMatrixMisfitRoles).
var columns = []column{
	{aicc.OrgClearinghouse, aicc.RoleAdmin, "CH admin"},
	{aicc.OrgClearinghouse, aicc.RoleAnalyst, "CH analyst"},
	{aicc.OrgClearinghouse, aicc.RoleViewer, "CH viewer"},
	{aicc.OrgAgency, aicc.RoleAdmin, "agency admin"},
	{aicc.OrgAgency, aicc.RoleAnalyst, "agency analyst"},
	{aicc.OrgAgency, aicc.RoleViewer, "agency viewer"},
	{aicc.OrgDeveloper, aicc.RoleAdmin, "dev admin"},
	{aicc.OrgDeveloper, aicc.RoleDeveloper, "dev developer"},
	{aicc.OrgDeveloper, aicc.RoleViewer, "dev viewer"},
	{aicc.OrgOperator, aicc.RoleAdmin, "operator admin"},
	{aicc.OrgOperator, aicc.RoleViewer, "operator viewer"},
	{aicc.OrgOSS, aicc.RoleAdmin, "oss admin"},
	{aicc.OrgOSS, aicc.RoleViewer, "oss viewer"},
}

const otherOrg = "org-elsewhere"

func principal(k aicc.OrgKind, r aicc.MemberRole) aicc.Principal {
	return aicc.Principal{UserID: "user-" + string(k) + "-" + string(r), OrgID: "org-" + string(k), OrgKind: k, Role: r, TokenID: "tok-1"}
}

// variant is one resource an action is tried on, relative to the principal.
type variant struct {
	name string
	res  func(p aicc.Principal) authz.Resource
}

// Families of variants. Each expectation cell has one Y or N per variant of
// its row's family, in this order.
var (
	// orgFamily: an object of the principal's organization, and of another.
	orgFamily = []variant{
		{"own", func(p aicc.Principal) authz.Resource { return authz.Resource{OwnerOrg: p.OrgID} }},
		{"other", func(aicc.Principal) authz.Resource { return authz.Resource{OwnerOrg: otherOrg} }},
	}
	// memberFamily: the principal's own user (or token), a colleague's, and
	// a user's of another organization.
	memberFamily = []variant{
		{"self", func(p aicc.Principal) authz.Resource { return authz.Resource{OwnerOrg: p.OrgID, OwnerUser: p.UserID} }},
		{"colleague", func(p aicc.Principal) authz.Resource {
			return authz.Resource{OwnerOrg: p.OrgID, OwnerUser: "user-colleague"}
		}},
		{"other-org", func(aicc.Principal) authz.Resource {
			return authz.Resource{OwnerOrg: otherOrg, OwnerUser: "user-stranger"}
		}},
	}
	// reviewFamily: review data of the principal's organization, of another
	// organization, and of another organization that consented to share
	// with agencies, labelled TLP:AMBER and TLP:RED.
	reviewFamily = []variant{
		{"own", func(p aicc.Principal) authz.Resource { return authz.Resource{OwnerOrg: p.OrgID, TLP: aicc.TLPRed} }},
		{"other", func(aicc.Principal) authz.Resource { return authz.Resource{OwnerOrg: otherOrg, TLP: aicc.TLPRed} }},
		{"other-shared-amber", func(aicc.Principal) authz.Resource {
			return authz.Resource{OwnerOrg: otherOrg, TLP: aicc.TLPAmber, Shared: true}
		}},
		{"other-shared-red", func(aicc.Principal) authz.Resource {
			return authz.Resource{OwnerOrg: otherOrg, TLP: aicc.TLPRed, Shared: true}
		}},
	}
	// advisoryFamily: drafts of the principal's organization and of
	// another; then published advisories of the clearinghouse with every
	// TLP label, addressed to the principal's organization ("-us") or not.
	advisoryFamily = []variant{
		{"draft-own", func(p aicc.Principal) authz.Resource {
			return authz.Resource{OwnerOrg: p.OrgID, TLP: aicc.TLPClear}
		}},
		{"draft-other", func(aicc.Principal) authz.Resource {
			return authz.Resource{OwnerOrg: otherOrg, TLP: aicc.TLPClear}
		}},
		published("clear", aicc.TLPClear, false),
		published("green", aicc.TLPGreen, false),
		published("amber-us", aicc.TLPAmber, true),
		published("amber", aicc.TLPAmber, false),
		published("amber-strict-us", aicc.TLPAmberStrict, true),
		published("amber-strict", aicc.TLPAmberStrict, false),
		published("red-us", aicc.TLPRed, true),
		published("red", aicc.TLPRed, false),
		published("unlabelled-us", "", true),
	}
)

func published(name string, tlp aicc.TLP, us bool) variant {
	return variant{name, func(p aicc.Principal) authz.Resource {
		r := authz.Resource{OwnerOrg: "org-clearinghouse", TLP: tlp, Published: true, Recipients: []string{otherOrg}}
		if us {
			r.Recipients = append(r.Recipients, p.OrgID)
		}
		return r
	}}
}

// Cells for advisory reads outside the clearinghouse: the reader's own
// (the developer's, in any state), published CLEAR and GREEN, and AMBER,
// AMBER+STRICT and RED addressed to the reader.
const pubRead = "YNYYYNYNYNN"

// expectation is one row of the matrix: an action, the kind of resource it
// applies to, the variants it is tried on, and one cell per column. A cell
// has one Y (allow) or N (deny) per variant; "+" stands for all Y and "-"
// for all N. "|" separates organization kinds, for the eye only.
type expectation struct {
	action authz.Action
	kind   authz.Kind
	family []variant
	cells  string
}

// expectations is the policy, written out cell by cell. Columns:
//
//	CH admin analyst viewer | agency admin analyst viewer | dev admin developer viewer | operator admin viewer | oss admin viewer
var expectations = []expectation{
	{authz.OrgCreate, authz.KindOrg, orgFamily, "+ - - | - - - | - - - | - - | - -"},
	{authz.OrgRead, authz.KindOrg, orgFamily, "+ + + | YN YN YN | YN YN YN | YN YN | YN YN"},
	{authz.OrgList, authz.KindOrg, orgFamily, "+ + + | YN YN YN | YN YN YN | YN YN | YN YN"},

	{authz.UserCreate, authz.KindUser, memberFamily, "+ - - | YYN - - | YYN - - | YYN - | YYN -"},
	{authz.UserRead, authz.KindUser, memberFamily, "+ YNN YNN | YYN YNN YNN | YYN YNN YNN | YYN YNN | YYN YNN"},
	{authz.UserList, authz.KindUser, memberFamily, "+ YNN YNN | YYN YNN YNN | YYN YNN YNN | YYN YNN | YYN YNN"},
	{authz.UserDisable, authz.KindUser, memberFamily, "NYY - - | NYN - - | NYN - - | NYN - | NYN -"},

	{authz.TokenCreate, authz.KindToken, memberFamily, "+ YNN YNN | YYN YNN YNN | YYN YNN YNN | YYN YNN | YYN YNN"},
	{authz.TokenRevoke, authz.KindToken, memberFamily, "+ YNN YNN | YYN YNN YNN | YYN YNN YNN | YYN YNN | YYN YNN"},
	{authz.TokenList, authz.KindToken, memberFamily, "+ YNN YNN | YYN YNN YNN | YYN YNN YNN | YYN YNN | YYN YNN"},

	{authz.SubmissionCreate, authz.KindSubmission, reviewFamily, "- - - | - - - | YNNN YNNN - | - - | - -"},
	{authz.SubmissionRead, authz.KindSubmission, reviewFamily, "+ + + | NNYY NNYY NNYY | YNNN YNNN YNNN | - - | - -"},
	{authz.SubmissionList, authz.KindSubmission, reviewFamily, "+ + + | + + + | YNNN YNNN YNNN | - - | - -"},
	{authz.SubmissionUpdate, authz.KindSubmission, reviewFamily, "- - - | - - - | YNNN YNNN - | - - | - -"},
	{authz.SubmissionWithdraw, authz.KindSubmission, reviewFamily, "- - - | - - - | YNNN YNNN - | - - | - -"},
	{authz.SubmissionMarkReleased, authz.KindSubmission, reviewFamily, "+ + - | - - - | YNNN YNNN - | - - | - -"},

	{authz.DesignationCreate, authz.KindDesignation, orgFamily, "- - - | YN YN - | - - - | - - | - -"},
	{authz.DesignationRevoke, authz.KindDesignation, orgFamily, "- - - | YN YN - | - - - | - - | - -"},
	{authz.DesignationList, authz.KindDesignation, orgFamily, "+ + + | + + + | - - - | - - | - -"},
	{authz.CoverageRead, authz.KindSubmission, reviewFamily, "+ + + | NNYY NNYY NNYY | YNNN YNNN YNNN | - - | - -"},
	{authz.CoverageEvaluate, authz.KindSubmission, reviewFamily, "+ + - | - - - | YNNN YNNN - | - - | - -"},
	{authz.PolicyList, authz.KindPolicy, orgFamily, "+ + + | + + + | + + + | + + | + +"},

	{authz.ReviewStartScan, authz.KindScan, reviewFamily, "+ + - | - - - | - - - | - - | - -"},
	{authz.ReviewAdvance, authz.KindSubmission, reviewFamily, "+ + - | - - - | - - - | - - | - -"},
	{authz.ScanRead, authz.KindScan, reviewFamily, "+ + + | - - - | YNNN YNNN YNNN | - - | - -"},
	{authz.ScanList, authz.KindScan, reviewFamily, "+ + + | - - - | YNNN YNNN YNNN | - - | - -"},
	{authz.ScanCancel, authz.KindScan, reviewFamily, "+ + - | - - - | - - - | - - | - -"},
	{authz.EvidenceRead, authz.KindEvidence, reviewFamily, "+ + - | - - - | YNNN YNNN - | - - | - -"},

	{authz.FindingList, authz.KindFinding, reviewFamily, "+ + + | + + + | YNNN YNNN YNNN | - - | - -"},
	{authz.FindingRead, authz.KindFinding, reviewFamily, "+ + + | NNYN NNYN NNYN | YNNN YNNN YNNN | - - | - -"},
	{authz.FindingConfirm, authz.KindFinding, reviewFamily, "+ + - | - - - | - - - | - - | - -"},
	{authz.FindingReject, authz.KindFinding, reviewFamily, "+ + - | - - - | - - - | - - | - -"},
	{authz.FindingComment, authz.KindFinding, reviewFamily, "+ + - | - - - | YNNN YNNN - | - - | - -"},
	{authz.FindingDispute, authz.KindFinding, reviewFamily, "- - - | - - - | YNNN YNNN - | - - | - -"},

	{authz.RemediationCreate, authz.KindRemediation, reviewFamily, "- - - | - - - | YNNN YNNN - | - - | - -"},
	{authz.RemediationList, authz.KindRemediation, reviewFamily, "+ + + | - - - | YNNN YNNN YNNN | - - | - -"},
	{authz.RetestCreate, authz.KindRetest, reviewFamily, "+ + - | - - - | YNNN YNNN - | - - | - -"},
	{authz.RetestRead, authz.KindRetest, reviewFamily, "+ + + | - - - | YNNN YNNN YNNN | - - | - -"},

	{authz.AuditRead, authz.KindAudit, orgFamily, "+ + - | - - - | - - - | - - | - -"},
	{authz.AuditVerify, authz.KindAudit, orgFamily, "+ + - | - - - | - - - | - - | - -"},

	{authz.WebhookCreate, authz.KindWebhook, orgFamily, "+ - - | YN - - | YN - - | YN - | YN -"},
	{authz.WebhookList, authz.KindWebhook, orgFamily, "+ - - | YN - - | YN - - | YN - | YN -"},
	{authz.WebhookDelete, authz.KindWebhook, orgFamily, "+ - - | YN - - | YN - - | YN - | YN -"},

	{authz.AdvisoryCreate, authz.KindAdvisory, advisoryFamily, "+ + - | - - - | - - - | - - | - -"},
	{authz.AdvisoryUpdate, authz.KindAdvisory, advisoryFamily, "+ + - | - - - | - - - | - - | - -"},
	{authz.AdvisoryPublish, authz.KindAdvisory, advisoryFamily, "+ + - | - - - | - - - | - - | - -"},
	{authz.AdvisoryRead, authz.KindAdvisory, advisoryFamily,
		"+ + + | " + pubRead + " " + pubRead + " " + pubRead + " | " + pubRead + " " + pubRead + " " + pubRead +
			" | " + pubRead + " " + pubRead + " | " + pubRead + " " + pubRead},
	{authz.AdvisoryList, authz.KindAdvisory, advisoryFamily, "+ + + | + + + | + + + | + + | + +"},
	{authz.AdvisoryStatement, authz.KindAdvisory, advisoryFamily, "- - - | - - - | YNNNNNNNNNN YNNNNNNNNNN - | - - | - -"},
}

// expand turns a row's cells into one string of Y/N per column.
func (e expectation) expand(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, f := range strings.Fields(e.cells) {
		switch f {
		case "|":
			continue
		case "+":
			f = strings.Repeat("Y", len(e.family))
		case "-":
			f = strings.Repeat("N", len(e.family))
		}
		if len(f) != len(e.family) || strings.Trim(f, "YN") != "" {
			t.Fatalf("%s: cell %q: want %d of Y or N", e.action, f, len(e.family))
		}
		out = append(out, f)
	}
	if len(out) != len(columns) {
		t.Fatalf("%s: %d cells, want one per column (%d)", e.action, len(out), len(columns))
	}
	return out
}

func TestMatrixCoversEveryAction(t *testing.T) {
	rows := map[authz.Action]bool{}
	for _, e := range expectations {
		if rows[e.action] {
			t.Errorf("%s: two expectation rows", e.action)
		}
		rows[e.action] = true
	}
	listed := map[authz.Action]bool{}
	for _, a := range authz.Actions {
		if listed[a] {
			t.Errorf("%s: listed twice in Actions", a)
		}
		listed[a] = true
		if !rows[a] {
			t.Errorf("%s is in Actions but has no expectation row: add one to expectations", a)
		}
	}
	for a := range rows {
		if !listed[a] {
			t.Errorf("%s has an expectation row but is not in Actions", a)
		}
	}
}

func TestMatrix(t *testing.T) {
	for _, e := range expectations {
		t.Run(string(e.action), func(t *testing.T) {
			if got := e.action.Kind(); got != e.kind {
				t.Errorf("Kind() = %q, want %q", got, e.kind)
			}
			for i, cell := range e.expand(t) {
				c := columns[i]
				p := principal(c.kind, c.role)
				for j, v := range e.family {
					r := v.res(p)
					r.Kind = e.kind
					want := cell[j] == 'Y'
					err := authz.Check(p, e.action, r)
					if got := err == nil; got != want {
						t.Errorf("%s on %s: allowed = %v, want %v (err: %v)", c.head, v.name, got, want, err)
					}
					if got := authz.Allowed(p, e.action, r); got != want {
						t.Errorf("%s on %s: Allowed = %v, want %v", c.head, v.name, got, want)
					}
					if err != nil {
						assertDenial(t, err, aicc.KindForbidden)
					}
					// Leaving Kind empty means the action's own kind.
					r.Kind = ""
					if got := authz.Allowed(p, e.action, r); got != want {
						t.Errorf("%s on %s without Kind: Allowed = %v, want %v", c.head, v.name, got, want)
					}
				}
			}
		})
	}
}

// TestMatrixMisfitRoles: a member whose role does not exist in their kind
// of organization is allowed nothing, on any resource.
func TestMatrixMisfitRoles(t *testing.T) {
	fits := map[[2]string]bool{}
	for _, c := range columns {
		fits[[2]string{string(c.kind), string(c.role)}] = true
	}
	n := 0
	for _, k := range aicc.OrgKinds {
		for _, role := range aicc.MemberRoles {
			if fits[[2]string{string(k), string(role)}] {
				continue
			}
			n++
			p := principal(k, role)
			for _, e := range expectations {
				for _, v := range e.family {
					r := v.res(p)
					r.Kind = e.kind
					err := authz.Check(p, e.action, r)
					if err == nil {
						t.Errorf("%s/%s may %s on %s; a misfit role may do nothing", k, role, e.action, v.name)
						continue
					}
					assertDenial(t, err, aicc.KindForbidden)
				}
			}
		}
	}
	if want := len(aicc.OrgKinds)*len(aicc.MemberRoles) - len(columns); n != want {
		t.Errorf("%d misfit pairs tried, want %d", n, want)
	}
}

func TestUnauthorized(t *testing.T) {
	principals := map[string]aicc.Principal{
		"anonymous":          {},
		"token only":         {TokenID: "tok-1"},
		"no organization":    {UserID: "u1", OrgKind: aicc.OrgClearinghouse, Role: aicc.RoleAdmin},
		"unknown org kind":   {UserID: "u1", OrgID: "o1", OrgKind: "government", Role: aicc.RoleAdmin},
		"no role":            {UserID: "u1", OrgID: "o1", OrgKind: aicc.OrgClearinghouse},
		"unknown role":       {UserID: "u1", OrgID: "o1", OrgKind: aicc.OrgClearinghouse, Role: "root"},
		"user without kind":  {UserID: "u1", OrgID: "o1", Role: aicc.RoleAdmin},
		"anonymous with org": {OrgID: "o1", OrgKind: aicc.OrgClearinghouse, Role: aicc.RoleAdmin},
	}
	for name, p := range principals {
		t.Run(name, func(t *testing.T) {
			for _, e := range expectations {
				for _, v := range e.family {
					r := v.res(p)
					r.Kind = e.kind
					err := authz.Check(p, e.action, r)
					if err == nil {
						t.Fatalf("%s allowed on %s", e.action, v.name)
					}
					assertDenial(t, err, aicc.KindUnauthorized)
				}
			}
			for _, k := range authz.Kinds {
				if s := authz.Scope(p, k); s.Mode != authz.ScopeNone {
					t.Errorf("Scope(%s) = %+v, want none", k, s)
				}
			}
		})
	}
}

func TestUnknownActionAndWrongKind(t *testing.T) {
	admin := principal(aicc.OrgClearinghouse, aicc.RoleAdmin)
	tests := []struct {
		name string
		a    authz.Action
		r    authz.Resource
	}{
		{"unknown action", "release.approve", authz.Resource{}},
		{"empty action", "", authz.Resource{}},
		{"wrong kind", authz.SubmissionRead, authz.Resource{Kind: authz.KindFinding, OwnerOrg: otherOrg}},
		{"unknown kind", authz.AuditRead, authz.Resource{Kind: "everything"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := authz.Check(admin, tt.a, tt.r)
			if err == nil {
				t.Fatal("allowed")
			}
			assertDenial(t, err, aicc.KindForbidden)
		})
	}
}

// TestNoReleaseGate: the service has no operation that grants or blocks a
// release.
func TestNoReleaseGate(t *testing.T) {
	for _, a := range authz.Actions {
		for _, w := range []string{"approve", "deny", "license", "licence", "permit", "block", "authorize", "grant", "clear"} {
			if strings.Contains(strings.ToLower(string(a)), w) {
				t.Errorf("action %q contains %q: the review never approves, denies, licenses or blocks a release", a, w)
			}
		}
	}
}

func assertDenial(t *testing.T, err error, want aicc.ErrorKind) {
	t.Helper()
	var e *aicc.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *aicc.Error", err, err)
	}
	if e.Kind != want {
		t.Errorf("error kind %s, want %s (%q)", e.Kind, want, e.Message)
	}
	if strings.TrimSpace(e.Message) == "" {
		t.Errorf("denial of kind %s has no message", e.Kind)
	}
	if strings.Contains(e.Message, "%!") {
		t.Errorf("denial message is badly formatted: %q", e.Message)
	}
}
