-- Scans of reviews, findings with their history, remediations and retests.

-- +goose Up
CREATE TABLE review_scans (
    scan_id       TEXT    NOT NULL PRIMARY KEY REFERENCES scans (id),
    submission_id TEXT    NOT NULL REFERENCES submissions (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('review', 'retest')),
    retest_id     TEXT    NOT NULL,
    requested_by  TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER
) STRICT;
CREATE INDEX review_scans_submission ON review_scans (submission_id, created_at);

CREATE TABLE findings (
    id            TEXT    NOT NULL PRIMARY KEY,
    submission_id TEXT    NOT NULL REFERENCES submissions (id),
    scan_id       TEXT    NOT NULL,
    class         TEXT    NOT NULL,
    family        TEXT    NOT NULL,
    probes        TEXT    NOT NULL,   -- JSON array
    title         TEXT    NOT NULL,
    severity      TEXT    NOT NULL,
    taxonomy      TEXT    NOT NULL,   -- JSON
    status        TEXT    NOT NULL,
    verified      INTEGER NOT NULL CHECK (verified IN (0, 1)),
    detector      TEXT    NOT NULL,
    hits          INTEGER NOT NULL,
    attempts      INTEGER NOT NULL,
    reproduction  TEXT,               -- JSON
    cvss_vector   TEXT    NOT NULL,
    cvss_score    REAL    NOT NULL,
    evidence      TEXT    NOT NULL,   -- JSON array of attempt IDs
    tlp           TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;
-- One finding per submission, class and family: later scans update it.
CREATE UNIQUE INDEX findings_dedup ON findings (submission_id, class, family);
CREATE INDEX findings_page ON findings (created_at, id);
CREATE INDEX findings_submission_page ON findings (submission_id, created_at, id);

CREATE TABLE finding_notes (
    id         TEXT    NOT NULL PRIMARY KEY,
    finding_id TEXT    NOT NULL REFERENCES findings (id),
    user_id    TEXT    NOT NULL,
    org_id     TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX finding_notes_finding ON finding_notes (finding_id, created_at, id);

CREATE TABLE remediations (
    id             TEXT    NOT NULL PRIMARY KEY,
    finding_id     TEXT    NOT NULL REFERENCES findings (id),
    submission_id  TEXT    NOT NULL REFERENCES submissions (id),
    type           TEXT    NOT NULL,
    version        TEXT    NOT NULL,
    endpoint_model TEXT    NOT NULL,
    note           TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX remediations_finding ON remediations (finding_id, created_at, id);

CREATE TABLE retests (
    id             TEXT    NOT NULL PRIMARY KEY,
    finding_id     TEXT    NOT NULL REFERENCES findings (id),
    remediation_id TEXT    NOT NULL,
    scan_id        TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    verdict        TEXT    NOT NULL,
    p_value        REAL    NOT NULL,
    before         TEXT,              -- JSON
    after          TEXT,              -- JSON
    reason         TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    finished_at    INTEGER
) STRICT;
CREATE INDEX retests_finding ON retests (finding_id, created_at, id);

-- Which worker runs a scan, until when: one worker per scan at a time.
CREATE TABLE scan_leases (
    scan_id    TEXT    NOT NULL PRIMARY KEY,
    owner      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

-- +goose Down
DROP TABLE scan_leases;
DROP TABLE retests;
DROP TABLE remediations;
DROP TABLE finding_notes;
DROP TABLE findings;
DROP TABLE review_scans;
