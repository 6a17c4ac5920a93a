package feed

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// JSONFeedVersion is the version URL of the JSON Feed format written.
const JSONFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url,omitempty"`
	FeedURL     string       `json:"feed_url,omitempty"`
	Language    string       `json:"language"`
	Authors     []jsonAuthor `json:"authors"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string   `json:"id"`
	URL           string   `json:"url"`
	Title         string   `json:"title"`
	Summary       string   `json:"summary,omitempty"`
	ContentText   string   `json:"content_text"`
	DatePublished string   `json:"date_published,omitempty"`
	DateModified  string   `json:"date_modified"`
	Tags          []string `json:"tags,omitempty"`
	AICC          jsonExt  `json:"_aicc"`
}

// jsonExt is the item's extension (JSON Feed's "_" keys): what a program
// filtering advisories needs.
type jsonExt struct {
	About     string         `json:"about"`
	Revision  int            `json:"revision"`
	State     advisory.State `json:"state"`
	TLP       aicc.TLP       `json:"tlp"` // the summary's label
	Severity  aicc.Severity  `json:"severity,omitempty"`
	CVSSScore float64        `json:"cvss_score"`
	Class     aicc.Class     `json:"class"`
	Developer string         `json:"developer"`
}

// JSON returns a JSON Feed 1.1 of advs, which must all be published.
func JSON(advs []*advisory.Advisory, f Feed) ([]byte, error) {
	its, err := items(advs, f)
	if err != nil {
		return nil, fmt.Errorf("json feed: %w", err)
	}
	doc := jsonFeed{Version: JSONFeedVersion, Title: f.Title, HomePageURL: f.HomePageURL, FeedURL: f.FeedURL, Language: "en",
		Authors: []jsonAuthor{{Name: f.Publisher.Name, URL: f.Publisher.Namespace}}, Items: make([]jsonItem, len(its))}
	for i, it := range its {
		a := it.a
		doc.Items[i] = jsonItem{ID: it.url, URL: it.url, Title: it.title, Summary: it.summary, ContentText: it.content,
			DatePublished: date(it.published), DateModified: date(it.updated), Tags: it.tags,
			AICC: jsonExt{About: f.Publisher.Namespace, Revision: a.Revision, State: a.State, TLP: a.Summary.TLP,
				Severity: a.Severity.Rating, CVSSScore: a.Severity.CVSSScore, Class: a.Class, Developer: a.Developer}}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("json feed: %w", err)
	}
	return buf.Bytes(), nil
}
