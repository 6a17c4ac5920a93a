package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// Dialect is what differs between the SQL engines this package serves.
type Dialect struct {
	// Numbered writes placeholders as $1, $2, … (PostgreSQL) instead of ?.
	Numbered bool
	// AuditLock, when set, is run at the start of AuditHead to serialise
	// appends to the audit log (PostgreSQL: an advisory transaction lock).
	// SQLite needs none: its IMMEDIATE transactions hold the write lock.
	AuditLock string
}

// The dialects of the two engines.
var (
	SQLite   = Dialect{}
	Postgres = Dialect{Numbered: true, AuditLock: "SELECT pg_advisory_xact_lock(7241950117)"}
)

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// dialected rewrites each query for its dialect before running it.
type dialected struct {
	q querier
	d Dialect
}

func (q dialected) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return q.q.ExecContext(ctx, q.d.rebind(query), args...)
}

func (q dialected) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.q.QueryContext(ctx, q.d.rebind(query), args...)
}

func (q dialected) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return q.q.QueryRowContext(ctx, q.d.rebind(query), args...)
}

// rebind numbers the ? placeholders of query for PostgreSQL. The queries of
// this package have no ? inside string literals.
func (d Dialect) rebind(query string) string {
	if !d.Numbered || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Reader implements store.ServiceReader over a connection pool or, inside
// a transaction, over the transaction, so a transaction sees its own
// writes. Engines embed it.
type Reader struct {
	q dialected
}

// reader is the name the methods use.
type reader = Reader

// NewReader returns the reads of the service store over db.
func NewReader(db *sql.DB, d Dialect) Reader { return Reader{q: dialected{q: db, d: d}} }

// tx implements store.ServiceTx.
type tx struct{ reader }

var _ store.ServiceTx = (*tx)(nil)

// RunTx runs fn in one transaction on db, committed when fn returns nil
// and rolled back otherwise. On SQLite, db must begin IMMEDIATE
// transactions (the engine's write connection), so transactions are
// serialised and the audit chain cannot fork; on PostgreSQL, AuditHead
// takes the dialect's lock.
func RunTx(ctx context.Context, db *sql.DB, d Dialect, fn func(ctx context.Context, tx store.ServiceTx) error) (err error) {
	t, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", conflictOrErr(err, "transaction"))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = t.Rollback()
			panic(p)
		}
		if err != nil {
			if rerr := t.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
				err = errors.Join(err, fmt.Errorf("rollback: %w", rerr))
			}
			return
		}
		if cerr := t.Commit(); cerr != nil {
			err = fmt.Errorf("commit: %w", conflictOrErr(cerr, "transaction"))
		}
	}()
	return fn(ctx, &tx{reader{q: dialected{q: t, d: d}}})
}

// cursor encodes a list position: the sort time and the ID.
func cursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UnixNano(), 10) + ":" + id))
}

// parseCursor decodes a cursor; "" is the start of the list.
func parseCursor(c string) (int64, string, error) {
	if c == "" {
		return -1 << 63, "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, "", aicc.Errorf(aicc.KindInvalid, "cursor %q: not a cursor this server issued", c)
	}
	ns, id, ok := strings.Cut(string(b), ":")
	n, err := strconv.ParseInt(ns, 10, 64)
	if !ok || err != nil {
		return 0, "", aicc.Errorf(aicc.KindInvalid, "cursor %q: not a cursor this server issued", c)
	}
	return n, id, nil
}

// notFound is the not-found error for a kind of object.
func notFound(kind, id string) error {
	return &aicc.Error{Kind: aicc.KindNotFound, Message: kind + " " + id + " not found"}
}

// conflictOrErr maps a uniqueness or foreign-key violation to an error a
// person understands.
func conflictOrErr(err error, what string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505":
			return &aicc.Error{Kind: aicc.KindConflict, Message: what + " already exists", Err: err}
		case pe.Code == "23503":
			return &aicc.Error{Kind: aicc.KindInvalid, Message: what + " refers to an object that does not exist", Err: err}
		case pe.Code == "23514", pe.Code == "23502", strings.HasPrefix(pe.Code, "22"):
			return &aicc.Error{Kind: aicc.KindInvalid, Message: what + " has a value out of range", Err: err}
		}
		return err
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"), strings.Contains(msg, "PRIMARY KEY"):
		return &aicc.Error{Kind: aicc.KindConflict, Message: what + " already exists", Err: err}
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return &aicc.Error{Kind: aicc.KindInvalid, Message: what + " refers to an object that does not exist", Err: err}
	case strings.Contains(msg, "CHECK constraint failed"):
		return &aicc.Error{Kind: aicc.KindInvalid, Message: what + " has a value out of range", Err: err}
	}
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
