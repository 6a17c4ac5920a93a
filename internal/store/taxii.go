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

// TAXIIQuery selects objects of one collection, in (added, id, modified)
// order, as TAXII 2.1 pages them: those after the position (AfterAdded,
// AfterID, AfterModified) and added after AddedAfter, at most Limit,
// filtered by the match parameters.
type TAXIIQuery struct {
	Collection string
	// The position of the last object of the previous page; zero: from
	// the start.
	AfterAdded    time.Time
	AfterID       string
	AfterModified time.Time
	// AddedAfter keeps objects whose added time, truncated to the
	// millisecond, is after it (TAXII's added_after); zero: all.
	AddedAfter time.Time
	Limit      int
	IDs        []string // match[id]
	Types      []string // match[type]
	// Which versions of each object qualify (match[version]); a version
	// qualifies if any of these admits it; none set means the last.
	AllVersions, FirstVersion, LastVersion bool
	VersionsAt                             []time.Time // modified at these instants, to the millisecond
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
