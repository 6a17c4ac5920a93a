package taxii

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Cursor is a position in a collection's page order, (Added, ID, Version)
// ascending: the last object of a page, after which the next page starts.
// The zero Cursor lies before every object.
//
// A SQL Source continues after c with a row comparison and a matching index:
//
//	WHERE (date_added, id, modified) > ($1, $2, $3) ORDER BY date_added, id, modified LIMIT $4
type Cursor struct {
	Added   time.Time
	ID      string
	Version time.Time
}

// cursorFormat prefixes encoded cursors so that the encoding can change.
const cursorFormat = "1"

// CursorOf is the position of o.
func CursorOf(o Object) Cursor {
	return Cursor{Added: o.Added, ID: o.ID, Version: o.Version}
}

// IsZero reports whether c is the start of the collection.
func (c Cursor) IsZero() bool {
	return c.Added.IsZero() && c.ID == "" && c.Version.IsZero()
}

// Precedes reports whether o lies strictly after c in page order.
func (c Cursor) Precedes(o Object) bool {
	return c.IsZero() || c.compare(CursorOf(o)) < 0
}

// Compare orders objects as pages list them: by Added, then ID, then
// Version. Use it with slices.SortFunc.
func Compare(a, b Object) int {
	return CursorOf(a).compare(CursorOf(b))
}

func (c Cursor) compare(d Cursor) int {
	if n := c.Added.Compare(d.Added); n != 0 {
		return n
	}
	if n := strings.Compare(c.ID, d.ID); n != 0 {
		return n
	}
	return c.Version.Compare(d.Version)
}

// String encodes c as the opaque, URL-safe next token clients send back.
func (c Cursor) String() string {
	s := strings.Join([]string{
		cursorFormat,
		strconv.FormatInt(c.Added.Unix(), 10), strconv.Itoa(c.Added.Nanosecond()),
		strconv.FormatInt(c.Version.Unix(), 10), strconv.Itoa(c.Version.Nanosecond()),
		c.ID,
	}, ".")
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

var errBadCursor = errors.New("not a next token issued by this server")

// ParseCursor decodes a next token made by Cursor.String.
func ParseCursor(token string) (Cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return Cursor{}, errBadCursor
	}
	f := strings.SplitN(string(raw), ".", 6)
	if len(f) != 6 || f[0] != cursorFormat || f[5] == "" {
		return Cursor{}, errBadCursor
	}
	added, err := parseInstant(f[1], f[2])
	if err != nil {
		return Cursor{}, errBadCursor
	}
	version, err := parseInstant(f[3], f[4])
	if err != nil {
		return Cursor{}, errBadCursor
	}
	return Cursor{Added: added, ID: f[5], Version: version}, nil
}

// parseInstant reads a time encoded as Unix seconds and nanoseconds, in the
// form String writes them.
func parseInstant(sec, nsec string) (time.Time, error) {
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	n, err := strconv.Atoi(nsec)
	if err != nil || n < 0 || n >= 1e9 || strconv.Itoa(n) != nsec || strconv.FormatInt(s, 10) != sec {
		return time.Time{}, errBadCursor
	}
	return time.Unix(s, int64(n)).UTC(), nil
}
