package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/aicc-dev/aicc/internal/aicc"
	"github.com/aicc-dev/aicc/internal/audit"
)

const auditColumns = `seq, at, actor_user, actor_org, token_id, action, object_kind, object_id, detail, prev_hash, hash`

func readAudit(r rowScanner) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	var detail sql.NullString
	if err := r.Scan(&e.Seq, &at, &e.ActorUserID, &e.ActorOrgID, &e.TokenID, &e.Action, &e.ObjectKind, &e.ObjectID,
		&detail, &e.PrevHash, &e.Hash); err != nil {
		return e, err
	}
	e.Time = time.Unix(0, at).UTC()
	if detail.Valid {
		e.Detail = []byte(detail.String)
	}
	return e, nil
}

// AuditHead returns the last entry. On SQLite the transaction already
// holds the database's write lock (BEGIN IMMEDIATE); on PostgreSQL it takes
// the dialect's lock until it ends. Either way no other entry can be
// appended before this one's successor.
func (t *tx) AuditHead(ctx context.Context) (*audit.Entry, error) {
	if l := t.q.d.AuditLock; l != "" {
		if _, err := t.q.ExecContext(ctx, l); err != nil {
			return nil, fmt.Errorf("audit head: lock: %w", err)
		}
	}
	e, err := readAudit(t.q.QueryRowContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit head: %w", err)
	}
	return &e, nil
}

func (t *tx) AppendAudit(ctx context.Context, e *audit.Entry) error {
	if e.Seq <= 0 || len(e.Hash) == 0 {
		return aicc.Errorf(aicc.KindInvalid, "append audit: entry is not chained")
	}
	var detail any
	if len(e.Detail) > 0 {
		detail = string(e.Detail)
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.Time.UnixNano(), e.ActorUserID, e.ActorOrgID, e.TokenID, e.Action, e.ObjectKind, e.ObjectID,
		detail, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("append audit entry %d: %w", e.Seq, conflictOrErr(err, fmt.Sprintf("audit entry %d", e.Seq)))
	}
	return nil
}

func (r reader) AuditEntries(ctx context.Context, afterSeq int64, limit int) ([]audit.Entry, error) {
	q := `SELECT ` + auditColumns + ` FROM audit_log WHERE seq > ? ORDER BY seq`
	args := []any{afterSeq}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := r.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit entries: %w", err)
	}
	out, err := collect(rows, readAudit)
	if err != nil {
		return nil, fmt.Errorf("audit entries: %w", err)
	}
	return out, nil
}
