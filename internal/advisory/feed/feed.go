package feed

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// Feed describes a feed.
type Feed struct {
	Title       string
	HomePageURL string // the page the feed is about
	FeedURL     string // where the feed is: Atom's self link and id
	Publisher   advisory.Publisher
	// Updated is when the feed last changed: the caller passes the latest
	// revision date among the advisories. Zero means just that.
	Updated time.Time
}

// item is one advisory, ready to render.
type item struct {
	a                  *advisory.Advisory
	url, title         string
	summary, content   string
	published, updated time.Time
	tags               []string
}

// items checks f and advs and returns the items, newest revision first,
// ties by ID.
func items(advs []*advisory.Advisory, f Feed) ([]item, error) {
	if strings.TrimSpace(f.Title) == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "the feed's title is required")
	}
	if strings.TrimSpace(f.Publisher.BaseURL) == "" || strings.TrimSpace(f.Publisher.Name) == "" {
		return nil, errors.New("the publisher's name and base URL are required")
	}
	out := make([]item, 0, len(advs))
	seen := map[string]bool{}
	for i, a := range advs {
		if a == nil {
			return nil, fmt.Errorf("item %d: no advisory", i)
		}
		if !a.State.Public() {
			return nil, aicc.Errorf(aicc.KindConflict, "advisory %s is %s: feeds are public channels and carry published advisories only", a.ID, a.State)
		}
		if err := a.Validate(); err != nil {
			return nil, err
		}
		if seen[a.ID] {
			return nil, aicc.Errorf(aicc.KindInvalid, "advisory %s is given twice: a feed has one item per advisory", a.ID)
		}
		seen[a.ID] = true
		title := a.ID + ": " + a.Title
		if a.State == advisory.StateWithdrawn {
			title = "[WITHDRAWN] " + title
		}
		var summary string
		if !a.Summary.Withheld {
			summary = strings.TrimSpace(a.Summary.Text)
		}
		out = append(out, item{a: a, url: f.Publisher.URL(a.ID), title: title, summary: summary, content: content(a, summary),
			published: a.PublishedAt, updated: revised(a), tags: tags(a)})
	}
	slices.SortFunc(out, func(x, y item) int {
		return cmp.Or(y.updated.Compare(x.updated), strings.Compare(x.a.ID, y.a.ID))
	})
	return out, nil
}

// updated is the feed's date: f.Updated, else the newest item's.
func updated(f Feed, items []item) time.Time {
	if !f.Updated.IsZero() || len(items) == 0 {
		return f.Updated
	}
	return items[0].updated
}

// revised is the date of a's current revision, or of its withdrawal when
// later.
func revised(a *advisory.Advisory) time.Time {
	t := cmp.Or(a.RevisedAt, a.PublishedAt)
	if a.State == advisory.StateWithdrawn && a.WithdrawnAt.After(t) {
		t = a.WithdrawnAt
	}
	return t
}

// date is an RFC 3339 date in UTC, to the second; "" for the zero time.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// tags are the class and the taxonomy IDs, each once.
func tags(a *advisory.Advisory) []string {
	var out []string
	for _, group := range [][]string{{string(a.Class)}, a.Taxonomy.OWASP, a.Taxonomy.ATLAS, a.Taxonomy.CWE} {
		for _, t := range group {
			if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}
