package feed_test

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/feed"
	"github.com/aicc-dev/aicc/internal/aicc"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var exampleFeed = feed.Feed{
	Title:       "AI Cybersecurity Clearinghouse advisories",
	HomePageURL: "https://aicc.example/advisories",
	FeedURL:     "https://aicc.example/feeds/advisories",
	Publisher:   advisory.ExamplePublisher,
	Updated:     time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC),
}

// second is another published advisory, revised after the example.
func second() *advisory.Advisory {
	a := advisorytest.Example()
	a.ID, a.Revision, a.State = "AICC-2026-0051", 1, advisory.StatePublished
	a.Title = "Markdown image exfiltration in example-chat"
	a.Class, a.Family = aicc.ClassMarkdownExfiltration, "markdown_image"
	a.Taxonomy = aicc.Taxonomy{OWASP: []string{"LLM02:2025"}, CWE: []string{"CWE-200"}}
	a.Summary.Text = "example-chat 1.0 renders attacker-chosen image URLs that carry conversation data."
	a.Packages, a.Statement = nil, nil
	a.PublishedAt = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	a.RevisedAt, a.UpdatedAt = a.PublishedAt, a.PublishedAt
	a.History = []advisory.Revision{{Number: 1, Date: a.PublishedAt, Summary: "Initial public release."}}
	return a
}

// withdrawn is an older advisory, withdrawn after the example's revision.
func withdrawn() *advisory.Advisory {
	a := advisorytest.Example()
	a.ID, a.State = "AICC-2026-0007", advisory.StateWithdrawn
	a.WithdrawnAt = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	a.WithdrawReason = "The behaviour is documented and intended."
	return a
}

func all() []*advisory.Advisory {
	return []*advisory.Advisory{advisorytest.Example(), second(), withdrawn()}
}

// encoders are the two formats, for tests that hold for both.
var encoders = map[string]func([]*advisory.Advisory, feed.Feed) ([]byte, error){
	"json": feed.JSON,
	"atom": feed.Atom,
}

func TestGolden(t *testing.T) {
	for name, golden := range map[string]string{"json": "testdata/example.feed.json", "atom": "testdata/example.atom.xml"} {
		t.Run(name, func(t *testing.T) {
			b, err := encoders[name](all(), exampleFeed)
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(golden, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(b, want) {
				t.Errorf("output differs from %s (run go test -update after checking the change):\n%s", golden, b)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for name, enc := range encoders {
		t.Run(name, func(t *testing.T) {
			x, err := enc(all(), exampleFeed)
			if err != nil {
				t.Fatal(err)
			}
			y, _ := enc(all(), exampleFeed)
			reversed := all()
			slices.Reverse(reversed)
			for _, a := range reversed {
				slices.Reverse(a.Products)
				slices.Reverse(a.Packages)
			}
			z, err := enc(reversed, exampleFeed)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(x, y) || !bytes.Equal(x, z) {
				t.Errorf("the same advisories give different feeds:\n%s\n---\n%s", x, z)
			}
		})
	}
}

func TestPublishedOnly(t *testing.T) {
	draft := advisorytest.Example()
	draft.State, draft.Revision, draft.History = advisory.StateDraft, 1, nil
	draft.PublishedAt, draft.RevisedAt = time.Time{}, time.Time{}
	embargoed := advisorytest.Example()
	embargoed.State = advisory.StateEmbargoed
	for name, enc := range encoders {
		for state, a := range map[string]*advisory.Advisory{"draft": draft, "embargoed": embargoed} {
			t.Run(name+"/"+state, func(t *testing.T) {
				b, err := enc([]*advisory.Advisory{second(), a}, exampleFeed)
				if err == nil {
					t.Fatalf("a feed with a %s advisory:\n%s", state, b)
				}
				if aicc.KindOf(err) != aicc.KindConflict || !strings.Contains(err.Error(), "published advisories only") {
					t.Errorf("error %v (kind %s), want a conflict saying feeds carry published advisories only", err, aicc.KindOf(err))
				}
			})
		}
	}
}

func TestSummaryLevelOnly(t *testing.T) {
	a := advisorytest.Example() // the full copy: details and payload present
	for name, enc := range encoders {
		t.Run(name, func(t *testing.T) {
			b, err := enc([]*advisory.Advisory{a}, exampleFeed)
			if err != nil {
				t.Fatal(err)
			}
			for tier, text := range map[string]string{"details": a.Details.Text, "payload": a.Payload.Text} {
				if text == "" {
					t.Fatalf("the example has no %s text", tier)
				}
				for _, frag := range []string{text, text[:30], text[len(text)-30:]} {
					if bytes.Contains(b, []byte(frag)) {
						t.Errorf("the %s text (%q) is in the feed", tier, frag)
					}
				}
			}
			if !bytes.Contains(b, []byte("example-chat 1.0 discloses its system prompt")) {
				t.Error("the summary is not in the feed")
			}
		})
	}
}

func TestErrors(t *testing.T) {
	noTitle := exampleFeed
	noTitle.Title = ""
	noURL := exampleFeed
	noURL.FeedURL = ""
	noPublisher := exampleFeed
	noPublisher.Publisher = advisory.Publisher{}
	empty := exampleFeed
	empty.Updated = time.Time{}
	invalid := advisorytest.Example()
	invalid.Products = nil
	for _, tc := range []struct {
		name    string
		enc     string
		advs    []*advisory.Advisory
		f       feed.Feed
		message string
	}{
		{"no title", "json", all(), noTitle, "title"},
		{"no title", "atom", all(), noTitle, "title"},
		{"no feed URL", "atom", all(), noURL, "feed's URL"},
		{"no publisher", "json", all(), noPublisher, "publisher"},
		{"twice", "json", []*advisory.Advisory{second(), second()}, exampleFeed, "given twice"},
		{"twice", "atom", []*advisory.Advisory{second(), second()}, exampleFeed, "given twice"},
		{"nil", "json", []*advisory.Advisory{nil}, exampleFeed, "no advisory"},
		{"invalid", "atom", []*advisory.Advisory{invalid}, exampleFeed, "products"},
		{"empty without date", "atom", nil, empty, "Updated"},
	} {
		t.Run(tc.enc+"/"+tc.name, func(t *testing.T) {
			b, err := encoders[tc.enc](tc.advs, tc.f)
			if err == nil {
				t.Fatalf("no error:\n%s", b)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error %q does not mention %q", err, tc.message)
			}
		})
	}
}
