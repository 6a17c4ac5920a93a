package feed_test

import (
	"encoding/xml"
	"fmt"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/advisorytest"
	"github.com/aicc-dev/aicc/internal/advisory/feed"
)

func ExampleAtom() {
	// The public feed: what an anonymous reader may see of each advisory.
	a := advisory.Visible(advisorytest.Example(), advisory.Anonymous)
	b, err := feed.Atom([]*advisory.Advisory{a}, feed.Feed{
		Title:     "AI Cybersecurity Clearinghouse advisories",
		FeedURL:   "https://aicc.example/feeds/advisories.atom",
		Publisher: advisory.ExamplePublisher,
		Updated:   a.RevisedAt,
	})
	if err != nil {
		panic(err)
	}
	var f struct {
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(b, &f); err != nil {
		panic(err)
	}
	for _, e := range f.Entries {
		fmt.Println(e.ID)
		fmt.Println(e.Title)
		fmt.Println(e.Updated)
	}
	// Output:
	// https://aicc.example/advisories/AICC-2026-0042
	// AICC-2026-0042: System prompt extraction through role-play in example-chat
	// 2026-11-25T14:00:00Z
}
