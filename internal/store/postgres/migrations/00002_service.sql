-- The clearinghouse service's tables: SQLite's 00002_service.sql,
-- 00003_coverage.sql and 00005_findings.sql in PostgreSQL's types (BIGINT
-- nanoseconds, DOUBLE PRECISION, BYTEA, TEXT COLLATE "C" so that text sorts
-- as bytes, as in SQLite). The queries are shared (internal/store/sqlstore).
-- audit_log.detail stays TEXT: jsonb would reorder keys and break the chain.

-- +goose Up
CREATE TABLE orgs (
    id         TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    name       TEXT COLLATE "C"    NOT NULL,
    kind       TEXT COLLATE "C"    NOT NULL CHECK (kind IN ('clearinghouse', 'agency', 'developer', 'operator', 'oss')),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX orgs_name ON orgs (name);
CREATE INDEX orgs_page ON orgs (created_at, id);

CREATE TABLE users (
    id         TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    org_id     TEXT COLLATE "C"    NOT NULL REFERENCES orgs (id),
    name       TEXT COLLATE "C"    NOT NULL,
    email      TEXT COLLATE "C"    NOT NULL,
    role       TEXT COLLATE "C"    NOT NULL CHECK (role IN ('admin', 'analyst', 'developer', 'viewer')),
    disabled   BIGINT NOT NULL CHECK (disabled IN (0, 1)),
    created_at BIGINT NOT NULL
);
CREATE INDEX users_page ON users (org_id, created_at, id);
CREATE INDEX users_all_page ON users (created_at, id);

CREATE TABLE tokens (
    id           TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    user_id      TEXT COLLATE "C"    NOT NULL REFERENCES users (id),
    name         TEXT COLLATE "C"    NOT NULL,
    hash         BYTEA    NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked_at   BIGINT,
    last_used_at BIGINT
);
CREATE INDEX tokens_user ON tokens (user_id, created_at);

CREATE TABLE submissions (
    id           TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    org_id       TEXT COLLATE "C"    NOT NULL REFERENCES orgs (id),
    model        TEXT COLLATE "C"    NOT NULL,
    version      TEXT COLLATE "C"    NOT NULL,
    facts        TEXT COLLATE "C"    NOT NULL,    -- JSON aicc.ModelFacts
    release_date BIGINT NOT NULL,
    endpoint     TEXT COLLATE "C"    NOT NULL,    -- JSON aicc.Endpoint
    consent      TEXT COLLATE "C"    NOT NULL,    -- JSON aicc.ConsentScope
    state        TEXT COLLATE "C"    NOT NULL,
    has_credential BIGINT NOT NULL CHECK (has_credential IN (0, 1)),
    submitted_at BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    closed_at    BIGINT,
    created_by   TEXT COLLATE "C"    NOT NULL
);
CREATE INDEX submissions_page ON submissions (submitted_at, id);
CREATE INDEX submissions_org_page ON submissions (org_id, submitted_at, id);

CREATE TABLE credentials (
    submission_id TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES submissions (id),
    sealed        BYTEA NOT NULL
);

CREATE TABLE audit_log (
    seq         BIGINT NOT NULL PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_user  TEXT COLLATE "C"    NOT NULL,
    actor_org   TEXT COLLATE "C"    NOT NULL,
    token_id    TEXT COLLATE "C"    NOT NULL,
    action      TEXT COLLATE "C"    NOT NULL,
    object_kind TEXT COLLATE "C"    NOT NULL,
    object_id   TEXT COLLATE "C"    NOT NULL,
    detail      TEXT COLLATE "C",                -- canonical JSON
    prev_hash   BYTEA    NOT NULL,
    hash        BYTEA    NOT NULL
);

CREATE TABLE idempotency (
    user_id      TEXT COLLATE "C"    NOT NULL,
    key          TEXT COLLATE "C"    NOT NULL,
    request_hash BYTEA    NOT NULL,
    status       BIGINT NOT NULL,
    body         BYTEA    NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE designations (
    id               TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    model            TEXT COLLATE "C"    NOT NULL,
    version          TEXT COLLATE "C"    NOT NULL,    -- '' designates every version
    developer_org_id TEXT COLLATE "C"    REFERENCES orgs (id),   -- NULL: any developer's model of this name
    authority_org_id TEXT COLLATE "C"    NOT NULL REFERENCES orgs (id),
    authority        TEXT COLLATE "C"    NOT NULL,
    kind             TEXT COLLATE "C"    NOT NULL CHECK (kind IN ('covered_frontier_model', 'systemic_risk')),
    reference        TEXT COLLATE "C"    NOT NULL,
    effective_date   BIGINT NOT NULL,    -- the day it takes effect, UTC midnight
    note             TEXT COLLATE "C"    NOT NULL,
    created_at       BIGINT NOT NULL,
    created_by       TEXT COLLATE "C"    NOT NULL,
    revoked_at       BIGINT,             -- NULL while it stands
    revoked_by       TEXT COLLATE "C"    NOT NULL,
    revocation_note  TEXT COLLATE "C"    NOT NULL
);
CREATE INDEX designations_page ON designations (created_at, id);
CREATE INDEX designations_model_page ON designations (model, created_at, id);

CREATE TABLE coverage_results (
    submission_id  TEXT COLLATE "C"    NOT NULL REFERENCES submissions (id),
    evaluation     BIGINT NOT NULL,      -- 1 for a submission's first evaluation, then 2, …
    position       BIGINT NOT NULL,      -- the policy's place in the evaluation
    evaluated_at   BIGINT NOT NULL,
    policy_id      TEXT COLLATE "C"    NOT NULL,
    policy_version TEXT COLLATE "C"    NOT NULL,
    policy_digest  TEXT COLLATE "C"    NOT NULL,
    outcome        TEXT COLLATE "C"    NOT NULL CHECK (outcome IN ('covered', 'presumed_covered', 'recommend_consultation', 'not_covered', 'indeterminate')),
    result         TEXT COLLATE "C"    NOT NULL,      -- JSON coverage.Result
    PRIMARY KEY (submission_id, evaluation, position)
);

CREATE TABLE review_scans (
    scan_id       TEXT COLLATE "C"    NOT NULL PRIMARY KEY REFERENCES scans (id),
    submission_id TEXT COLLATE "C"    NOT NULL REFERENCES submissions (id),
    kind          TEXT COLLATE "C"    NOT NULL CHECK (kind IN ('review', 'retest')),
    retest_id     TEXT COLLATE "C"    NOT NULL,
    requested_by  TEXT COLLATE "C"    NOT NULL,
    created_at    BIGINT NOT NULL,
    finished_at   BIGINT
);
CREATE INDEX review_scans_submission ON review_scans (submission_id, created_at);

CREATE TABLE findings (
    id            TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    submission_id TEXT COLLATE "C"    NOT NULL REFERENCES submissions (id),
    scan_id       TEXT COLLATE "C"    NOT NULL,
    class         TEXT COLLATE "C"    NOT NULL,
    family        TEXT COLLATE "C"    NOT NULL,
    probes        TEXT COLLATE "C"    NOT NULL,   -- JSON array
    title         TEXT COLLATE "C"    NOT NULL,
    severity      TEXT COLLATE "C"    NOT NULL,
    taxonomy      TEXT COLLATE "C"    NOT NULL,   -- JSON
    status        TEXT COLLATE "C"    NOT NULL,
    verified      BIGINT NOT NULL CHECK (verified IN (0, 1)),
    detector      TEXT COLLATE "C"    NOT NULL,
    hits          BIGINT NOT NULL,
    attempts      BIGINT NOT NULL,
    reproduction  TEXT COLLATE "C",               -- JSON
    cvss_vector   TEXT COLLATE "C"    NOT NULL,
    cvss_score    DOUBLE PRECISION    NOT NULL,
    evidence      TEXT COLLATE "C"    NOT NULL,   -- JSON array of attempt IDs
    tlp           TEXT COLLATE "C"    NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
-- One finding per submission, class and family: later scans update it.
CREATE UNIQUE INDEX findings_dedup ON findings (submission_id, class, family);
CREATE INDEX findings_page ON findings (created_at, id);
CREATE INDEX findings_submission_page ON findings (submission_id, created_at, id);

CREATE TABLE finding_notes (
    id         TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    finding_id TEXT COLLATE "C"    NOT NULL REFERENCES findings (id),
    user_id    TEXT COLLATE "C"    NOT NULL,
    org_id     TEXT COLLATE "C"    NOT NULL,
    action     TEXT COLLATE "C"    NOT NULL,
    status     TEXT COLLATE "C"    NOT NULL,
    text       TEXT COLLATE "C"    NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX finding_notes_finding ON finding_notes (finding_id, created_at, id);

CREATE TABLE remediations (
    id             TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    finding_id     TEXT COLLATE "C"    NOT NULL REFERENCES findings (id),
    submission_id  TEXT COLLATE "C"    NOT NULL REFERENCES submissions (id),
    type           TEXT COLLATE "C"    NOT NULL,
    version        TEXT COLLATE "C"    NOT NULL,
    endpoint_model TEXT COLLATE "C"    NOT NULL,
    note           TEXT COLLATE "C"    NOT NULL,
    created_by     TEXT COLLATE "C"    NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX remediations_finding ON remediations (finding_id, created_at, id);

CREATE TABLE retests (
    id             TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    finding_id     TEXT COLLATE "C"    NOT NULL REFERENCES findings (id),
    remediation_id TEXT COLLATE "C"    NOT NULL,
    scan_id        TEXT COLLATE "C"    NOT NULL,
    status         TEXT COLLATE "C"    NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    verdict        TEXT COLLATE "C"    NOT NULL,
    p_value        DOUBLE PRECISION    NOT NULL,
    before         TEXT COLLATE "C",              -- JSON
    after          TEXT COLLATE "C",              -- JSON
    reason         TEXT COLLATE "C"    NOT NULL,
    created_by     TEXT COLLATE "C"    NOT NULL,
    created_at     BIGINT NOT NULL,
    finished_at    BIGINT
);
CREATE INDEX retests_finding ON retests (finding_id, created_at, id);

-- Which worker runs a scan, until when: one worker per scan at a time.
CREATE TABLE scan_leases (
    scan_id    TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    owner      TEXT COLLATE "C"    NOT NULL,
    expires_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE scan_leases;
DROP TABLE retests;
DROP TABLE remediations;
DROP TABLE finding_notes;
DROP TABLE findings;
DROP TABLE review_scans;
DROP TABLE coverage_results;
DROP TABLE designations;
DROP TABLE idempotency;
DROP TABLE audit_log;
DROP TABLE credentials;
DROP TABLE submissions;
DROP TABLE tokens;
DROP TABLE users;
DROP TABLE orgs;
