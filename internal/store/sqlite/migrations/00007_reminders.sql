-- Reminders sent, by their stable key, so that each is sent once.

-- +goose Up
CREATE TABLE reminders (
    key           TEXT    NOT NULL PRIMARY KEY,
    submission_id TEXT    NOT NULL REFERENCES submissions (id),
    kind          TEXT    NOT NULL,
    to_kind       TEXT    NOT NULL,
    due           INTEGER NOT NULL,
    message       TEXT    NOT NULL,
    sent_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX reminders_submission ON reminders (submission_id, sent_at);

-- +goose Down
DROP TABLE reminders;
