package taxii_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/aicc-dev/aicc/internal/taxii"
)

func TestManifest(t *testing.T) {
	b, v := setupVersioned(t)
	type record struct {
		ID        string `json:"id"`
		DateAdded string `json:"date_added"`
		Version   string `json:"version"`
		MediaType string `json:"media_type"`
	}
	type manifest struct {
		More    bool     `json:"more"`
		Next    string   `json:"next"`
		Objects []record `json:"objects"`
	}
	rec := func(o taxii.Object, mediaType string) record {
		return record{ID: o.ID, DateAdded: ts(o.Added), Version: ts(o.Version), MediaType: mediaType}
	}
	const stix21, stix20 = "application/stix+json;version=2.1", "application/stix+json;version=2.0"

	res := b.get(t, "/taxii2/aicc/collections/vulns/manifest/")
	res.wantStatus(t, http.StatusOK)
	var m manifest
	res.decode(t, &m)
	want := []record{rec(v.b, stix21), rec(v.d, stix20), rec(v.c2, stix21), rec(v.a3, stix21)}
	if m.More || !slices.Equal(m.Objects, want) {
		t.Errorf("manifest = %s\nwant %+v", res.body, want)
	}
	if res.header.Get("X-TAXII-Date-Added-First") != ts(v.b.Added) || res.header.Get("X-TAXII-Date-Added-Last") != ts(v.a3.Added) {
		t.Errorf("manifest headers %v", res.header)
	}

	t.Run("paged, all versions", func(t *testing.T) {
		var got []record
		q := "?match[version]=all&limit=3"
		for range 5 {
			var m manifest
			b.get(t, "/taxii2/aicc/collections/vulns/manifest/"+q).decode(t, &m)
			got = append(got, m.Objects...)
			if !m.More {
				break
			}
			q = "?match[version]=all&limit=3&next=" + m.Next
		}
		want := []record{rec(v.a1, stix21), rec(v.b, stix21), rec(v.c1, stix21), rec(v.a2, stix21), rec(v.d, stix20), rec(v.c2, stix21), rec(v.a3, stix21)}
		if !slices.Equal(got, want) {
			t.Errorf("paged manifest = %+v", got)
		}
	})
	t.Run("filtered", func(t *testing.T) {
		var m manifest
		b.get(t, "/taxii2/aicc/collections/vulns/manifest/?match[type]=relationship&match[version]=first").decode(t, &m)
		if !slices.Equal(m.Objects, []record{rec(v.c1, stix21)}) {
			t.Errorf("filtered manifest = %+v", m.Objects)
		}
	})
}

func TestVersions(t *testing.T) {
	b, v := setupVersioned(t)
	type versions struct {
		More     bool     `json:"more"`
		Next     string   `json:"next"`
		Versions []string `json:"versions"`
	}
	path := objectsPath + v.a1.ID + "/versions/"
	res := b.get(t, path)
	res.wantStatus(t, http.StatusOK)
	var got versions
	res.decode(t, &got)
	want := []string{ts(v.a1.Version), ts(v.a2.Version), ts(v.a3.Version)}
	if got.More || !slices.Equal(got.Versions, want) {
		t.Errorf("versions = %s, want %q", res.body, want)
	}
	if res.header.Get("X-TAXII-Date-Added-First") != ts(v.a1.Added) || res.header.Get("X-TAXII-Date-Added-Last") != ts(v.a3.Added) {
		t.Errorf("versions headers %v", res.header)
	}

	var first, rest versions
	b.get(t, path+"?limit=2").decode(t, &first)
	b.get(t, path+"?limit=2&next="+first.Next).decode(t, &rest)
	if !first.More || rest.More || !slices.Equal(append(first.Versions, rest.Versions...), want) {
		t.Errorf("paged versions: %+v then %+v", first, rest)
	}

	b.get(t, path+"?added_after="+ts(v.a2.Added)).decode(t, &got)
	if !slices.Equal(got.Versions, want[2:]) {
		t.Errorf("versions added after a2: %q", got.Versions)
	}
	b.get(t, objectsPath+stixID("vulnerability", 404)+"/versions/").wantError(t, http.StatusNotFound)
}
