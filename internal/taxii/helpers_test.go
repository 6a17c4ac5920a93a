package taxii_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/taxii"
)

// testBundle is a running server over a fake Source.
type testBundle struct {
	srv  *httptest.Server
	src  *fakeSource
	logs *bytes.Buffer
}

// setup starts a server over an empty fake Source; configure edits the
// Config first.
func setup(t testing.TB, configure ...func(*taxii.Config)) *testBundle {
	t.Helper()
	b := &testBundle{src: &fakeSource{}, logs: &bytes.Buffer{}}
	cfg := taxii.Config{
		Source:       b.src,
		Title:        "aicc clearinghouse",
		Description:  "STIX 2.1 advisories",
		Contact:      "cti@example.org",
		Authenticate: authenticate,
		Logger:       slog.New(slog.NewTextHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, f := range configure {
		f(&cfg)
	}
	h, err := taxii.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	b.srv = httptest.NewServer(h)
	t.Cleanup(b.srv.Close)
	return b
}

// response is a TAXII response whose media type and JSON have been checked.
type response struct {
	status int
	header http.Header
	body   []byte
}

// request describes a request; the zero value is alice's GET with a TAXII
// 2.1 Accept header.
type request struct {
	method string
	caller string // "" means alice; "-" means no credentials
	accept string // "" means MediaTypeTAXII; "-" means no Accept header
}

func (b *testBundle) get(t testing.TB, path string) response {
	t.Helper()
	return b.do(t, path, request{})
}

// do sends a request and checks what every TAXII response must be: the
// TAXII media type and a body that parses as one JSON object.
func (b *testBundle) do(t testing.TB, path string, r request) response {
	t.Helper()
	req, err := http.NewRequest(cmpOr(r.method, http.MethodGet), b.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	switch r.caller {
	case "":
		req.Header.Set("Authorization", "Bearer alice")
	case "-":
	default:
		req.Header.Set("Authorization", "Bearer "+r.caller)
	}
	switch r.accept {
	case "":
		req.Header.Set("Accept", taxii.MediaTypeTAXII)
	case "-":
	default:
		req.Header.Set("Accept", r.accept)
	}
	res, err := b.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Header.Get("Content-Type"); got != taxii.MediaTypeTAXII {
		t.Errorf("%s %s: Content-Type %q, want %q", req.Method, path, got, taxii.MediaTypeTAXII)
	}
	if req.Method != http.MethodHead {
		var v map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Errorf("%s %s: body is not a JSON object: %v\n%s", req.Method, path, err, body)
		}
	}
	return response{status: res.StatusCode, header: res.Header, body: body}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// decode unmarshals the body into v.
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// wantStatus fails unless r has status.
func (r response) wantStatus(t testing.TB, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
}

// wantError checks that r is a TAXII error message with status whose
// description mentions each of mention.
func (r response) wantError(t testing.TB, status int, mention ...string) {
	t.Helper()
	r.wantStatus(t, status)
	var e struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		HTTPStatus  string `json:"http_status"`
	}
	r.decode(t, &e)
	if e.Title == "" || e.HTTPStatus != strconv.Itoa(status) {
		t.Errorf("error message %s: want a title and http_status %q", r.body, strconv.Itoa(status))
	}
	for _, m := range mention {
		if !strings.Contains(e.Description, m) {
			t.Errorf("error description %q does not mention %q", e.Description, m)
		}
	}
}

// envelope is a decoded TAXII envelope.
type envelope struct {
	More    bool              `json:"more"`
	Next    string            `json:"next"`
	Objects []json.RawMessage `json:"objects"`
}

// stixRef is the identity of one object version in a response.
type stixRef struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
}

// refs decodes the id and modified of each object in an envelope.
func (e envelope) refs(t testing.TB) []stixRef {
	t.Helper()
	out := make([]stixRef, len(e.Objects))
	for i, raw := range e.Objects {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			t.Fatalf("object %s: %v", raw, err)
		}
	}
	return out
}

// refOf is the stixRef of an object.
func refOf(o taxii.Object) stixRef {
	return stixRef{ID: o.ID, Modified: o.Version.UTC().Format("2006-01-02T15:04:05.000Z")}
}
