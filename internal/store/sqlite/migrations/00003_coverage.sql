-- Coverage: authorities' designations of models, and every evaluation of a
-- submission's coverage (one row per policy). Same conventions as 00001:
-- INTEGER Unix nanoseconds, JSON as TEXT.

-- +goose Up
CREATE TABLE designations (
    id               TEXT    NOT NULL PRIMARY KEY,
    model            TEXT    NOT NULL,
    version          TEXT    NOT NULL,    -- '' designates every version
    developer_org_id TEXT    REFERENCES orgs (id),   -- NULL: any developer's model of this name
    authority_org_id TEXT    NOT NULL REFERENCES orgs (id),
    authority        TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('covered_frontier_model', 'systemic_risk')),
    reference        TEXT    NOT NULL,
    effective_date   INTEGER NOT NULL,    -- the day it takes effect, UTC midnight
    note             TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    created_by       TEXT    NOT NULL,
    revoked_at       INTEGER,             -- NULL while it stands
    revoked_by       TEXT    NOT NULL,
    revocation_note  TEXT    NOT NULL
) STRICT;
CREATE INDEX designations_page ON designations (created_at, id);
CREATE INDEX designations_model_page ON designations (model, created_at, id);

CREATE TABLE coverage_results (
    submission_id  TEXT    NOT NULL REFERENCES submissions (id),
    evaluation     INTEGER NOT NULL,      -- 1 for a submission's first evaluation, then 2, …
    position       INTEGER NOT NULL,      -- the policy's place in the evaluation
    evaluated_at   INTEGER NOT NULL,
    policy_id      TEXT    NOT NULL,
    policy_version TEXT    NOT NULL,
    policy_digest  TEXT    NOT NULL,
    outcome        TEXT    NOT NULL CHECK (outcome IN ('covered', 'presumed_covered', 'recommend_consultation', 'not_covered', 'indeterminate')),
    result         TEXT    NOT NULL,      -- JSON coverage.Result
    PRIMARY KEY (submission_id, evaluation, position)
) STRICT;

-- +goose Down
DROP TABLE coverage_results;
DROP TABLE designations;
