package audit

import (
	"context"
	"errors"
	"testing"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// fakeReader serves a log the way a store does, recording its calls.
type fakeReader struct {
	log   []Entry
	calls []int64 // afterSeq of each call
	fail  error
	limit int // the limit of the last call
}

var _ Reader = (*fakeReader)(nil)

func (r *fakeReader) AuditEntries(ctx context.Context, afterSeq int64, limit int) ([]Entry, error) {
	r.calls = append(r.calls, afterSeq)
	r.limit = limit
	if r.fail != nil {
		return nil, r.fail
	}
	var page []Entry
	for _, e := range r.log {
		if e.Seq > afterSeq && (limit == 0 || len(page) < limit) {
			page = append(page, e)
		}
	}
	return page, nil
}

func TestRead(t *testing.T) {
	log := build(t, testChain(t, false), 25)
	tests := []struct {
		name     string
		pageSize int
		calls    []int64
		limit    int
	}{
		{"pages", 10, []int64{0, 10, 20, 25}, 10},
		{"exact pages", 5, []int64{0, 5, 10, 15, 20, 25}, 5},
		{"one page", 0, []int64{0, 25}, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &fakeReader{log: log}
			var seqs []int64
			for e, err := range Read(t.Context(), r, tt.pageSize) {
				if err != nil {
					t.Fatal(err)
				}
				seqs = append(seqs, e.Seq)
			}
			if len(seqs) != 25 || seqs[0] != 1 || seqs[24] != 25 {
				t.Fatalf("read %v, want 1 to 25", seqs)
			}
			if !equalInts(r.calls, tt.calls) || r.limit != tt.limit {
				t.Errorf("calls after %v with limit %d, want %v with %d", r.calls, r.limit, tt.calls, tt.limit)
			}
		})
	}
}

func TestReadStopsEarly(t *testing.T) {
	r := &fakeReader{log: build(t, testChain(t, false), 25)}
	for e := range Read(t.Context(), r, 10) {
		if e.Seq == 3 {
			break
		}
	}
	if len(r.calls) != 1 {
		t.Errorf("%d calls after the consumer stopped in the first page", len(r.calls))
	}
}

func TestReadErrors(t *testing.T) {
	log := build(t, testChain(t, false), 3)
	boom := errors.New("database is locked")
	t.Run("store fails", func(t *testing.T) {
		_, err := Verify(t.Context(), Read(t.Context(), &fakeReader{fail: boom}, 0), nil, Options{})
		if !errors.Is(err, boom) {
			t.Fatalf("error %v, want %v", err, boom)
		}
	})
	t.Run("store returns an old entry", func(t *testing.T) {
		r := readerFunc(func(ctx context.Context, after int64, limit int) ([]Entry, error) {
			return log, nil // ignores afterSeq
		})
		var err error
		for _, err = range Read(t.Context(), r, 0) {
			if err != nil {
				break
			}
		}
		if aicc.KindOf(err) != aicc.KindInternal || err == nil {
			t.Fatalf("error %v, want an internal error", err)
		}
	})
}

type readerFunc func(ctx context.Context, afterSeq int64, limit int) ([]Entry, error)

func (f readerFunc) AuditEntries(ctx context.Context, afterSeq int64, limit int) ([]Entry, error) {
	return f(ctx, afterSeq, limit)
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
