package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/store"
)

func (t *tx) RecordReminder(ctx context.Context, r *store.Reminder) (bool, error) {
	if r.Key == "" || r.SubmissionID == "" || r.SentAt.IsZero() {
		return false, aicc.Errorf(aicc.KindInvalid, "record reminder: key, submission and sent_at are required")
	}
	res, err := t.q.ExecContext(ctx, `INSERT INTO reminders (key, submission_id, kind, to_kind, due, message, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		r.Key, r.SubmissionID, r.Kind, r.To, r.Due.UnixNano(), r.Message, r.SentAt.UnixNano())
	if err != nil {
		return false, fmt.Errorf("record reminder: %w", conflictOrErr(err, "reminder "+r.Key))
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (r reader) ListReminders(ctx context.Context, submissionID string) ([]*store.Reminder, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT key, submission_id, kind, to_kind, due, message, sent_at
		FROM reminders WHERE submission_id = ? ORDER BY sent_at, key`, submissionID)
	if err != nil {
		return nil, fmt.Errorf("list reminders: %w", err)
	}
	out, err := collect(rows, func(rs rowScanner) (*store.Reminder, error) {
		var m store.Reminder
		var due, sent int64
		err := rs.Scan(&m.Key, &m.SubmissionID, &m.Kind, &m.To, &due, &m.Message, &sent)
		m.Due, m.SentAt = time.Unix(0, due).UTC(), time.Unix(0, sent).UTC()
		return &m, err
	})
	if err != nil {
		return nil, fmt.Errorf("list reminders: %w", err)
	}
	return out, nil
}
