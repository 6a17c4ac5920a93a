package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

const designationColumns = `id, model, version, developer_org_id, authority_org_id, authority, kind, reference,
	effective_date, note, created_at, created_by, revoked_at, revoked_by, revocation_note`

func (t *tx) CreateDesignation(ctx context.Context, d *aicc.Designation) error {
	switch {
	case d.ID == "" || d.CreatedAt.IsZero():
		return aicc.Errorf(aicc.KindInvalid, "create designation: id and created_at are required")
	case d.RevokedAt != nil:
		return aicc.Errorf(aicc.KindInvalid, "create designation %s: a new designation is not revoked", d.ID)
	}
	if err := d.Validate(); err != nil {
		return fmt.Errorf("create designation: %w", err)
	}
	var developer any
	if d.DeveloperOrgID != "" {
		developer = d.DeveloperOrgID
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO designations (`+designationColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, '', '')`,
		d.ID, d.Model, d.Version, developer, d.AuthorityOrgID, d.Authority, string(d.Kind), d.Reference,
		d.Date.UnixNano(), d.Note, d.CreatedAt.UnixNano(), d.CreatedBy)
	if err != nil {
		return fmt.Errorf("create designation: %w", conflictOrErr(err, "designation "+d.ID))
	}
	return nil
}

func (t *tx) RevokeDesignation(ctx context.Context, id string, at time.Time, by, note string) error {
	if at.IsZero() {
		return aicc.Errorf(aicc.KindInvalid, "revoke designation %s: the revocation time is required", id)
	}
	res, err := t.q.ExecContext(ctx, `UPDATE designations SET revoked_at = ?, revoked_by = ?, revocation_note = ?
		WHERE id = ? AND revoked_at IS NULL`, at.UnixNano(), by, note, id)
	if err := affected(res, err, "designation", id); err != nil {
		if !errors.Is(err, aicc.ErrNotFound) {
			return err
		}
		if _, gerr := t.GetDesignation(ctx, id); gerr != nil {
			return gerr
		}
		return aicc.Errorf(aicc.KindConflict, "designation %s is already revoked", id)
	}
	return nil
}

func readDesignation(r rowScanner) (*aicc.Designation, error) {
	var d aicc.Designation
	var developer sql.NullString
	var kind string
	var date, created int64
	var revoked sql.NullInt64
	if err := r.Scan(&d.ID, &d.Model, &d.Version, &developer, &d.AuthorityOrgID, &d.Authority, &kind, &d.Reference,
		&date, &d.Note, &created, &d.CreatedBy, &revoked, &d.RevokedBy, &d.RevocationNote); err != nil {
		return nil, err
	}
	d.DeveloperOrgID = developer.String
	d.Kind = aicc.DesignationKind(kind)
	d.Date = time.Unix(0, date).UTC()
	d.CreatedAt = time.Unix(0, created).UTC()
	if revoked.Valid {
		at := timeFrom(revoked)
		d.RevokedAt = &at
	}
	return &d, nil
}

func (r reader) GetDesignation(ctx context.Context, id string) (*aicc.Designation, error) {
	d, err := readDesignation(r.q.QueryRowContext(ctx, `SELECT `+designationColumns+` FROM designations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("designation", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get designation %s: %w", id, err)
	}
	return d, nil
}

func (r reader) ListDesignations(ctx context.Context, f store.DesignationFilter, p store.Page) ([]*aicc.Designation, string, error) {
	at, id, err := parseCursor(p.After)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT ` + designationColumns + ` FROM designations WHERE (created_at, id) > (?, ?)`
	args := []any{at, id}
	if f.Model != "" {
		q += ` AND model = ?`
		args = append(args, f.Model)
	}
	if f.AuthorityOrgID != "" {
		q += ` AND authority_org_id = ?`
		args = append(args, f.AuthorityOrgID)
	}
	if !f.IncludeRevoked {
		q += ` AND revoked_at IS NULL`
	}
	rows, err := r.q.QueryContext(ctx, q+` ORDER BY created_at, id LIMIT ?`, append(args, p.Size()+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("list designations: %w", err)
	}
	out, err := collect(rows, readDesignation)
	if err != nil {
		return nil, "", fmt.Errorf("list designations: %w", err)
	}
	return page(out, p.Size(), func(d *aicc.Designation) string { return cursor(d.CreatedAt, d.ID) })
}

func (t *tx) PutCoverageResults(ctx context.Context, submissionID string, recs []store.CoverageRecord) error {
	if len(recs) == 0 {
		return nil
	}
	for i, rec := range recs {
		switch {
		case rec.SubmissionID != submissionID:
			return aicc.Errorf(aicc.KindInvalid, "put coverage results of %s: record %d is of submission %q", submissionID, i+1, rec.SubmissionID)
		case rec.EvaluatedAt.IsZero() || rec.PolicyID == "" || rec.PolicyVersion == "" || len(rec.Result) == 0:
			return aicc.Errorf(aicc.KindInvalid, "put coverage results of %s: record %d needs evaluated_at, policy id and version, and the result", submissionID, i+1)
		case !rec.Outcome.Valid():
			return aicc.Errorf(aicc.KindInvalid, "put coverage results of %s: record %d has unknown outcome %q", submissionID, i+1, rec.Outcome)
		}
	}
	var n int64
	if err := t.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(evaluation), 0) + 1 FROM coverage_results WHERE submission_id = ?`,
		submissionID).Scan(&n); err != nil {
		return fmt.Errorf("put coverage results of %s: %w", submissionID, err)
	}
	for i, rec := range recs {
		_, err := t.q.ExecContext(ctx, `INSERT INTO coverage_results (submission_id, evaluation, position, evaluated_at,
			policy_id, policy_version, policy_digest, outcome, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			submissionID, n, i, rec.EvaluatedAt.UnixNano(), rec.PolicyID, rec.PolicyVersion, rec.PolicyDigest,
			string(rec.Outcome), string(rec.Result))
		if err != nil {
			return fmt.Errorf("put coverage results of %s: %w", submissionID, conflictOrErr(err, "coverage evaluation of "+submissionID))
		}
	}
	return nil
}

func (r reader) CoverageResults(ctx context.Context, submissionID string) ([]store.CoverageRecord, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT submission_id, evaluated_at, policy_id, policy_version, policy_digest, outcome, result
		FROM coverage_results
		WHERE submission_id = ? AND evaluation = (SELECT MAX(evaluation) FROM coverage_results WHERE submission_id = ?)
		ORDER BY position`, submissionID, submissionID)
	if err != nil {
		return nil, fmt.Errorf("coverage results of %s: %w", submissionID, err)
	}
	out, err := collect(rows, readCoverageRecord)
	if err != nil {
		return nil, fmt.Errorf("coverage results of %s: %w", submissionID, err)
	}
	return out, nil
}

func readCoverageRecord(r rowScanner) (store.CoverageRecord, error) {
	var rec store.CoverageRecord
	var at int64
	var outcome, result string
	if err := r.Scan(&rec.SubmissionID, &at, &rec.PolicyID, &rec.PolicyVersion, &rec.PolicyDigest, &outcome, &result); err != nil {
		return rec, err
	}
	rec.EvaluatedAt = time.Unix(0, at).UTC()
	rec.Outcome = aicc.CoverageOutcome(outcome)
	rec.Result = []byte(result)
	return rec, nil
}
