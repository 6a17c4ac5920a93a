package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
	res, err := db.w.ExecContext(ctx, `INSERT INTO scans (`+scanColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`,
		s.ID, string(s.Status), s.Target, textValue(s.TargetConfig), s.ProtocolName, s.ProtocolVersion,
		s.ProtocolDigest, blobValue(s.ProtocolSource), textValue(s.Options), blobValue(s.Seed),
		s.PlannedAttempts, s.Requests, s.InputTokens, s.OutputTokens, s.StopReason,
		s.CreatedAt.UnixNano(), timeValue(s.StartedAt), timeValue(s.FinishedAt), s.ActiveSeconds)
	if err != nil {
		return fmt.Errorf("create scan %s: %w", s.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("create scan %s: %w", s.ID, err)
	}
	if n == 0 {
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
	return nil
}

// GetScan returns the scan with the given ID.
func (db *DB) GetScan(ctx context.Context, id string) (*aicc.Scan, error) {
	row := db.r.QueryRowContext(ctx, `SELECT `+scanColumns+` FROM scans WHERE id = ?`, id)
	s, err := readScan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &aicc.Error{Kind: aicc.KindNotFound, Message: "scan " + id + " not found"}
	}
	if err != nil {
		return nil, fmt.Errorf("get scan %s: %w", id, err)
	}
	return s, nil
}

// ListScans returns scans, newest first, at most limit (0: all).
func (db *DB) ListScans(ctx context.Context, limit int) ([]*aicc.Scan, error) {
	q := listScansSQL
	var args []any
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list scans: %w", err)
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
		return nil, fmt.Errorf("list scans: %w", err)
	}
	return scans, nil
}

// UpdateScan writes the mutable fields of s.
func (db *DB) UpdateScan(ctx context.Context, s *aicc.Scan) error {
	if s == nil {
		return fmt.Errorf("update scan: %w", aicc.Errorf(aicc.KindInvalid, "no scan"))
	}
	res, err := db.w.ExecContext(ctx, `UPDATE scans SET status = ?, stop_reason = ?,
		planned_attempts = ?, requests = ?, input_tokens = ?, output_tokens = ?,
		started_at = ?, finished_at = ?, active_seconds = ?
		WHERE id = ?`,
		string(s.Status), s.StopReason, s.PlannedAttempts, s.Requests, s.InputTokens, s.OutputTokens,
		timeValue(s.StartedAt), timeValue(s.FinishedAt), s.ActiveSeconds, s.ID)
	if err != nil {
		return fmt.Errorf("update scan %s: %w", s.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update scan %s: %w", s.ID, err)
	}
	if n == 0 {
		return &aicc.Error{Kind: aicc.KindNotFound, Message: "scan " + s.ID + " not found"}
	}
	return nil
}

// readScan reads one row of scanColumns.
func readScan(row rowScanner) (*aicc.Scan, error) {
	var (
		s                 aicc.Scan
		created           int64
		started, finished sql.NullInt64
	)
	err := row.Scan(&s.ID, &s.Status, &s.Target, &s.TargetConfig, &s.ProtocolName, &s.ProtocolVersion,
		&s.ProtocolDigest, &s.ProtocolSource, &s.Options, &s.Seed, &s.PlannedAttempts, &s.Requests,
		&s.InputTokens, &s.OutputTokens, &s.StopReason, &created, &started, &finished,
		&s.ActiveSeconds)
	if err != nil {
		return nil, err
	}
	s.CreatedAt = timeFrom(sql.NullInt64{Int64: created, Valid: true})
	s.StartedAt = timeFrom(started)
	s.FinishedAt = timeFrom(finished)
	return &s, nil
}
