package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/api"
	"github.com/aicc-dev/aicc/internal/store"
)

// principal is one member of the matrix: a role in an organization kind.
type principal struct {
	kind  aicc.OrgKind
	role  aicc.MemberRole
	token string
	org   string
	user  string
}

func (p principal) String() string { return string(p.kind) + "/" + string(p.role) }

// ch, ag, dev, consumer classify a principal for the expectations.
func (p principal) ch() bool     { return p.kind == aicc.OrgClearinghouse }
func (p principal) agency() bool { return p.kind == aicc.OrgAgency }
func (p principal) dev() bool    { return p.kind == aicc.OrgDeveloper }
func (p principal) writer() bool {
	return p.role == aicc.RoleAdmin || p.role == aicc.RoleAnalyst || p.role == aicc.RoleDeveloper
}
func (p principal) chAdmin() bool  { return p.ch() && p.role == aicc.RoleAdmin }
func (p principal) chWriter() bool { return p.ch() && p.writer() }

// readExpectations says, for every read operation of the API, whether a
// principal may do it on an object of its own organization (own) or of
// another (own false). They are written from docs/authz.md, not computed
// from the code. Review objects of "own" belong to the developer
// organization of the developer principals; to everyone else they are
// another organization's.
var readExpectations = map[string]func(p principal, own bool) bool{
	"GET /v1/orgs":                                 func(p principal, own bool) bool { return true },
	"GET /v1/orgs/{org_id}":                        func(p principal, own bool) bool { return own || p.ch() },
	"GET /v1/users":                                func(p principal, own bool) bool { return own || p.chAdmin() },
	"GET /v1/users/{user_id}/tokens":               func(p principal, own bool) bool { return own || p.chAdmin() },
	"GET /v1/submissions":                          func(p principal, own bool) bool { return p.ch() || p.agency() || p.dev() },
	"GET /v1/submissions/{submission_id}":          func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/submissions/{submission_id}/scans":    func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/submissions/{submission_id}/findings": func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/submissions/{submission_id}/coverage": func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/findings/{finding_id}":                func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/findings/{finding_id}/evidence":       func(p principal, own bool) bool { return p.chWriter() || (p.dev() && own && p.writer()) },
	"GET /v1/retests/{retest_id}":                  func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/audit":                                func(p principal, own bool) bool { return p.chWriter() },
	"GET /v1/designations":                         func(p principal, own bool) bool { return p.ch() || p.agency() },
	"GET /v1/policies":                             func(p principal, own bool) bool { return true },
}

// TestReadMatrix runs every read operation of the OpenAPI document as every
// role of every organization kind, and anonymously, against objects of the
// principal's own organization and of another, and checks allow or deny
// for each cell. Another organization's review objects must answer 404, so
// that their existence does not leak.
func TestReadMatrix(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	orgA, devA := b.party("Dev A", "developer", "developer")
	orgB, devB := b.party("Dev B", "developer", "developer")
	subs := map[string]string{}
	for org, tok := range map[string]string{orgA: devA, orgB: devB} {
		var s idOnly
		r := b.do(tok, "POST", "/v1/submissions", submission("2026-12-19"))
		b.want(r, http.StatusCreated)
		r.decode(t, &s)
		subs[org] = s.ID
	}
	findings, retests := map[string]string{}, map[string]string{}
	for org, sub := range subs {
		f := &aicc.Finding{ID: aicc.NewID(aicc.PrefixFinding), SubmissionID: sub, ScanID: "sc_none", Class: aicc.ClassJailbreak, Family: "jailbreak",
			Probes: []string{"jailbreak.persona"}, Title: "t", Severity: aicc.SeverityMedium, Status: aicc.FindingNew, Evidence: []string{},
			TLP: aicc.TLPRed, CreatedAt: b.now, UpdatedAt: b.now}
		rt := &aicc.Retest{ID: aicc.NewID(aicc.PrefixRetest), FindingID: f.ID, ScanID: "sc_none", Status: aicc.RetestRunning, CreatedAt: b.now}
		err := b.db.Tx(ctx, func(ctx context.Context, tx store.ServiceTx) error {
			if err := tx.CreateFinding(ctx, f); err != nil {
				return err
			}
			return tx.CreateRetest(ctx, rt)
		})
		if err != nil {
			t.Fatal(err)
		}
		findings[org], retests[org] = f.ID, rt.ID
	}

	// Every role of every kind; developers are members of Dev A.
	var ps []principal
	for _, k := range []struct {
		kind  aicc.OrgKind
		roles []aicc.MemberRole
	}{
		{aicc.OrgClearinghouse, []aicc.MemberRole{aicc.RoleAdmin, aicc.RoleAnalyst, aicc.RoleViewer}},
		{aicc.OrgAgency, []aicc.MemberRole{aicc.RoleAdmin, aicc.RoleAnalyst, aicc.RoleViewer}},
		{aicc.OrgDeveloper, []aicc.MemberRole{aicc.RoleAdmin, aicc.RoleDeveloper, aicc.RoleViewer}},
		{aicc.OrgOperator, []aicc.MemberRole{aicc.RoleAdmin, aicc.RoleViewer}},
		{aicc.OrgOSS, []aicc.MemberRole{aicc.RoleAdmin, aicc.RoleViewer}},
	} {
		org := orgA
		if k.kind != aicc.OrgDeveloper {
			var o idOnly
			r := b.do(b.admin, "POST", "/v1/orgs", map[string]any{"name": "org " + string(k.kind), "kind": k.kind})
			b.want(r, http.StatusCreated)
			r.decode(t, &o)
			org = o.ID
			if k.kind == aicc.OrgClearinghouse {
				org = "" // filled below: the bootstrap clearinghouse
			}
		}
		for _, role := range k.roles {
			p := principal{kind: k.kind, role: role, org: org}
			if k.kind == aicc.OrgClearinghouse {
				var orgs struct{ Items []aicc.Org }
				b.do(b.admin, "GET", "/v1/orgs", nil).decode(t, &orgs)
				for _, o := range orgs.Items {
					if o.Kind == aicc.OrgClearinghouse {
						p.org = o.ID
					}
				}
			}
			var u struct {
				ID    string `json:"id"`
				Token string `json:"token"`
			}
			r := b.do(b.admin, "POST", "/v1/users", map[string]any{"org_id": p.org, "name": p.String(), "role": role})
			b.want(r, http.StatusCreated)
			r.decode(t, &u)
			p.token, p.user = u.Token, u.ID
			ps = append(ps, p)
		}
	}
	var bUser struct{ Items []aicc.User }
	b.do(b.admin, "GET", "/v1/users?org_id="+orgB, nil).decode(t, &bUser)

	// Every GET of the document has an expectation, and none is stale.
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		if item.Get == nil || path == "/openapi.json" || path == "/healthz" {
			continue
		}
		op := "GET " + path
		seen[op] = true
		if readExpectations[op] == nil {
			t.Errorf("%s has no row in readExpectations", op)
		}
	}
	for op := range readExpectations {
		if !seen[op] {
			t.Errorf("readExpectations has %s, which the document does not", op)
		}
	}

	cells := 0
	for op, allowed := range readExpectations {
		path := strings.TrimPrefix(op, "GET ")
		for _, p := range append(ps, principal{}) {
			for _, own := range []bool{true, false} {
				org, sub := orgB, subs[orgB]
				user := bUser.Items[0].ID
				if own {
					org, user = p.org, p.user
					if p.dev() {
						sub = subs[orgA]
					}
				}
				if own && !p.dev() && strings.Contains(path, "submission_id") || own && !p.dev() && (strings.Contains(path, "finding_id") || strings.Contains(path, "retest_id")) {
					continue // only developers have review objects of their own
				}
				target := map[bool]string{true: orgA, false: orgB}[sub == subs[orgA]]
				url := strings.NewReplacer("{org_id}", org, "{user_id}", user, "{submission_id}", sub,
					"{finding_id}", findings[target], "{retest_id}", retests[target]).Replace(path)
				if path == "/v1/users" {
					url += "?org_id=" + org
				}
				if org == "" { // the anonymous principal has no organization of its own
					org = orgB
					url = strings.NewReplacer("{org_id}", org, "{user_id}", bUser.Items[0].ID).Replace(path)
					url = strings.NewReplacer("{submission_id}", sub, "{finding_id}", findings[target], "{retest_id}", retests[target]).Replace(url)
				}
				r := b.do(p.token, "GET", url, nil)
				cells++
				want := p.token != "" && allowed(p, own)
				got := r.status >= 200 && r.status < 300
				name := fmt.Sprintf("%s as %s on %s object", op, map[bool]string{true: p.String(), false: "anonymous"}[p.token != ""], map[bool]string{true: "its own", false: "another organization's"}[own])
				switch {
				case want && !got:
					t.Errorf("%s: %d, want allowed: %s", name, r.status, r.body)
				case !want && got:
					t.Errorf("%s: %d, want denied: %s", name, r.status, r.body)
				case !want && r.status != http.StatusUnauthorized && r.status != http.StatusForbidden && r.status != http.StatusNotFound:
					t.Errorf("%s: %d, want 401, 403 or 404", name, r.status)
				case !want && p.token != "" && !p.ch() && !own && strings.Contains(path, "{") && !strings.HasPrefix(path, "/v1/orgs") && !strings.HasPrefix(path, "/v1/users") && r.status != http.StatusNotFound:
					t.Errorf("%s: %d, want 404: another organization's review object must not be acknowledged", name, r.status)
				}
			}
		}
	}
	if cells < 300 {
		t.Errorf("only %d cells ran", cells)
	}
}
