package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

// jsonText encodes v for a JSON TEXT column; nil stays NULL.
func jsonText(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		return nil, nil
	}
	return string(b), nil
}

// fromJSON decodes a nullable JSON TEXT column into v.
func fromJSON(s sql.NullString, v any) error {
	if !s.Valid || s.String == "" {
		return nil
	}
	return json.Unmarshal([]byte(s.String), v)
}

func (t *tx) CreateReviewScan(ctx context.Context, rs *aicc.ReviewScan) error {
	if rs.ScanID == "" || rs.SubmissionID == "" || rs.CreatedAt.IsZero() || (rs.Kind != "review" && rs.Kind != "retest") {
		return aicc.Errorf(aicc.KindInvalid, "create review scan: scan, submission, kind (review or retest) and created_at are required")
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO review_scans (scan_id, submission_id, kind, retest_id, requested_by, created_at, finished_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, rs.ScanID, rs.SubmissionID, rs.Kind, rs.RetestID, rs.RequestedBy, rs.CreatedAt.UnixNano(), timeValue(rs.FinishedAt))
	if err != nil {
		return fmt.Errorf("create review scan: %w", conflictOrErr(err, "review scan "+rs.ScanID))
	}
	return nil
}

func (t *tx) FinishReviewScan(ctx context.Context, scanID string, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE review_scans SET finished_at = ? WHERE scan_id = ?`, at.UnixNano(), scanID)
	return affected(res, err, "review scan", scanID)
}

const reviewScanColumns = `scan_id, submission_id, kind, retest_id, requested_by, created_at, finished_at`

func readReviewScan(r rowScanner) (*aicc.ReviewScan, error) {
	var rs aicc.ReviewScan
	var created int64
	var finished sql.NullInt64
	if err := r.Scan(&rs.ScanID, &rs.SubmissionID, &rs.Kind, &rs.RetestID, &rs.RequestedBy, &created, &finished); err != nil {
		return nil, err
	}
	rs.CreatedAt, rs.FinishedAt = time.Unix(0, created).UTC(), timeFrom(finished)
	return &rs, nil
}

func (r reader) GetReviewScan(ctx context.Context, scanID string) (*aicc.ReviewScan, error) {
	rs, err := readReviewScan(r.q.QueryRowContext(ctx, `SELECT `+reviewScanColumns+` FROM review_scans WHERE scan_id = ?`, scanID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("review scan", scanID)
	}
	if err != nil {
		return nil, fmt.Errorf("get review scan %s: %w", scanID, err)
	}
	return rs, nil
}

func (r reader) ListReviewScans(ctx context.Context, submissionID string) ([]*aicc.ReviewScan, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+reviewScanColumns+` FROM review_scans WHERE submission_id = ? ORDER BY created_at, scan_id`, submissionID)
	if err != nil {
		return nil, fmt.Errorf("list review scans: %w", err)
	}
	out, err := collect(rows, readReviewScan)
	if err != nil {
		return nil, fmt.Errorf("list review scans: %w", err)
	}
	return out, nil
}

const findingColumns = `id, submission_id, scan_id, class, family, probes, title, severity, taxonomy, status, verified,
	detector, hits, attempts, reproduction, cvss_vector, cvss_score, evidence, tlp, created_at, updated_at`

// findingValues are the column values of f after id and submission_id.
func findingValues(f *aicc.Finding) ([]any, error) {
	probes, err := jsonText(orEmpty(f.Probes))
	if err != nil {
		return nil, err
	}
	tax, err := jsonText(f.Taxonomy)
	if err != nil {
		return nil, err
	}
	var repro any
	if f.Reproduction != nil {
		if repro, err = jsonText(f.Reproduction); err != nil {
			return nil, err
		}
	}
	ev, err := jsonText(orEmpty(f.Evidence))
	if err != nil {
		return nil, err
	}
	return []any{f.ScanID, string(f.Class), f.Family, probes, f.Title, string(f.Severity), tax, string(f.Status), boolInt(f.Verified),
		f.Detector, f.Hits, f.Attempts, repro, f.CVSSVector, f.CVSSScore, ev, string(f.TLP)}, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func checkFinding(f *aicc.Finding) error {
	switch {
	case f.ID == "" || f.SubmissionID == "" || f.CreatedAt.IsZero() || f.UpdatedAt.IsZero():
		return aicc.Errorf(aicc.KindInvalid, "finding: id, submission, created_at and updated_at are required")
	case !f.Class.Valid():
		return aicc.Errorf(aicc.KindInvalid, "finding %s: unknown class %q", f.ID, f.Class)
	case f.Status == "":
		return aicc.Errorf(aicc.KindInvalid, "finding %s: status is required", f.ID)
	case !f.TLP.Valid():
		return aicc.Errorf(aicc.KindInvalid, "finding %s: TLP label %q is not a TLP 2.0 label", f.ID, f.TLP)
	}
	return nil
}

func (t *tx) CreateFinding(ctx context.Context, f *aicc.Finding) error {
	if err := checkFinding(f); err != nil {
		return fmt.Errorf("create finding: %w", err)
	}
	vals, err := findingValues(f)
	if err != nil {
		return fmt.Errorf("create finding: %w", err)
	}
	args := append([]any{f.ID, f.SubmissionID}, vals...)
	args = append(args, f.CreatedAt.UnixNano(), f.UpdatedAt.UnixNano())
	_, err = t.q.ExecContext(ctx, `INSERT INTO findings (`+findingColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	if err != nil {
		return fmt.Errorf("create finding: %w", conflictOrErr(err, fmt.Sprintf("a finding of class %s, family %s for submission %s", f.Class, f.Family, f.SubmissionID)))
	}
	return nil
}

func (t *tx) UpdateFinding(ctx context.Context, f *aicc.Finding) error {
	if err := checkFinding(f); err != nil {
		return fmt.Errorf("update finding: %w", err)
	}
	vals, err := findingValues(f)
	if err != nil {
		return fmt.Errorf("update finding: %w", err)
	}
	// class and family identify the finding and do not change.
	vals = append(vals[:1:1], vals[3:]...)
	res, err := t.q.ExecContext(ctx, `UPDATE findings SET scan_id = ?, probes = ?, title = ?, severity = ?, taxonomy = ?,
		status = ?, verified = ?, detector = ?, hits = ?, attempts = ?, reproduction = ?, cvss_vector = ?, cvss_score = ?,
		evidence = ?, tlp = ?, updated_at = ? WHERE id = ?`, append(vals, f.UpdatedAt.UnixNano(), f.ID)...)
	return affected(res, err, "finding", f.ID)
}

func readFinding(r rowScanner) (*aicc.Finding, error) {
	var f aicc.Finding
	var probes, tax, ev string
	var repro sql.NullString
	var class, sev, status, tlp string
	var verified int
	var created, updated int64
	if err := r.Scan(&f.ID, &f.SubmissionID, &f.ScanID, &class, &f.Family, &probes, &f.Title, &sev, &tax, &status, &verified,
		&f.Detector, &f.Hits, &f.Attempts, &repro, &f.CVSSVector, &f.CVSSScore, &ev, &tlp, &created, &updated); err != nil {
		return nil, err
	}
	f.Class, f.Severity, f.Status, f.TLP = aicc.Class(class), aicc.Severity(sev), aicc.FindingStatus(status), aicc.TLP(tlp)
	f.Verified = verified != 0
	f.CreatedAt, f.UpdatedAt = time.Unix(0, created).UTC(), time.Unix(0, updated).UTC()
	if err := json.Unmarshal([]byte(probes), &f.Probes); err != nil {
		return nil, fmt.Errorf("finding %s probes: %w", f.ID, err)
	}
	if err := json.Unmarshal([]byte(tax), &f.Taxonomy); err != nil {
		return nil, fmt.Errorf("finding %s taxonomy: %w", f.ID, err)
	}
	if err := json.Unmarshal([]byte(ev), &f.Evidence); err != nil {
		return nil, fmt.Errorf("finding %s evidence: %w", f.ID, err)
	}
	if repro.Valid {
		f.Reproduction = &aicc.Reproduction{}
		if err := fromJSON(repro, f.Reproduction); err != nil {
			return nil, fmt.Errorf("finding %s reproduction: %w", f.ID, err)
		}
	}
	return &f, nil
}

func (r reader) GetFinding(ctx context.Context, id string) (*aicc.Finding, error) {
	f, err := readFinding(r.q.QueryRowContext(ctx, `SELECT `+findingColumns+` FROM findings WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("finding", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get finding %s: %w", id, err)
	}
	return f, nil
}

func (r reader) ListFindings(ctx context.Context, f store.FindingFilter, p store.Page) ([]*aicc.Finding, string, error) {
	at, id, err := parseCursor(p.After)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT ` + findingColumns + ` FROM findings WHERE (created_at, id) > (?, ?)`
	args := []any{at, id}
	if f.SubmissionID != "" {
		q += ` AND submission_id = ?`
		args = append(args, f.SubmissionID)
	}
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	rows, err := r.q.QueryContext(ctx, q+` ORDER BY created_at, id LIMIT ?`, append(args, p.Size()+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("list findings: %w", err)
	}
	out, err := collect(rows, readFinding)
	if err != nil {
		return nil, "", fmt.Errorf("list findings: %w", err)
	}
	return page(out, p.Size(), func(f *aicc.Finding) string { return cursor(f.CreatedAt, f.ID) })
}

func (t *tx) AddFindingNote(ctx context.Context, n *aicc.FindingNote) error {
	if n.ID == "" || n.FindingID == "" || n.Action == "" || n.CreatedAt.IsZero() {
		return aicc.Errorf(aicc.KindInvalid, "add finding note: id, finding, action and created_at are required")
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO finding_notes (id, finding_id, user_id, org_id, action, status, text, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, n.ID, n.FindingID, n.UserID, n.OrgID, n.Action, string(n.Status), n.Text, n.CreatedAt.UnixNano())
	if err != nil {
		return fmt.Errorf("add finding note: %w", conflictOrErr(err, "note "+n.ID))
	}
	return nil
}

func (r reader) ListFindingNotes(ctx context.Context, findingID string) ([]*aicc.FindingNote, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id, finding_id, user_id, org_id, action, status, text, created_at
		FROM finding_notes WHERE finding_id = ? ORDER BY created_at, id`, findingID)
	if err != nil {
		return nil, fmt.Errorf("list finding notes: %w", err)
	}
	out, err := collect(rows, func(r rowScanner) (*aicc.FindingNote, error) {
		var n aicc.FindingNote
		var status string
		var created int64
		if err := r.Scan(&n.ID, &n.FindingID, &n.UserID, &n.OrgID, &n.Action, &status, &n.Text, &created); err != nil {
			return nil, err
		}
		n.Status, n.CreatedAt = aicc.FindingStatus(status), time.Unix(0, created).UTC()
		return &n, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list finding notes: %w", err)
	}
	return out, nil
}

const remediationColumns = `id, finding_id, submission_id, type, version, endpoint_model, note, created_by, created_at`

func (t *tx) CreateRemediation(ctx context.Context, rm *aicc.Remediation) error {
	if rm.ID == "" || rm.FindingID == "" || rm.SubmissionID == "" || !rm.Type.Valid() || rm.Version == "" || rm.CreatedAt.IsZero() {
		return aicc.Errorf(aicc.KindInvalid, "create remediation: id, finding, submission, a known type, version and created_at are required")
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO remediations (`+remediationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rm.ID, rm.FindingID, rm.SubmissionID, string(rm.Type), rm.Version, rm.EndpointModel, rm.Note, rm.CreatedBy, rm.CreatedAt.UnixNano())
	if err != nil {
		return fmt.Errorf("create remediation: %w", conflictOrErr(err, "remediation "+rm.ID))
	}
	return nil
}

func readRemediation(r rowScanner) (*aicc.Remediation, error) {
	var rm aicc.Remediation
	var typ string
	var created int64
	if err := r.Scan(&rm.ID, &rm.FindingID, &rm.SubmissionID, &typ, &rm.Version, &rm.EndpointModel, &rm.Note, &rm.CreatedBy, &created); err != nil {
		return nil, err
	}
	rm.Type, rm.CreatedAt = aicc.RemediationType(typ), time.Unix(0, created).UTC()
	return &rm, nil
}

func (r reader) GetRemediation(ctx context.Context, id string) (*aicc.Remediation, error) {
	rm, err := readRemediation(r.q.QueryRowContext(ctx, `SELECT `+remediationColumns+` FROM remediations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("remediation", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get remediation %s: %w", id, err)
	}
	return rm, nil
}

func (r reader) ListRemediations(ctx context.Context, findingID string) ([]*aicc.Remediation, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+remediationColumns+` FROM remediations WHERE finding_id = ? ORDER BY created_at, id`, findingID)
	if err != nil {
		return nil, fmt.Errorf("list remediations: %w", err)
	}
	out, err := collect(rows, readRemediation)
	if err != nil {
		return nil, fmt.Errorf("list remediations: %w", err)
	}
	return out, nil
}

const retestColumns = `id, finding_id, remediation_id, scan_id, status, verdict, p_value, before, after, reason, created_by, created_at, finished_at`

func retestValues(rt *aicc.Retest) (before, after any, err error) {
	if rt.Before != nil {
		if before, err = jsonText(rt.Before); err != nil {
			return nil, nil, err
		}
	}
	if rt.After != nil {
		if after, err = jsonText(rt.After); err != nil {
			return nil, nil, err
		}
	}
	return before, after, nil
}

func (t *tx) CreateRetest(ctx context.Context, rt *aicc.Retest) error {
	if rt.ID == "" || rt.FindingID == "" || rt.ScanID == "" || rt.Status == "" || rt.CreatedAt.IsZero() {
		return aicc.Errorf(aicc.KindInvalid, "create retest: id, finding, scan, status and created_at are required")
	}
	before, after, err := retestValues(rt)
	if err != nil {
		return fmt.Errorf("create retest: %w", err)
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO retests (`+retestColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rt.ID, rt.FindingID, rt.RemediationID, rt.ScanID, string(rt.Status), rt.Verdict, rt.PValue, before, after, rt.Reason,
		rt.CreatedBy, rt.CreatedAt.UnixNano(), timeValue(rt.FinishedAt))
	if err != nil {
		return fmt.Errorf("create retest: %w", conflictOrErr(err, "retest "+rt.ID))
	}
	return nil
}

func (t *tx) UpdateRetest(ctx context.Context, rt *aicc.Retest) error {
	before, after, err := retestValues(rt)
	if err != nil {
		return fmt.Errorf("update retest: %w", err)
	}
	res, err := t.q.ExecContext(ctx, `UPDATE retests SET status = ?, verdict = ?, p_value = ?, before = ?, after = ?, reason = ?, finished_at = ?
		WHERE id = ?`, string(rt.Status), rt.Verdict, rt.PValue, before, after, rt.Reason, timeValue(rt.FinishedAt), rt.ID)
	return affected(res, err, "retest", rt.ID)
}

func readRetest(r rowScanner) (*aicc.Retest, error) {
	var rt aicc.Retest
	var status string
	var before, after sql.NullString
	var created int64
	var finished sql.NullInt64
	if err := r.Scan(&rt.ID, &rt.FindingID, &rt.RemediationID, &rt.ScanID, &status, &rt.Verdict, &rt.PValue, &before, &after,
		&rt.Reason, &rt.CreatedBy, &created, &finished); err != nil {
		return nil, err
	}
	rt.Status, rt.CreatedAt, rt.FinishedAt = aicc.RetestStatus(status), time.Unix(0, created).UTC(), timeFrom(finished)
	if before.Valid {
		rt.Before = &aicc.Reproduction{}
		if err := fromJSON(before, rt.Before); err != nil {
			return nil, err
		}
	}
	if after.Valid {
		rt.After = &aicc.Reproduction{}
		if err := fromJSON(after, rt.After); err != nil {
			return nil, err
		}
	}
	return &rt, nil
}

func (r reader) GetRetest(ctx context.Context, id string) (*aicc.Retest, error) {
	rt, err := readRetest(r.q.QueryRowContext(ctx, `SELECT `+retestColumns+` FROM retests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("retest", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get retest %s: %w", id, err)
	}
	return rt, nil
}

func (r reader) ListRetests(ctx context.Context, findingID string) ([]*aicc.Retest, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+retestColumns+` FROM retests WHERE finding_id = ? ORDER BY created_at, id`, findingID)
	if err != nil {
		return nil, fmt.Errorf("list retests: %w", err)
	}
	out, err := collect(rows, readRetest)
	if err != nil {
		return nil, fmt.Errorf("list retests: %w", err)
	}
	return out, nil
}

func (t *tx) AcquireScanLease(ctx context.Context, scanID, owner string, now, expires time.Time) (bool, error) {
	if scanID == "" || owner == "" || !expires.After(now) {
		return false, aicc.Errorf(aicc.KindInvalid, "scan lease: scan, owner and a future expiry are required")
	}
	res, err := t.q.ExecContext(ctx, `INSERT INTO scan_leases (scan_id, owner, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (scan_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
		WHERE scan_leases.owner = excluded.owner OR scan_leases.expires_at <= ?`,
		scanID, owner, expires.UnixNano(), now.UnixNano())
	if err != nil {
		return false, fmt.Errorf("scan lease %s: %w", scanID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("scan lease %s: %w", scanID, err)
	}
	return n == 1, nil
}

func (t *tx) ReleaseScanLease(ctx context.Context, scanID, owner string) error {
	if _, err := t.q.ExecContext(ctx, `DELETE FROM scan_leases WHERE scan_id = ? AND owner = ?`, scanID, owner); err != nil {
		return fmt.Errorf("release scan lease %s: %w", scanID, err)
	}
	return nil
}
