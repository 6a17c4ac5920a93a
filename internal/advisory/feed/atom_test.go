package feed_test

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/feed"
)

// atom is an Atom feed as a consumer decodes it; the names are in the
// Atom namespace, so a feed in another namespace decodes as empty.
type atom struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"http://www.w3.org/2005/Atom id"`
	Title   string   `xml:"http://www.w3.org/2005/Atom title"`
	Updated string   `xml:"http://www.w3.org/2005/Atom updated"`
	Author  struct {
		Name string `xml:"http://www.w3.org/2005/Atom name"`
	} `xml:"http://www.w3.org/2005/Atom author"`
	Links   []atomLink `xml:"http://www.w3.org/2005/Atom link"`
	Entries []struct {
		ID         string     `xml:"http://www.w3.org/2005/Atom id"`
		Title      string     `xml:"http://www.w3.org/2005/Atom title"`
		Updated    string     `xml:"http://www.w3.org/2005/Atom updated"`
		Published  string     `xml:"http://www.w3.org/2005/Atom published"`
		Links      []atomLink `xml:"http://www.w3.org/2005/Atom link"`
		Summary    string     `xml:"http://www.w3.org/2005/Atom summary"`
		Content    string     `xml:"http://www.w3.org/2005/Atom content"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"http://www.w3.org/2005/Atom category"`
	} `xml:"http://www.w3.org/2005/Atom entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

func decodeAtom(t *testing.T, advs []*advisory.Advisory, f feed.Feed) atom {
	t.Helper()
	b, err := feed.Atom(advs, f)
	if err != nil {
		t.Fatalf("Atom: %v", err)
	}
	if !bytes.HasPrefix(b, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("no XML declaration:\n%s", b)
	}
	var d atom
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	return d
}

func rfc3339(t *testing.T, what, s string) {
	t.Helper()
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		t.Errorf("%s %q is not an RFC 3339 date", what, s)
	}
}

func TestAtom(t *testing.T) {
	d := decodeAtom(t, all(), exampleFeed)
	if d.ID != exampleFeed.FeedURL || d.Title != exampleFeed.Title || d.Updated != "2026-12-03T10:00:00Z" {
		t.Errorf("feed id %q title %q updated %q", d.ID, d.Title, d.Updated)
	}
	if d.Author.Name != advisory.ExamplePublisher.Name {
		t.Errorf("author %q", d.Author.Name)
	}
	if !slices.Contains(d.Links, atomLink{Rel: "self", Href: exampleFeed.FeedURL}) {
		t.Errorf("no self link in %v", d.Links)
	}
	var ids []string
	for _, e := range d.Entries {
		ids = append(ids, e.ID)
		if e.ID == "" || e.Title == "" {
			t.Errorf("entry %+v lacks its id or title", e)
		}
		rfc3339(t, "entry updated", e.Updated)
		if !slices.Contains(e.Links, atomLink{Rel: "alternate", Href: e.ID}) {
			t.Errorf("entry %s: no alternate link to the advisory in %v", e.ID, e.Links)
		}
	}
	wantIDs := []string{"https://aicc.example/advisories/AICC-2026-0051", "https://aicc.example/advisories/AICC-2026-0007",
		"https://aicc.example/advisories/AICC-2026-0042"}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("entry ids %v, want newest revision first %v", ids, wantIDs)
	}
	if got := d.Entries[1].Title; got != "[WITHDRAWN] AICC-2026-0007: System prompt extraction through role-play in example-chat" {
		t.Errorf("withdrawn title %q", got)
	}
	ex := d.Entries[2]
	if ex.Updated != "2026-11-25T14:00:00Z" || ex.Published != "2026-11-20T00:00:00Z" {
		t.Errorf("updated %q published %q", ex.Updated, ex.Published)
	}
	if ex.Summary != advisorytest.Example().Summary.Text {
		t.Errorf("summary %q", ex.Summary)
	}
	// Line breaks survive as line breaks.
	if !strings.Contains(ex.Content, "Model versions (Example AI):\n- example-chat 1.0 (API): affected") {
		t.Errorf("content:\n%s", ex.Content)
	}
	var terms []string
	for _, c := range ex.Categories {
		terms = append(terms, c.Term)
	}
	if want := []string{"system_prompt_extraction", "LLM07:2025", "AML.T0051.000", "AML.T0056", "CWE-200"}; !slices.Equal(terms, want) {
		t.Errorf("categories %v, want %v", terms, want)
	}
}

func TestAtomUpdated(t *testing.T) {
	f := exampleFeed
	f.Updated = time.Time{}
	if d := decodeAtom(t, all(), f); d.Updated != "2026-12-03T10:00:00Z" {
		t.Errorf("without Feed.Updated: updated %q, want the newest revision's date", d.Updated)
	}
	f.Updated = time.Date(2026, 12, 4, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	if d := decodeAtom(t, all(), f); d.Updated != "2026-12-03T23:00:00Z" {
		t.Errorf("with Feed.Updated: updated %q, want it in UTC", d.Updated)
	}
	if d := decodeAtom(t, nil, exampleFeed); len(d.Entries) != 0 || d.Updated != "2026-12-03T10:00:00Z" {
		t.Errorf("empty feed: %d entries, updated %q", len(d.Entries), d.Updated)
	}
}

func TestAtomEscapes(t *testing.T) {
	a := second()
	a.Title = `Injection through <img src=x onerror="alert(1)"> & friends`
	d := decodeAtom(t, []*advisory.Advisory{a}, exampleFeed)
	if want := "AICC-2026-0051: " + a.Title; d.Entries[0].Title != want {
		t.Errorf("title %q, want %q", d.Entries[0].Title, want)
	}
}
