package taxii_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/taxii"
)

// fakeSource is an in-memory Source. Each collection holds its objects in a
// slice sorted by taxii.Compare, and Objects binary-searches for the first
// object after the query's position, so it costs O(log n + page) like an
// indexed store.
type fakeSource struct {
	collections []*fakeCollection
	err         error                               // when set, every call fails with it
	rewrite     func([]taxii.Object) []taxii.Object // when set, corrupts answers
}

var _ taxii.Source = (*fakeSource)(nil)

type fakeCollection struct {
	taxii.Collection
	readers []string // callers who may read it; empty means everyone
	objects []taxii.Object
	bounds  map[string][2]time.Time // first and last version of each id
}

// addCollection adds a collection that readers (everyone, if none) may read.
func (f *fakeSource) addCollection(c taxii.Collection, readers ...string) {
	f.collections = append(f.collections, &fakeCollection{Collection: c, readers: readers, bounds: map[string][2]time.Time{}})
}

// add puts objects into a collection, keeping it sorted.
func (f *fakeSource) add(collectionID string, objs ...taxii.Object) {
	i := slices.IndexFunc(f.collections, func(c *fakeCollection) bool { return c.ID == collectionID })
	if i < 0 {
		panic("fake: no collection " + collectionID)
	}
	c := f.collections[i]
	c.objects = append(c.objects, objs...)
	slices.SortFunc(c.objects, taxii.Compare)
	for _, o := range objs {
		b, ok := c.bounds[o.ID]
		if !ok {
			b = [2]time.Time{o.Version, o.Version}
		}
		if o.Version.Before(b[0]) {
			b[0] = o.Version
		}
		if o.Version.After(b[1]) {
			b[1] = o.Version
		}
		c.bounds[o.ID] = b
	}
}

func (f *fakeSource) visible(ctx context.Context, c *fakeCollection) bool {
	return len(c.readers) == 0 || slices.Contains(c.readers, callerOf(ctx))
}

func (f *fakeSource) Collections(ctx context.Context) ([]taxii.Collection, error) {
	if f.err != nil {
		return nil, f.err
	}
	var out []taxii.Collection
	for _, c := range f.collections {
		if f.visible(ctx, c) {
			out = append(out, c.Collection)
		}
	}
	return out, nil
}

func (f *fakeSource) Objects(ctx context.Context, collectionID string, q taxii.Query) ([]taxii.Object, error) {
	if f.err != nil {
		return nil, f.err
	}
	i := slices.IndexFunc(f.collections, func(c *fakeCollection) bool { return c.ID == collectionID })
	if i < 0 || !f.visible(ctx, f.collections[i]) {
		return nil, fmt.Errorf("collection %q: %w", collectionID, taxii.ErrNotFound)
	}
	c := f.collections[i]
	start := sort.Search(len(c.objects), func(i int) bool { return q.Follows(c.objects[i]) })
	out := make([]taxii.Object, 0, min(q.Limit+1, len(c.objects)-start))
	for _, o := range c.objects[start:] {
		b := c.bounds[o.ID]
		if q.Matches(o, b[0], b[1]) {
			out = append(out, o)
			if len(out) == q.Limit+1 {
				break
			}
		}
	}
	if f.rewrite != nil {
		out = f.rewrite(out)
	}
	return out, nil
}

type callerKey struct{}

// authenticate is the tests' Config.Authenticate: "Authorization: Bearer
// <name>" makes <name> the caller.
func authenticate(r *http.Request) (context.Context, error) {
	name, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || name == "" {
		return nil, errors.New("no bearer token")
	}
	return context.WithValue(r.Context(), callerKey{}, name), nil
}

func callerOf(ctx context.Context) string {
	name, _ := ctx.Value(callerKey{}).(string)
	return name
}

// t0 is the tests' epoch.
var t0 = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

// stixID is a deterministic STIX id of type typ.
func stixID(typ string, n int) string {
	return fmt.Sprintf("%s--00000000-0000-4000-8000-%012d", typ, n)
}

// object is one version of a STIX object whose JSON carries its id, type,
// modified and spec_version.
func object(typ string, n int, version, added time.Time) taxii.Object {
	id := stixID(typ, n)
	return taxii.Object{
		ID: id, Type: typ, Version: version, Added: added, SpecVersion: "2.1",
		JSON: fmt.Appendf(nil, `{"type":%q,"spec_version":"2.1","id":%q,"created":"2026-01-01T00:00:00.000Z","modified":%q,"name":"object %d"}`,
			typ, id, version.UTC().Format("2006-01-02T15:04:05.000Z"), n),
	}
}
