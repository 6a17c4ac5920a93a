package postgres

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgtype"
)

// Conversions between Go values and column values. Timestamps are BIGINT
// Unix nanoseconds, NULL for the zero time, and read back in UTC. Empty byte
// and JSON fields are NULL and read back as nil.

func timeValue(t time.Time) pgtype.Int8 {
	return pgtype.Int8{Int64: t.UnixNano(), Valid: !t.IsZero()}
}

func timeFrom(n pgtype.Int8) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// bytesValue is b for a nullable BYTEA column: NULL when empty.
func bytesValue(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// textBytes is s for a BYTEA NOT NULL column that holds text: never nil,
// which pgx would send as NULL.
func textBytes(s string) []byte {
	if s == "" {
		return []byte{}
	}
	return []byte(s)
}

// storable reports whether s fits a TEXT column: valid UTF-8 without NUL.
// No stored identifier is anything else, so a lookup by such a value finds
// nothing.
func storable(s string) bool {
	return utf8.ValidString(s) && !strings.Contains(s, "\x00")
}
