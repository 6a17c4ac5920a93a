package sqlite

import (
	"database/sql"
	"time"
)

// Conversions between Go values and column values. Timestamps are INTEGER
// Unix nanoseconds, NULL for the zero time, and read back in UTC. Empty byte
// and JSON fields are NULL and read back as nil.

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

// blobValue is b for a BLOB column.
func blobValue(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// textValue is b for a TEXT column (JSON): a string, as STRICT tables store
// []byte only in BLOB columns.
func textValue(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}
