// Package scan is the engine: it expands a protocol into attempts, schedules
// them against one target under a concurrency limit that adapts to the
// endpoint, a request rate, retries and budgets, judges every response with
// the probe's detectors, and records every attempt as evidence, batched, so
// that an interrupted scan resumes with nothing lost and nothing run twice.
package scan
