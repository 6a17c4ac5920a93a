package scan

import (
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Progress is a snapshot of a running scan, for progress displays.
type Progress struct {
	Done     int           // attempts with an outcome, including those of earlier runs
	Total    int           // attempts planned; grows when the validation phase starts
	Phase    aicc.Phase    // the phase running
	Hits     int           // attempts that ended as hit
	Errors   int           // attempts that ended as error
	Requests int64         // requests sent in this run, retries included
	Limit    int           // the current adaptive concurrency limit
	Elapsed  time.Duration // time since this run started
	Resumed  int           // attempts done by earlier runs (already in Done)
}
