package postgres

import "context"

// PurgeEvidence empties the transcript (to "[]"), its raw copy and the
// evidence of a scan's attempts except the kept ones.
func (db *DB) PurgeEvidence(ctx context.Context, scanID string, keep []string) (int, error) {
	if keep == nil {
		keep = []string{}
	}
	tag, err := db.pool.Exec(ctx, `UPDATE attempts SET transcript = '[]', transcript_raw = NULL, evidence = NULL
		WHERE scan_id = $1 AND NOT (id = ANY($2)) AND (transcript <> '[]' OR transcript_raw IS NOT NULL OR evidence IS NOT NULL)`,
		scanID, keep)
	if err != nil {
		return 0, dbError(err, "purge evidence of "+scanID)
	}
	return int(tag.RowsAffected()), nil
}

// DeleteScan deletes a scan and its attempts in one transaction.
func (db *DB) DeleteScan(ctx context.Context, scanID string) error {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return dbError(err, "delete scan "+scanID)
	}
	defer tx.Rollback(ctx)
	for _, q := range []string{`DELETE FROM attempts WHERE scan_id = $1`, `DELETE FROM scan_leases WHERE scan_id = $1`, `DELETE FROM scans WHERE id = $1`} {
		if _, err := tx.Exec(ctx, q, scanID); err != nil {
			return dbError(err, "delete scan "+scanID)
		}
	}
	return dbError(tx.Commit(ctx), "delete scan "+scanID)
}
