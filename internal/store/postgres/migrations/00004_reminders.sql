-- SQLite's 00007_reminders.sql in PostgreSQL's types.

-- +goose Up
CREATE TABLE reminders (
    key           TEXT COLLATE "C"    NOT NULL PRIMARY KEY,
    submission_id TEXT COLLATE "C"    NOT NULL REFERENCES submissions (id),
    kind          TEXT COLLATE "C"    NOT NULL,
    to_kind       TEXT COLLATE "C"    NOT NULL,
    due           BIGINT NOT NULL,
    message       TEXT COLLATE "C"    NOT NULL,
    sent_at       BIGINT NOT NULL
);
CREATE INDEX reminders_submission ON reminders (submission_id, sent_at);

-- +goose Down
DROP TABLE reminders;
