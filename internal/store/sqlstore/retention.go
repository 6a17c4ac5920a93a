package sqlstore

import (
	"context"
	"fmt"
)

func (t *tx) DeleteSubmissionRecords(ctx context.Context, submissionID string) ([]string, error) {
	rss, err := t.ListReviewScans(ctx, submissionID)
	if err != nil {
		return nil, err
	}
	var scans []string
	for _, rs := range rss {
		scans = append(scans, rs.ScanID)
	}
	const findings = `SELECT id FROM findings WHERE submission_id = ?`
	for _, q := range []string{
		`DELETE FROM finding_notes WHERE finding_id IN (` + findings + `)`,
		`DELETE FROM remediations WHERE finding_id IN (` + findings + `)`,
		`DELETE FROM retests WHERE finding_id IN (` + findings + `)`,
		`DELETE FROM findings WHERE submission_id = ?`,
		`DELETE FROM review_scans WHERE submission_id = ?`,
		`DELETE FROM coverage_results WHERE submission_id = ?`,
		`DELETE FROM reminders WHERE submission_id = ?`,
		`DELETE FROM credentials WHERE submission_id = ?`,
		`DELETE FROM submissions WHERE id = ?`,
	} {
		if _, err := t.q.ExecContext(ctx, q, submissionID); err != nil {
			return nil, fmt.Errorf("delete records of submission %s: %w", submissionID, err)
		}
	}
	return scans, nil
}
