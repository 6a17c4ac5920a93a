package store

import (
	"context"
	"time"
)

// TAXIIObject is one version of a STIX object in one TAXII collection, as
// served: the JSON byte for byte.
type TAXIIObject struct {
	Collection  string
	ID          string // the STIX id
	Type        string
	SpecVersion string
	Modified    time.Time // the STIX modified: the object's version
	Added       time.Time // when it was added to the collection (date_added)
	JSON        []byte
}

// TAXIIQuery selects objects of one collection: those added after
// (AfterAdded, AfterID) in (added, id) order, at most Limit, filtered by
// the TAXII match parameters.
type TAXIIQuery struct {
	Collection string
	AfterAdded time.Time // zero: from the start
	AfterID    string
	Limit      int
	IDs        []string // match[id]
	Types      []string // match[type]
	// Versions is "last" (default), "first", "all", or empty for last;
	// VersionsAt, when set, selects the versions modified at these times.
	Versions   string
	VersionsAt []time.Time
}

// TAXIIReader reads TAXII collections.
type TAXIIReader interface {
	// TAXIICollections lists the collections that hold objects.
	TAXIICollections(ctx context.Context) ([]string, error)
	// TAXIIObjects returns the objects q selects, in (added, id) order.
	TAXIIObjects(ctx context.Context, q TAXIIQuery) ([]TAXIIObject, error)
}

// TAXIIWriter adds objects inside a ServiceTx.
type TAXIIWriter interface {
	// PutTAXIIObjects adds object versions to their collections; a version
	// already in a collection (same id and modified) is left as it was.
	PutTAXIIObjects(ctx context.Context, objs []TAXIIObject) error
}
