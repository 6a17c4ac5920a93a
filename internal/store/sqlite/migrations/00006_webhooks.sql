-- Webhook subscriptions (secrets sealed by the service's keyring), the
-- outbox of messages and the delivery log.

-- +goose Up
CREATE TABLE webhook_subscriptions (
    id            TEXT    NOT NULL PRIMARY KEY,
    org_id        TEXT    NOT NULL REFERENCES orgs (id),
    url           TEXT    NOT NULL,
    secret_sealed BLOB    NOT NULL,
    events        TEXT    NOT NULL,   -- JSON array of patterns
    active        INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_subscriptions_org ON webhook_subscriptions (org_id, created_at, id);

CREATE TABLE webhook_messages (
    id              TEXT    NOT NULL PRIMARY KEY,
    subscription_id TEXT    NOT NULL,
    event           TEXT    NOT NULL,
    payload         BLOB    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER,
    last_error      TEXT    NOT NULL,
    dead            INTEGER NOT NULL CHECK (dead IN (0, 1)),
    lease_owner     TEXT    NOT NULL,
    lease_until     INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_messages_due ON webhook_messages (next_attempt_at, id) WHERE delivered_at IS NULL AND dead = 0;
CREATE INDEX webhook_messages_subscription ON webhook_messages (subscription_id);

CREATE TABLE webhook_deliveries (
    message_id       TEXT    NOT NULL,
    attempt          INTEGER NOT NULL,
    at               INTEGER NOT NULL,
    status_code      INTEGER NOT NULL,
    duration_ns      INTEGER NOT NULL,
    error            TEXT    NOT NULL,
    response_snippet TEXT    NOT NULL,
    PRIMARY KEY (message_id, attempt)
) STRICT;

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_messages;
DROP TABLE webhook_subscriptions;
