package api

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/service"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/taxii"
)

// taxiiSource serves the service's per-audience TAXII collections to the
// caller ServeHTTP authenticated (anonymous callers read the public one).
type taxiiSource struct{ svc *service.Service }

func (t taxiiSource) Collections(ctx context.Context) ([]taxii.Collection, error) {
	cs, err := t.svc.TAXIICollections(ctx, principalOf(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]taxii.Collection, 0, len(cs))
	for _, c := range cs {
		out = append(out, taxii.Collection{ID: c.ID, Title: c.Title, Description: c.Description})
	}
	return out, nil
}

func (t taxiiSource) Objects(ctx context.Context, collection string, q taxii.Query) ([]taxii.Object, error) {
	if len(q.SpecVersions) > 0 && !slices.Contains(q.SpecVersions, "2.1") {
		return nil, nil // every object is STIX 2.1
	}
	objs, err := t.svc.TAXIIObjects(ctx, principalOf(ctx), store.TAXIIQuery{
		Collection: collection, AfterAdded: q.After.Added, AfterID: q.After.ID, AfterModified: q.After.Version,
		AddedAfter: q.AddedAfter, Limit: q.Limit + 1, IDs: q.IDs, Types: q.Types,
		AllVersions: q.Versions.All, FirstVersion: q.Versions.First, LastVersion: q.Versions.Last, VersionsAt: q.Versions.At,
	})
	if aicc.KindOf(err) == aicc.KindNotFound {
		return nil, errors.Join(taxii.ErrNotFound, err)
	}
	if err != nil {
		return nil, err
	}
	out := make([]taxii.Object, len(objs))
	for i, o := range objs {
		out[i] = taxii.Object{ID: o.ID, Type: o.Type, Version: o.Modified, Added: o.Added, SpecVersion: o.SpecVersion, JSON: o.JSON}
	}
	return out, nil
}

// taxiiHandler is the TAXII 2.1 server at /taxii2/.
func (s *Server) taxiiHandler() (http.Handler, error) {
	pub := s.svc.Publisher()
	return taxii.New(taxii.Config{
		Source:      taxiiSource{s.svc},
		Title:       pub.Name + " advisories",
		Contact:     pub.ContactDetails,
		Description: "STIX 2.1 objects of the clearinghouse's published advisories, one collection per audience.",
		APIRoots:    []taxii.APIRoot{{Name: "aicc", Title: "AI Cybersecurity Clearinghouse advisories"}},
		// ServeHTTP has authenticated the caller (Bearer, or Basic with
		// the API token as the password); without credentials the caller
		// reads the public collection only.
		Authenticate: func(r *http.Request) (context.Context, error) { return r.Context(), nil },
		Challenge:    `Bearer realm="aicc"`,
		Logger:       s.log,
	})
}
