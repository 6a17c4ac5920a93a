-- SQLite's 00006_webhooks.sql in PostgreSQL's types.

-- +goose Up
CREATE TABLE webhook_subscriptions (
    id            TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    org_id        TEXT COLLATE "C"    NOT NULL REFERENCES orgs (id),
    url           TEXT COLLATE "C"    NOT NULL,
    secret_sealed BYTEA    NOT NULL,
    events        TEXT COLLATE "C"    NOT NULL,   -- JSON array of patterns
    active        BIGINT NOT NULL CHECK (active IN (0, 1)),
    created_at    BIGINT NOT NULL
);
CREATE INDEX webhook_subscriptions_org ON webhook_subscriptions (org_id, created_at, id);

CREATE TABLE webhook_messages (
    id              TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    subscription_id TEXT COLLATE "C"    NOT NULL,
    event           TEXT COLLATE "C"    NOT NULL,
    payload         BYTEA    NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    delivered_at    BIGINT,
    last_error      TEXT COLLATE "C"    NOT NULL,
    dead            BIGINT NOT NULL CHECK (dead IN (0, 1)),
    lease_owner     TEXT COLLATE "C"    NOT NULL,
    lease_until     BIGINT NOT NULL
);
CREATE INDEX webhook_messages_due ON webhook_messages (next_attempt_at, id) WHERE delivered_at IS NULL AND dead = 0;
CREATE INDEX webhook_messages_subscription ON webhook_messages (subscription_id);

CREATE TABLE webhook_deliveries (
    message_id       TEXT COLLATE "C"    NOT NULL,
    attempt          BIGINT NOT NULL,
    at               BIGINT NOT NULL,
    status_code      BIGINT NOT NULL,
    duration_ns      BIGINT NOT NULL,
    error            TEXT COLLATE "C"    NOT NULL,
    response_snippet TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (message_id, attempt)
);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_messages;
DROP TABLE webhook_subscriptions;
