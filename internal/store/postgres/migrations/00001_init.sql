-- Scans and their attempts: the SQLite engine's 00001_init.sql in
-- PostgreSQL's types, with the same columns, constraints and indexes, and
-- these differences, each for fidelity:
--
--   * Timestamps are BIGINT Unix nanoseconds (UTC), NULL when unset:
--     TIMESTAMPTZ keeps only microseconds.
--   * Every TEXT column is COLLATE "C", so that text sorts and compares as
--     bytes, as Go strings and SQLite's BINARY collation do.
--   * Byte and JSON fields are BYTEA, the caller's exact bytes (JSONB would
--     reorder keys and reject \u0000; TEXT rejects NUL and invalid UTF-8).
--     Empty ones are NULL.
--   * Text that can quote a model endpoint or an error (an attempt's reason,
--     a scan's stop reason) is BYTEA too, so that no byte can make a write
--     fail; identifiers and names stay TEXT.
--   * The transcript is TEXT JSON, as in SQLite. encoding/json writes invalid
--     UTF-8 as U+FFFD; when that happened, transcript_raw holds the exact
--     transcript (a format byte, 1, then encoding/gob of []aicc.Message).

-- +goose Up
CREATE TABLE scans (
    id               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    status           TEXT COLLATE "C" NOT NULL,
    target           TEXT COLLATE "C" NOT NULL,
    target_config    BYTEA,                      -- JSON
    protocol_name    TEXT COLLATE "C" NOT NULL,
    protocol_version TEXT COLLATE "C" NOT NULL,
    protocol_digest  TEXT COLLATE "C" NOT NULL,
    protocol_source  BYTEA,
    options          BYTEA,                      -- JSON
    seed             BYTEA,
    planned_attempts BIGINT NOT NULL,
    requests         BIGINT NOT NULL,
    input_tokens     BIGINT NOT NULL,
    output_tokens    BIGINT NOT NULL,
    stop_reason      BYTEA  NOT NULL,            -- text
    created_at       BIGINT NOT NULL,
    started_at       BIGINT,
    finished_at      BIGINT,
    active_seconds   DOUBLE PRECISION NOT NULL
);

CREATE INDEX scans_created_at ON scans (created_at, id);

CREATE TABLE attempts (
    id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    scan_id        TEXT COLLATE "C" NOT NULL REFERENCES scans (id),
    probe_id       TEXT COLLATE "C" NOT NULL,
    idx            BIGINT NOT NULL,
    repetition     BIGINT NOT NULL,
    phase          TEXT COLLATE "C" NOT NULL CHECK (phase IN ('discovery', 'validation')),
    validation_of  TEXT COLLATE "C" NOT NULL,   -- the hit a validation attempt re-runs; '' for discovery
    class          TEXT COLLATE "C" NOT NULL,
    outcome        TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('hit', 'pass', 'undetermined', 'error')),
    reason         BYTEA  NOT NULL,             -- text
    detector       TEXT COLLATE "C" NOT NULL,
    evidence       BYTEA,                       -- JSON
    transcript     TEXT COLLATE "C" NOT NULL,   -- JSON array of messages
    transcript_raw BYTEA,                       -- the exact transcript when the JSON lost bytes
    requests       BIGINT NOT NULL,
    input_tokens   BIGINT NOT NULL,
    output_tokens  BIGINT NOT NULL,
    started_at     BIGINT,
    finished_at    BIGINT
);

-- ListAttempts order and the probe filter.
CREATE INDEX attempts_scan_probe ON attempts (scan_id, probe_id, idx, repetition, id);
-- The outcome filter (with the phase); covers CountOutcomes, of one phase or all.
CREATE INDEX attempts_scan_outcome ON attempts (scan_id, outcome, class, probe_id, phase);
-- The reruns of one hit, in ListAttempts order.
CREATE INDEX attempts_scan_validation ON attempts (scan_id, validation_of, probe_id, idx, repetition, id);

-- +goose Down
DROP TABLE attempts;
DROP TABLE scans;
