package service

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/advisory/stix"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// TAXII collections are per audience: each holds the STIX rendering of
// every published advisory as that audience may see it (advisory.Visible),
// so a collection never holds what its readers may not see.
const (
	collPublic        = "public"        // what anyone may see: TLP:CLEAR
	collClearinghouse = "clearinghouse" // everything published
	collKindPrefix    = "kind-"         // kind-operator: what every operator may see
	collOrgPrefix     = "org-"          // org-<id>: what one organization named in an audience (or the developer) may see
)

// consumerKinds are the kinds with a collection of their own.
var consumerKinds = []aicc.OrgKind{aicc.OrgAgency, aicc.OrgOperator, aicc.OrgOSS, aicc.OrgDeveloper}

type audienceView struct {
	collection string
	viewer     advisory.Viewer
}

// audiences lists the collections a's revision goes to.
func audiences(ctx context.Context, r store.ServiceReader, a *advisory.Advisory) ([]audienceView, error) {
	out := []audienceView{{collPublic, advisory.Anonymous}, {collClearinghouse, advisory.Viewer{Kind: aicc.OrgClearinghouse}}}
	for _, k := range consumerKinds {
		out = append(out, audienceView{collKindPrefix + string(k), advisory.Viewer{Kind: k}})
	}
	orgs := []string{a.DeveloperOrgID}
	for _, t := range []advisory.Tier{a.Summary, a.Details, a.Payload} {
		orgs = append(orgs, t.Audience.Orgs...)
	}
	slices.Sort(orgs)
	for _, id := range slices.Compact(orgs) {
		o, err := r.GetOrg(ctx, id)
		if errors.Is(err, aicc.ErrNotFound) {
			continue // an audience may name an organization that is gone
		}
		if err != nil {
			return nil, err
		}
		out = append(out, audienceView{collOrgPrefix + o.ID, advisory.Viewer{OrgID: o.ID, Kind: o.Kind}})
	}
	return out, nil
}

// publishTAXII adds a's current revision to every collection of an
// audience that may see it.
func (s *Service) publishTAXII(ctx context.Context, tx store.ServiceTx, a *advisory.Advisory) error {
	views, err := audiences(ctx, tx, a)
	if err != nil {
		return err
	}
	added := s.clock()
	var rows []store.TAXIIObject
	for _, av := range views {
		v := advisory.Visible(a, av.viewer)
		if v == nil {
			continue
		}
		objs, err := stix.Objects(v, s.publisher)
		if err != nil {
			return err
		}
		for _, o := range objs {
			rows = append(rows, store.TAXIIObject{Collection: av.collection, ID: o.ID, Type: o.Type, SpecVersion: "2.1",
				Modified: o.Modified, Added: added, JSON: o.JSON})
		}
	}
	return tx.PutTAXIIObjects(ctx, rows)
}

// TAXIICollection is a collection as its reader sees it.
type TAXIICollection struct {
	ID, Title, Description string
}

// collectionInfo describes a collection.
func collectionInfo(name string) TAXIICollection {
	switch {
	case name == collPublic:
		return TAXIICollection{name, "Public advisories", "Published advisories as anyone may read them (TLP:CLEAR)."}
	case name == collClearinghouse:
		return TAXIICollection{name, "All advisories", "Every published advisory with every tier (the clearinghouse only)."}
	case strings.HasPrefix(name, collKindPrefix):
		k := strings.TrimPrefix(name, collKindPrefix)
		return TAXIICollection{name, "Advisories for every " + k, "Published advisories as every organization of kind " + k + " may read them."}
	}
	return TAXIICollection{name, "Advisories for your organization", "Published advisories as your organization may read them, with the tiers addressed to it by name."}
}

// mayReadCollection reports whether p may read a collection.
func mayReadCollection(p aicc.Principal, name string) bool {
	switch {
	case p.Anonymous() || !p.OrgKind.Valid():
		return name == collPublic
	case p.OrgKind == aicc.OrgClearinghouse:
		return true
	}
	return name == collPublic || name == collKindPrefix+string(p.OrgKind) || name == collOrgPrefix+p.OrgID
}

// TAXIICollections lists the collections p may read.
func (s *Service) TAXIICollections(ctx context.Context, p aicc.Principal) ([]TAXIICollection, error) {
	names, err := s.st.TAXIICollections(ctx)
	if err != nil {
		return nil, err
	}
	var out []TAXIICollection
	for _, n := range names {
		if mayReadCollection(p, n) {
			out = append(out, collectionInfo(n))
		}
	}
	return out, nil
}

// TAXIIObjects returns objects of a collection p may read; a collection p
// may not read is not found.
func (s *Service) TAXIIObjects(ctx context.Context, p aicc.Principal, q store.TAXIIQuery) ([]store.TAXIIObject, error) {
	if !mayReadCollection(p, q.Collection) {
		return nil, &aicc.Error{Kind: aicc.KindNotFound, Message: "collection " + q.Collection + " not found"}
	}
	return s.st.TAXIIObjects(ctx, q)
}
