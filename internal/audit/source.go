package audit

import (
	"cmp"
	"context"
	"fmt"
	"iter"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// Source yields a log's entries in the order they are stored, which for a
// store is Seq order. An error ends it.
type Source = iter.Seq2[Entry, error]

// Reader reads a stored log: the entries with Seq > afterSeq in Seq order,
// at most limit of them (0: all). store.ServiceReader implements it.
type Reader interface {
	AuditEntries(ctx context.Context, afterSeq int64, limit int) ([]Entry, error)
}

// Read returns the Source of r's whole log, read pageSize entries at a
// time (0: 1,000).
func Read(ctx context.Context, r Reader, pageSize int) Source {
	size := cmp.Or(pageSize, 1000)
	return func(yield func(Entry, error) bool) {
		var after int64
		for {
			page, err := r.AuditEntries(ctx, after, size)
			if err != nil {
				yield(Entry{}, fmt.Errorf("read audit entries after %d: %w", after, err))
				return
			}
			if len(page) == 0 {
				return
			}
			for _, e := range page {
				if e.Seq <= after {
					yield(Entry{}, aicc.Errorf(aicc.KindInternal, "read audit entries after %d: the store returned entry %d, out of order", after, e.Seq))
					return
				}
				after = e.Seq
				if !yield(e, nil) {
					return
				}
			}
		}
	}
}

// Entries returns the Source of entries held in memory, in slice order.
func Entries(entries []Entry) Source {
	return func(yield func(Entry, error) bool) {
		for _, e := range entries {
			if !yield(e, nil) {
				return
			}
		}
	}
}
