package scan

import "time"

// Progress is a snapshot of a running scan, for progress displays.
type Progress struct {
	Done     int           // attempts with an outcome, including those of earlier runs
	Total    int           // attempts planned
	Hits     int           // attempts that ended as hit
	Errors   int           // attempts that ended as error
	Requests int64         // requests sent in this run, retries included
	Limit    int           // the current adaptive concurrency limit
	Elapsed  time.Duration // time since this run started
	Resumed  int           // attempts done by earlier runs (already in Done)
}
