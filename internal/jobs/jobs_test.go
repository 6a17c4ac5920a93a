package jobs_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/jobs"
)

// runner records the scans it runs; the first run of a scan named in busy
// answers that another worker holds it.
type runner struct {
	mu   sync.Mutex
	runs map[string]int
	busy map[string]bool
	done chan string
}

func newRunner(busy ...string) *runner {
	r := &runner{runs: map[string]int{}, busy: map[string]bool{}, done: make(chan string, 16)}
	for _, b := range busy {
		r.busy[b] = true
	}
	return r
}

func (r *runner) RunScan(ctx context.Context, scanID string) error {
	r.mu.Lock()
	r.runs[scanID]++
	first := r.runs[scanID] == 1
	r.mu.Unlock()
	switch {
	case r.busy[scanID] && first:
		return aicc.ErrLeaseHeld
	case scanID == "sc_gone":
		r.done <- scanID
		return aicc.ErrWorkGone
	}
	r.done <- scanID
	return nil
}

func (r *runner) count(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs[id]
}

func openQueues(t *testing.T) map[string]func(cfg jobs.Config) *jobs.Queue {
	qs := map[string]func(cfg jobs.Config) *jobs.Queue{
		"sqlite": func(cfg jobs.Config) *jobs.Queue {
			q, err := jobs.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "queue.db"), cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { q.Close() })
			return q
		},
	}
	dsn := os.Getenv("AICC_TEST_POSTGRES")
	if dsn == "" {
		t.Log("PostgreSQL queue not tested: set AICC_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
		return qs
	}
	qs["postgres"] = func(cfg jobs.Config) *jobs.Queue {
		ctx := context.Background()
		var b [6]byte
		_, _ = rand.Read(b[:])
		schema := "aicc_jobs_" + hex.EncodeToString(b[:])
		admin, err := pgxpool.New(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		pc, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			t.Fatal(err)
		}
		pc.ConnConfig.RuntimeParams["search_path"] = schema
		pool, err := pgxpool.NewWithConfig(ctx, pc)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			pool.Close()
			_, _ = admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		})
		q, err := jobs.OpenPostgres(ctx, pool, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	return qs
}

func waitFor(t *testing.T, r *runner, id string) {
	t.Helper()
	for {
		select {
		case got := <-r.done:
			if got == id {
				return
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("scan %s never ran", id)
		}
	}
}

func TestQueue(t *testing.T) {
	for name, open := range openQueues(t) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := newRunner("sc_busy")
			q := open(jobs.Config{Runner: r, Workers: 2, Snooze: 50 * time.Millisecond})
			// A scan enqueued twice before it runs runs once.
			for range 2 {
				if err := q.EnqueueScan(ctx, "sc_once"); err != nil {
					t.Fatal(err)
				}
			}
			if err := q.EnqueueScan(ctx, "sc_busy"); err != nil {
				t.Fatal(err)
			}
			if err := q.EnqueueScan(ctx, "sc_gone"); err != nil {
				t.Fatal(err)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer func() {
				sctx, c := context.WithTimeout(context.Background(), 10*time.Second)
				defer c()
				if err := q.Stop(sctx); err != nil && !errors.Is(err, context.Canceled) {
					t.Errorf("Stop: %v", err)
				}
			}()
			waitFor(t, r, "sc_once")
			// A scan held by another worker is tried again later.
			waitFor(t, r, "sc_busy")
			if n := r.count("sc_busy"); n != 2 {
				t.Errorf("sc_busy ran %d times, want 2 (once refused, once run)", n)
			}
			time.Sleep(500 * time.Millisecond) // a duplicate would have run by now
			if n := r.count("sc_once"); n != 1 {
				t.Errorf("sc_once ran %d times, want 1", n)
			}
			if n := r.count("sc_gone"); n != 1 {
				t.Errorf("sc_gone ran %d times: a job whose work is gone must not be retried", n)
			}
		})
	}
}

// TestOpenSQLiteRelativePath opens the queue under a relative data
// directory, as `aicc serve --data ./d` does.
func TestOpenSQLiteRelativePath(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.Mkdir("d", 0o700); err != nil {
		t.Fatal(err)
	}
	q, err := jobs.OpenSQLite(context.Background(), filepath.Join("d", "queue.db"), jobs.Config{Workers: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if _, err := os.Stat(filepath.Join("d", "queue.db")); err != nil {
		t.Errorf("the queue is not in d/: %v", err)
	}
}
