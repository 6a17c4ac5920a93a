package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aicc-dev/aicc/internal/advisory"
	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

func readAdvisoryDoc(r rowScanner) (*advisory.Advisory, error) {
	var doc string
	if err := r.Scan(&doc); err != nil {
		return nil, err
	}
	var a advisory.Advisory
	if err := json.Unmarshal([]byte(doc), &a); err != nil {
		return nil, fmt.Errorf("advisory document: %w", err)
	}
	return &a, nil
}

func (r reader) GetAdvisory(ctx context.Context, id string) (*advisory.Advisory, error) {
	a, err := readAdvisoryDoc(r.q.QueryRowContext(ctx, `SELECT doc FROM advisories WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("advisory", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get advisory %s: %w", id, err)
	}
	return a, nil
}

func (r reader) ListAdvisories(ctx context.Context, f store.AdvisoryFilter, p store.Page) ([]*advisory.Advisory, string, error) {
	at, id, err := parseCursor(p.After)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT doc FROM advisories WHERE (created_at, id) > (?, ?)`
	args := []any{at, id}
	if f.DeveloperOrgID != "" {
		q += ` AND developer_org_id = ?`
		args = append(args, f.DeveloperOrgID)
	}
	if f.SubmissionID != "" {
		q += ` AND submission_id = ?`
		args = append(args, f.SubmissionID)
	}
	if len(f.States) > 0 {
		q += ` AND state IN (?` + strings.Repeat(`, ?`, len(f.States)-1) + `)`
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	rows, err := r.q.QueryContext(ctx, q+` ORDER BY created_at, id LIMIT ?`, append(args, p.Size()+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("list advisories: %w", err)
	}
	out, err := collect(rows, readAdvisoryDoc)
	if err != nil {
		return nil, "", fmt.Errorf("list advisories: %w", err)
	}
	return page(out, p.Size(), func(a *advisory.Advisory) string { return cursor(a.CreatedAt, a.ID) })
}

func (r reader) AdvisoryRevision(ctx context.Context, id string, revision int) (*advisory.Advisory, error) {
	a, err := readAdvisoryDoc(r.q.QueryRowContext(ctx, `SELECT doc FROM advisory_revisions WHERE advisory_id = ? AND revision = ?`, id, revision))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("advisory revision", fmt.Sprintf("%s/%d", id, revision))
	}
	if err != nil {
		return nil, fmt.Errorf("advisory %s revision %d: %w", id, revision, err)
	}
	return a, nil
}

func (r reader) ListPublished(ctx context.Context, limit int) ([]*advisory.Advisory, error) {
	q := `SELECT doc FROM advisories WHERE state IN (?, ?, ?) ORDER BY revised_at DESC, id`
	args := []any{string(advisory.StatePublished), string(advisory.StateUpdated), string(advisory.StateWithdrawn)}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := r.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list published advisories: %w", err)
	}
	out, err := collect(rows, readAdvisoryDoc)
	if err != nil {
		return nil, fmt.Errorf("list published advisories: %w", err)
	}
	return out, nil
}

func (r reader) PublishedStamp(ctx context.Context) (int, time.Time, error) {
	var n int
	var latest sql.NullInt64
	err := r.q.QueryRowContext(ctx, `SELECT COUNT(*), MAX(revised_at) FROM advisories WHERE state IN (?, ?, ?)`,
		string(advisory.StatePublished), string(advisory.StateUpdated), string(advisory.StateWithdrawn)).Scan(&n, &latest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("published advisories: %w", err)
	}
	return n, timeFrom(latest), nil
}

func (r reader) DueAdvisories(ctx context.Context, now time.Time) ([]string, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id FROM advisories WHERE state = ? AND lift_at IS NOT NULL AND lift_at <= ? ORDER BY lift_at, id`,
		string(advisory.StateEmbargoed), now.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("due advisories: %w", err)
	}
	return collect(rows, func(rs rowScanner) (string, error) {
		var id string
		err := rs.Scan(&id)
		return id, err
	})
}

// advisoryRow is what the columns beside the document hold.
func advisoryRow(a *advisory.Advisory) (doc string, liftAt, revisedAt any, err error) {
	if err := a.Validate(); err != nil {
		return "", nil, nil, err
	}
	b, err := json.Marshal(a)
	if err != nil {
		return "", nil, nil, err
	}
	if l := a.Embargo.Lifts(); a.State == advisory.StateEmbargoed {
		if l.Reason == "none" {
			liftAt = a.UpdatedAt.UnixNano()
		} else {
			liftAt = timeValue(l.At)
		}
	}
	return string(b), liftAt, timeValue(a.RevisedAt), nil
}

func (t *tx) NextAdvisorySeq(ctx context.Context, year int) (int, error) {
	var seq int
	err := t.q.QueryRowContext(ctx, `INSERT INTO advisory_seq (year, last) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last = advisory_seq.last + 1 RETURNING last`, year).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("next advisory number of %d: %w", year, err)
	}
	return seq, nil
}

func (t *tx) CreateAdvisory(ctx context.Context, a *advisory.Advisory) error {
	doc, liftAt, revisedAt, err := advisoryRow(a)
	if err != nil {
		return fmt.Errorf("create advisory: %w", err)
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO advisories (id, developer_org_id, submission_id, state, revision, lift_at, revised_at, created_at, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.DeveloperOrgID, nullString(a.SubmissionID), string(a.State), a.Revision, liftAt, revisedAt, a.CreatedAt.UnixNano(), doc)
	if err != nil {
		return fmt.Errorf("create advisory: %w", conflictOrErr(err, "advisory "+a.ID))
	}
	return nil
}

func (t *tx) UpdateAdvisory(ctx context.Context, a *advisory.Advisory) error {
	doc, liftAt, revisedAt, err := advisoryRow(a)
	if err != nil {
		return fmt.Errorf("update advisory: %w", err)
	}
	res, err := t.q.ExecContext(ctx, `UPDATE advisories SET state = ?, revision = ?, lift_at = ?, revised_at = ?, doc = ? WHERE id = ?`,
		string(a.State), a.Revision, liftAt, revisedAt, doc, a.ID)
	return affected(res, err, "advisory", a.ID)
}

func (t *tx) PutAdvisoryRevision(ctx context.Context, a *advisory.Advisory) error {
	if !a.State.Public() || a.RevisedAt.IsZero() {
		return aicc.Errorf(aicc.KindInvalid, "keep revision of advisory %s: only a published revision with its date is kept", a.ID)
	}
	doc, _, _, err := advisoryRow(a)
	if err != nil {
		return fmt.Errorf("keep advisory revision: %w", err)
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO advisory_revisions (advisory_id, revision, revised_at, doc) VALUES (?, ?, ?, ?)`,
		a.ID, a.Revision, a.RevisedAt.UnixNano(), doc)
	if err != nil {
		return fmt.Errorf("keep advisory revision: %w", conflictOrErr(err, fmt.Sprintf("revision %d of advisory %s", a.Revision, a.ID)))
	}
	return nil
}

func readAdvisorySubscription(r rowScanner) (*advisory.Subscription, error) {
	var s advisory.Subscription
	var filter string
	var created int64
	if err := r.Scan(&s.ID, &s.OrgID, &filter, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(filter), &s.Filter); err != nil {
		return nil, fmt.Errorf("subscription %s filter: %w", s.ID, err)
	}
	s.CreatedAt = time.Unix(0, created).UTC()
	return &s, nil
}

func (r reader) GetAdvisorySubscription(ctx context.Context, id string) (*advisory.Subscription, error) {
	s, err := readAdvisorySubscription(r.q.QueryRowContext(ctx, `SELECT id, org_id, filter, created_at FROM advisory_subscriptions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("advisory subscription", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get advisory subscription %s: %w", id, err)
	}
	return s, nil
}

func (r reader) ListAdvisorySubscriptions(ctx context.Context, orgID string) ([]*advisory.Subscription, error) {
	q, args := `SELECT id, org_id, filter, created_at FROM advisory_subscriptions`, []any{}
	if orgID != "" {
		q += ` WHERE org_id = ?`
		args = append(args, orgID)
	}
	rows, err := r.q.QueryContext(ctx, q+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list advisory subscriptions: %w", err)
	}
	return collect(rows, readAdvisorySubscription)
}

func (t *tx) CreateAdvisorySubscription(ctx context.Context, s *advisory.Subscription) error {
	if s.ID == "" || s.OrgID == "" || s.CreatedAt.IsZero() {
		return aicc.Errorf(aicc.KindInvalid, "create advisory subscription: id, org and created_at are required")
	}
	if err := s.Filter.Validate(); err != nil {
		return err
	}
	filter, err := json.Marshal(s.Filter)
	if err != nil {
		return err
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO advisory_subscriptions (id, org_id, filter, created_at) VALUES (?, ?, ?, ?)`,
		s.ID, s.OrgID, string(filter), s.CreatedAt.UnixNano())
	if err != nil {
		return fmt.Errorf("create advisory subscription: %w", conflictOrErr(err, "advisory subscription "+s.ID))
	}
	return nil
}

func (t *tx) DeleteAdvisorySubscription(ctx context.Context, id string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM advisory_subscriptions WHERE id = ?`, id)
	return affected(res, err, "advisory subscription", id)
}
