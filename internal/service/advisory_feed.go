package service

import (
	"context"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/feed"
	"github.com/aicc-dev/aicc/internal/aicc"
)

// feedSize is how many advisories a feed lists: the latest revisions.
const feedSize = 200

// Feed renders the feed of published advisories as p may see them (the
// public, TLP:CLEAR view without credentials), newest revision first, in
// JSON Feed 1.1 ("json") or Atom 1.0 ("atom"). With a subscription of p's
// organization, only the advisories matching its filter are listed.
// Feeds carry summaries only, never details or payloads.
func (s *Service) Feed(ctx context.Context, p aicc.Principal, format, subscriptionID string) ([]byte, error) {
	var filter *advisory.Filter
	if subscriptionID != "" {
		sb, err := s.st.GetAdvisorySubscription(ctx, subscriptionID)
		if err != nil || p.Anonymous() || sb.OrgID != p.OrgID {
			return nil, &aicc.Error{Kind: aicc.KindNotFound, Message: "subscription " + subscriptionID + " not found"}
		}
		filter = &sb.Filter
	}
	// Most feeds fill from the newest revisions; read them all only when
	// the reader may see too few of those.
	v := viewer(p)
	pick := func(as []*advisory.Advisory) []*advisory.Advisory {
		var items []*advisory.Advisory
		for _, a := range as {
			if va := advisory.Visible(a, v); va != nil && (filter == nil || filter.Matches(va)) {
				items = append(items, summaryView(va)) // feeds carry the summary tier only
				if len(items) == feedSize {
					break
				}
			}
		}
		return items
	}
	as, err := s.st.ListPublished(ctx, 4*feedSize)
	if err != nil {
		return nil, err
	}
	items := pick(as)
	if len(items) < feedSize && len(as) == 4*feedSize {
		if as, err = s.st.ListPublished(ctx, 0); err != nil {
			return nil, err
		}
		items = pick(as)
	}
	updated := time.Unix(0, 0).UTC() // an empty feed: a fixed date, so that it reads the same every time
	if len(items) > 0 {
		updated = items[0].RevisedAt // the newest revision comes first
	}
	base := strings.TrimRight(s.publisher.BaseURL, "/")
	f := feed.Feed{Title: s.publisher.Name + " advisories", HomePageURL: base, Publisher: s.publisher, Updated: updated}
	switch format {
	case "json":
		f.FeedURL = base + "/feeds/advisories.json"
		return feed.JSON(items, f)
	case "atom":
		f.FeedURL = base + "/feeds/advisories.atom"
		return feed.Atom(items, f)
	}
	return nil, aicc.Errorf(aicc.KindInvalid, "feed format %q: json or atom", format)
}

func withheld(t advisory.Tier) advisory.Tier {
	if t.Text == "" {
		return t
	}
	return advisory.Tier{TLP: t.TLP, Withheld: true}
}
