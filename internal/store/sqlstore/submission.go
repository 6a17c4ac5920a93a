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

const submissionColumns = `id, org_id, model, version, facts, release_date, endpoint, consent, state,
	has_credential, submitted_at, updated_at, closed_at, created_by`

func checkSubmission(s *aicc.Submission) error {
	switch {
	case s.ID == "" || s.OrgID == "" || s.Model == "" || s.Version == "":
		return aicc.Errorf(aicc.KindInvalid, "submission: id, org, model and version are required")
	case !s.State.Valid():
		return aicc.Errorf(aicc.KindInvalid, "submission %s: unknown state %q", s.ID, s.State)
	case s.SubmittedAt.IsZero() || s.ReleaseDate.IsZero() || s.UpdatedAt.IsZero():
		return aicc.Errorf(aicc.KindInvalid, "submission %s: submitted_at, release_date and updated_at are required", s.ID)
	}
	return nil
}

func (t *tx) CreateSubmission(ctx context.Context, s *aicc.Submission) error {
	if err := checkSubmission(s); err != nil {
		return fmt.Errorf("create submission: %w", err)
	}
	facts, endpoint, consent, err := submissionJSON(s)
	if err != nil {
		return fmt.Errorf("create submission: %w", err)
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO submissions (`+submissionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.OrgID, s.Model, s.Version, facts, s.ReleaseDate.UnixNano(), endpoint, consent, string(s.State),
		boolInt(s.HasCredential), s.SubmittedAt.UnixNano(), s.UpdatedAt.UnixNano(), timeValue(s.ClosedAt), s.CreatedBy)
	if err != nil {
		return fmt.Errorf("create submission: %w", conflictOrErr(err, "submission "+s.ID))
	}
	return nil
}

func (t *tx) UpdateSubmission(ctx context.Context, s *aicc.Submission) error {
	if err := checkSubmission(s); err != nil {
		return fmt.Errorf("update submission: %w", err)
	}
	_, endpoint, consent, err := submissionJSON(s)
	if err != nil {
		return fmt.Errorf("update submission: %w", err)
	}
	res, err := t.q.ExecContext(ctx, `UPDATE submissions SET release_date = ?, endpoint = ?, consent = ?, state = ?,
		has_credential = ?, updated_at = ?, closed_at = ? WHERE id = ?`,
		s.ReleaseDate.UnixNano(), endpoint, consent, string(s.State), boolInt(s.HasCredential),
		s.UpdatedAt.UnixNano(), timeValue(s.ClosedAt), s.ID)
	return affected(res, err, "submission", s.ID)
}

func submissionJSON(s *aicc.Submission) (facts, endpoint, consent string, err error) {
	f, err := json.Marshal(s.Facts)
	if err != nil {
		return "", "", "", err
	}
	e, err := json.Marshal(s.Endpoint)
	if err != nil {
		return "", "", "", err
	}
	c, err := json.Marshal(s.Consent)
	if err != nil {
		return "", "", "", err
	}
	return string(f), string(e), string(c), nil
}

func readSubmission(r rowScanner) (*aicc.Submission, error) {
	var s aicc.Submission
	var facts, endpoint, consent, state string
	var release, submitted, updated int64
	var closed sql.NullInt64
	var hasCred int
	if err := r.Scan(&s.ID, &s.OrgID, &s.Model, &s.Version, &facts, &release, &endpoint, &consent, &state,
		&hasCred, &submitted, &updated, &closed, &s.CreatedBy); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(facts), &s.Facts); err != nil {
		return nil, fmt.Errorf("submission %s facts: %w", s.ID, err)
	}
	if err := json.Unmarshal([]byte(endpoint), &s.Endpoint); err != nil {
		return nil, fmt.Errorf("submission %s endpoint: %w", s.ID, err)
	}
	if err := json.Unmarshal([]byte(consent), &s.Consent); err != nil {
		return nil, fmt.Errorf("submission %s consent: %w", s.ID, err)
	}
	s.State = aicc.ReviewState(state)
	s.HasCredential = hasCred != 0
	s.ReleaseDate = time.Unix(0, release).UTC()
	s.SubmittedAt = time.Unix(0, submitted).UTC()
	s.UpdatedAt = time.Unix(0, updated).UTC()
	s.ClosedAt = timeFrom(closed)
	return &s, nil
}

func (r reader) GetSubmission(ctx context.Context, id string) (*aicc.Submission, error) {
	s, err := readSubmission(r.q.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("submission", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get submission %s: %w", id, err)
	}
	return s, nil
}

func (r reader) ListSubmissions(ctx context.Context, f store.SubmissionFilter, p store.Page) ([]*aicc.Submission, string, error) {
	at, id, err := parseCursor(p.After)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT ` + submissionColumns + ` FROM submissions WHERE (submitted_at, id) > (?, ?)`
	args := []any{at, id}
	if f.OrgID != "" {
		q += ` AND org_id = ?`
		args = append(args, f.OrgID)
	}
	if f.State != "" {
		q += ` AND state = ?`
		args = append(args, string(f.State))
	}
	if f.Open {
		q += ` AND state NOT IN (?, ?, ?)`
		args = append(args, string(aicc.ReviewComplete), string(aicc.ReviewWithdrawn), string(aicc.ReviewReleased))
	}
	rows, err := r.q.QueryContext(ctx, q+` ORDER BY submitted_at, id LIMIT ?`, append(args, p.Size()+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("list submissions: %w", err)
	}
	out, err := collect(rows, readSubmission)
	if err != nil {
		return nil, "", fmt.Errorf("list submissions: %w", err)
	}
	return page(out, p.Size(), func(s *aicc.Submission) string { return cursor(s.SubmittedAt, s.ID) })
}

func (t *tx) PutCredential(ctx context.Context, submissionID string, sealed []byte) error {
	if len(sealed) == 0 {
		return aicc.Errorf(aicc.KindInvalid, "put credential: empty")
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO credentials (submission_id, sealed) VALUES (?, ?)
		ON CONFLICT (submission_id) DO UPDATE SET sealed = excluded.sealed`, submissionID, sealed)
	if err != nil {
		return fmt.Errorf("put credential of %s: %w", submissionID, conflictOrErr(err, "credential of "+submissionID))
	}
	return nil
}

func (t *tx) DeleteCredential(ctx context.Context, submissionID string) error {
	if _, err := t.q.ExecContext(ctx, `DELETE FROM credentials WHERE submission_id = ?`, submissionID); err != nil {
		return fmt.Errorf("delete credential of %s: %w", submissionID, err)
	}
	return nil
}

func (r reader) Credential(ctx context.Context, submissionID string) ([]byte, error) {
	var b []byte
	err := r.q.QueryRowContext(ctx, `SELECT sealed FROM credentials WHERE submission_id = ?`, submissionID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("credential of submission", submissionID)
	}
	if err != nil {
		return nil, fmt.Errorf("credential of %s: %w", submissionID, err)
	}
	return b, nil
}

func (t *tx) PutIdempotent(ctx context.Context, ir *store.IdempotentResponse) error {
	if ir.UserID == "" || ir.Key == "" || len(ir.RequestHash) == 0 {
		return aicc.Errorf(aicc.KindInvalid, "put idempotency record: user, key and request hash are required")
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO idempotency (user_id, key, request_hash, status, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, ir.UserID, ir.Key, ir.RequestHash, ir.Status, ir.Body, ir.CreatedAt.UnixNano())
	if err != nil {
		return fmt.Errorf("put idempotency record: %w", conflictOrErr(err, "idempotency key "+ir.Key))
	}
	return nil
}

func (r reader) Idempotent(ctx context.Context, userID, key string) (*store.IdempotentResponse, error) {
	ir := store.IdempotentResponse{UserID: userID, Key: key}
	var created int64
	err := r.q.QueryRowContext(ctx, `SELECT request_hash, status, body, created_at FROM idempotency WHERE user_id = ? AND key = ?`,
		userID, key).Scan(&ir.RequestHash, &ir.Status, &ir.Body, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("idempotency key", key)
	}
	if err != nil {
		return nil, fmt.Errorf("idempotency key %s: %w", key, err)
	}
	ir.CreatedAt = time.Unix(0, created).UTC()
	return &ir, nil
}
