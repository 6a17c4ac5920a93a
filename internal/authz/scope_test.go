package authz_test

import (
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/authz"
)

// scopes is what each column lists of each kind, written out: "all", "org"
// (own organization), "user" (self), "shared", "shared-notred" (shared and
// labelled below TLP:RED), "published" (advisories the organization may
// read), "none". Columns as in expectations.
var scopes = map[authz.Kind]string{
	//                     CH adm ana vie | agency adm ana vie | dev adm dev vie | operator adm vie | oss adm vie
	authz.KindOrg:         "all all all | org org org | org org org | org org | org org",
	authz.KindUser:        "all user user | org user user | org user user | org user | org user",
	authz.KindToken:       "all user user | org user user | org user user | org user | org user",
	authz.KindWebhook:     "all none none | org none none | org none none | org none | org none",
	authz.KindSubmission:  "all all all | shared shared shared | org org org | none none | none none",
	authz.KindFinding:     "all all all | shared-notred shared-notred shared-notred | org org org | none none | none none",
	authz.KindScan:        "all all all | none none none | org org org | none none | none none",
	authz.KindRemediation: "all all all | none none none | org org org | none none | none none",
	authz.KindRetest:      "all all all | none none none | org org org | none none | none none",
	authz.KindEvidence:    "all all none | none none none | org org none | none none | none none",
	authz.KindDesignation: "all all all | all all all | none none none | none none | none none",
	authz.KindPolicy:      "all all all | all all all | all all all | all all | all all",
	authz.KindAudit:       "all all none | none none none | none none none | none none | none none",
	authz.KindAdvisory:    "all all all | published published published | published published published | published published | published published",
}

func scopeCells(t *testing.T, k authz.Kind) []string {
	t.Helper()
	var out []string
	for _, f := range strings.Fields(scopes[k]) {
		if f != "|" {
			out = append(out, f)
		}
	}
	if len(out) != len(columns) {
		t.Fatalf("%s: %d scope cells, want %d", k, len(out), len(columns))
	}
	return out
}

func TestScope(t *testing.T) {
	for _, k := range authz.Kinds {
		if _, ok := scopes[k]; !ok {
			t.Errorf("kind %s has no expected scopes", k)
			continue
		}
		for i, want := range scopeCells(t, k) {
			c := columns[i]
			p := principal(c.kind, c.role)
			got := authz.Scope(p, k)
			var exp authz.ListScope
			switch want {
			case "all":
				exp = authz.ListScope{Mode: authz.ScopeAll}
			case "org":
				exp = authz.ListScope{Mode: authz.ScopeOrg, OrgID: p.OrgID}
			case "user":
				exp = authz.ListScope{Mode: authz.ScopeUser, OrgID: p.OrgID, UserID: p.UserID}
			case "shared":
				exp = authz.ListScope{Mode: authz.ScopeShared}
			case "shared-notred":
				exp = authz.ListScope{Mode: authz.ScopeShared, NotRed: true}
			case "published":
				exp = authz.ListScope{Mode: authz.ScopePublished, OrgID: p.OrgID, OrgKind: p.OrgKind}
			case "none":
				exp = authz.ListScope{Mode: authz.ScopeNone}
			default:
				t.Fatalf("%s: unknown scope %q", k, want)
			}
			if got != exp {
				t.Errorf("Scope(%s, %s) = %+v, want %+v", c.head, k, got, exp)
			}
		}
	}
	if s := authz.Scope(principal(aicc.OrgClearinghouse, aicc.RoleAdmin), "everything"); s.Mode != authz.ScopeNone {
		t.Errorf("unknown kind: scope %+v, want none", s)
	}
	if s := authz.Scope(principal(aicc.OrgDeveloper, aicc.RoleAnalyst), authz.KindSubmission); s.Mode != authz.ScopeNone {
		t.Errorf("misfit role: scope %+v, want none", s)
	}
}

// TestIncludes pins each mode's predicate, which stores translate into SQL.
func TestIncludes(t *testing.T) {
	org := authz.ListScope{Mode: authz.ScopeOrg, OrgID: "o1"}
	user := authz.ListScope{Mode: authz.ScopeUser, OrgID: "o1", UserID: "u1"}
	shared := authz.ListScope{Mode: authz.ScopeShared}
	notRed := authz.ListScope{Mode: authz.ScopeShared, NotRed: true}
	pub := authz.ListScope{Mode: authz.ScopePublished, OrgID: "o1"}
	advisory := func(tlp aicc.TLP, published bool, recipients ...string) authz.Resource {
		return authz.Resource{Kind: authz.KindAdvisory, TLP: tlp, Published: published, Recipients: recipients}
	}
	tests := []struct {
		name string
		s    authz.ListScope
		r    authz.Resource
		want bool
	}{
		{"none includes nothing", authz.ListScope{Mode: authz.ScopeNone}, authz.Resource{OwnerOrg: "o1"}, false},
		{"zero scope includes nothing", authz.ListScope{}, authz.Resource{OwnerOrg: "o1"}, false},
		{"all includes anything", authz.ListScope{Mode: authz.ScopeAll}, authz.Resource{}, true},
		{"org: own", org, authz.Resource{OwnerOrg: "o1"}, true},
		{"org: other", org, authz.Resource{OwnerOrg: "o2"}, false},
		{"org: unowned", org, authz.Resource{}, false},
		{"org without id: unowned", authz.ListScope{Mode: authz.ScopeOrg}, authz.Resource{}, false},
		{"user: self", user, authz.Resource{OwnerOrg: "o1", OwnerUser: "u1"}, true},
		{"user: colleague", user, authz.Resource{OwnerOrg: "o1", OwnerUser: "u2"}, false},
		{"user: same id, other org", user, authz.Resource{OwnerOrg: "o2", OwnerUser: "u1"}, false},
		{"shared: shared", shared, authz.Resource{Shared: true}, true},
		{"shared: not shared", shared, authz.Resource{TLP: aicc.TLPClear}, false},
		{"shared-notred: amber", notRed, authz.Resource{Shared: true, TLP: aicc.TLPAmber}, true},
		{"shared-notred: amber+strict", notRed, authz.Resource{Shared: true, TLP: aicc.TLPAmberStrict}, true},
		{"shared-notred: clear", notRed, authz.Resource{Shared: true, TLP: aicc.TLPClear}, true},
		{"shared-notred: red", notRed, authz.Resource{Shared: true, TLP: aicc.TLPRed}, false},
		{"shared-notred: unlabelled", notRed, authz.Resource{Shared: true}, false},
		{"shared-notred: bad label", notRed, authz.Resource{Shared: true, TLP: "TLP:WHITE"}, false},
		{"published: clear", pub, advisory(aicc.TLPClear, true), true},
		{"published: green", pub, advisory(aicc.TLPGreen, true), true},
		{"published: draft", pub, advisory(aicc.TLPClear, false, "o1"), false},
		{"published: amber to us", pub, advisory(aicc.TLPAmber, true, "o2", "o1"), true},
		{"published: amber to others", pub, advisory(aicc.TLPAmber, true, "o2"), false},
		{"published: amber+strict to us", pub, advisory(aicc.TLPAmberStrict, true, "o1"), true},
		{"published: amber+strict to nobody", pub, advisory(aicc.TLPAmberStrict, true), false},
		{"published: red to us", pub, advisory(aicc.TLPRed, true, "o1"), true},
		{"published: red to others", pub, advisory(aicc.TLPRed, true, "o2"), false},
		{"published: amber to our kind", authz.ListScope{Mode: authz.ScopePublished, OrgID: "o1", OrgKind: aicc.OrgOperator}, authz.Resource{Kind: authz.KindAdvisory, TLP: aicc.TLPAmber, Published: true, RecipientKinds: []aicc.OrgKind{aicc.OrgAgency, aicc.OrgOperator}}, true},
		{"published: amber to another kind", authz.ListScope{Mode: authz.ScopePublished, OrgID: "o1", OrgKind: aicc.OrgOSS}, authz.Resource{Kind: authz.KindAdvisory, TLP: aicc.TLPAmber, Published: true, RecipientKinds: []aicc.OrgKind{aicc.OrgOperator}}, false},
		{"published: red to our kind", authz.ListScope{Mode: authz.ScopePublished, OrgID: "o1", OrgKind: aicc.OrgOperator}, authz.Resource{Kind: authz.KindAdvisory, TLP: aicc.TLPRed, Published: true, RecipientKinds: []aicc.OrgKind{aicc.OrgOperator}}, false},
		{"published: our own draft", pub, authz.Resource{Kind: authz.KindAdvisory, OwnerOrg: "o1", TLP: aicc.TLPRed}, true},
		{"published: another's draft", pub, authz.Resource{Kind: authz.KindAdvisory, OwnerOrg: "o2", TLP: aicc.TLPClear}, false},
		{"published: unlabelled to us", pub, advisory("", true, "o1"), false},
		{"published, no org: amber to empty id", authz.ListScope{Mode: authz.ScopePublished}, advisory(aicc.TLPAmber, true, ""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Includes(tt.r); got != tt.want {
				t.Errorf("Includes = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestScopeNeverWidensRead: for each kind with a read action, a store that
// lists by Scope returns exactly the objects the principal may read.
func TestScopeNeverWidensRead(t *testing.T) {
	reads := map[authz.Action][]variant{
		authz.OrgRead: orgFamily, authz.UserRead: memberFamily, authz.SubmissionRead: reviewFamily,
		authz.ScanRead: reviewFamily, authz.EvidenceRead: reviewFamily, authz.FindingRead: reviewFamily,
		authz.RetestRead: reviewFamily, authz.AuditRead: orgFamily, authz.AdvisoryRead: advisoryFamily,
	}
	for a, family := range reads {
		for _, c := range columns {
			p := principal(c.kind, c.role)
			s := authz.Scope(p, a.Kind())
			for _, v := range family {
				r := v.res(p)
				r.Kind = a.Kind()
				if got, want := s.Includes(r), authz.Allowed(p, a, r); got != want {
					t.Errorf("%s as %s on %s: Scope includes = %v, Check allows = %v", a, c.head, v.name, got, want)
				}
			}
		}
	}
}
