package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
	"github.com/aicc-dev/aicc/internal/store/sqlstore"
)

// DB is a PostgreSQL store. It is safe for concurrent use.
type DB struct {
	sqlstore.Reader // the service's reads, through database/sql on the pool
	sqlstore.Outbox // the webhook outbox

	pool      *pgxpool.Pool
	sqldb     *sql.DB // database/sql over pool, for the shared service queries
	closeOnce sync.Once
}

var (
	_ store.Store   = (*DB)(nil)
	_ store.Service = (*DB)(nil)
)

// Tx runs fn in one transaction (READ COMMITTED); appends to the audit log
// are serialised by the advisory lock AuditHead takes.
func (db *DB) Tx(ctx context.Context, fn func(ctx context.Context, tx store.ServiceTx) error) error {
	return sqlstore.RunTx(ctx, db.sqldb, sqlstore.Postgres, fn)
}

// Options configure Open and Migrate. The zero value uses the DSN as it is.
type Options struct {
	// Schema holds aicc's tables and goose's version table; it is created
	// when missing and set as every connection's search_path. "" leaves
	// the search_path to the DSN and the server (usually "public").
	Schema string
	// MaxConns bounds the pool; 0 keeps the DSN's pool_max_conns or
	// pgxpool's default, max(4, number of CPUs).
	MaxConns int32
}

// Open connects to the database named by dsn (a postgres:// URL or a
// key=value string, as libpq takes) and applies any pending migrations.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	cfg, err := poolConfig(dsn, opts)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db, err := open(ctx, cfg, opts.Schema)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", describe(cfg), err)
	}
	return db, nil
}

func open(ctx context.Context, cfg *pgxpool.Config, schema string) (*DB, error) {
	if err := migrate(ctx, cfg.ConnConfig, schema); err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, dbError(err, "pool")
	}
	db := &DB{pool: pool, sqldb: stdlib.OpenDBFromPool(pool)}
	db.Reader = sqlstore.NewReader(db.sqldb, sqlstore.Postgres)
	db.Outbox = sqlstore.NewOutbox(db.sqldb, sqlstore.Postgres)
	if err := pool.Ping(ctx); err != nil {
		return nil, errors.Join(dbError(err, "server"), db.Close())
	}
	return db, nil
}

// poolConfig parses dsn and applies opts.
func poolConfig(dsn string, opts Options) (*pgxpool.Config, error) {
	if dsn == "" {
		return nil, aicc.Errorf(aicc.KindInvalid, "empty database URL: give one like postgres://user@host:5432/dbname")
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx redacts the password from its parse errors.
		return nil, &aicc.Error{Kind: aicc.KindInvalid, Message: "bad database URL", Err: err}
	}
	if opts.Schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = quoteIdent(opts.Schema)
	}
	if opts.MaxConns < 0 {
		return nil, aicc.Errorf(aicc.KindInvalid, "max connections must not be negative, got %d", opts.MaxConns)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	return cfg, nil
}

// describe names the database for error messages, without credentials.
func describe(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	s := fmt.Sprintf("%q on %s:%d", c.Database, c.Host, c.Port)
	if sp := c.RuntimeParams["search_path"]; sp != "" {
		s += " (schema " + sp + ")"
	}
	return s
}

// Pool is the connection pool, for River's riverpgxv5 driver to share. The
// DB owns it: Close closes it.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close closes the pool, waiting for connections in use to be returned. It
// is safe to call more than once.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		_ = db.sqldb.Close() // returns its connections to the pool
		db.pool.Close()
	})
	return nil
}
