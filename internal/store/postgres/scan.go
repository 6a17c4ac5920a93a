package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/aicc-dev/aicc/internal/aicc"
)

const scanColumns = `id, status, target, target_config, protocol_name, protocol_version,
	protocol_digest, protocol_source, options, seed, planned_attempts, requests,
	input_tokens, output_tokens, stop_reason, created_at, started_at, finished_at,
	active_seconds`

const listScansSQL = `SELECT ` + scanColumns + ` FROM scans ORDER BY created_at DESC, id DESC`

// CreateScan inserts s. A scan with the same ID is a conflict error.
func (db *DB) CreateScan(ctx context.Context, s *aicc.Scan) error {
	if err := checkNewScan(s); err != nil {
		return fmt.Errorf("create scan: %w", err)
	}
	tag, err := db.pool.Exec(ctx, `INSERT INTO scans (`+scanColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
		ON CONFLICT (id) DO NOTHING`,
		s.ID, string(s.Status), s.Target, bytesValue(s.TargetConfig), s.ProtocolName, s.ProtocolVersion,
		s.ProtocolDigest, bytesValue(s.ProtocolSource), bytesValue(s.Options), bytesValue(s.Seed),
		s.PlannedAttempts, s.Requests, s.InputTokens, s.OutputTokens, textBytes(s.StopReason),
		s.CreatedAt.UnixNano(), timeValue(s.StartedAt), timeValue(s.FinishedAt), s.ActiveSeconds)
	if err != nil {
		return fmt.Errorf("create scan %s: %w", s.ID, dbError(err, "scan "+s.ID))
	}
	if tag.RowsAffected() == 0 {
		return &aicc.Error{Kind: aicc.KindConflict, Message: "scan " + s.ID + " already exists"}
	}
	return nil
}

func checkNewScan(s *aicc.Scan) error {
	switch {
	case s == nil:
		return aicc.Errorf(aicc.KindInvalid, "no scan")
	case s.ID == "":
		return aicc.Errorf(aicc.KindInvalid, "scan has no id")
	case s.CreatedAt.IsZero():
		return aicc.Errorf(aicc.KindInvalid, "scan %s has no created_at", s.ID)
	}
	for _, f := range []struct{ name, value string }{
		{"id", s.ID}, {"status", string(s.Status)}, {"target", s.Target},
		{"protocol name", s.ProtocolName}, {"protocol version", s.ProtocolVersion},
		{"protocol digest", s.ProtocolDigest},
	} {
		if !storable(f.value) {
			return aicc.Errorf(aicc.KindInvalid, "scan %q: %s %q is not UTF-8 text without NUL", s.ID, f.name, f.value)
		}
	}
	return nil
}

// GetScan returns the scan with the given ID.
func (db *DB) GetScan(ctx context.Context, id string) (*aicc.Scan, error) {
	if !storable(id) {
		return nil, notFound("scan", id)
	}
	row := db.pool.QueryRow(ctx, `SELECT `+scanColumns+` FROM scans WHERE id = $1`, id)
	s, err := readScan(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("scan", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get scan %s: %w", id, dbError(err, "scan "+id))
	}
	return s, nil
}

// ListScans returns scans, newest first, at most limit (0: all).
func (db *DB) ListScans(ctx context.Context, limit int) ([]*aicc.Scan, error) {
	q := listScansSQL
	var args []any
	if limit > 0 {
		q += ` LIMIT $1`
		args = append(args, limit)
	}
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list scans: %w", dbError(err, "scans"))
	}
	defer rows.Close()
	var scans []*aicc.Scan
	for rows.Next() {
		s, err := readScan(rows)
		if err != nil {
			return nil, fmt.Errorf("list scans: %w", err)
		}
		scans = append(scans, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list scans: %w", dbError(err, "scans"))
	}
	return scans, nil
}

// UpdateScan writes the mutable fields of s.
func (db *DB) UpdateScan(ctx context.Context, s *aicc.Scan) error {
	if s == nil {
		return fmt.Errorf("update scan: %w", aicc.Errorf(aicc.KindInvalid, "no scan"))
	}
	if !storable(s.ID) {
		return fmt.Errorf("update scan: %w", notFound("scan", s.ID))
	}
	if !storable(string(s.Status)) {
		return fmt.Errorf("update scan %s: %w", s.ID, aicc.Errorf(aicc.KindInvalid, "status %q is not UTF-8 text without NUL", s.Status))
	}
	tag, err := db.pool.Exec(ctx, `UPDATE scans SET status = $1, stop_reason = $2,
		planned_attempts = $3, requests = $4, input_tokens = $5, output_tokens = $6,
		started_at = $7, finished_at = $8, active_seconds = $9
		WHERE id = $10`,
		string(s.Status), textBytes(s.StopReason), s.PlannedAttempts, s.Requests, s.InputTokens, s.OutputTokens,
		timeValue(s.StartedAt), timeValue(s.FinishedAt), s.ActiveSeconds, s.ID)
	if err != nil {
		return fmt.Errorf("update scan %s: %w", s.ID, dbError(err, "scan "+s.ID))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("update scan: %w", notFound("scan", s.ID))
	}
	return nil
}

// readScan reads one row of scanColumns.
func readScan(row pgx.Row) (*aicc.Scan, error) {
	var (
		s                 aicc.Scan
		stopReason        []byte
		created           int64
		started, finished pgtype.Int8
	)
	err := row.Scan(&s.ID, &s.Status, &s.Target, &s.TargetConfig, &s.ProtocolName, &s.ProtocolVersion,
		&s.ProtocolDigest, &s.ProtocolSource, &s.Options, &s.Seed, &s.PlannedAttempts, &s.Requests,
		&s.InputTokens, &s.OutputTokens, &stopReason, &created, &started, &finished,
		&s.ActiveSeconds)
	if err != nil {
		return nil, err
	}
	s.StopReason = string(stopReason)
	s.CreatedAt = time.Unix(0, created).UTC()
	s.StartedAt = timeFrom(started)
	s.FinishedAt = timeFrom(finished)
	return &s, nil
}
