-- Scans and their attempts.
--
-- Written to be portable: the PostgreSQL engine's 00001_init.sql is this file
-- with INTEGER -> BIGINT, REAL -> DOUBLE PRECISION, BLOB -> BYTEA and without
-- STRICT. Timestamps are INTEGER Unix nanoseconds (UTC), NULL when unset. JSON
-- is TEXT. Empty byte and JSON fields are stored as NULL.

-- +goose Up
CREATE TABLE scans (
    id               TEXT    NOT NULL PRIMARY KEY,
    status           TEXT    NOT NULL,
    target           TEXT    NOT NULL,
    target_config    TEXT,             -- JSON
    protocol_name    TEXT    NOT NULL,
    protocol_version TEXT    NOT NULL,
    protocol_digest  TEXT    NOT NULL,
    protocol_source  BLOB,
    options          TEXT,             -- JSON
    seed             BLOB,
    planned_attempts INTEGER NOT NULL,
    requests         INTEGER NOT NULL,
    input_tokens     INTEGER NOT NULL,
    output_tokens    INTEGER NOT NULL,
    stop_reason      TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER,
    active_seconds   REAL    NOT NULL
) STRICT;

CREATE INDEX scans_created_at ON scans (created_at, id);

CREATE TABLE attempts (
    id            TEXT    NOT NULL PRIMARY KEY,
    scan_id       TEXT    NOT NULL REFERENCES scans (id),
    probe_id      TEXT    NOT NULL,
    idx           INTEGER NOT NULL,
    repetition    INTEGER NOT NULL,
    phase         TEXT    NOT NULL CHECK (phase IN ('discovery', 'validation')),
    validation_of TEXT    NOT NULL,    -- the hit a validation attempt re-runs; '' for discovery
    class         TEXT    NOT NULL,
    outcome       TEXT    NOT NULL CHECK (outcome IN ('hit', 'pass', 'undetermined', 'error')),
    reason        TEXT    NOT NULL,
    detector      TEXT    NOT NULL,
    evidence      TEXT,                -- JSON
    transcript    TEXT    NOT NULL,    -- JSON array of messages
    requests      INTEGER NOT NULL,
    input_tokens  INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    started_at    INTEGER,
    finished_at   INTEGER
) STRICT;

-- ListAttempts order and the probe filter.
CREATE INDEX attempts_scan_probe ON attempts (scan_id, probe_id, idx, repetition, id);
-- The outcome filter (with the phase); covers CountOutcomes, of one phase or all.
CREATE INDEX attempts_scan_outcome ON attempts (scan_id, outcome, class, probe_id, phase);
-- The reruns of one hit, in ListAttempts order.
CREATE INDEX attempts_scan_validation ON attempts (scan_id, validation_of, probe_id, idx, repetition, id);

-- +goose Down
DROP TABLE attempts;
DROP TABLE scans;
