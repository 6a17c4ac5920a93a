// Package sqlstore is the service repository (store.Service) in portable
// SQL over database/sql, shared by the SQLite and PostgreSQL engines, which
// own their connections, migrations and dialect. Timestamps are Unix
// nanoseconds in BIGINT/INTEGER columns, JSON is text, flags are 0/1.
package sqlstore

import (
	"database/sql"
	"time"
)

// rowScanner is what *sql.Row and *sql.Rows have in common.
type rowScanner interface {
	Scan(dest ...any) error
}

func timeValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

func timeFrom(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// nullString stores "" as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
