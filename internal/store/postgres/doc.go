// Package postgres is the server storage engine: store.Store on PostgreSQL
// through github.com/jackc/pgx/v5. It owns the connection pool, its numbered
// migrations (embedded, applied by goose on Open or by Migrate) and all of
// its SQL. It passes the same suite, storetest, as the SQLite engine.
//
// # Driver
//
// The engine talks to pgx directly through a *pgxpool.Pool rather than
// through database/sql: batches go as arrays in one round trip, bytes and
// integers travel in binary, and the pool can be handed to River's
// riverpgxv5 driver (see DB.Pool) so that the job queue and the store share
// connections and transactions. Only goose, which needs a *sql.DB, goes
// through pgx's stdlib adapter, on a connection of its own.
//
// # Types
//
// The schema mirrors SQLite's column for column (see
// migrations/00001_init.sql), with three changes made for fidelity, so that
// what goes in comes out:
//
//   - Timestamps are BIGINT Unix nanoseconds, as in SQLite. TIMESTAMPTZ
//     would round them to microseconds, and store.Store promises
//     nanoseconds.
//   - Text sorts as bytes (COLLATE "C"), so attempts list in Go's string
//     order whatever the database's locale.
//   - PostgreSQL's TEXT rejects NUL and invalid UTF-8, and a hostile model
//     endpoint controls much of what an attempt records. So byte fields,
//     JSON, an attempt's reason and a scan's stop reason are BYTEA, stored
//     byte for byte. The transcript is JSON as in SQLite; when a message
//     holds bytes that are not UTF-8, which encoding/json would replace, the
//     exact transcript is kept beside it and read back instead.
//
// Identifiers and names (IDs, probe IDs, classes, statuses, the target's
// description) stay TEXT: a write carrying one with NUL or invalid UTF-8
// fails with aicc.KindInvalid, and a lookup by one finds nothing.
//
// # Errors
//
// Unique violations are aicc.KindConflict, foreign-key, check and
// bad-value errors aicc.KindInvalid, a missing row aicc.ErrNotFound, and a
// server that cannot be reached aicc.KindUnavailable.
//
// # Tests
//
// The tests need a server: set AICC_TEST_POSTGRES to a database URL, e.g.
//
//	AICC_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./internal/store/...
//
// Each test works in a schema of its own, dropped when it ends, so packages
// may share the database and run in parallel. Without the variable the
// tests that need a server skip.
package postgres
