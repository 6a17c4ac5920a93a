package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader implements store.ServiceReader over the read pool or, inside a
// transaction, over the transaction, so a transaction sees its own writes.
type reader struct{ q querier }

// tx implements store.ServiceTx.
type tx struct{ reader }

var (
	_ store.Service   = (*DB)(nil)
	_ store.ServiceTx = (*tx)(nil)
)

// Tx runs fn in one IMMEDIATE transaction on the write connection: it holds
// the database's write lock from the start, so transactions are serialised
// and the audit chain cannot fork.
func (db *DB) Tx(ctx context.Context, fn func(ctx context.Context, tx store.ServiceTx) error) (err error) {
	t, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
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
			err = fmt.Errorf("commit: %w", cerr)
		}
	}()
	return fn(ctx, &tx{reader{q: t}})
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
