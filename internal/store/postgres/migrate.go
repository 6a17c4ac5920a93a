package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate applies the migrations not yet recorded in the database named by
// dsn, as Open does, and returns. It is for `aicc migrate`.
func Migrate(ctx context.Context, dsn string, opts Options) error {
	cfg, err := poolConfig(dsn, opts)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := migrate(ctx, cfg.ConnConfig, opts.Schema); err != nil {
		return fmt.Errorf("migrate database %s: %w", describe(cfg), err)
	}
	return nil
}

// migrate creates schema ("": none) when missing and applies the embedded
// migrations not yet recorded in the search_path's first schema, each in
// its own transaction.
//
// Processes starting together take turns: each holds a session-level
// advisory lock from before it creates the schema until goose is done, so
// the first applies the migrations and the others find none pending.
// (goose's own session locker leaves the creation of its version table
// unlocked, and the losers of that race retry a second later.) The lock is
// taken on a connection of migrate's own, closed when it returns, which
// releases the lock whatever happened: it can never outlive migrate in a
// pool.
func migrate(ctx context.Context, cfg *pgx.ConnConfig, schema string) error {
	sqlDB := stdlib.OpenDB(*cfg)
	defer sqlDB.Close()
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return dbError(err, "server")
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockID(cfg.RuntimeParams["search_path"])); err != nil {
		return fmt.Errorf("lock for migrations: %w", dbError(err, "server"))
	}

	if schema != "" {
		if _, err := conn.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+quoteIdent(schema)); err != nil {
			return dbError(err, "schema "+schema)
		}
	}
	p, err := provider(sqlDB)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return dbError(err, "migration")
	}
	return nil
}

// provider is goose over the embedded migrations.
func provider(db *sql.DB) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// lockID is the advisory lock taken while migrating: one per search_path,
// so tests migrating schemas of their own do not wait for each other, and
// none equal to goose's default, so other goose users of the database do
// not wait for aicc.
func lockID(searchPath string) int64 {
	h := fnv.New64a()
	h.Write([]byte("aicc migrate " + searchPath))
	return int64(h.Sum64())
}

// quoteIdent quotes an identifier for SQL.
func quoteIdent(name string) string { return pgx.Identifier{name}.Sanitize() }
