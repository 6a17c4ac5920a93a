package taxii_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aicc-dev/aicc/internal/taxii"
)

type collectionJSON struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Alias       string   `json:"alias"`
	CanRead     *bool    `json:"can_read"`
	CanWrite    *bool    `json:"can_write"`
	MediaTypes  []string `json:"media_types"`
}

func TestCollectionsPerCaller(t *testing.T) {
	b := setup(t)
	b.src.addCollection(taxii.Collection{ID: "public", Title: "Published advisories", Alias: "advisories"})
	b.src.addCollection(taxii.Collection{ID: "embargoed", Title: "Embargoed advisories", Description: "vendors only"}, "alice")
	b.src.add("embargoed", object("vulnerability", 1, t0, t0))
	obj := stixID("vulnerability", 1)

	list := func(caller string) []collectionJSON {
		t.Helper()
		res := b.do(t, "/taxii2/aicc/collections/", request{caller: caller})
		res.wantStatus(t, http.StatusOK)
		var body struct{ Collections []collectionJSON }
		res.decode(t, &body)
		return body.Collections
	}
	ids := func(cs []collectionJSON) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}

	alice := list("alice")
	if got := ids(alice); !slices.Equal(got, []string{"public", "embargoed"}) {
		t.Fatalf("alice sees %q, want public and embargoed", got)
	}
	for _, c := range alice {
		if c.CanRead == nil || !*c.CanRead || c.CanWrite == nil || *c.CanWrite {
			t.Errorf("collection %s: can_read %v can_write %v, want true and false", c.ID, c.CanRead, c.CanWrite)
		}
		if !slices.Equal(c.MediaTypes, []string{taxii.MediaTypeSTIX}) {
			t.Errorf("collection %s: media_types %q", c.ID, c.MediaTypes)
		}
	}
	if alice[0].Alias != "advisories" || alice[1].Description != "vendors only" || alice[1].Title != "Embargoed advisories" {
		t.Errorf("collections lost their fields: %+v", alice)
	}
	if got := ids(list("bob")); !slices.Equal(got, []string{"public"}) {
		t.Errorf("bob sees %q, want only public", got)
	}

	t.Run("one collection", func(t *testing.T) {
		res := b.get(t, "/taxii2/aicc/collections/embargoed/")
		res.wantStatus(t, http.StatusOK)
		var c collectionJSON
		res.decode(t, &c)
		if c.ID != "embargoed" || c.Title != "Embargoed advisories" || !*c.CanRead || *c.CanWrite {
			t.Errorf("collection = %s", res.body)
		}
	})

	// What bob gets for the hidden collection must be exactly what he gets
	// for one that does not exist, so he cannot learn that it exists.
	for _, suffix := range []string{"/", "/objects/", "/manifest/", "/objects/" + obj + "/", "/objects/" + obj + "/versions/"} {
		t.Run("hidden "+suffix, func(t *testing.T) {
			hidden := b.do(t, "/taxii2/aicc/collections/embargoed"+suffix, request{caller: "bob"})
			hidden.wantError(t, http.StatusNotFound)
			missing := b.do(t, "/taxii2/aicc/collections/nonexistent"+suffix, request{caller: "bob"})
			missing.wantError(t, http.StatusNotFound)
			if string(hidden.body) != strings.ReplaceAll(string(missing.body), "nonexistent", "embargoed") {
				t.Errorf("hidden and missing collections answer differently:\n%s\n%s", hidden.body, missing.body)
			}
			if alice := b.get(t, "/taxii2/aicc/collections/embargoed"+suffix); alice.status != http.StatusOK {
				t.Errorf("alice: status %d for %s", alice.status, suffix)
			}
		})
	}
	t.Run("bad parameters on a hidden collection are still 404", func(t *testing.T) {
		b.do(t, "/taxii2/aicc/collections/embargoed/objects/?limit=0", request{caller: "bob"}).wantError(t, http.StatusNotFound)
	})
}

func TestPerRootSource(t *testing.T) {
	public := &fakeSource{}
	public.addCollection(taxii.Collection{ID: "feed", Title: "Public feed"})
	b := setup(t, func(c *taxii.Config) {
		c.APIRoots = []taxii.APIRoot{{Name: "aicc"}, {Name: "public", Source: public}}
	})
	b.src.addCollection(taxii.Collection{ID: "private", Title: "Private"})
	for root, want := range map[string]string{"aicc": "private", "public": "feed"} {
		var body struct{ Collections []collectionJSON }
		b.get(t, "/taxii2/"+root+"/collections/").decode(t, &body)
		if len(body.Collections) != 1 || body.Collections[0].ID != want {
			t.Errorf("root %s lists %+v, want only %s", root, body.Collections, want)
		}
	}
	b.get(t, "/taxii2/public/collections/private/").wantError(t, http.StatusNotFound)
}
