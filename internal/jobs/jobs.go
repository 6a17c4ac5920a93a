// Package jobs runs the service's background work on River
// (riverqueue/river): job arguments and thin workers that call the
// service. On the embedded default the queue lives in its own SQLite file
// (River's SQLite driver wants a single connection, which must not be the
// service store's writer); on PostgreSQL, River's tables live in the
// service's database and any number of workers share them.
package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// QueueScans is the queue scan jobs run on.
const QueueScans = "scans"

// ScanArgs asks for a scan of a review to be run, or resumed.
type ScanArgs struct {
	ScanID string `json:"scan_id"`
}

// Kind names the job type in River's tables.
func (ScanArgs) Kind() string { return "aicc.scan" }

// InsertOpts makes scan jobs unique per scan: enqueueing a scan twice runs
// it once.
func (ScanArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueScans, MaxAttempts: 100, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Runner runs scans: the service.
type Runner interface {
	// RunScan runs or resumes a scan until it ends. It returns
	// aicc.ErrLeaseHeld when another worker is running the scan, and
	// aicc.ErrWorkGone when the scan no longer needs to run (its review
	// closed); any other error is retried.
	RunScan(ctx context.Context, scanID string) error
}

type scanWorker struct {
	river.WorkerDefaults[ScanArgs]
	run    Runner
	snooze time.Duration // how long a job waits when another worker holds its scan
	slice  time.Duration // how long one run of a job lasts
}

// Timeout: a scan runs in slices (the Runner pauses it after a slice, its
// requests in flight finishing, and the job is put back at once, to be
// resumed by any worker). Slices let River tell a dead worker's job (not
// back after a slice) from a live one, which River cannot do for a job
// without a timeout; the scan's lease keeps two workers from running it at
// once. The timeout leaves a slice's length for the pause to finish.
func (w *scanWorker) Timeout(*river.Job[ScanArgs]) time.Duration { return 2 * w.slice }

func (w *scanWorker) Work(ctx context.Context, job *river.Job[ScanArgs]) error {
	err := w.run.RunScan(ctx, job.Args.ScanID)
	switch {
	case errors.Is(err, aicc.ErrLeaseHeld):
		return river.JobSnooze(w.snooze)
	case errors.Is(err, aicc.ErrWorkGone):
		return river.JobCancel(err)
	case errors.Is(err, aicc.ErrWorkPaused), err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return river.JobSnooze(10 * time.Millisecond) // the slice is up: carry on
	}
	return err
}
