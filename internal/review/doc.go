// Package review owns the rules of the voluntary pre-release review: the
// review window and its clocks, the reminders they drive, the review's state
// machine, the statuses of its findings, the statistics that decide a
// retest's verdict, and what a withdrawal deletes and when.
//
// Everything here is a pure function of its arguments: no storage, no
// clock of its own, no I/O. The service calls these functions inside its
// store transactions and records what they return.
//
// The review is advisory. No state, event or function here approves,
// denies, licenses, permits or blocks a release: a model may be released in
// any state of its review, with findings open. docs/review.md describes the
// workflow for people.
package review
