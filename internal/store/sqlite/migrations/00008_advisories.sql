-- Advisories, their published revisions, the sequence of their IDs, and
-- consumers' subscriptions. An advisory is kept whole as JSON (doc); the
-- columns beside it are what lists and the embargo ticker query.

-- +goose Up
CREATE TABLE advisory_seq (
    year INTEGER NOT NULL PRIMARY KEY,
    last INTEGER NOT NULL
) STRICT;

CREATE TABLE advisories (
    id               TEXT    NOT NULL PRIMARY KEY,
    developer_org_id TEXT    NOT NULL,
    submission_id    TEXT,
    state            TEXT    NOT NULL,
    revision         INTEGER NOT NULL,
    lift_at          INTEGER,
    revised_at       INTEGER,
    created_at       INTEGER NOT NULL,
    doc              TEXT    NOT NULL
) STRICT;
CREATE INDEX advisories_created ON advisories (created_at, id);
CREATE INDEX advisories_state ON advisories (state, lift_at);
CREATE INDEX advisories_revised ON advisories (revised_at, id);

CREATE TABLE advisory_revisions (
    advisory_id TEXT    NOT NULL REFERENCES advisories (id),
    revision    INTEGER NOT NULL,
    revised_at  INTEGER NOT NULL,
    doc         TEXT    NOT NULL,
    PRIMARY KEY (advisory_id, revision)
) STRICT;

CREATE TABLE advisory_subscriptions (
    id         TEXT    NOT NULL PRIMARY KEY,
    org_id     TEXT    NOT NULL REFERENCES orgs (id),
    filter     TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX advisory_subscriptions_org ON advisory_subscriptions (org_id, created_at);

-- +goose Down
DROP TABLE advisory_subscriptions;
DROP TABLE advisory_revisions;
DROP TABLE advisories;
DROP TABLE advisory_seq;
