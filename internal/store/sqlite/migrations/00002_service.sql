-- The clearinghouse service: organizations, users, tokens, submissions,
-- sealed endpoint credentials, the audit log and idempotency records.
-- Same conventions as 00001: INTEGER Unix nanoseconds, JSON as TEXT.

-- +goose Up
CREATE TABLE orgs (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('clearinghouse', 'agency', 'developer', 'operator', 'oss')),
    created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX orgs_name ON orgs (name);
CREATE INDEX orgs_page ON orgs (created_at, id);

CREATE TABLE users (
    id         TEXT    NOT NULL PRIMARY KEY,
    org_id     TEXT    NOT NULL REFERENCES orgs (id),
    name       TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('admin', 'analyst', 'developer', 'viewer')),
    disabled   INTEGER NOT NULL CHECK (disabled IN (0, 1)),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX users_page ON users (org_id, created_at, id);
CREATE INDEX users_all_page ON users (created_at, id);

CREATE TABLE tokens (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id),
    name         TEXT    NOT NULL,
    hash         BLOB    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    last_used_at INTEGER
) STRICT;
CREATE INDEX tokens_user ON tokens (user_id, created_at);

CREATE TABLE submissions (
    id           TEXT    NOT NULL PRIMARY KEY,
    org_id       TEXT    NOT NULL REFERENCES orgs (id),
    model        TEXT    NOT NULL,
    version      TEXT    NOT NULL,
    facts        TEXT    NOT NULL,    -- JSON aicc.ModelFacts
    release_date INTEGER NOT NULL,
    endpoint     TEXT    NOT NULL,    -- JSON aicc.Endpoint
    consent      TEXT    NOT NULL,    -- JSON aicc.ConsentScope
    state        TEXT    NOT NULL,
    has_credential INTEGER NOT NULL CHECK (has_credential IN (0, 1)),
    submitted_at INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    closed_at    INTEGER,
    created_by   TEXT    NOT NULL
) STRICT;
CREATE INDEX submissions_page ON submissions (submitted_at, id);
CREATE INDEX submissions_org_page ON submissions (org_id, submitted_at, id);

CREATE TABLE credentials (
    submission_id TEXT NOT NULL PRIMARY KEY REFERENCES submissions (id),
    sealed        BLOB NOT NULL
) STRICT;

CREATE TABLE audit_log (
    seq         INTEGER NOT NULL PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_user  TEXT    NOT NULL,
    actor_org   TEXT    NOT NULL,
    token_id    TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    object_kind TEXT    NOT NULL,
    object_id   TEXT    NOT NULL,
    detail      TEXT,                -- canonical JSON
    prev_hash   BLOB    NOT NULL,
    hash        BLOB    NOT NULL
) STRICT;

CREATE TABLE idempotency (
    user_id      TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    request_hash BLOB    NOT NULL,
    status       INTEGER NOT NULL,
    body         BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) STRICT;

-- +goose Down
DROP TABLE idempotency;
DROP TABLE audit_log;
DROP TABLE credentials;
DROP TABLE submissions;
DROP TABLE tokens;
DROP TABLE users;
DROP TABLE orgs;
