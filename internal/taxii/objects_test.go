package taxii_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/taxii"
)

const objectsPath = "/taxii2/aicc/collections/vulns/objects/"

// ts renders t as TAXII does.
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// bulk returns n single-version objects of four types whose added times
// tie in threes and whose ids are not in added order, so that paging must
// break ties by id.
func bulk(n int) []taxii.Object {
	types := []string{"vulnerability", "attack-pattern", "relationship", "identity"}
	objs := make([]taxii.Object, n)
	for i := range objs {
		added := t0.Add(time.Duration(i/3) * time.Millisecond)
		objs[i] = object(types[i%len(types)], (i*7919)%n, added.Add(-time.Hour), added)
	}
	return objs
}

// sortedRefs is the page order of objs, computed independently of the
// package: by added, then id.
func sortedRefs(objs []taxii.Object) []stixRef {
	s := slices.Clone(objs)
	slices.SortFunc(s, func(a, b taxii.Object) int {
		if c := a.Added.Compare(b.Added); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	out := make([]stixRef, len(s))
	for i, o := range s {
		out[i] = refOf(o)
	}
	return out
}

func TestObjectsPagination(t *testing.T) {
	b := setup(t)
	b.src.addCollection(taxii.Collection{ID: "vulns", Title: "Vulnerabilities"})
	objs := bulk(2500)
	b.src.add("vulns", objs...)
	added := make(map[string]time.Time)
	for _, o := range objs {
		added[o.ID] = o.Added
	}

	walk := func(t *testing.T, filter string) []stixRef {
		t.Helper()
		var got []stixRef
		next := ""
		for pages := 1; ; pages++ {
			if pages > 100 {
				t.Fatal("pagination does not end")
			}
			q := "limit=100" + filter
			if next != "" {
				q += "&next=" + url.QueryEscape(next)
			}
			res := b.get(t, objectsPath+"?"+q)
			res.wantStatus(t, http.StatusOK)
			var env envelope
			res.decode(t, &env)
			refs := env.refs(t)
			if len(refs) == 0 || len(refs) > 100 {
				t.Fatalf("page %d has %d objects", pages, len(refs))
			}
			if first, last := res.header.Get("X-TAXII-Date-Added-First"), res.header.Get("X-TAXII-Date-Added-Last"); first != ts(added[refs[0].ID]) || last != ts(added[refs[len(refs)-1].ID]) {
				t.Errorf("page %d: X-TAXII-Date-Added-First %q -Last %q, want the page's first and last date_added %q %q",
					pages, first, last, ts(added[refs[0].ID]), ts(added[refs[len(refs)-1].ID]))
			}
			got = append(got, refs...)
			if !env.More {
				if env.Next != "" {
					t.Errorf("last page has next %q", env.Next)
				}
				if !strings.Contains(string(res.body), `"more":false`) {
					t.Errorf("last page does not say more is false: %.80s", res.body)
				}
				return got
			}
			if env.Next == "" || len(refs) != 100 {
				t.Fatalf("page %d: more with next %q and %d objects", pages, env.Next, len(refs))
			}
			next = env.Next
		}
	}

	t.Run("whole collection", func(t *testing.T) {
		got := walk(t, "")
		if len(got) != 2500 {
			t.Fatalf("walked %d objects, want 2500", len(got))
		}
		if want := sortedRefs(objs); !slices.Equal(got, want) {
			t.Errorf("objects are not each listed once in (added, id) order")
		}
	})
	t.Run("filtered", func(t *testing.T) {
		var want []taxii.Object
		for _, o := range objs {
			if o.Type == "vulnerability" {
				want = append(want, o)
			}
		}
		if got := walk(t, "&match[type]=vulnerability"); !slices.Equal(got, sortedRefs(want)) {
			t.Errorf("walking match[type]=vulnerability gave %d objects, want the %d vulnerabilities in order", len(got), len(want))
		}
	})
	t.Run("default page size is MaxPageSize", func(t *testing.T) {
		var env envelope
		b.get(t, objectsPath).decode(t, &env)
		if len(env.Objects) != 1000 || !env.More {
			t.Errorf("default page: %d objects, more %v; want 1000 and true", len(env.Objects), env.More)
		}
	})
}

func TestLimitIsCapped(t *testing.T) {
	b := setup(t, func(c *taxii.Config) { c.MaxPageSize = 10 })
	b.src.addCollection(taxii.Collection{ID: "vulns", Title: "Vulnerabilities"})
	b.src.add("vulns", bulk(25)...)
	for _, q := range []string{"", "?limit=50"} {
		var env envelope
		b.get(t, objectsPath+q).decode(t, &env)
		if len(env.Objects) != 10 || !env.More {
			t.Errorf("%q: %d objects, more %v; want 10 and true", q, len(env.Objects), env.More)
		}
	}
	var env envelope
	b.get(t, objectsPath+"?limit=3").decode(t, &env)
	if len(env.Objects) != 3 {
		t.Errorf("limit=3 gave %d objects", len(env.Objects))
	}
}

func TestAddedAfter(t *testing.T) {
	b := setup(t)
	b.src.addCollection(taxii.Collection{ID: "vulns", Title: "Vulnerabilities"})
	objs := bulk(30) // added t0, t0+1ms, ... in threes
	// One object added half a millisecond after t0+4ms: rendered as
	// t0+4ms, so added_after=t0+4ms must exclude it.
	late := object("vulnerability", 99, t0, t0.Add(4*time.Millisecond+500*time.Microsecond))
	objs = append(objs, late)
	b.src.add("vulns", objs...)

	after := t0.Add(4 * time.Millisecond)
	var want []taxii.Object
	for _, o := range objs {
		if o.Added.Sub(after) >= time.Millisecond {
			want = append(want, o)
		}
	}
	res := b.get(t, objectsPath+"?match[version]=all&added_after="+ts(after))
	res.wantStatus(t, http.StatusOK)
	var env envelope
	res.decode(t, &env)
	if got := env.refs(t); !slices.Equal(got, sortedRefs(want)) {
		t.Errorf("added_after=%s returned %d objects, want the %d added after it", ts(after), len(got), len(want))
	}
	if got := res.header.Get("X-TAXII-Date-Added-First"); got != ts(t0.Add(5*time.Millisecond)) {
		t.Errorf("X-TAXII-Date-Added-First = %q", got)
	}
	if got := res.header.Get("X-TAXII-Date-Added-Last"); got != ts(t0.Add(9*time.Millisecond)) {
		t.Errorf("X-TAXII-Date-Added-Last = %q", got)
	}

	t.Run("paging by X-TAXII-Date-Added-Last", func(t *testing.T) {
		// Paging by added_after is exact when pages end on a millisecond
		// boundary; here three objects share each millisecond.
		objs := bulk(30)
		b.src.addCollection(taxii.Collection{ID: "aligned", Title: "Aligned"})
		b.src.add("aligned", objs...)
		var got []stixRef
		q := "?limit=6"
		for range 10 {
			res := b.get(t, "/taxii2/aicc/collections/aligned/objects/"+q)
			var env envelope
			res.decode(t, &env)
			got = append(got, env.refs(t)...)
			if !env.More {
				break
			}
			q = "?limit=6&added_after=" + url.QueryEscape(res.header.Get("X-TAXII-Date-Added-Last"))
		}
		if !slices.Equal(got, sortedRefs(objs)) {
			t.Errorf("paging by added_after saw %d objects, want all %d once", len(got), len(objs))
		}
	})
	t.Run("offsets are read in UTC", func(t *testing.T) {
		var env envelope
		b.get(t, objectsPath+"?added_after="+url.QueryEscape("2026-11-29T12:00:00.004+02:00")).decode(t, &env)
		if len(env.Objects) != len(want) {
			t.Errorf("got %d objects, want %d", len(env.Objects), len(want))
		}
	})
	t.Run("after everything", func(t *testing.T) {
		res := b.get(t, objectsPath+"?added_after=2030-01-01T00:00:00.000Z")
		res.wantStatus(t, http.StatusOK)
		var env envelope
		res.decode(t, &env)
		if len(env.Objects) != 0 || env.More || res.header.Get("X-TAXII-Date-Added-First") != "" {
			t.Errorf("empty page: %s, headers %v", res.body, res.header)
		}
	})
}

// versioned is a collection whose objects have several versions:
// A has three, C two, B and D one; D is STIX 2.0.
type versioned struct {
	a1, a2, a3, b, c1, c2, d taxii.Object
}

func setupVersioned(t testing.TB) (*testBundle, versioned) {
	t.Helper()
	b := setup(t)
	b.src.addCollection(taxii.Collection{ID: "vulns", Title: "Vulnerabilities"})
	ms := time.Millisecond
	v := versioned{
		a1: object("vulnerability", 1, t0, t0.Add(1*ms)),
		b:  object("attack-pattern", 2, t0.Add(5*ms), t0.Add(2*ms)),
		c1: object("relationship", 3, t0.Add(1*ms), t0.Add(3*ms)),
		a2: object("vulnerability", 1, t0.Add(10*ms), t0.Add(4*ms)),
		d:  object("marking-definition", 4, t0, t0.Add(5*ms)),
		c2: object("relationship", 3, t0.Add(20*ms), t0.Add(6*ms)),
		a3: object("vulnerability", 1, t0.Add(30*ms), t0.Add(7*ms)),
	}
	v.d.SpecVersion = "2.0"
	b.src.add("vulns", v.a1, v.b, v.c1, v.a2, v.d, v.c2, v.a3)
	return b, v
}

func refs(objs ...taxii.Object) []stixRef {
	out := make([]stixRef, len(objs))
	for i, o := range objs {
		out[i] = refOf(o)
	}
	return out
}

func TestMatchFilters(t *testing.T) {
	b, v := setupVersioned(t)
	for _, tc := range []struct {
		query string
		want  []taxii.Object
	}{
		{"", []taxii.Object{v.b, v.d, v.c2, v.a3}},
		{"match[version]=last", []taxii.Object{v.b, v.d, v.c2, v.a3}},
		{"match[version]=all", []taxii.Object{v.a1, v.b, v.c1, v.a2, v.d, v.c2, v.a3}},
		{"match[version]=first", []taxii.Object{v.a1, v.b, v.c1, v.d}},
		{"match[version]=first,last", []taxii.Object{v.a1, v.b, v.c1, v.d, v.c2, v.a3}},
		{"match[version]=first&match[version]=last", []taxii.Object{v.a1, v.b, v.c1, v.d, v.c2, v.a3}},
		{"match[version]=" + ts(v.a2.Version), []taxii.Object{v.a2}},
		{"match[version]=" + ts(v.a2.Version) + "," + ts(v.c2.Version), []taxii.Object{v.a2, v.c2}},
		{"match[type]=vulnerability,relationship", []taxii.Object{v.c2, v.a3}},
		{"match[type]=vulnerability&match[version]=all", []taxii.Object{v.a1, v.a2, v.a3}},
		{"match[id]=" + v.b.ID, []taxii.Object{v.b}},
		{"match[id]=" + v.b.ID + "," + v.c1.ID + "&match[version]=all", []taxii.Object{v.b, v.c1, v.c2}},
		{"match[id]=" + v.a1.ID + "&match[type]=relationship", nil},
		{"match[spec_version]=2.0", []taxii.Object{v.d}},
		{"match[spec_version]=2.1&match[version]=first", []taxii.Object{v.a1, v.b, v.c1}},
		{"match[type]=indicator", nil},
		{"match[relationship_type]=uses", []taxii.Object{v.b, v.d, v.c2, v.a3}}, // unknown filters are ignored
	} {
		t.Run(tc.query, func(t *testing.T) {
			res := b.get(t, objectsPath+"?"+tc.query)
			res.wantStatus(t, http.StatusOK)
			var env envelope
			res.decode(t, &env)
			if got, want := env.refs(t), refs(tc.want...); !slices.Equal(got, want) {
				t.Errorf("got %v\nwant %v", got, want)
			}
			if env.More {
				t.Error("more is true")
			}
		})
	}
}

func TestObjectsServedByteForByte(t *testing.T) {
	b := setup(t)
	b.src.addCollection(taxii.Collection{ID: "vulns", Title: "Vulnerabilities"})
	o := object("vulnerability", 1, t0, t0)
	o.JSON = []byte("{ \"name\" : \"caf\\u00e9 <script>\",\n  \"id\": \"" + o.ID + "\", \"type\":\"vulnerability\", \"x_big\": 12345678901234567890 }")
	b.src.add("vulns", o)
	for _, path := range []string{objectsPath, objectsPath + o.ID + "/"} {
		res := b.get(t, path)
		res.wantStatus(t, http.StatusOK)
		if !strings.Contains(string(res.body), `"objects":[`+string(o.JSON)+`]`) {
			t.Errorf("%s: the object was not copied byte-for-byte:\n%s", path, res.body)
		}
	}
}

func TestObject(t *testing.T) {
	b, v := setupVersioned(t)
	path := objectsPath + v.a1.ID + "/"
	for _, tc := range []struct {
		query string
		want  []taxii.Object
	}{
		{"", []taxii.Object{v.a3}},
		{"?match[version]=all", []taxii.Object{v.a1, v.a2, v.a3}},
		{"?match[version]=first", []taxii.Object{v.a1}},
		{"?match[version]=" + ts(v.a2.Version), []taxii.Object{v.a2}},
		{"?match[version]=all&added_after=" + ts(v.a1.Added), []taxii.Object{v.a2, v.a3}},
		{"?match[type]=attack-pattern", []taxii.Object{v.a3}}, // not a filter of this endpoint
	} {
		t.Run(tc.query, func(t *testing.T) {
			res := b.get(t, path+tc.query)
			res.wantStatus(t, http.StatusOK)
			var env envelope
			res.decode(t, &env)
			if got, want := env.refs(t), refs(tc.want...); !slices.Equal(got, want) {
				t.Errorf("got %v\nwant %v", got, want)
			}
			if got := res.header.Get("X-TAXII-Date-Added-Last"); got != ts(tc.want[len(tc.want)-1].Added) {
				t.Errorf("X-TAXII-Date-Added-Last = %q", got)
			}
		})
	}
	t.Run("paged", func(t *testing.T) {
		var env envelope
		b.get(t, path+"?match[version]=all&limit=2").decode(t, &env)
		if !env.More || len(env.Objects) != 2 {
			t.Fatalf("first page: more %v, %d objects", env.More, len(env.Objects))
		}
		var rest envelope
		b.get(t, path+"?match[version]=all&limit=2&next="+env.Next).decode(t, &rest)
		if got := append(env.refs(t), rest.refs(t)...); rest.More || !slices.Equal(got, refs(v.a1, v.a2, v.a3)) {
			t.Errorf("paged versions: %v, more %v", got, rest.More)
		}
	})
	b.get(t, objectsPath+stixID("vulnerability", 404)+"/").wantError(t, http.StatusNotFound, stixID("vulnerability", 404))
	b.get(t, path+"?match[version]=2020-01-01T00:00:00.000Z").wantError(t, http.StatusNotFound)
}

func TestBadParameters(t *testing.T) {
	b, v := setupVersioned(t)
	garbage := base64.RawURLEncoding.EncodeToString([]byte("1.x.y.z.w.id"))
	for _, tc := range []struct {
		path, query, mention string
	}{
		{objectsPath, "limit=0", "limit"},
		{objectsPath, "limit=-5", "limit"},
		{objectsPath, "limit=ten", "limit"},
		{objectsPath, "limit=1.5", "limit"},
		{objectsPath, "limit=", "limit"},
		{objectsPath, "added_after=yesterday", "added_after"},
		{objectsPath, "added_after=2026-13-01T00:00:00Z", "added_after"},
		{objectsPath, "added_after=2026-11-29", "added_after"},
		{objectsPath, "next=!!!", "next"},
		{objectsPath, "next=" + garbage, "next"},
		{objectsPath, "next=", "next"},
		{objectsPath, "match[version]=latest", "match[version]"},
		{objectsPath, "match[spec_version]=two", "match[spec_version]"},
		{objectsPath, "match[type]=", "match[type]"},
		{objectsPath, "match[id]=,", "match[id]"},
		{"/taxii2/aicc/collections/vulns/manifest/", "limit=0", "limit"},
		{objectsPath + v.a1.ID + "/", "match[version]=newest", "match[version]"},
		{objectsPath + v.a1.ID + "/versions/", "next=abc", "next"},
	} {
		t.Run(tc.path+"?"+tc.query, func(t *testing.T) {
			b.get(t, tc.path+"?"+tc.query).wantError(t, http.StatusBadRequest, tc.mention)
		})
	}
}

// FuzzQuery sends arbitrary query strings: the server must answer 200 or
// 400 with a TAXII JSON body, never fail.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"limit=3", "added_after=2026-11-29T10:00:00.003Z", "match[version]=first,last", "next=MS4wLjAuMC4wLmlk", "match[id]=%00"} {
		f.Add(s)
	}
	b, _ := setupVersioned(f)
	h := b.srv.Config.Handler
	f.Fuzz(func(t *testing.T, query string) {
		req := httptest.NewRequest(http.MethodGet, objectsPath, nil)
		req.URL.RawQuery = query // whatever bytes a client might send
		req.Header.Set("Authorization", "Bearer alice")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Fatalf("?%s: status %d: %s", query, w.Code, w.Body)
		}
		if !json.Valid(w.Body.Bytes()) || w.Header().Get("Content-Type") != taxii.MediaTypeTAXII {
			t.Fatalf("?%s: not a TAXII JSON response: %s", query, w.Body)
		}
	})
}
