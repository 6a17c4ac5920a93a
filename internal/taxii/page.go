package taxii

import (
	"context"
	"fmt"
	"net/http"
)

// page is one page of a Source's answer.
type page struct {
	objects []Object
	more    bool
	next    string // the token for the page after this one, when more
}

// fetch asks root's Source for one page of a collection and checks that the
// answer keeps the paging contract, so that clients walking next always
// make progress.
func fetch(ctx context.Context, root *APIRoot, collectionID string, q Query) (page, error) {
	objs, err := root.Source.Objects(ctx, collectionID, q)
	if err != nil {
		return page{}, fmt.Errorf("objects of collection %q: %w", collectionID, err)
	}
	for i, o := range objs {
		if !q.Follows(o) || (i > 0 && Compare(objs[i-1], o) >= 0) {
			return page{}, fmt.Errorf("objects of collection %q: the Source broke the paging contract at %s (added %s): objects must follow the query's position in strictly ascending (added, id, version) order",
				collectionID, o.ID, formatTime(o.Added))
		}
	}
	p := page{objects: objs}
	if len(objs) > q.Limit {
		p.objects, p.more = objs[:q.Limit], true
		p.next = CursorOf(p.objects[q.Limit-1]).String()
	}
	return p, nil
}

// setDateAdded sets the X-TAXII-Date-Added-First and -Last headers to the
// date_added of the page's first and last objects.
func setDateAdded(h http.Header, p page) {
	if len(p.objects) == 0 {
		return
	}
	h.Set("X-TAXII-Date-Added-First", formatTime(p.objects[0].Added))
	h.Set("X-TAXII-Date-Added-Last", formatTime(p.objects[len(p.objects)-1].Added))
}
