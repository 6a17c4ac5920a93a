package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/jackc/pgx/v5"

	"github.com/aicc-dev/aicc/internal/advisory/csaf/provider"
	"github.com/aicc-dev/aicc/internal/api"
	"github.com/aicc-dev/aicc/internal/keyring"
	"github.com/aicc-dev/aicc/internal/service"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/postgres"
	"github.com/aicc-dev/aicc/internal/store/sqlite"
)

// bundle is a running API on a fresh SQLite store, with a client that
// checks every request and response against the OpenAPI document.
type bundle struct {
	t      *testing.T
	srv    *httptest.Server
	router routers.Router
	admin  string // the bootstrap admin's token
	now    time.Time
	db     testDB // the store, for tests that seed records directly
}

// testDB is a storage engine as the tests use it.
type testDB interface {
	store.Store
	store.Service
}

func setup(t *testing.T) *bundle { return setupOn(t, "sqlite") }

// engines are the storage engines a test runs on: SQLite always,
// PostgreSQL when AICC_TEST_POSTGRES names a database.
func engines(t *testing.T) []string {
	if os.Getenv("AICC_TEST_POSTGRES") == "" {
		t.Log("PostgreSQL not tested: set AICC_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
		return []string{"sqlite"}
	}
	return []string{"sqlite", "postgres"}
}

// setupOn is setup on a storage engine; PostgreSQL gets a fresh schema,
// dropped when the test ends.
func setupOn(t *testing.T, engine string) *bundle {
	t.Helper()
	ctx := context.Background()
	var db testDB
	switch engine {
	case "sqlite":
		sq, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "aicc.db"))
		if err != nil {
			t.Fatal(err)
		}
		db = sq
	case "postgres":
		dsn := os.Getenv("AICC_TEST_POSTGRES")
		var rb [8]byte
		_, _ = rand.Read(rb[:])
		schema := "aicc_api_" + hex.EncodeToString(rb[:])
		t.Cleanup(func() {
			conn, err := pgx.Connect(context.Background(), dsn)
			if err != nil {
				t.Errorf("drop schema %s: %v", schema, err)
				return
			}
			defer conn.Close(context.Background())
			if _, err := conn.Exec(context.Background(), `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`); err != nil {
				t.Errorf("drop schema %s: %v", schema, err)
			}
		})
		pg, err := postgres.Open(ctx, dsn, postgres.Options{Schema: schema})
		if err != nil {
			t.Fatal(err)
		}
		db = pg
	default:
		t.Fatalf("unknown engine %q", engine)
	}
	t.Cleanup(func() { db.(interface{ Close() error }).Close() })
	kr, err := keyring.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	b := &bundle{t: t, now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), db: db}
	signer, _, err := provider.GenerateSigner("Clearinghouse", "csaf@aicc.invalid", b.now.AddDate(-1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Store: db, Scans: db, Keyring: kr, AuditKey: bytes.Repeat([]byte{7}, 32), Now: func() time.Time { return b.now },
		CSAFSigner: signer})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := svc.Bootstrap(ctx, "Clearinghouse")
	if err != nil || tk == nil {
		t.Fatalf("Bootstrap = %v, %v", tk, err)
	}
	b.admin = tk.Value.Reveal()
	if again, err := svc.Bootstrap(ctx, "Clearinghouse"); err != nil || again != nil {
		t.Fatalf("a second Bootstrap = %v, %v; want nothing", again, err)
	}
	b.srv = httptest.NewServer(api.New(api.Config{Service: svc}))
	t.Cleanup(b.srv.Close)
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: b.srv.URL}}
	if b.router, err = legacy.NewRouter(doc); err != nil {
		t.Fatal(err)
	}
	return b
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response %d is not JSON: %v\n%s", r.status, err, r.body)
	}
}

// do sends a request as the holder of token and validates the request
// and the response against the OpenAPI document.
func (b *bundle) do(token, method, path string, body any, header ...string) response {
	b.t.Helper()
	var rd io.Reader
	var raw []byte
	if body != nil {
		if s, ok := body.(string); ok {
			raw = []byte(s)
		} else {
			raw, _ = json.Marshal(body)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.srv.URL+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, body: out}

	// Every response must match the document; requests the test sends on
	// purpose malformed are not checked against it.
	route, params, err := b.router.FindRoute(withBody(req, raw))
	if err != nil {
		if r.status != http.StatusNotFound {
			b.t.Errorf("%s %s is not in the OpenAPI document: %v", method, path, err)
		}
		return r
	}
	in := &openapi3filter.RequestValidationInput{Request: withBody(req, raw), PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	rv := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: r.status, Header: r.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	rv.SetBodyBytes(out)
	if err := openapi3filter.ValidateResponse(context.Background(), rv); err != nil {
		b.t.Errorf("%s %s → %d does not match the OpenAPI document: %v\n%s", method, path, r.status, err, out)
	}
	return r
}

func withBody(req *http.Request, raw []byte) *http.Request {
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(raw))
	return r
}

func (b *bundle) want(r response, status int) {
	b.t.Helper()
	if r.status != status {
		b.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
}

// problem checks a problem details answer.
func (b *bundle) problem(r response, status int, detail string) {
	b.t.Helper()
	b.want(r, status)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		b.t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p api.Problem
	r.decode(b.t, &p)
	if p.Status != status || !strings.Contains(p.Detail, detail) {
		b.t.Errorf("problem %+v, want status %d and a detail with %q", p, status, detail)
	}
}

type idOnly struct {
	ID string `json:"id"`
}

// party creates an organization and a user in it, and returns the
// organization's ID and the user's token.
func (b *bundle) party(name, kind, role string) (orgID, token string) {
	b.t.Helper()
	r := b.do(b.admin, "POST", "/v1/orgs", map[string]any{"name": name, "kind": kind})
	b.want(r, http.StatusCreated)
	var o idOnly
	r.decode(b.t, &o)
	r = b.do(b.admin, "POST", "/v1/users", map[string]any{"org_id": o.ID, "name": name + " " + role, "role": role})
	b.want(r, http.StatusCreated)
	var u struct {
		Token string `json:"token"`
	}
	r.decode(b.t, &u)
	if !strings.HasPrefix(u.Token, "aicc_") {
		b.t.Fatalf("new user's token %q", u.Token)
	}
	return o.ID, u.Token
}

func submission(release string) map[string]any {
	return map[string]any{
		"model": "example-chat", "version": "1.0", "release_date": release,
		"endpoint":   map[string]any{"provider": "openai", "base_url": "http://127.0.0.1:9000/v1", "model": "refmodel-1.0"},
		"credential": "sk-very-secret-value",
		"facts":      map[string]any{"training_compute": map[string]any{"operations": 3e25, "method": "6ND", "uncertainty": 0.3}},
	}
}

func TestReviewFlowAndIsolation(t *testing.T) {
	b := setup(t)
	_, dev := b.party("Example AI", "developer", "developer")
	_, rival := b.party("Rival AI", "developer", "developer")
	_, operator := b.party("Grid Co", "operator", "admin")

	r := b.do(dev, "POST", "/v1/submissions", submission("2026-12-19"))
	b.want(r, http.StatusCreated)
	if bytes.Contains(r.body, []byte("sk-very-secret-value")) {
		t.Fatal("the credential came back in the response")
	}
	var sub struct {
		ID            string `json:"id"`
		State         string `json:"state"`
		HasCredential bool   `json:"has_credential"`
	}
	r.decode(t, &sub)
	if sub.State != "submitted" || !sub.HasCredential {
		t.Errorf("new submission %+v", sub)
	}

	// The owner and the clearinghouse read it; a rival developer and a
	// consumer cannot even learn that it exists.
	b.want(b.do(dev, "GET", "/v1/submissions/"+sub.ID, nil), http.StatusOK)
	b.want(b.do(b.admin, "GET", "/v1/submissions/"+sub.ID, nil), http.StatusOK)
	b.problem(b.do(rival, "GET", "/v1/submissions/"+sub.ID, nil), http.StatusNotFound, "not found")
	b.problem(b.do(operator, "GET", "/v1/submissions/"+sub.ID, nil), http.StatusNotFound, "not found")
	var page struct {
		Items []idOnly `json:"items"`
	}
	b.do(rival, "GET", "/v1/submissions", nil).decode(t, &page)
	if len(page.Items) != 0 {
		t.Errorf("a rival developer lists %v", page.Items)
	}
	r = b.do(operator, "GET", "/v1/submissions", nil)
	if r.status != http.StatusForbidden {
		var p struct{ Items []idOnly }
		r.decode(t, &p)
		if len(p.Items) != 0 {
			t.Errorf("a consumer lists submissions: %s", r.body)
		}
	}
	b.problem(b.do(rival, "POST", "/v1/submissions/"+sub.ID+"/withdraw", nil), http.StatusNotFound, "not found")

	// Moving the release is logged; the owner withdraws, which deletes the
	// credential at once.
	b.want(b.do(dev, "POST", "/v1/submissions/"+sub.ID+"/release-date", map[string]any{"release_date": "2026-12-24"}), http.StatusOK)
	r = b.do(dev, "POST", "/v1/submissions/"+sub.ID+"/withdraw", map[string]any{"reason": "release moved to next quarter"})
	b.want(r, http.StatusOK)
	r.decode(t, &sub)
	if sub.State != "withdrawn" || sub.HasCredential {
		t.Errorf("after withdrawal %+v", sub)
	}
	b.problem(b.do(dev, "POST", "/v1/submissions/"+sub.ID+"/withdraw", nil), http.StatusConflict, "withdrawn")

	// The audit log holds every step, and its chain is intact.
	var entries struct {
		Items []struct {
			Action string `json:"action"`
			Detail any    `json:"detail"`
		} `json:"items"`
	}
	b.do(b.admin, "GET", "/v1/audit", nil).decode(t, &entries)
	var actions []string
	for _, e := range entries.Items {
		actions = append(actions, e.Action)
	}
	for _, a := range []string{"service.bootstrap", "org.create", "user.create", "token.create", "submission.create", "submission.move_release", "submission.withdraw", "token.use"} {
		if !slices.Contains(actions, a) {
			t.Errorf("audit log lacks %s: %v", a, actions)
		}
	}
	raw, _ := json.Marshal(entries)
	if bytes.Contains(raw, []byte("sk-very-secret-value")) {
		t.Error("the credential is in the audit log")
	}
	var rep struct {
		Entries int  `json:"entries"`
		Keyed   bool `json:"keyed"`
		Problem any  `json:"problem"`
	}
	b.do(b.admin, "POST", "/v1/audit/verify", nil).decode(t, &rep)
	if rep.Problem != nil || rep.Entries != len(entries.Items) || !rep.Keyed {
		t.Errorf("verify = %+v, want an intact keyed chain of %d entries", rep, len(entries.Items))
	}
	b.problem(b.do(dev, "GET", "/v1/audit", nil), http.StatusForbidden, "")
}

func TestBadInput(t *testing.T) {
	b := setup(t)
	_, dev := b.party("Example AI", "developer", "developer")
	b.problem(b.do("", "GET", "/v1/submissions", nil), http.StatusUnauthorized, "")
	b.problem(b.do("aicc_nosuchtoken", "GET", "/v1/submissions", nil), http.StatusUnauthorized, "not valid")
	b.problem(b.do(dev, "GET", "/v1/nothing-here", nil), http.StatusNotFound, "no operation")
	b.problem(b.do(dev, "POST", "/v1/submissions", `{"model": "x",`), http.StatusUnprocessableEntity, "malformed JSON")
	b.problem(b.do(dev, "POST", "/v1/submissions", `{"model": "x", "colour": "red"}`), http.StatusUnprocessableEntity, `unknown field "colour"`)
	s := submission("2026-12-19")
	s["release_date"] = "19/12/2026"
	b.problem(b.do(dev, "POST", "/v1/submissions", s), http.StatusUnprocessableEntity, "release_date")
	s = submission("2026-11-01")
	b.problem(b.do(dev, "POST", "/v1/submissions", s), http.StatusUnprocessableEntity, "in the future")
	s = submission("2026-12-19")
	s["endpoint"] = map[string]any{"provider": "openai", "base_url": "http://user:pw@127.0.0.1:9/v1", "model": "m"}
	b.problem(b.do(dev, "POST", "/v1/submissions", s), http.StatusUnprocessableEntity, "base_url")
	b.problem(b.do(dev, "GET", "/v1/submissions/sub_nope", nil), http.StatusNotFound, "not an ID")
	b.problem(b.do(dev, "POST", "/v1/orgs", map[string]any{"name": "Mine", "kind": "developer"}), http.StatusForbidden, "")
	b.problem(b.do(b.admin, "POST", "/v1/orgs", map[string]any{"name": "X", "kind": "vendor"}), http.StatusUnprocessableEntity, "org kind")
	b.problem(b.do(b.admin, "POST", "/v1/orgs", map[string]any{"name": "Example AI", "kind": "developer"}), http.StatusConflict, "already exists")
}

func TestIdempotencyKey(t *testing.T) {
	b := setup(t)
	body := map[string]any{"name": "Example AI", "kind": "developer"}
	first := b.do(b.admin, "POST", "/v1/orgs", body, "Idempotency-Key", "k-1")
	b.want(first, http.StatusCreated)
	again := b.do(b.admin, "POST", "/v1/orgs", body, "Idempotency-Key", "k-1")
	b.want(again, http.StatusCreated)
	if !bytes.Equal(first.body, again.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("a retry got %s, want the first answer %s replayed", again.body, first.body)
	}
	var orgs struct{ Items []idOnly }
	b.do(b.admin, "GET", "/v1/orgs", nil).decode(t, &orgs)
	if len(orgs.Items) != 2 { // the clearinghouse and Example AI, once
		t.Errorf("%d organizations after a retried create, want 2", len(orgs.Items))
	}
	b.problem(b.do(b.admin, "POST", "/v1/orgs", map[string]any{"name": "Other", "kind": "oss"}, "Idempotency-Key", "k-1"), http.StatusConflict, "different request")
}

func TestRevokedTokenStopsWorking(t *testing.T) {
	b := setup(t)
	_, dev := b.party("Example AI", "developer", "admin")
	b.want(b.do(dev, "GET", "/v1/submissions", nil), http.StatusOK)
	var users struct {
		Items []struct {
			ID string `json:"id"`
		}
	}
	b.do(dev, "GET", "/v1/users", nil).decode(t, &users)
	if len(users.Items) != 1 {
		t.Fatalf("users %v", users.Items)
	}
	uid := users.Items[0].ID
	var toks struct{ Items []idOnly }
	b.do(dev, "GET", "/v1/users/"+uid+"/tokens", nil).decode(t, &toks)
	b.want(b.do(dev, "DELETE", "/v1/users/"+uid+"/tokens/"+toks.Items[0].ID, nil), http.StatusNoContent)
	b.problem(b.do(dev, "GET", "/v1/submissions", nil), http.StatusUnauthorized, "not valid")
}

// TestRoutesMatchDocument checks that every operation of the OpenAPI
// document is served and that nothing is served that it lacks.
func TestRoutesMatchDocument(t *testing.T) {
	b := setup(t)
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi %s, want 3.1", doc.OpenAPI)
	}
	n := 0
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			n++
			p := path
			for _, param := range []string{"org_id", "user_id", "submission_id", "token_id", "designation_id"} {
				prefix := map[string]string{"org_id": "org_", "user_id": "usr_", "submission_id": "sub_", "token_id": "tok_", "designation_id": "des_"}[param]
				p = strings.ReplaceAll(p, "{"+param+"}", prefix+"aaaaaaaaaaaaaaaa")
			}
			r := b.do("", method, p, nil)
			var prob api.Problem
			_ = json.Unmarshal(r.body, &prob)
			if r.status == http.StatusNotFound && strings.Contains(prob.Detail, "no operation") {
				t.Errorf("%s %s is documented but not served", method, path)
			}
		}
	}
	if n < 15 {
		t.Errorf("only %d operations documented", n)
	}
}
