package postgres

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aicc-dev/aicc/internal/aicc"
)

func TestDBError(t *testing.T) {
	pg := func(code string) error { return fmt.Errorf("exec: %w", &pgconn.PgError{Code: code}) }
	tests := []struct {
		name string
		err  error
		kind aicc.ErrorKind
	}{
		{"unique", pg("23505"), aicc.KindConflict},
		{"foreign key", pg("23503"), aicc.KindInvalid},
		{"check", pg("23514"), aicc.KindInvalid},
		{"not null", pg("23502"), aicc.KindInvalid},
		{"bad encoding", pg("22021"), aicc.KindInvalid},
		{"out of range", pg("22003"), aicc.KindInvalid},
		{"connection lost", pg("08006"), aicc.KindUnavailable},
		{"shutting down", pg("57P01"), aicc.KindUnavailable},
		{"too many connections", pg("53300"), aicc.KindUnavailable},
		{"syntax", pg("42601"), aicc.KindInternal},
		{"cancelled", context.Canceled, aicc.KindInternal},
		{"other", errors.New("boom"), aicc.KindInternal},
	}
	for _, tt := range tests {
		err := dbError(tt.err, "scan sc_1")
		if kind := aicc.KindOf(err); kind != tt.kind {
			t.Errorf("%s: kind %q, want %q (%v)", tt.name, kind, tt.kind, err)
		}
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: %v does not wrap %v", tt.name, err, tt.err)
		}
	}
	if dbError(nil, "x") != nil {
		t.Error("dbError(nil) is not nil")
	}
}
