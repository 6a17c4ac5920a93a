package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // the "sqlite" driver
)

// Config configures a Queue.
type Config struct {
	// Runner runs scan jobs; nil makes an insert-only queue that works no
	// jobs (a server that leaves the work to `aicc worker` processes).
	Runner Runner
	// Workers is how many scans run at once in this process (default 2).
	Workers int
	// RescueAfter is how long a job may go without finishing before River
	// hands it to another worker (default 1 minute); the scan's lease keeps
	// a live worker's scan from running twice.
	RescueAfter time.Duration
	Logger      *slog.Logger
}

// Queue enqueues and (with a Runner) works jobs.
type Queue struct {
	client *river.Client[*sql.Tx]
	db     *sql.DB
	works  bool
}

// OpenSQLite opens the queue in the SQLite file at path, creating it and
// River's tables when missing.
func OpenSQLite(ctx context.Context, path string, cfg Config) (*Queue, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: path, RawQuery: q.Encode()}).String())
	if err != nil {
		return nil, fmt.Errorf("open queue %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // riversqlite's advice: SQLite allows one writer
	driver := riversqlite.New(db)
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		db.Close()
		return nil, fmt.Errorf("queue migrations: %w", err)
	}
	rc := &river.Config{
		Logger:               cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		JobTimeout:           -1,
		RescueStuckJobsAfter: cmp.Or(cfg.RescueAfter, time.Minute),
		FetchPollInterval:    200 * time.Millisecond,
	}
	if cfg.Runner != nil {
		workers := river.NewWorkers()
		river.AddWorker(workers, &scanWorker{run: cfg.Runner})
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{QueueScans: {MaxWorkers: cmp.Or(cfg.Workers, 2)}}
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("queue client: %w", err)
	}
	return &Queue{client: client, db: db, works: cfg.Runner != nil}, nil
}

// EnqueueScan asks for a scan to run (once, however often it is asked
// while the job is pending).
func (q *Queue) EnqueueScan(ctx context.Context, scanID string) error {
	if _, err := q.client.Insert(ctx, ScanArgs{ScanID: scanID}, nil); err != nil {
		return fmt.Errorf("enqueue scan %s: %w", scanID, err)
	}
	return nil
}

// Start starts working jobs, if the queue has a Runner.
func (q *Queue) Start(ctx context.Context) error {
	if !q.works {
		return nil
	}
	return q.client.Start(ctx)
}

// Stop stops working jobs: running scans are cancelled and stay resumable
// (their jobs are retried by the next worker).
func (q *Queue) Stop(ctx context.Context) error {
	if !q.works {
		return nil
	}
	return q.client.StopAndCancel(ctx)
}

// Close releases the queue's database.
func (q *Queue) Close() error { return q.db.Close() }
