package taxii

import (
	"context"
	"encoding/json"
	"time"
)

// Source is what the server serves; the clearinghouse's service implements
// it over its store.
type Source interface {
	// Collections lists the collections the caller may read. The caller is
	// in ctx, put there by Config.Authenticate.
	Collections(ctx context.Context) ([]Collection, error)

	// Objects returns the objects of one collection that satisfy q, in
	// Compare order ((Added, ID, Version) ascending), at most q.Limit+1 of
	// them so the server knows whether more remain. Only objects that
	// q.Follows are eligible (they lie after the cursor and after
	// added_after) and only those q.Matches are returned. A collection that
	// does not exist, or that the caller may not read, is ErrNotFound.
	Objects(ctx context.Context, collectionID string, q Query) ([]Object, error)
}

// Object is one version of a STIX object in a collection.
type Object struct {
	ID          string          // the STIX id, e.g. "vulnerability--…"
	Type        string          // the STIX type, e.g. "vulnerability"
	Version     time.Time       // the STIX modified (created for unversioned objects)
	Added       time.Time       // when the collection received this version: TAXII date_added
	SpecVersion string          // the STIX spec_version; empty means "2.1"
	JSON        json.RawMessage // the STIX object, served byte-for-byte
}

// Collection describes a collection the caller may read. The server renders
// it with can_read true and can_write false.
type Collection struct {
	ID          string   // required; unique within the API root
	Title       string   // required by TAXII
	Description string   // optional
	Alias       string   // optional
	MediaTypes  []string // optional; empty means [MediaTypeSTIX]
}

// specVersion is o's STIX spec_version, "2.1" when unset.
func (o Object) specVersion() string {
	if o.SpecVersion == "" {
		return "2.1"
	}
	return o.SpecVersion
}
