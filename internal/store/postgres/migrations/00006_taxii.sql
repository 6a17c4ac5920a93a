-- SQLite's 00009_taxii.sql in PostgreSQL's types.

-- +goose Up
CREATE TABLE taxii_collections (
    name       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE taxii_objects (
    collection   TEXT COLLATE "C" NOT NULL,
    id           TEXT COLLATE "C" NOT NULL,
    modified     BIGINT NOT NULL,
    added        BIGINT NOT NULL,
    type         TEXT COLLATE "C" NOT NULL,
    spec_version TEXT COLLATE "C" NOT NULL,
    json         TEXT NOT NULL,
    PRIMARY KEY (collection, id, modified)
);
CREATE INDEX taxii_objects_added ON taxii_objects (collection, added, id, modified);

-- +goose Down
DROP TABLE taxii_objects;
DROP TABLE taxii_collections;
