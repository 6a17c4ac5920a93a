// Package sqlite is the embedded storage engine: store.Store on one SQLite
// file through the pure-Go modernc.org/sqlite driver. It owns the file's
// pragmas, its numbered migrations (embedded, applied by goose on Open) and
// all of its SQL. Writes go through a single connection; reads use a pool of
// read-only connections, so a report can read while a scan writes.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// busyTimeoutMS is how long a connection waits for a lock held by another
// connection or process before failing with SQLITE_BUSY.
const busyTimeoutMS = 10000

// DB is a SQLite store. It is safe for concurrent use.
type DB struct {
	sqlstore.Reader // the service's reads, on r
	sqlstore.Outbox // the webhook outbox, on w

	w *sql.DB // one connection: every write
	r *sql.DB // read-only pool

	insertAttempt *sql.Stmt // prepared on w
}

var (
	_ store.Store   = (*DB)(nil)
	_ store.Service = (*DB)(nil)
)

// Tx runs fn in one IMMEDIATE transaction on the write connection: it holds
// the database's write lock from the start, so transactions are serialised
// and the audit chain cannot fork.
func (db *DB) Tx(ctx context.Context, fn func(ctx context.Context, tx store.ServiceTx) error) error {
	return sqlstore.RunTx(ctx, db.w, sqlstore.SQLite, fn)
}

// Open opens the database file at path, creating it (mode 0600) and its
// parent directory (mode 0700) when missing, and applies any pending
// migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	db, err := open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

func open(ctx context.Context, path string) (_ *DB, err error) {
	if path == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "empty path")
	}
	path, err = filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := createFile(path); err != nil {
		return nil, err
	}

	db := &DB{}
	defer func() {
		if err != nil {
			err = errors.Join(err, db.Close())
		}
	}()

	db.w, err = sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, err
	}
	db.w.SetMaxOpenConns(1)
	db.w.SetMaxIdleConns(1)
	db.w.SetConnMaxLifetime(0)
	db.w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, db.w); err != nil {
		return nil, err
	}
	db.insertAttempt, err = db.w.PrepareContext(ctx, insertAttemptSQL)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}

	db.r, err = sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.r.SetMaxOpenConns(n)
	db.r.SetMaxIdleConns(n)
	if err := db.r.PingContext(ctx); err != nil {
		return nil, err
	}
	db.Reader = sqlstore.NewReader(db.r, sqlstore.SQLite)
	db.Outbox = sqlstore.NewOutbox(db.w, sqlstore.SQLite)
	return db, nil
}

// createFile makes path's directory (0700) and an empty file (0600) when they
// do not exist, so that SQLite never creates them with the process umask.
// SQLite gives the -wal and -shm files the main file's mode.
func createFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

// dsn is the driver's data source name for path: a file: URI, so that any
// character may appear in the path, with the pragmas every connection runs.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		// Take the write lock at BEGIN, not at the first write, so a
		// transaction never fails half-way on a lock held elsewhere.
		q.Set("_txlock", "immediate")
	}
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x → /C:/x, which SQLite reads as a Windows path
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String()
}

// migrate applies the embedded migrations not yet recorded in the database,
// each in its own transaction.
//
// Two processes opening the same new database race: both see a migration
// pending and one fails to apply it again. The failed transaction leaves
// nothing behind, so migrate checks whether the other process has done the
// work and, if not, tries again.
func migrate(ctx context.Context, db *sql.DB) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	const tries = 3
	for try := 1; ; try++ {
		p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys, goose.WithDisableGlobalRegistry(true))
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		_, err = p.Up(ctx)
		if err == nil {
			return nil
		}
		if pending, perr := p.HasPending(ctx); perr == nil && !pending {
			return nil
		}
		if try == tries || ctx.Err() != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
}

// Close closes the database. It is safe to call more than once.
func (db *DB) Close() error {
	var errs []error
	if db.insertAttempt != nil {
		errs = append(errs, db.insertAttempt.Close())
		db.insertAttempt = nil
	}
	if db.r != nil {
		errs = append(errs, db.r.Close())
		db.r = nil
	}
	if db.w != nil {
		errs = append(errs, db.w.Close())
		db.w = nil
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}
