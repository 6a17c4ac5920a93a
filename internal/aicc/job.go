package aicc

import "errors"

// Errors background work returns to say how its job should go on.
var (
	// ErrLeaseHeld: another worker is doing this work now; try later.
	ErrLeaseHeld = errors.New("another worker holds the work's lease")
	// ErrWorkGone: the work no longer needs doing (e.g. its review ended).
	ErrWorkGone = errors.New("the work no longer needs doing")
	// ErrWorkPaused: the work stopped at the end of its slice and goes on
	// in a new one, on any worker.
	ErrWorkPaused = errors.New("the work paused at the end of its slice")
)
