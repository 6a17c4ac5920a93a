package taxii_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/taxii"
)

func TestDiscovery(t *testing.T) {
	t.Run("configured base URL", func(t *testing.T) {
		b := setup(t, func(c *taxii.Config) {
			c.BaseURL = "https://cti.example.org/"
			c.APIRoots = []taxii.APIRoot{{Name: "aicc"}, {Name: "public", Source: &fakeSource{}}}
		})
		res := b.get(t, "/taxii2/")
		res.wantStatus(t, http.StatusOK)
		var d struct {
			Title, Description, Contact, Default string
			APIRoots                             []string `json:"api_roots"`
		}
		res.decode(t, &d)
		if d.Title != "aicc clearinghouse" || d.Description != "STIX 2.1 advisories" || d.Contact != "cti@example.org" {
			t.Errorf("discovery = %+v", d)
		}
		wantRoots := []string{"https://cti.example.org/taxii2/aicc/", "https://cti.example.org/taxii2/public/"}
		if !slices.Equal(d.APIRoots, wantRoots) || d.Default != wantRoots[0] {
			t.Errorf("api_roots %q default %q, want %q with the first as default", d.APIRoots, d.Default, wantRoots)
		}
	})
	t.Run("base URL from the request", func(t *testing.T) {
		b := setup(t)
		var d struct {
			Default  string
			APIRoots []string `json:"api_roots"`
		}
		b.get(t, "/taxii2/").decode(t, &d)
		want := b.srv.URL + "/taxii2/aicc/"
		if d.Default != want || !slices.Equal(d.APIRoots, []string{want}) {
			t.Errorf("default %q api_roots %q, want %q", d.Default, d.APIRoots, want)
		}
	})
}

func TestAPIRoot(t *testing.T) {
	b := setup(t, func(c *taxii.Config) {
		c.APIRoots = []taxii.APIRoot{{Name: "aicc", Title: "AICC advisories", Description: "published advisories", MaxContentLength: 1 << 20}}
	})
	res := b.get(t, "/taxii2/aicc/")
	res.wantStatus(t, http.StatusOK)
	var root struct {
		Title            string   `json:"title"`
		Description      string   `json:"description"`
		Versions         []string `json:"versions"`
		MaxContentLength *int64   `json:"max_content_length"`
	}
	res.decode(t, &root)
	if root.Title != "AICC advisories" || root.Description != "published advisories" {
		t.Errorf("api root = %s", res.body)
	}
	if !slices.Equal(root.Versions, []string{"application/taxii+json;version=2.1"}) {
		t.Errorf("versions = %q", root.Versions)
	}
	if root.MaxContentLength == nil || *root.MaxContentLength != 1<<20 {
		t.Errorf("max_content_length missing or wrong: %s", res.body)
	}

	b.get(t, "/taxii2/nope/").wantError(t, http.StatusNotFound, "nope")
	b.get(t, "/taxii2/nope/collections/").wantError(t, http.StatusNotFound, "nope")
}

func TestAuthentication(t *testing.T) {
	b := setup(t)
	b.src.addCollection(taxii.Collection{ID: "vulns", Title: "Vulnerabilities"})
	for _, path := range []string{
		"/taxii2/",
		"/taxii2/aicc/",
		"/taxii2/aicc/collections/",
		"/taxii2/aicc/collections/vulns/objects/",
		"/taxii2/aicc/collections/unknown/objects/",
		"/elsewhere",
	} {
		t.Run(path, func(t *testing.T) {
			res := b.do(t, path, request{caller: "-"})
			res.wantError(t, http.StatusUnauthorized, "credentials")
			if got := res.header.Get("WWW-Authenticate"); got != `Basic realm="aicc"` {
				t.Errorf("WWW-Authenticate = %q", got)
			}
		})
	}

	t.Run("configured challenge", func(t *testing.T) {
		b := setup(t, func(c *taxii.Config) { c.Challenge = `Bearer realm="aicc"` })
		res := b.do(t, "/taxii2/", request{caller: "-"})
		res.wantStatus(t, http.StatusUnauthorized)
		if got := res.header.Get("WWW-Authenticate"); got != `Bearer realm="aicc"` {
			t.Errorf("WWW-Authenticate = %q", got)
		}
	})
}

func TestContentNegotiation(t *testing.T) {
	b := setup(t)
	b.src.addCollection(taxii.Collection{ID: "vulns", Title: "Vulnerabilities"})
	for _, tc := range []struct {
		accept string
		want   int
	}{
		{"application/taxii+json;version=2.1", http.StatusOK},
		{"application/taxii+json", http.StatusOK},
		{"application/taxii+json; version=2.1", http.StatusOK},
		{`application/taxii+json;version="2.1"`, http.StatusOK},
		{"APPLICATION/TAXII+JSON;VERSION=2.1", http.StatusOK},
		{"*/*", http.StatusOK},
		{"application/*", http.StatusOK},
		{"text/html, application/taxii+json;version=2.1;q=0.5", http.StatusOK},
		{"text/html,application/xhtml+xml,*/*;q=0.8", http.StatusOK},
		{"-", http.StatusOK}, // no Accept header
		{"application/json", http.StatusNotAcceptable},
		{"application/taxii+json;version=2.0", http.StatusNotAcceptable},
		{"application/stix+json;version=2.1", http.StatusNotAcceptable},
		{"application/taxii+json;version=2.1;q=0", http.StatusNotAcceptable},
		{"*/*;q=0", http.StatusNotAcceptable},
		{"text/html", http.StatusNotAcceptable},
	} {
		t.Run(tc.accept, func(t *testing.T) {
			for _, path := range []string{"/taxii2/", "/taxii2/aicc/collections/vulns/objects/"} {
				res := b.do(t, path, request{accept: tc.accept})
				if tc.want == http.StatusNotAcceptable {
					res.wantError(t, tc.want, taxii.MediaTypeTAXII)
				} else {
					res.wantStatus(t, tc.want)
				}
			}
		})
	}
}

func TestReadOnlyAndUnknownPaths(t *testing.T) {
	b := setup(t)
	b.src.addCollection(taxii.Collection{ID: "vulns", Title: "Vulnerabilities"})
	b.src.add("vulns", object("vulnerability", 1, t0, t0))
	obj := "/taxii2/aicc/collections/vulns/objects/" + stixID("vulnerability", 1) + "/"
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{http.MethodPost, "/taxii2/aicc/collections/vulns/objects/", http.StatusMethodNotAllowed},
		{http.MethodDelete, obj, http.StatusMethodNotAllowed},
		{http.MethodPut, "/taxii2/aicc/collections/vulns/", http.StatusMethodNotAllowed},
		{http.MethodPost, "/taxii2/", http.StatusMethodNotAllowed},
		{http.MethodGet, "/taxii2/aicc/status/2d086da7-4bdc-4f91-900e-d77486753710/", http.StatusNotFound},
		{http.MethodGet, "/taxii2/aicc/collections/vulns/objects/a/b/c/", http.StatusNotFound},
		{http.MethodGet, "/taxii2/aicc/collections/vulns/bogus/", http.StatusNotFound},
		{http.MethodGet, "/", http.StatusNotFound},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			res := b.do(t, tc.path, request{method: tc.method})
			res.wantError(t, tc.status)
			if tc.status == http.StatusMethodNotAllowed {
				if got := res.header.Get("Allow"); got != "GET, HEAD" {
					t.Errorf("Allow = %q", got)
				}
			}
		})
	}
	t.Run("HEAD", func(t *testing.T) {
		res := b.do(t, "/taxii2/aicc/collections/vulns/objects/", request{method: http.MethodHead})
		res.wantStatus(t, http.StatusOK)
		if len(res.body) != 0 || res.header.Get("X-TAXII-Date-Added-First") == "" {
			t.Errorf("HEAD: body %q, headers %v", res.body, res.header)
		}
	})
}

func TestSourceFailures(t *testing.T) {
	secret := "dial tcp 10.0.0.7:5432: password authentication failed"
	for _, tc := range []struct {
		name string
		path string
		set  func(*fakeSource)
		log  string
	}{
		{"collections error", "/taxii2/aicc/collections/", func(f *fakeSource) { f.err = errors.New(secret) }, secret},
		{"objects error", "/taxii2/aicc/collections/vulns/objects/", func(f *fakeSource) { f.err = errors.New(secret) }, secret},
		{"not JSON", "/taxii2/aicc/collections/vulns/objects/", func(f *fakeSource) {
			f.rewrite = func(objs []taxii.Object) []taxii.Object {
				objs[0].JSON = []byte(`{"type": "vulnerability"`)
				return objs
			}
		}, "not a JSON object"},
		{"JSON array", "/taxii2/aicc/collections/vulns/objects/", func(f *fakeSource) {
			f.rewrite = func(objs []taxii.Object) []taxii.Object {
				objs[0].JSON = []byte(`[1]`)
				return objs
			}
		}, "not a JSON object"},
		{"out of order", "/taxii2/aicc/collections/vulns/manifest/", func(f *fakeSource) {
			f.rewrite = func(objs []taxii.Object) []taxii.Object { slices.Reverse(objs); return objs }
		}, "paging contract"},
		{"repeats the cursor", "/taxii2/aicc/collections/vulns/objects/?next=" + taxii.CursorOf(object("vulnerability", 2, t0, t0.Add(2))).String(), func(f *fakeSource) {
			f.rewrite = func([]taxii.Object) []taxii.Object { return []taxii.Object{object("vulnerability", 1, t0, t0.Add(1))} }
		}, "paging contract"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := setup(t)
			b.src.addCollection(taxii.Collection{ID: "vulns", Title: "Vulnerabilities"})
			for i := range 3 {
				b.src.add("vulns", object("vulnerability", i, t0, t0.Add(1+time.Duration(i))))
			}
			tc.set(b.src)
			res := b.get(t, tc.path)
			res.wantError(t, http.StatusInternalServerError, "logged")
			if strings.Contains(string(res.body), "10.0.0.7") {
				t.Errorf("the error message leaks the Source's error: %s", res.body)
			}
			if !strings.Contains(b.logs.String(), tc.log) {
				t.Errorf("log does not mention %q:\n%s", tc.log, b.logs)
			}
		})
	}
}

func TestNewValidatesConfig(t *testing.T) {
	auth := func(r *http.Request) (context.Context, error) { return r.Context(), nil }
	for _, tc := range []struct {
		name string
		cfg  taxii.Config
		want string
	}{
		{"no authenticate", taxii.Config{Source: &fakeSource{}}, "Config.Authenticate"},
		{"no source", taxii.Config{Authenticate: auth}, "Config.Source"},
		{"bad root name", taxii.Config{Source: &fakeSource{}, Authenticate: auth, APIRoots: []taxii.APIRoot{{Name: "a/b"}}}, "APIRoots[0].Name"},
		{"empty root name", taxii.Config{Source: &fakeSource{}, Authenticate: auth, APIRoots: []taxii.APIRoot{{}}}, "APIRoots[0].Name"},
		{"duplicate root", taxii.Config{Source: &fakeSource{}, Authenticate: auth, APIRoots: []taxii.APIRoot{{Name: "a"}, {Name: "a"}}}, "APIRoots[1].Name"},
		{"negative page size", taxii.Config{Source: &fakeSource{}, Authenticate: auth, MaxPageSize: -1}, "MaxPageSize"},
		{"relative base URL", taxii.Config{Source: &fakeSource{}, Authenticate: auth, BaseURL: "cti.example.org"}, "BaseURL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := taxii.New(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want an error naming %s", err, tc.want)
			}
		})
	}
	if _, err := taxii.New(taxii.Config{Authenticate: auth, APIRoots: []taxii.APIRoot{{Name: "own", Source: &fakeSource{}}}}); err != nil {
		t.Errorf("New with a per-root Source: %v", err)
	}
}
