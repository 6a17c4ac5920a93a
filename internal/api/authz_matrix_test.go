package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
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
	"GET /v1/orgs":                                  func(p principal, own bool) bool { return true },
	"GET /v1/orgs/{org_id}":                         func(p principal, own bool) bool { return own || p.ch() },
	"GET /v1/users":                                 func(p principal, own bool) bool { return own || p.chAdmin() },
	"GET /v1/users/{user_id}/tokens":                func(p principal, own bool) bool { return own || p.chAdmin() },
	"GET /v1/submissions":                           func(p principal, own bool) bool { return p.ch() || p.agency() || p.dev() },
	"GET /v1/submissions/{submission_id}":           func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/submissions/{submission_id}/reminders": func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/submissions/{submission_id}/scans":     func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/submissions/{submission_id}/findings":  func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/submissions/{submission_id}/coverage":  func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/findings/{finding_id}":                 func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/findings/{finding_id}/evidence":        func(p principal, own bool) bool { return p.chWriter() || (p.dev() && own && p.writer()) },
	"GET /v1/retests/{retest_id}":                   func(p principal, own bool) bool { return p.ch() || (p.dev() && own) },
	"GET /v1/audit":                                 func(p principal, own bool) bool { return p.chWriter() },
	"GET /v1/designations":                          func(p principal, own bool) bool { return p.ch() || p.agency() },
	"GET /v1/policies":                              func(p principal, own bool) bool { return true },
	"GET /v1/webhooks":                              func(p principal, own bool) bool { return p.role == aicc.RoleAdmin },
	"GET /v1/webhooks/{webhook_id}/deliveries":      func(p principal, own bool) bool { return own && p.role == aicc.RoleAdmin || p.chAdmin() },
	// The advisories of the matrix are published, labelled TLP:AMBER+STRICT
	// and addressed to nobody: only the clearinghouse and their developer
	// read them.
	"GET /v1/advisories":                                    func(p principal, own bool) bool { return true },
	"GET /v1/advisories/{advisory_id}":                      func(p principal, own bool) bool { return p.ch() || p.dev() && own },
	"GET /v1/advisories/{advisory_id}/revisions/{revision}": func(p principal, own bool) bool { return p.ch() || p.dev() && own },
	"GET /v1/advisories/{advisory_id}/export":               func(p principal, own bool) bool { return p.ch() || p.dev() && own },
	"GET /v1/advisory-subscriptions":                        func(p principal, own bool) bool { return p.role == aicc.RoleAdmin },
}

// matrixAdvisory stores an advisory about a model of org: Example() with
// the given ID, state and summary label.
func matrixAdvisory(t *testing.T, db store.Service, id, org string, state advisory.State, summary aicc.TLP) {
	t.Helper()
	a := advisorytest.Example()
	a.ID, a.DeveloperOrgID = id, org
	a.Summary.TLP, a.Summary.Audience = summary, advisory.Audience{}
	a.Details.TLP, a.Details.Audience = aicc.TLPRed, advisory.Audience{}
	a.Payload.Audience = advisory.Audience{}
	if !state.Public() {
		a.State, a.Revision, a.History, a.PublishedAt, a.RevisedAt = state, 1, nil, time.Time{}, time.Time{}
		a.Embargo = advisory.Embargo{Basis: advisory.BasisNone, LastContact: a.CreatedAt}
	} else {
		a.State, a.Revision, a.History = state, 1, a.History[:1]
		a.RevisedAt = a.PublishedAt
	}
	err := db.Tx(context.Background(), func(ctx context.Context, tx store.ServiceTx) error {
		if err := tx.CreateAdvisory(ctx, a); err != nil {
			return err
		}
		if state.Public() {
			return tx.PutAdvisoryRevision(ctx, a)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReadMatrix runs every read operation of the OpenAPI document as every
// role of every organization kind, and anonymously, against objects of the
// principal's own organization and of another, and checks allow or deny
// for each cell. Another organization's review objects must answer 404, so
// that their existence does not leak.
func TestReadMatrix(t *testing.T) {
	for _, engine := range engines(t) {
		t.Run(engine, func(t *testing.T) { testReadMatrix(t, engine) })
	}
}

func testReadMatrix(t *testing.T, engine string) {
	b := setupOn(t, engine)
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

	advisories := map[string]string{orgA: "AICC-2026-9001", orgB: "AICC-2026-9002"}
	for org, id := range advisories {
		matrixAdvisory(t, b.db, id, org, advisory.StatePublished, aicc.TLPAmberStrict)
	}

	ps := matrixPrincipals(t, b, orgA)
	var bUser struct{ Items []aicc.User }
	b.do(b.admin, "GET", "/v1/users?org_id="+orgB, nil).decode(t, &bUser)
	// A webhook of every organization, made by one of its admins.
	hooks := map[string]string{}
	newHook := func(token string) string {
		var h idOnly
		r := b.do(token, "POST", "/v1/webhooks", map[string]any{"url": "https://hooks.example/x", "events": []string{"*"}})
		b.want(r, http.StatusCreated)
		r.decode(t, &h)
		return h.ID
	}
	for _, p := range ps {
		if p.role == aicc.RoleAdmin {
			hooks[p.org] = newHook(p.token)
		}
	}
	var bAdmin struct{ Token string }
	b.do(b.admin, "POST", "/v1/users", map[string]any{"org_id": orgB, "name": "b admin", "role": "admin"}).decode(t, &bAdmin)
	hooks[orgB] = newHook(bAdmin.Token)

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
				if own && !p.dev() && (strings.Contains(path, "submission_id") || strings.Contains(path, "finding_id") || strings.Contains(path, "retest_id") || strings.Contains(path, "advisory_id")) {
					continue // only developers have review objects of their own
				}
				target := map[bool]string{true: orgA, false: orgB}[sub == subs[orgA]]
				url := strings.NewReplacer("{org_id}", org, "{user_id}", user, "{submission_id}", sub,
					"{finding_id}", findings[target], "{retest_id}", retests[target], "{webhook_id}", hooks[org],
					"{advisory_id}", advisories[target], "{revision}", "1").Replace(path)
				if path == "/v1/users" {
					url += "?org_id=" + org
				}
				if strings.HasSuffix(path, "/export") {
					url += "?format=stix"
				}
				if org == "" { // the anonymous principal has no organization of its own
					org = orgB
					url = strings.NewReplacer("{org_id}", org, "{user_id}", bUser.Items[0].ID).Replace(path)
					url = strings.NewReplacer("{submission_id}", sub, "{finding_id}", findings[target], "{retest_id}", retests[target], "{webhook_id}", hooks[orgB],
						"{advisory_id}", advisories[target], "{revision}", "1").Replace(url)
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

// writeCase is one write operation of the matrix: fresh prepares the
// objects of a cell (so that no cell sees another's changes) and returns
// the URL and body; allowed is written from docs/authz.md.
type writeCase struct {
	op      string
	objects bool // false: the operation has no object of another organization
	fresh   func(w *writeWorld, p principal, own bool) (url string, body any, skip bool)
	allowed func(p principal, own bool) bool
}

// writeWorld holds the fixed parties of the write matrix.
type writeWorld struct {
	b                  *bundle
	orgA, orgB         string
	devA, devB         string // developers of A and B
	agency2, agency2Tk string // another agency and its analyst
	n                  int
}

func (w *writeWorld) id(r response) string {
	w.b.t.Helper()
	var o idOnly
	r.decode(w.b.t, &o)
	if o.ID == "" {
		w.b.t.Fatalf("no id in %d: %s", r.status, r.body)
	}
	return o.ID
}

// submission creates an open submission of org A (own) or B.
func (w *writeWorld) submission(own bool) string {
	tok := map[bool]string{true: w.devA, false: w.devB}[own]
	return w.id(w.b.do(tok, "POST", "/v1/submissions", submission("2026-12-19")))
}

// finding creates a finding on a fresh submission of A (own) or B.
func (w *writeWorld) finding(own bool) string {
	sub := w.submission(own)
	w.n++
	f := &aicc.Finding{ID: aicc.NewID(aicc.PrefixFinding), SubmissionID: sub, ScanID: "sc_none", Class: aicc.ClassJailbreak,
		Family: fmt.Sprint("f", w.n), Probes: []string{"jailbreak.persona"}, Title: "t", Severity: aicc.SeverityMedium,
		Status: aicc.FindingNew, Evidence: []string{}, TLP: aicc.TLPRed, CreatedAt: w.b.now, UpdatedAt: w.b.now}
	if err := w.b.db.Tx(context.Background(), func(ctx context.Context, tx store.ServiceTx) error { return tx.CreateFinding(ctx, f) }); err != nil {
		w.b.t.Fatal(err)
	}
	return f.ID
}

// confirmedFinding creates a confirmed finding on a fresh submission of A
// (own) or B.
func (w *writeWorld) confirmedFinding(own bool) string {
	id := w.finding(own)
	err := w.b.db.Tx(context.Background(), func(ctx context.Context, tx store.ServiceTx) error {
		f, err := tx.GetFinding(ctx, id)
		if err != nil {
			return err
		}
		f.Status = aicc.FindingConfirmed
		return tx.UpdateFinding(ctx, f)
	})
	if err != nil {
		w.b.t.Fatal(err)
	}
	return id
}

// advisory stores a fresh advisory about a model of A (own) or B, in state,
// with its summary labelled TLP:AMBER+STRICT and addressed to nobody.
func (w *writeWorld) advisory(own bool, state advisory.State) string {
	w.n++
	id := fmt.Sprintf("AICC-2027-%04d", w.n)
	matrixAdvisory(w.b.t, w.b.db, id, map[bool]string{true: w.orgA, false: w.orgB}[own], state, aicc.TLPAmberStrict)
	return id
}

// user creates a viewer in org (as the bootstrap admin).
func (w *writeWorld) user(org string) (id, token string) { return w.userRole(org, "viewer") }

func (w *writeWorld) userRole(org, role string) (id, token string) {
	var u struct{ ID, Token string }
	r := w.b.do(w.b.admin, "POST", "/v1/users", map[string]any{"org_id": org, "name": "someone", "role": role})
	w.b.want(r, http.StatusCreated)
	r.decode(w.b.t, &u)
	return u.ID, u.Token
}

var writeCases = []writeCase{
	{"POST /v1/orgs", false, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		w.n++
		return "/v1/orgs", map[string]any{"name": fmt.Sprint("new org ", w.n), "kind": "oss"}, false
	}, func(p principal, own bool) bool { return p.chAdmin() }},
	{"POST /v1/users", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/users", map[string]any{"org_id": map[bool]string{true: p.org, false: w.orgB}[own], "name": "new", "role": "viewer"}, false
	}, func(p principal, own bool) bool { return p.chAdmin() || own && p.role == aicc.RoleAdmin }},
	{"POST /v1/users/{user_id}/disable", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		id, _ := w.user(map[bool]string{true: p.org, false: w.orgB}[own])
		return "/v1/users/" + id + "/disable", nil, false
	}, func(p principal, own bool) bool { return p.chAdmin() || own && p.role == aicc.RoleAdmin }},
	{"POST /v1/users/{user_id}/tokens", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		id := p.user
		if !own {
			id, _ = w.user(w.orgB)
		}
		return "/v1/users/" + id + "/tokens", map[string]any{"name": "extra"}, false
	}, func(p principal, own bool) bool { return own || p.chAdmin() }},
	{"DELETE /v1/users/{user_id}/tokens/{token_id}", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		id, tok := p.user, p.token
		if !own {
			id, tok = w.user(w.orgB)
		}
		var t idOnly
		w.b.do(tok, "POST", "/v1/users/"+id+"/tokens", map[string]any{"name": "to revoke"}).decode(w.b.t, &t)
		return "/v1/users/" + id + "/tokens/" + t.ID, nil, false
	}, func(p principal, own bool) bool { return own || p.chAdmin() }},
	{"POST /v1/submissions", false, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/submissions", submission("2026-12-19"), false
	}, func(p principal, own bool) bool { return p.dev() && p.writer() }},
	{"POST /v1/submissions/{submission_id}/release-date", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/submissions/" + w.submission(own) + "/release-date", map[string]any{"release_date": "2026-12-24"}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.dev() && p.writer() && own }},
	{"POST /v1/submissions/{submission_id}/withdraw", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/submissions/" + w.submission(own) + "/withdraw", nil, own && !p.dev()
	}, func(p principal, own bool) bool { return p.dev() && p.writer() && own }},
	{"POST /v1/submissions/{submission_id}/released", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/submissions/" + w.submission(own) + "/released", nil, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() || p.dev() && p.writer() && own }},
	{"POST /v1/submissions/{submission_id}/advance", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/submissions/" + w.submission(own) + "/advance", map[string]any{"event": "triage"}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() }},
	{"POST /v1/submissions/{submission_id}/coverage", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/submissions/" + w.submission(own) + "/coverage", nil, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() || p.dev() && p.writer() && own }},
	{"POST /v1/submissions/{submission_id}/scans", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/submissions/" + w.submission(own) + "/scans", nil, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() }},
	{"POST /v1/findings/{finding_id}/confirm", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/findings/" + w.finding(own) + "/confirm", map[string]any{"note": "seen"}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() }},
	{"POST /v1/findings/{finding_id}/reject", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/findings/" + w.finding(own) + "/reject", map[string]any{"note": "not real"}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() }},
	{"POST /v1/findings/{finding_id}/dispute", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/findings/" + w.finding(own) + "/dispute", map[string]any{"note": "sandboxed"}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.dev() && p.writer() && own }},
	{"POST /v1/findings/{finding_id}/comments", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/findings/" + w.finding(own) + "/comments", map[string]any{"note": "noted"}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() || p.dev() && p.writer() && own }},
	{"POST /v1/findings/{finding_id}/remediations", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/findings/" + w.finding(own) + "/remediations", map[string]any{"type": "guardrail", "version": "1.1"}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.dev() && p.writer() && own }},
	{"POST /v1/findings/{finding_id}/retests", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/findings/" + w.finding(own) + "/retests", nil, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() || p.dev() && p.writer() && own }},
	{"POST /v1/webhooks", false, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/webhooks", map[string]any{"url": "https://hooks.example/x", "events": []string{"submission.*"}}, false
	}, func(p principal, own bool) bool { return p.role == aicc.RoleAdmin }},
	{"DELETE /v1/webhooks/{webhook_id}", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		org := map[bool]string{true: p.org, false: w.orgB}[own]
		if org == "" {
			return "", nil, true
		}
		_, tok := w.userRole(org, "admin")
		return "/v1/webhooks/" + w.id(w.b.do(tok, "POST", "/v1/webhooks", map[string]any{"url": "https://hooks.example/x", "events": []string{"*"}})), nil, false
	}, func(p principal, own bool) bool { return own && p.role == aicc.RoleAdmin || p.chAdmin() }},
	{"POST /v1/audit/verify", false, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/audit/verify", nil, false
	}, func(p principal, own bool) bool { return p.chWriter() }},
	{"POST /v1/advisories", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/advisories", map[string]any{"finding_id": w.confirmedFinding(own)}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() }},
	{"PATCH /v1/advisories/{advisory_id}", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/advisories/" + w.advisory(own, advisory.StateDraft), map[string]any{"title": "retitled"}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() }},
	{"POST /v1/advisories/{advisory_id}/publish", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/advisories/" + w.advisory(own, advisory.StateDraft) + "/publish", nil, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() }},
	{"POST /v1/advisories/{advisory_id}/embargo", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/advisories/" + w.advisory(own, advisory.StateDraft) + "/embargo",
			map[string]any{"basis": "agreed", "until": "2027-03-01T00:00:00Z", "reason": "agreed"}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() }},
	{"POST /v1/advisories/{advisory_id}/statement", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/advisories/" + w.advisory(own, advisory.StateDraft) + "/statement", map[string]any{"text": "we fixed it"}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.dev() && p.writer() && own }},
	{"POST /v1/advisories/{advisory_id}/withdraw", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/advisories/" + w.advisory(own, advisory.StatePublished) + "/withdraw", map[string]any{"reason": "duplicate"}, own && !p.dev()
	}, func(p principal, own bool) bool { return p.chWriter() }},
	{"POST /v1/advisory-subscriptions", false, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		return "/v1/advisory-subscriptions", map[string]any{"filter": map[string]any{"min_severity": "high"}}, false
	}, func(p principal, own bool) bool { return p.role == aicc.RoleAdmin }},
	{"DELETE /v1/advisory-subscriptions/{subscription_id}", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		org := map[bool]string{true: p.org, false: w.orgB}[own]
		if org == "" {
			return "", nil, true
		}
		_, tok := w.userRole(org, "admin")
		return "/v1/advisory-subscriptions/" + w.id(w.b.do(tok, "POST", "/v1/advisory-subscriptions", map[string]any{"filter": map[string]any{}})), nil, false
	}, func(p principal, own bool) bool { return own && p.role == aicc.RoleAdmin || p.chAdmin() }},
	{"POST /v1/designations", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		body := map[string]any{"model": "example-chat", "reference": "memo", "date": "2026-06-20"}
		if !own {
			body["authority_org_id"] = w.agency2
		}
		return "/v1/designations", body, false
	}, func(p principal, own bool) bool { return p.agency() && p.writer() && own }},
	{"POST /v1/designations/{designation_id}/revoke", true, func(w *writeWorld, p principal, own bool) (string, any, bool) {
		tok := w.agency2Tk
		if own {
			if !p.agency() {
				return "", nil, true
			}
			_, tok = w.userRole(p.org, "analyst")
		}
		w.n++
		d := w.id(w.b.do(tok, "POST", "/v1/designations", map[string]any{"model": fmt.Sprint("model-", w.n), "reference": "memo", "date": "2026-06-20"}))
		return "/v1/designations/" + d + "/revoke", map[string]any{"note": "withdrawn"}, false
	}, func(p principal, own bool) bool { return p.agency() && p.writer() && own }},
}

// TestWriteMatrix runs every write operation of the OpenAPI document as
// every role of every organization kind, and anonymously, against fresh
// objects of the principal's own organization and of another. Allowed means
// the request passed authorization: 2xx, or a refusal that comes after it
// (409 for a state the object is not in, 422 for input, 503 when this test
// server runs no scans). Denied means 401, 403 or 404.
func TestWriteMatrix(t *testing.T) {
	for _, engine := range engines(t) {
		t.Run(engine, func(t *testing.T) { testWriteMatrix(t, engine) })
	}
}

func testWriteMatrix(t *testing.T, engine string) {
	b := setupOn(t, engine)
	w := &writeWorld{b: b}
	w.orgA, w.devA = b.party("Dev A", "developer", "developer")
	w.orgB, w.devB = b.party("Dev B", "developer", "developer")
	w.agency2, w.agency2Tk = b.party("Agency 2", "agency", "analyst")
	ps := matrixPrincipals(t, b, w.orgA)

	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, c := range writeCases {
		have[c.op] = true
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if op := method + " " + path; method != "GET" && !have[op] {
				t.Errorf("%s has no row in writeCases", op)
			}
		}
	}
	cells, allowedCells := 0, 0
	for _, c := range writeCases {
		method, _, _ := strings.Cut(c.op, " ")
		for _, p := range append(ps, principal{}) {
			for _, own := range []bool{true, false} {
				if !own && !c.objects {
					continue
				}
				if own && p.token == "" && c.objects {
					continue // the anonymous principal owns nothing
				}
				url, body, skip := c.fresh(w, p, own)
				if skip {
					continue
				}
				r := b.do(p.token, method, url, body)
				cells++
				want := p.token != "" && c.allowed(p, own)
				if want {
					allowedCells++
				}
				denied := r.status == http.StatusUnauthorized || r.status == http.StatusForbidden || r.status == http.StatusNotFound
				passed := r.status < 300 || r.status == http.StatusConflict || r.status == http.StatusUnprocessableEntity || r.status == http.StatusServiceUnavailable
				name := fmt.Sprintf("%s as %s on %s", c.op, map[bool]string{true: p.String(), false: "anonymous"}[p.token != ""], map[bool]string{true: "its own object", false: "another organization's"}[own])
				switch {
				case want && !passed:
					t.Errorf("%s: %d, want allowed: %s", name, r.status, r.body)
				case !want && !denied:
					t.Errorf("%s: %d, want denied: %s", name, r.status, r.body)
				}
			}
		}
	}
	if cells < 350 || allowedCells < 50 || cells-allowedCells < 150 {
		t.Errorf("%d cells ran, %d of them allowed: the matrix is thinner than it should be", cells, allowedCells)
	}
}

// matrixPrincipals creates a user of every role of every organization
// kind: developers in orgA, clearinghouse members in the clearinghouse,
// the others in a new organization of their kind.
func matrixPrincipals(t *testing.T, b *bundle, orgA string) []principal {
	t.Helper()
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
	return ps
}
