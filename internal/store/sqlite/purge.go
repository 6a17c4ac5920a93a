package sqlite

import (
	"context"
	"fmt"
	"slices"
)

// PurgeEvidence empties the transcript (to "[]") and evidence of a scan's
// attempts except the kept ones.
func (db *DB) PurgeEvidence(ctx context.Context, scanID string, keep []string) (int, error) {
	ids, err := db.AttemptIDs(ctx, scanID)
	if err != nil {
		return 0, fmt.Errorf("purge evidence of %s: %w", scanID, err)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("purge evidence of %s: %w", scanID, err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `UPDATE attempts SET transcript = '[]', evidence = NULL
		WHERE id = ? AND (transcript != '[]' OR evidence IS NOT NULL)`)
	if err != nil {
		return 0, fmt.Errorf("purge evidence of %s: %w", scanID, err)
	}
	defer stmt.Close()
	n := 0
	for _, id := range ids {
		if slices.Contains(keep, id) {
			continue
		}
		res, err := stmt.ExecContext(ctx, id)
		if err != nil {
			return 0, fmt.Errorf("purge evidence of %s: %w", scanID, err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("purge evidence of %s: %w", scanID, err)
	}
	return n, nil
}

// DeleteScan deletes a scan and its attempts in one transaction.
func (db *DB) DeleteScan(ctx context.Context, scanID string) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete scan %s: %w", scanID, err)
	}
	defer tx.Rollback()
	for _, q := range []string{`DELETE FROM attempts WHERE scan_id = ?`, `DELETE FROM scan_leases WHERE scan_id = ?`, `DELETE FROM scans WHERE id = ?`} {
		if _, err := tx.ExecContext(ctx, q, scanID); err != nil {
			return fmt.Errorf("delete scan %s: %w", scanID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("delete scan %s: %w", scanID, err)
	}
	return nil
}
