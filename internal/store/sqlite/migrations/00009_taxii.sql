-- TAXII 2.1 collections: every published version of every STIX object of
-- an advisory, in each audience's collection, served byte for byte and
-- paged by (added, id).

-- +goose Up
CREATE TABLE taxii_collections (
    name       TEXT    NOT NULL PRIMARY KEY,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE taxii_objects (
    collection   TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    modified     INTEGER NOT NULL,
    added        INTEGER NOT NULL,
    type         TEXT    NOT NULL,
    spec_version TEXT    NOT NULL,
    json         TEXT    NOT NULL,
    PRIMARY KEY (collection, id, modified)
) STRICT;
CREATE INDEX taxii_objects_added ON taxii_objects (collection, added, id, modified);

-- +goose Down
DROP TABLE taxii_objects;
DROP TABLE taxii_collections;
