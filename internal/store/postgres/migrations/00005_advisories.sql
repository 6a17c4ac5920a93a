-- SQLite's 00008_advisories.sql in PostgreSQL's types.

-- +goose Up
CREATE TABLE advisory_seq (
    year INTEGER NOT NULL PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE advisories (
    id               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    developer_org_id TEXT COLLATE "C" NOT NULL,
    submission_id    TEXT COLLATE "C",
    state            TEXT COLLATE "C" NOT NULL,
    revision         INTEGER NOT NULL,
    lift_at          BIGINT,
    revised_at       BIGINT,
    created_at       BIGINT NOT NULL,
    doc              TEXT NOT NULL
);
CREATE INDEX advisories_created ON advisories (created_at, id);
CREATE INDEX advisories_state ON advisories (state, lift_at);
CREATE INDEX advisories_revised ON advisories (revised_at, id);

CREATE TABLE advisory_revisions (
    advisory_id TEXT COLLATE "C" NOT NULL REFERENCES advisories (id),
    revision    INTEGER NOT NULL,
    revised_at  BIGINT NOT NULL,
    doc         TEXT NOT NULL,
    PRIMARY KEY (advisory_id, revision)
);

CREATE TABLE advisory_subscriptions (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    org_id     TEXT COLLATE "C" NOT NULL REFERENCES orgs (id),
    filter     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX advisory_subscriptions_org ON advisory_subscriptions (org_id, created_at);

-- +goose Down
DROP TABLE advisory_subscriptions;
DROP TABLE advisory_revisions;
DROP TABLE advisories;
DROP TABLE advisory_seq;
