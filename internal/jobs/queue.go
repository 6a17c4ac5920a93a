package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	_ "modernc.org/sqlite" // the "sqlite" driver
)

// Config configures a Queue.
type Config struct {
	// Runner runs scan jobs; nil makes an insert-only queue that works no
	// jobs (a server that leaves the work to `aicc worker` processes).
	Runner Runner
	// Workers is how many scans run at once in this process (default 2).
	Workers int
	// RescueAfter is the length of one slice of a scan job (default 1
	// minute; the Runner must pause after the same time): a job not back
	// after three slices, because its worker died, is handed to another
	// worker by River's rescuer (which looks every 30 s). The scan's lease
	// keeps a live worker's scan from running twice.
	RescueAfter time.Duration
	// Snooze is how long a scan job waits when another worker runs its
	// scan (default 5 s).
	Snooze time.Duration
	Logger *slog.Logger
}

// Queue enqueues and (with a Runner) works jobs.
type Queue struct {
	inserter interface {
		Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	}
	worker interface {
		Start(ctx context.Context) error
		StopAndCancel(ctx context.Context) error
	}
	close func() error
	works bool
}

// OpenSQLite opens the queue in the SQLite file at path, creating it and
// River's tables when missing.
func OpenSQLite(ctx context.Context, path string, cfg Config) (*Queue, error) {
	// A relative path would read as the URI's authority ("file://d/…").
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("queue database %s: %w", path, err)
	}
	path = abs
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: path, RawQuery: q.Encode()}).String())
	if err != nil {
		return nil, fmt.Errorf("open queue %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // riversqlite's advice: SQLite allows one writer
	client, err := newClient(ctx, riversqlite.New(db), cfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Queue{inserter: client, worker: client, close: db.Close, works: cfg.Runner != nil}, nil
}

// OpenPostgres opens the queue in the PostgreSQL database of pool (River's
// tables in the pool's search path), creating River's tables when missing.
// Any number of processes may open it: they share the work.
func OpenPostgres(ctx context.Context, pool *pgxpool.Pool, cfg Config) (*Queue, error) {
	client, err := newClient(ctx, riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, err
	}
	return &Queue{inserter: client, worker: client, close: func() error { return nil }, works: cfg.Runner != nil}, nil
}

// newClient migrates River's tables and builds a client that works scan
// jobs when cfg has a Runner.
func newClient[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], cfg Config) (*river.Client[TTx], error) {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return nil, fmt.Errorf("queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("queue migrations: %w", err)
	}
	slice := cmp.Or(cfg.RescueAfter, time.Minute)
	rc := &river.Config{
		Logger:               cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		JobTimeout:           2 * slice,
		RescueStuckJobsAfter: 3 * slice,
		FetchPollInterval:    200 * time.Millisecond,
	}
	if cfg.Runner != nil {
		workers := river.NewWorkers()
		river.AddWorker(workers, &scanWorker{run: cfg.Runner, snooze: cmp.Or(cfg.Snooze, 5*time.Second), slice: slice})
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{QueueScans: {MaxWorkers: cmp.Or(cfg.Workers, 2)}}
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("queue client: %w", err)
	}
	return client, nil
}

// EnqueueScan asks for a scan to run (once, however often it is asked
// while the job is pending).
func (q *Queue) EnqueueScan(ctx context.Context, scanID string) error {
	if _, err := q.inserter.Insert(ctx, ScanArgs{ScanID: scanID}, nil); err != nil {
		return fmt.Errorf("enqueue scan %s: %w", scanID, err)
	}
	return nil
}

// Start starts working jobs, if the queue has a Runner.
func (q *Queue) Start(ctx context.Context) error {
	if !q.works {
		return nil
	}
	return q.worker.Start(ctx)
}

// Stop stops working jobs: running scans are cancelled and stay resumable
// (their jobs are retried by the next worker).
func (q *Queue) Stop(ctx context.Context) error {
	if !q.works {
		return nil
	}
	return q.worker.StopAndCancel(ctx)
}

// Close releases the queue's database.
func (q *Queue) Close() error { return q.close() }
